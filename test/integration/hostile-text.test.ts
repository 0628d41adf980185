// Issue 12, break 4: text that did not come from leakfix reaches no sink raw. Hostile strings (an
// OSC 52 clipboard write, colour and erase codes, a C1 CSI, a bidi override, DEL, CR and a
// newline that would forge an output line) are planted in every source: git author, committer,
// file names, commit and tag messages, a remote URL, log file names and fields, a provider's JSON
// answer, notes, checklist (playbook) text. Each sink — the built CLI's stdout and stderr (text
// and --json), the md, html and json reports — is checked for raw control characters; the same
// text is shown, visibly, and --json keeps the exact value.
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {RAW_CONTROL} from '../../src/core/text.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey, fakeKeys} from '../helpers/keys.js';
import {commit, gitIn, write} from '../helpers/repo.js';
import {makeSession} from '../unit/session-fixture.js';

const BIN = path.resolve('bin/leakfix.js');

/** Every character a terminal acts on, tab and newline aside (checked where they matter). */
const HOSTILE = 'Eve\u001B]52;c;aGFja2Vk\u0007\u001B[31m\u202Edcba\u009B2J\u007F\u0085\u2066x\u2069\rZ';
/** For one-line fields: a newline that would forge a line of output. */
const FORGING = `${HOSTILE}\nThe key was not found.`;
const FILE_NAME = `evil\u001B[31m\u202Efdp\u0007.js`;

type Run = {code: number | null; stdout: string; stderr: string};

function leakfix(args: string[], options: {home?: string; cwd?: string; input?: string; env?: Record<string, string>} = {}): Promise<Run> {
	return new Promise(resolve => {
		const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: options.home ?? tempDir(), ...options.env};
		delete env.CI;
		const child = spawn(process.execPath, [BIN, ...args], {env, cwd: options.cwd ?? tempDir()});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		child.on('close', code => resolve({code, stdout, stderr}));
		child.stdin.end(options.input ?? '');
	});
}

/** The sink holds no raw control character; a one-line sink not even a newline inside a field (checked by the forged line). */
function expectClean(text: string, what: string) {
	const raw = RAW_CONTROL.exec(text);
	expect(raw, `${what}: raw U+${raw?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${raw?.index}: ${JSON.stringify(text.slice(Math.max(0, (raw?.index ?? 0) - 40), (raw?.index ?? 0) + 20))}`).toBeNull();
	expect(text, what).not.toMatch(/^The key was not found\.$/m); // the forged line never stands on its own
}

/** The hostile text, shown as the characters it is. */
function expectShown(text: string, what: string) {
	expect(text, what).toContain('\\x1b]52;c;aGFja2Vk\\x07\\x1b[31m\\u202edcba\\x9b2J\\x7f\\x85\\u2066x\\u2069\\rZ');
}

/** A repository with the key under a hostile file name, by a hostile author and committer, in a hostile commit and tag message. */
function hostileRepo(key: string): string {
	const repo = tempDir('leakfix-hostile-');
	gitIn(repo, ['init', '-q', '-b', 'main']);
	gitIn(repo, ['remote', 'add', 'origin', `https://git.example.com/${HOSTILE}.git`]);
	write(repo, FILE_NAME, `const key = '${key}'; // ${HOSTILE}\n`);
	write(repo, 'src/app.js', 'export const client = connect(process.env.CLOUDSIGHT_API_KEY);\n');
	gitIn(repo, ['add', '-A']);
	gitIn(repo, ['commit', '-q', '-m', `${FORGING}\n\nold key ${key}`], {GIT_AUTHOR_NAME: FORGING, GIT_COMMITTER_NAME: FORGING, GIT_AUTHOR_DATE: '2026-01-10T09:30:00Z', GIT_COMMITTER_DATE: '2026-01-10T09:30:00Z'});
	gitIn(repo, ['tag', '-a', 'v1', '-m', `${FORGING} ${key}`], {GIT_COMMITTER_NAME: FORGING});
	commit(repo, 'later', '2026-01-11T09:30:00Z');
	return repo;
}

describe('hostile text from a repository (scan, inventory, harden --dry-run)', () => {
	const key = fakeCloudSightKey();
	let repo: string;
	// Temp folders go after each test: every test plants its own repository.
	beforeEach(() => {
		repo = hostileRepo(key);
	});

	it('git keeps what is planted (else the tests prove nothing)', () => {
		expect(gitIn(repo, ['log', '-1', '--format=%an', 'HEAD~1'])).toContain('\u001B]52;c;');
		expect(gitIn(repo, ['log', '-1', '--format=%B', 'HEAD~1'])).toContain('\u001B]52;c;');
		expect(fs.readdirSync(repo)).toContain(FILE_NAME);
	});

	it('leakfix scan: author, committer, file name, line, commit and tag message and remote shown visibly, never raw', async () => {
		const text = await leakfix(['scan', '--key-stdin', '--repo', repo], {input: key});
		expect(text.code, text.stdout + text.stderr).toBe(1);
		expectClean(text.stdout + text.stderr, 'scan text');
		expectShown(text.stdout, 'scan text');
		expect(text.stdout).toContain('evil\\x1b[31m\\u202efdp\\x07.js');
		const json = await leakfix(['scan', '--key-stdin', '--json', '--repo', repo], {input: key});
		expectClean(json.stdout + json.stderr, 'scan --json');
		const parsed = JSON.parse(json.stdout) as {repos: Array<{worktree: Array<{path: string}>; firstExposure: {author: string}}>};
		// --json keeps the exact value (escaped as JSON), so scripts get the real path.
		expect(parsed.repos[0]!.worktree.map(hit => hit.path)).toContain(FILE_NAME);
		expect(parsed.repos[0]!.firstExposure.author).toContain('\u001B]52;c;');
	});

	it('leakfix inventory: file names and evidence shown visibly, never raw', async () => {
		const text = await leakfix(['inventory', '--provider', 'cloudsight', '--key-stdin', '--repo', repo], {input: key});
		expect(text.code, text.stderr).toBe(0);
		expectClean(text.stdout + text.stderr, 'inventory text');
		expect(text.stdout).toContain('evil\\x1b[31m\\u202efdp\\x07.js');
		const json = await leakfix(['inventory', '--provider', 'cloudsight', '--key-stdin', '--json', '--repo', repo], {input: key});
		expectClean(json.stdout + json.stderr, 'inventory --json');
		expect(json.stdout).toContain(JSON.stringify(FILE_NAME).slice(1, 10)); // "evil\u001b…
	});

	it('leakfix harden --dry-run: file names and the diff of a hostile line shown visibly, never raw', async () => {
		const text = await leakfix(['harden', '--dry-run', '--provider', 'cloudsight', '--key-stdin', '--repo', repo], {input: key});
		expect(text.code, text.stderr).toBe(0);
		expectClean(text.stdout + text.stderr, 'harden text');
		expect(text.stdout).toContain('evil\\x1b[31m\\u202efdp\\x07.js');
		const json = await leakfix(['harden', '--dry-run', '--provider', 'cloudsight', '--key-stdin', '--json', '--repo', repo], {input: key});
		expectClean(json.stdout + json.stderr, 'harden --json');
		expect((JSON.parse(json.stdout) as {changes: Array<{file: string}>}).changes.map(change => change.file)).toContain(FILE_NAME);
	});
});

describe('hostile text from logs (leakfix logs)', () => {
	it('a log file name, its fields and malformed lines shown visibly, never raw', async () => {
		const dir = tempDir();
		const file = path.join(dir, `access${HOSTILE.replace('\r', '')}.jsonl`.replace('/', '_'));
		const lines = [
			JSON.stringify({time: '2026-11-19T10:00:00Z', ip: '198.51.100.1', path: '/v1/ok', status: 200, ua: 'app/1.0'}),
			...Array.from({length: 5}, (_, index) => JSON.stringify({time: `2026-11-22T03:0${index}:00Z`, ip: '203.0.113.9', path: `/v1/${FORGING}`, status: 200, ua: FORGING, country: HOSTILE})),
			`garbage ${HOSTILE}`,
		];
		fs.writeFileSync(file, `${lines.join('\n')}\n`);
		const text = await leakfix(['logs', file, '--all-lines', '--since', '2026-11-20T00:00:00Z', '--tz', 'UTC', '--format', 'jsonl']);
		expect(text.code, text.stderr).toBe(1);
		expectClean(text.stdout + text.stderr, 'logs text');
		expect(text.stdout).toContain('\\x1b]52;c;aGFja2Vk');
		const json = await leakfix(['logs', file, '--all-lines', '--since', '2026-11-20T00:00:00Z', '--tz', 'UTC', '--format', 'jsonl', '--json']);
		expectClean(json.stdout + json.stderr, 'logs --json');
		expect((JSON.parse(json.stdout) as {files: Array<{path: string}>}).files[0]!.path).toBe(file);
	});

	it('an error that echoes a hostile file name or argument shows it visibly', async () => {
		const missing = await leakfix(['logs', path.join(tempDir(), `missing${HOSTILE}.log`), '--all-lines']);
		expect(missing.code).toBe(2);
		expectClean(missing.stdout + missing.stderr, 'logs error');
		expect(missing.stderr).toContain('\\x1b]52;c;');
		const unknown = await leakfix([`scan\u001B]52;c;eA==\u0007`]);
		expect(unknown.code).toBe(2);
		expectClean(unknown.stderr, 'unknown command');
		expect(unknown.stderr).toContain('Unknown command "scan\\x1b]52;c;eA==\\x07"');
	});
});

describe('hostile text from a provider (leakfix verify --provider slack, loopback)', () => {
	let server: http.Server;
	let base: string;
	let answer = '';
	beforeAll(async () => {
		server = http.createServer((_request, response) => {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(answer);
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => {
		server.closeAllConnections();
		server.close();
	});

	it('team and user names and error text shown visibly, in text and --json', async () => {
		const key = fakeKeys.slack();
		answer = JSON.stringify({ok: true, team: FORGING, user: HOSTILE});
		const live = await leakfix(['verify', '--provider', 'slack', '--key-stdin'], {input: key, env: {LEAKFIX_PROBE_BASE_URL: base}});
		expect(live.code, live.stderr).toBe(0);
		expectClean(live.stdout + live.stderr, 'verify text');
		expectShown(live.stdout, 'verify text');
		const json = await leakfix(['verify', '--provider', 'slack', '--key-stdin', '--json'], {input: key, env: {LEAKFIX_PROBE_BASE_URL: base}});
		expectClean(json.stdout + json.stderr, 'verify --json');
		expect((JSON.parse(json.stdout) as {details: {user: string}}).details.user).toBe(HOSTILE);
		answer = JSON.stringify({ok: false, error: FORGING});
		const unknown = await leakfix(['verify', '--provider', 'slack', '--key-stdin'], {input: key, env: {LEAKFIX_PROBE_BASE_URL: base}});
		expect(unknown.code, unknown.stderr).toBe(4);
		expectClean(unknown.stdout + unknown.stderr, 'verify error text');
		expectShown(unknown.stdout, 'verify error text');
	});
});

describe('hostile text in an incident (list, status, report md/html/json/status)', () => {
	it('name, notes, checklist text and timeline shown visibly in every report format and list', async () => {
		const key = fakeCloudSightKey();
		const home = tempDir();
		const store = new SessionStore(sessionsDir(home), createRedactor([key]));
		let session = makeSession(key);
		session = {...session, name: FORGING};
		// Playbook text lives in the session's checklist snapshot.
		session = {...session, steps: session.steps.map((step, index) => (index === 0 ? {...step, items: step.items.map((item, n) => (n === 0 ? {...item, title: `${item.title} ${HOSTILE}`} : item))} : step))};
		const item = session.steps[0]!.items[1]!.id;
		session = transition(session, {type: 'item.noted', step: 'assess', item, note: FORGING, at: '2026-11-27T12:01:00.000Z'});
		session = transition(session, {type: 'item.skipped', step: 'logs', item: session.steps[1]!.items[0]!.id, reason: FORGING, at: '2026-11-27T12:02:00.000Z'});
		store.save(session);
		for (const format of ['md', 'html', 'json', 'status']) {
			const report = await leakfix(['report', '--format', format], {home});
			expect(report.code, report.stderr).toBe(0);
			expectClean(report.stdout + report.stderr, `report ${format}`);
			if (format !== 'json') expect(report.stdout, format).toMatch(/Eve\\{1,2}x1b\\?]52;c;aGFja2Vk\\{1,2}x07/) // md escapes the backslash and ];
			else expect(JSON.stringify(JSON.parse(report.stdout))).toContain('\\u001b]52;c;aGFja2Vk\\u0007');
			const out = path.join(tempDir(), `report.${format}`);
			const written = await leakfix(['report', '--format', format, '--out', out], {home});
			expect(written.code, written.stderr).toBe(0);
			expectClean(fs.readFileSync(out, 'utf8'), `report ${format} file`);
		}
		for (const args of [['list'], ['list', '--json'], ['status'], ['status', '--json']]) {
			const result = await leakfix(args, {home});
			expectClean(result.stdout + result.stderr, args.join(' '));
		}
		expect((await leakfix(['list'], {home})).stdout).toContain('\\x1b]52;c;aGFja2Vk');
	});
});
