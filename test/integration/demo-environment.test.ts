// The demo's environment, however a demo is opened: its folder checked, its stand-ins the only
// gh and kubectl whatever PATH says, every other CLI refused, its fake CloudSight on loopback
// with a request log, and where its fake key is.
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {fingerprint, mask} from '../../src/core/secrets.js';
import {planUpdate} from '../../src/core/stores.js';
import {applyUpdate, runRestart} from '../../src/engines/rotate.js';
import {confineHelpers, resolveBinary, runCommand} from '../../src/infra/command.js';
import {createDemoRepo, demoEnvironment, type DemoEnvironment} from '../../src/infra/demo.js';
import {UserError} from '../../src/infra/errors.js';
import {tempDir} from '../helpers/fs.js';
import {stubBin} from '../helpers/stubs.js';

const savedPath = process.env.PATH;
const opened: DemoEnvironment[] = [];
const folders: string[] = [];
afterEach(() => {
	for (const environment of opened.splice(0)) environment.close();
	for (const folder of folders.splice(0)) fs.rmSync(folder, {recursive: true, force: true});
	confineHelpers(undefined);
	process.env.PATH = savedPath;
});

async function demo() {
	const made = await createDemoRepo(new Date());
	folders.push(made.folder);
	return made;
}

async function open(...args: Parameters<typeof demoEnvironment>) {
	const environment = await demoEnvironment(...args);
	opened.push(environment);
	return environment;
}

const recording = () => stubBin({gh: {}, kubectl: {}, aws: {}, vault: {}, conjur: {}});

describe('demoEnvironment', () => {
	it('runs its stand-in gh and kubectl even with recording stubs first on PATH, runs git, and refuses aws, vault, conjur and any other CLI', async () => {
		const made = await demo();
		const home = tempDir();
		const environment = await open({repoPath: made.repoPath, planted: made.key}, {home});
		expect(process.env.PATH!.split(path.delimiter)[0]).toBe(environment.bin);
		// Someone (a shell hook, a test) puts real CLIs before the demo's bin: the guard still holds.
		const stubs = recording();
		process.env.PATH = `${stubs.dir}${path.delimiter}${process.env.PATH}`;
		expect(resolveBinary('gh')).toBe(path.join(environment.bin, 'gh'));
		expect(resolveBinary('kubectl')).toBe(path.join(environment.bin, 'kubectl'));
		expect(resolveBinary('git')).not.toContain(environment.folder);

		const secret = 'new-demo-secret';
		const gh = await applyUpdate(planUpdate({type: 'github-actions', name: 'CLOUDSIGHT_API_KEY', repo: 'example/image-tagger'}, mask(secret)), secret, {redact: text => text, stamp: new Date().toISOString()});
		expect(gh).toMatchObject({status: 'done'});
		const kube = await applyUpdate(planUpdate({type: 'kubernetes', namespace: 'prod', name: 'cloudsight', key: 'api-key'}, mask(secret)), secret, {redact: text => text, stamp: new Date().toISOString()});
		expect(kube).toMatchObject({status: 'done'});
		const said = await runCommand('gh', ['secret', 'set', 'CLOUDSIGHT_API_KEY', '--repo', 'example/image-tagger'], {input: secret});
		expect(said.stdout).toContain('gh (leakfix demo stand-in): set secret CLOUDSIGHT_API_KEY from stdin (15 bytes)');
		expect(said.stdout).not.toContain(secret);
		const restarted = await runRestart(['kubectl', '--namespace', 'prod', 'rollout', 'restart', 'deployment/worker'], {redact: text => text});
		expect(restarted).toMatchObject({status: 'done'});

		// Every other CLI: refused by name, never run.
		await expect(runCommand('aws', ['sts', 'get-caller-identity'])).rejects.toThrow(/^Not in the demo: "aws" would be the real one on your PATH/);
		await expect(runCommand('aws', ['sts', 'get-caller-identity'])).rejects.toBeInstanceOf(UserError);
		const vault = await applyUpdate(planUpdate({type: 'vault', mount: 'secret', path: 'cloudsight', field: 'api_key'}, mask(secret)), secret, {redact: text => text, stamp: new Date().toISOString()});
		expect(vault.status).toBe('failed');
		expect(vault.detail).toContain('Not in the demo: "vault"');
		const aws = await applyUpdate(planUpdate({type: 'aws-sm', secretId: 'prod/cloudsight'}, mask(secret)), secret, {redact: text => text, stamp: new Date().toISOString()});
		expect(aws.status).toBe('failed');
		expect(aws.detail).toContain('Not in the demo: "aws"');
		await expect(runCommand('conjur', ['variable', 'set'], {input: secret})).rejects.toThrow(/^Not in the demo: "conjur"/);
		const typed = await runRestart(['curl\u001b[31m', 'https://example.com'], {redact: text => text});
		expect(typed).toMatchObject({status: 'failed'});
		expect(typed.detail).toContain('"curl\\x1b[31m"'); // outside text shown with its control characters visible
		for (const name of ['gh', 'kubectl', 'aws', 'vault', 'conjur']) expect(stubs.calls(name), name).toEqual([]);
		expect((await runCommand('git', ['--version'])).exitCode).toBe(0);
	});

	it('answers the probe on loopback and logs every request and dashboard action with keys masked', async () => {
		const made = await demo();
		const home = tempDir();
		const environment = await open({repoPath: made.repoPath, planted: made.key}, {home});
		expect(environment.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(environment.log).toBe(path.join(home, 'demo', 'provider.log'));
		const probe = (key: string) => fetch(`${environment.baseUrl}/v1/images/abc`, {headers: {authorization: `CloudSight ${key}`}}).then(response => response.status);
		expect(await probe(made.key)).toBe(404);
		const fresh = environment.dashboard.issueKey();
		expect(await probe(fresh)).toBe(404);
		environment.dashboard.deactivate(made.key);
		expect(await probe(made.key)).toBe(401);
		const log = fs.readFileSync(environment.log, 'utf8');
		const port = new URL(environment.baseUrl).port;
		expect(log.match(new RegExp(`GET http://127\\.0\\.0\\.1:${port}/v1/images/abc key …\\S+ -> (404 live|401 refused)`, 'g'))).toHaveLength(3);
		expect(log).toContain(`dashboard: issued a new key ${mask(fresh)}`);
		expect(log).toContain(`dashboard: deactivated key ${mask(made.key)}`);
		expect(log).not.toContain(made.key);
		expect(log).not.toContain(fresh);
		expect(fs.statSync(environment.log).mode & 0o777).toBe(0o600);
	});

	it('for a resumed demo: the old key live until deactivated, the new one by its fingerprint, and where the fake key is', async () => {
		const made = await demo();
		const home = tempDir();
		const session = {id: '20260101-abcd', key: {fingerprint: fingerprint(made.key)}};
		let environment = await open({repoPath: made.repoPath, session}, {home});
		expect(environment.keyWhere).toBe(`The demo's fake key is in ${path.join(made.repoPath, '.env')} (CLOUDSIGHT_API_KEY=…).`);
		const probe = (key: string) => fetch(`${environment.baseUrl}/v1/images/abc`, {headers: {authorization: `CloudSight ${key}`}}).then(response => response.status);
		expect(await probe(made.key)).toBe(404);
		expect(await probe('x'.repeat(22))).toBe(401);

		// Rotated: .env holds the new key; the leaked one is found in the commit that added it.
		const fresh = 'N'.repeat(22);
		fs.writeFileSync(path.join(made.repoPath, '.env'), `CLOUDSIGHT_API_KEY=${fresh}\n`);
		environment.close();
		environment = await open({repoPath: made.repoPath, session: {...session, rotation: {deactivatedAt: new Date().toISOString(), newKey: {fingerprint: fingerprint(fresh)}}}}, {home});
		expect(environment.keyWhere).toBe(`The demo's fake key is in its history: git -C ${made.repoPath} show ${made.leakCommit.slice(0, 7)}:src/cloudsight.js`);
		expect(await probe(made.key)).toBe(401);
		expect(await probe(fresh)).toBe(404);
	});

	it('says clearly that the demo folder is gone, and refuses a folder that is not private', async () => {
		const made = await demo();
		fs.rmSync(made.folder, {recursive: true, force: true});
		const gone = demoEnvironment({repoPath: made.repoPath, session: {id: '20260101-abcd', key: {fingerprint: fingerprint(made.key)}}}, {home: tempDir()});
		await expect(gone).rejects.toBeInstanceOf(UserError);
		await expect(gone).rejects.toThrow(`The demo's folder is gone: ${made.repoPath} no longer exists`);
		await gone.catch((error: UserError) => expect(error.hint).toBe('Start a fresh demo: leakfix demo (this incident stays listed; leakfix report 20260101-abcd still reads it).'));
		// Nothing was confined or started: no half-opened demo.
		expect(resolveBinary('git')).toBeTruthy();

		const open = await demo();
		fs.chmodSync(open.folder, 0o777);
		await expect(demoEnvironment({repoPath: open.repoPath, planted: open.key}, {home: tempDir()})).rejects.toThrow(/is not private to you/);
	});

	it('writes its stand-ins afresh: a replaced stand-in (or a symlink in its place) is not what runs', async () => {
		const made = await demo();
		const elsewhere = path.join(tempDir(), 'target');
		fs.writeFileSync(elsewhere, 'untouched');
		fs.rmSync(path.join(made.bin, 'gh'));
		fs.symlinkSync(elsewhere, path.join(made.bin, 'gh'));
		fs.writeFileSync(path.join(made.bin, 'kubectl'), '#!/bin/sh\necho tampered\n', {mode: 0o700});
		await open({repoPath: made.repoPath, planted: made.key}, {home: tempDir()});
		expect(fs.readFileSync(elsewhere, 'utf8')).toBe('untouched');
		expect(fs.lstatSync(path.join(made.bin, 'gh')).isSymbolicLink()).toBe(false);
		expect((await runCommand('kubectl', ['get', 'pods'])).stdout).toBe('kubectl (leakfix demo stand-in): did nothing for: get pods');
	});
});
