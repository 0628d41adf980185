// The built bin, as a script or CI would run it: no terminal.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {plantedRepo} from '../helpers/repo.js';
import {keyNeedles} from '../../src/core/needles.js';

const BIN = path.resolve('bin/leakfix.js');

function leakfix(args: string[], home: string, input?: string, cwd = tempDir()) {
	const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
	delete env.CI;
	const result = spawnSync(process.execPath, [BIN, ...args], {env, input: input ?? '', encoding: 'utf8', cwd});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

function expectNoStack(text: string) {
	expect(text).not.toMatch(/^\s+at /m);
}

function homeWithIncident(key = fakeCloudSightKey()) {
	const home = tempDir();
	const store = new SessionStore(sessionsDir(home), createRedactor([key]));
	let session = makeSession(key);
	session = transition(session, {type: 'item.done', step: 'assess', item: 'confirm-key', at: '2026-11-27T12:01:00.000Z'});
	session = transition(session, {type: 'item.skipped', step: 'logs', item: 'odd-hours', reason: 'no logs', at: '2026-11-27T12:02:00.000Z'});
	store.save(session);
	return {home, session, key, store};
}

describe('leakfix (built bin, no terminal)', () => {
	it('answers --help and --version', () => {
		const home = tempDir();
		const help = leakfix(['--help'], home);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('leakfix report [<id>] [--format md|json|html|status|ics] [--out FILE]');
		const version = leakfix(['--version'], home);
		expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
	});

	it('refuses the wizard without a terminal, names the scriptable commands, exit 2, no stack', () => {
		for (const args of [[], ['resume'], ['demo'], ['--key-stdin']]) {
			const result = leakfix(args, tempDir(), 'some-key-value');
			expect(result.code).toBe(2);
			expect(result.stderr).toContain('needs an interactive terminal');
			expect(result.stderr).toContain('leakfix list --json');
			expectNoStack(result.stderr);
		}
	});

	it('reports usage mistakes with exit 2 and no stack', () => {
		const home = tempDir();
		for (const [args, message] of [
			[['frobnicate'], 'Unknown command "frobnicate"'],
			[['--frob'], "Unknown option '--frob'"],
			[['list', 'extra'], 'Too many arguments'],
			[['report'], 'No incidents to report on'],
			[['report', 'nope'], 'No incident nope'],
		] as const) {
			const result = leakfix([...args], home);
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr).toContain(message);
			expectNoStack(result.stderr);
		}
	});

	it('lists incidents as text and JSON', () => {
		const {home, session} = homeWithIncident();
		const text = leakfix(['list'], home);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(new RegExp(`${session.id}\\s+open 0/5\\s+cloudsight\\s+2026-11-27 12:02 UTC\\s+Key in public repo`));
		const json = JSON.parse(leakfix(['list', '--json'], home).stdout);
		expect(json.incidents).toEqual([
			{id: session.id, name: 'Key in public repo', provider: 'cloudsight', status: 'open', stepsComplete: 0, demo: false, updatedAt: '2026-11-27T12:02:00.000Z'},
		]);
	});

	it('exports the report in md, json and html, to stdout or a 0600 file, key masked', () => {
		const {home, session, key} = homeWithIncident();
		const md = leakfix(['report', session.id.slice(0, 11)], home);
		expect(md.code).toBe(0);
		expect(md.stdout).toContain('- [x] Confirm which key leaked');
		expect(md.stdout).toContain('— **skipped:** no logs');
		const out = path.join(tempDir(), 'incident.json');
		const json = leakfix(['report', '--format', 'json', '--out', out], home);
		expect(json.stderr).toContain(`Wrote the json report of incident ${session.id}`);
		expect(fs.statSync(out).mode & 0o777).toBe(0o600);
		expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toMatchObject({schema: 'leakfix/report', reportVersion: 2});
		const html = leakfix(['report', session.id, '--format', 'html'], home);
		expect(html.stdout).toContain('<!doctype html>');
		for (const text of [md.stdout, fs.readFileSync(out, 'utf8'), html.stdout]) expect(text).not.toContain(key);
		expect(leakfix(['report', '--format', 'pdf'], home)).toMatchObject({code: 2, stderr: expect.stringContaining('Use --format md, json, html, status or ics')});
	});

	it('moves a corrupt incident aside with a clear message and still lists the others', () => {
		const {home, session} = homeWithIncident();
		const bad = path.join(sessionsDir(home), 'incident-20261120-beef.json');
		fs.writeFileSync(bad, 'not json at all');
		const result = leakfix(['list'], home);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('! incident 20261120-beef could not be read (not valid JSON); moved aside to');
		expect(result.stdout).toContain(session.id);
		expect(fs.readdirSync(sessionsDir(home)).some(name => name.startsWith('incident-20261120-beef.json.corrupt-'))).toBe(true);
		const report = leakfix(['report', '20261120-beef'], home);
		expect(report.code).toBe(2);
	});

	it('scans: exit 1 with every place when the key is found, 0 when not, 2 for a folder that is no repo', () => {
		const key = fakeCloudSightKey();
		const {repo, commits} = plantedRepo(key);
		const found = leakfix(['scan', '--key-stdin', '--json'], tempDir(), key, repo);
		expect(found.code).toBe(1);
		const json = JSON.parse(found.stdout);
		expect(json.found).toBe(true);
		expect(json.repos[0].firstExposure).toMatchObject({commit: commits.leak, author: 'Bo Leaker', pushed: true});
		expect(json.repos[0].worktree.map((hit: {path: string}) => hit.path)).toContain('.env');
		for (const needle of keyNeedles(key)) expect(found.stdout + found.stderr).not.toContain(needle.bytes.toString('utf8'));

		const text = leakfix(['scan', '--repo', repo, '--key-stdin'], tempDir(), key);
		expect(text.code).toBe(1);
		expect(text.stdout).toMatch(/First exposure: [0-9a-f]{10} on 2026-01-10 09:30 UTC by Bo Leaker \(src\/config.js:3\)/);
		expect(text.stdout).toContain('Pushed: reachable from origin/main');
		expect(text.stdout).toMatch(/\.env:1 \(ignored\)/);

		expect(leakfix(['scan', '--repo', repo, '--key-stdin'], tempDir(), fakeCloudSightKey())).toMatchObject({code: 0, stdout: expect.stringContaining('The key was not found.')});
		const notRepo = leakfix(['scan', '--repo', tempDir(), '--key-stdin'], tempDir(), key);
		expect(notRepo.code).toBe(2);
		expect(notRepo.stderr).toContain('is not a git repository');
		expectNoStack(notRepo.stderr);
		expect(leakfix(['scan'], tempDir()).stderr).toContain('leakfix scan needs the key on stdin');
	});

	it('lists the providers', () => {
		const result = leakfix(['providers', '--json'], tempDir());
		const ids = JSON.parse(result.stdout).map((p: {id: string}) => p.id);
		expect(ids).toEqual(expect.arrayContaining(['aws', 'cloudsight', 'github', 'openai', 'slack', 'stripe']));
		expect(ids.at(-1)).toBe('generic'); // the full listing is tested in test/integration/identify-cli.test.ts
	});
});
