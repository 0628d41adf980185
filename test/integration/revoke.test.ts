// Revoke by API, contract-tested: a loopback server replays each provider's documented answers
// (done, already dead, forbidden, rate-limited, 5xx, HTML, redirect, timeout). Only the playbook's
// own "done" answer is revoked (or accepted, for GitHub's asynchronous revocation); the key goes in
// a header or the body, never the URL. Then leakfix revoke through the built bin: --dry-run sends
// nothing, no --yes sends nothing, --yes sends once; AWS deactivates through a stub aws.
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {describeRevoke, revokeKey} from '../../src/engines/revoke.js';
import {findProvider, loadPlaybooks} from '../../src/playbooks/load.js';
import {tempDir} from '../helpers/fs.js';
import {fakeKeys} from '../helpers/keys.js';
import {sampleOf} from '../helpers/regex-sample.js';

type Answer = {status: number; body?: string; type?: string; headers?: Record<string, string>; hang?: boolean};
type Seen = {method: string; url: string; headers: http.IncomingHttpHeaders; body: string};

let server: http.Server;
let base: string;
const seen: Seen[] = [];
let answer: Answer = {status: 418};

beforeAll(async () => {
	server = http.createServer((request, response) => {
		let body = '';
		request.on('data', chunk => (body += chunk));
		request.on('end', () => {
			seen.push({method: request.method ?? '', url: request.url ?? '', headers: request.headers, body});
			if (answer.hang) return;
			response.writeHead(answer.status, {'content-type': answer.type ?? 'application/json', ...answer.headers});
			response.end(answer.body ?? '');
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
	server.closeAllConnections();
	server.close();
});

const playbooks = await loadPlaybooks();
const keyOf = (id: string) => sampleOf(findProvider(playbooks, id).keyPatterns.find(pattern => pattern.strength === 'strong')!.regex);

type Case = {method: string; path: (key: string) => string; where: 'header' | 'body'; done: Answer; expect: 'revoked' | 'accepted'; gone?: Answer};
const CASES: Record<string, Case> = {
	github: {method: 'POST', path: () => '/credentials/revoke', where: 'body', done: {status: 202, body: '{}'}, expect: 'accepted'},
	slack: {method: 'POST', path: () => '/api/auth.revoke', where: 'header', done: {status: 200, body: '{"ok":true,"revoked":true}'}, expect: 'revoked', gone: {status: 200, body: '{"ok":false,"error":"invalid_auth"}'}},
	gitlab: {method: 'DELETE', path: () => '/api/v4/personal_access_tokens/self', where: 'header', done: {status: 204}, expect: 'revoked', gone: {status: 401, body: '{"message":"401 Unauthorized"}'}},
	npm: {method: 'DELETE', path: key => `/-/npm/v1/tokens/token/${createHash('sha512').update(key).digest('hex')}`, where: 'header', done: {status: 204}, expect: 'revoked', gone: {status: 401}},
};

describe('revoke requests against a loopback server', () => {
	it('every playbook with a revoke request has a contract case here', () => {
		expect(playbooks.providers.filter(provider => provider.rotation.deactivate.request).map(provider => provider.id).sort()).toEqual(Object.keys(CASES).sort());
	});

	for (const [id, spec] of Object.entries(CASES)) {
		describe(id, () => {
			it(`the documented done answer is ${spec.expect}; the key in the ${spec.where} only`, async () => {
				const key = keyOf(id);
				answer = spec.done;
				const from = seen.length;
				const result = await revokeKey(findProvider(playbooks, id), key, {baseUrl: base, timeoutMs: 1000});
				expect(result.status).toBe(spec.expect);
				const sent = seen.slice(from);
				expect(sent).toHaveLength(1);
				expect(sent[0]!.method).toBe(spec.method);
				expect(sent[0]!.url).toBe(spec.path(key));
				expect(sent[0]!.url).not.toContain(key);
				const inHeaders = Object.values(sent[0]!.headers).some(value => String(value).includes(key));
				expect(spec.where === 'header' ? inHeaders : sent[0]!.body.includes(key)).toBe(true);
				if (spec.where === 'body') expect(JSON.parse(sent[0]!.body)).toEqual({credentials: [key]});
				expect(JSON.stringify(result)).not.toContain(key);
				expect(result.request).not.toContain(key);
			});

			if (spec.gone) {
				it('a key already dead is said as such, never as revoked by us', async () => {
					answer = spec.gone!;
					expect((await revokeKey(findProvider(playbooks, id), keyOf(id), {baseUrl: base})).status).toBe('already-dead');
				});
			}

			const unclear: Array<[string, Answer]> = [
				['forbidden', {status: 403, body: '{"message":"forbidden"}'}],
				['rate-limited', {status: 429}],
				['a 5xx', {status: 502}],
				['an HTML page', {status: spec.done.status, type: 'text/html', body: '<!doctype html><p>login</p>'}],
				['a redirect', {status: 301, headers: {location: 'https://elsewhere.example/'}}],
				['a timeout', {status: 200, hang: true}],
			];
			for (const [name, odd] of unclear) {
				it(`${name}: not proven, never revoked`, async () => {
					answer = odd;
					const result = await revokeKey(findProvider(playbooks, id), keyOf(id), {baseUrl: base, timeoutMs: odd.hang ? 300 : 5000});
					expect(result.status).toBe('not-proven');
				});
			}
		});
	}

	it('Slack: HTTP 200 without revoked:true is not proven', async () => {
		answer = {status: 200, body: '{"ok":true,"revoked":false}'};
		expect((await revokeKey(findProvider(playbooks, 'slack'), keyOf('slack'), {baseUrl: base})).status).toBe('not-proven');
	});

	it('what is shown before consent masks the key (and shortens npm\'s hash)', () => {
		const key = keyOf('npm');
		const shown = describeRevoke(findProvider(playbooks, 'npm'), key)!;
		expect(shown).toMatch(/^DELETE https:\/\/registry\.npmjs\.org\/-\/npm\/v1\/tokens\/token\/<sha512 [0-9a-f]{8}…> with Authorization: Bearer npm_…/);
		expect(shown).not.toContain(key);
		const github = describeRevoke(findProvider(playbooks, 'github'), keyOf('github'))!;
		expect(github).toMatch(/^POST https:\/\/api\.github\.com\/credentials\/revoke body \{"credentials":\["ghp_…[A-Za-z0-9]{4}"\]\}$/);
	});
});

describe('leakfix revoke (built bin)', () => {
	function revoke(args: string[], input: string, env: Record<string, string> = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
		return new Promise(resolve => {
			const child = spawn(process.execPath, [path.resolve('bin/leakfix.js'), 'revoke', ...args], {env: {...process.env, LEAKFIX_PROBE_BASE_URL: base, ...env}});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', chunk => (stdout += chunk));
			child.stderr.on('data', chunk => (stderr += chunk));
			child.on('close', code => resolve({code, stdout, stderr}));
			child.stdin.end(input);
		});
	}

	it('--dry-run and a missing --yes send nothing; --yes sends once and says Revoked with the time', async () => {
		const key = keyOf('gitlab');
		answer = {status: 204};
		const from = seen.length;
		const dry = await revoke(['--provider', 'gitlab', '--key-stdin', '--dry-run'], key);
		expect(dry.code).toBe(0);
		expect(dry.stdout).toMatch(/^Would send \(nothing sent\): DELETE http:\/\/127\.0\.0\.1:\d+\/api\/v4\/personal_access_tokens\/self with PRIVATE-TOKEN: glpat-…/);
		const unconfirmed = await revoke(['--provider', 'gitlab', '--key-stdin'], key);
		expect(unconfirmed.code).toBe(2);
		expect(unconfirmed.stderr).toContain('Add --yes to confirm');
		expect(seen.length).toBe(from);
		const done = await revoke(['--provider', 'gitlab', '--key-stdin', '--yes'], key);
		expect(done.code).toBe(0);
		expect(done.stdout).toMatch(/^Revoked at \d{4}-\d\d-\d\dT[\d:.]+Z: the provider answered HTTP 204/);
		expect(seen.length).toBe(from + 1);
		for (const output of [dry, unconfirmed, done]) expect(output.stdout + output.stderr).not.toContain(key);
	});

	it('--json; a failure is exit 4 with the dashboard path; a provider without an API prints its dashboard path', async () => {
		const key = keyOf('slack');
		answer = {status: 503};
		const failed = await revoke(['--provider', 'slack', '--key-stdin', '--yes', '--json'], key);
		expect(failed.code).toBe(4);
		expect(JSON.parse(failed.stdout)).toMatchObject({provider: 'slack', status: 'not-proven', at: expect.any(String)});
		const stripe = await revoke(['--provider', 'stripe', '--key-stdin', '--yes'], fakeKeys.stripeLive());
		expect(stripe.code).toBe(4);
		expect(stripe.stdout).toContain('has no revoke API leakfix can run');
		expect(stripe.stdout).toContain('dashboard.stripe.com');
	});

	it('AWS: the key user from sts (pair in the environment), then update-access-key --status Inactive as the user\'s own principal', async () => {
		const dir = tempDir();
		const log = path.join(dir, 'calls.log');
		fs.writeFileSync(
			path.join(dir, 'aws'),
			`#!/bin/sh\nprintf 'argv=%s\\nkeyid=%s\\n' "$*" "\${AWS_ACCESS_KEY_ID-unset}" >> '${log}'\ncase "$1" in\n  sts) echo '{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/deployer"}' ;;\n  iam) exit 0 ;;\nesac\n`,
			{mode: 0o755},
		);
		const pair = fakeKeys.awsPair();
		const [id, secret] = pair.split(':') as [string, string];
		const result = await revoke(['--provider', 'aws', '--key-stdin', '--yes'], pair, {PATH: `${dir}${path.delimiter}${process.env.PATH}`});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Revoked at');
		expect(result.stdout).toContain('Inactive (deactivated, not deleted)');
		const calls = fs.readFileSync(log, 'utf8');
		expect(calls).toContain(`argv=iam update-access-key --access-key-id ${id} --status Inactive --user-name deployer`);
		expect(calls.split('\n').filter(line => line.startsWith('argv=')).join('\n')).not.toContain(secret);
		// The deactivation runs as the user's own principal, not the leaked pair.
		const iamCall = calls.split('argv=').find(block => block.startsWith('iam'))!;
		expect(iamCall).not.toContain(`keyid=${id}`);
		expect(result.stdout).not.toContain(secret);
	});
});
