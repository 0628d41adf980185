// The built bin in a real terminal, as a user drives it: intake -> tick items -> quit -> resume
// -> report; a second process refused; a killed terminal; the key never lands in any file.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {keyNeedles} from '../../src/core/needles.js';
import {mask} from '../../src/core/secrets.js';
import {allFiles, tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {leakfixInTerminal, type Terminal} from '../helpers/tmux.js';

const terminals: Terminal[] = [];
afterEach(() => {
	for (const terminal of terminals.splice(0)) terminal.kill();
});

beforeAll(() => {
	const tmux = spawnSync('tmux', ['-V']);
	if (tmux.status !== 0) throw new Error('tmux is required for the e2e tests (.ci/run installs it).');
});

function open(args: string[], options: {home: string; cwd: string; pipe?: string}): Terminal {
	const terminal = leakfixInTerminal(args, options);
	terminals.push(terminal);
	return terminal;
}

function leakfix(args: string[], home: string) {
	const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
	delete env.CI;
	return spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), ...args], {env, encoding: 'utf8'});
}

/** Walks the intake with typed answers and lands on step 1. */
async function intake(t: Terminal, key: string) {
	await t.waitFor('Name this incident:');
	t.type('Payments key in public repo');
	t.keys('Enter');
	await t.waitFor('Paste the leaked key:');
	t.type(key);
	await t.waitFor('•'.repeat(key.length));
	t.keys('Enter');
	await t.waitFor('❯ CloudSight');
	t.keys('Enter');
	await t.waitFor('Where did it leak?');
	t.keys('Enter');
	await t.waitFor('Link to where it leaked:');
	t.type('https://github.com/acme/payments/commit/1234567');
	t.keys('Enter');
	await t.waitFor('When was it noticed?');
	t.type('45m ago');
	t.keys('Enter');
	return t.waitFor('Step 1 of 5 · Assess risk');
}

describe('the wizard in a real terminal', () => {
	it('walks intake, ticks items, quits, resumes on the same item, refuses a second process, and reports', async () => {
		const home = tempDir();
		const cwd = tempDir();
		const key = fakeCloudSightKey();
		const t = open([], {home, cwd});
		let screen = await intake(t, key);
		expect(screen).toContain(`CloudSight · key ${mask(key)} · noticed 45m ago`);
		expect(screen).not.toContain(key);

		t.keys('Space');
		await t.waitFor('› [x] Confirm which key leaked');
		t.keys('Down');
		await t.waitFor('› [ ] Check whether the key is still live');
		t.keys('s');
		await t.waitFor('Why skip it?');
		t.type('no probe yet');
		t.keys('Enter');
		await t.waitFor('› [-] Check whether the key is still live');
		t.keys('Down');
		await t.waitFor('› [ ] Find every copy');
		t.keys('n');
		await t.waitFor('Note:');
		// A note that carries the key by mistake: it must be masked on screen and on disk.
		t.type(`also in .env as ${key}`);
		t.keys('Enter');
		screen = await t.waitFor('Note: also in .env as');
		expect(screen).toContain(`Note: also in .env as ${mask(key)}`);
		expect(screen).not.toContain(key);
		t.keys('q');
		expect(await t.exitCode()).toBe(0);
		screen = t.screen();
		const id = /leakfix resume (\d{8}-[0-9a-f]{4})/.exec(screen)![1]!;

		const resumed = open(['resume', id], {home, cwd});
		await resumed.waitFor('Re-enter the leaked key (CloudSight');
		resumed.type(key);
		resumed.keys('Enter');
		screen = await resumed.waitFor('Step 1 of 5 · Assess risk');
		expect(screen).toContain('› [ ] Find every copy');
		expect(screen).toContain('[x] Confirm which key leaked');

		const second = open(['resume', id], {home, cwd});
		expect(await second.exitCode()).toBe(2);
		expect(second.screen()).toContain(`Incident ${id} is open in another leakfix process`);
		expect(second.screen()).not.toMatch(/^\s+at /m);

		resumed.keys('3');
		await resumed.waitFor('Step 3 of 5 · Service inventory');
		resumed.keys('Space');
		await resumed.waitFor('› [x] List every service');
		resumed.keys('C-c');
		expect(await resumed.exitCode()).toBe(0);

		const out = path.join(tempDir(), 'incident.md');
		const report = leakfix(['report', id, '--format', 'md', '--out', out], home);
		expect(report.status).toBe(0);
		const md = fs.readFileSync(out, 'utf8');
		expect(md).toContain('# Incident report: Payments key in public repo');
		expect(md).toContain('- [x] Confirm which key leaked');
		expect(md).toContain('**skipped:** no probe yet');
		expect(md).toContain(`Note: also in .env as ${mask(key)}`);
		expect(md).toContain('- [x] List every service');
		expect(md).toMatch(/Resumed; key re-entered and fingerprint matched/);
		const json = leakfix(['report', id, '--format', 'json', '--out', path.join(path.dirname(out), 'incident.json')], home);
		expect(json.status).toBe(0);
		const html = leakfix(['report', id, '--format', 'html', '--out', path.join(path.dirname(out), 'incident.html')], home);
		expect(html.status).toBe(0);

		// Every file leakfix wrote (config folder, reports): the key in none of its forms.
		const written = [...allFiles(home), ...allFiles(path.dirname(out))];
		expect(written.length).toBeGreaterThanOrEqual(4);
		for (const {file, content} of written) {
			for (const needle of keyNeedles(key)) expect(content.includes(needle.bytes), `${needle.form} form found in ${file}`).toBe(false);
		}
	});

	it('takes the key on stdin with --key-stdin and still reads keys from the terminal', async () => {
		const home = tempDir();
		const key = fakeCloudSightKey();
		const t = open(['--key-stdin'], {home, cwd: tempDir(), pipe: key});
		await t.waitFor('Name this incident:');
		t.keys('Enter');
		await t.waitFor('❯ CloudSight');
		expect(t.screen()).toContain(`Key: ${mask(key)}`);
		t.keys('Enter');
		await t.waitFor('Where did it leak?');
		t.keys('Enter');
		await t.waitFor('Link to where it leaked:');
		t.keys('Enter');
		await t.waitFor('When was it noticed?');
		t.keys('Enter');
		await t.waitFor('Step 1 of 5');
		t.keys('q');
		expect(await t.exitCode()).toBe(0);
		const id = /leakfix resume (\S+)/.exec(t.screen())![1]!;
		// Resume with the wrong key piped: refused before any screen, exit 2.
		const wrong = open(['resume', id, '--key-stdin'], {home, cwd: tempDir(), pipe: fakeCloudSightKey()});
		expect(await wrong.exitCode()).toBe(2);
		expect(wrong.screen()).toContain('The key on stdin is not the key of incident');
		const right = open(['resume', id, '--key-stdin'], {home, cwd: tempDir(), pipe: key});
		const screen = await right.waitFor('Step 1 of 5');
		expect(screen).not.toContain('(not entered)');
	});

	it('survives a killed terminal: the lock is left behind by a dead process and resume takes it over', async () => {
		const home = tempDir();
		const key = fakeCloudSightKey();
		const t = open([], {home, cwd: tempDir()});
		await intake(t, key);
		t.keys('Space');
		await t.waitFor('› [x] Confirm which key leaked');
		const id = JSON.parse(leakfix(['list', '--json'], home).stdout).incidents[0].id as string;
		expect(fs.existsSync(path.join(home, 'incidents', `incident-${id}.lock`))).toBe(true);
		t.kill();
		const resumed = open(['resume', id], {home, cwd: tempDir()});
		await resumed.waitFor('Re-enter the leaked');
		resumed.keys('Escape');
		const screen = await resumed.waitFor('Step 1 of 5');
		expect(screen).toContain('[x] Confirm which key leaked');
		expect(screen).toContain('(not entered)');
	});

	it('runs the demo: a throwaway repo with a planted key, every step reachable', async () => {
		const home = tempDir();
		const t = open(['demo'], {home, cwd: tempDir()});
		await t.waitFor('Name this incident: DEMO: CloudSight key pushed to a public repo');
		for (const question of ['Paste the leaked key:', '❯ CloudSight', 'Where did it leak?', 'Link to where it leaked:', 'When was it noticed?']) {
			t.keys('Enter');
			await t.waitFor(question);
		}
		t.keys('Enter');
		let screen = await t.waitFor('Step 1 of 5 · Assess risk');
		expect(screen).toContain('noticed 2h 0m ago · DEMO');
		for (const [digit, title] of [['2', 'Check logs'], ['3', 'Service inventory'], ['4', 'Rotate'], ['5', 'Verify']] as const) {
			t.keys(digit);
			screen = await t.waitFor(`Step ${digit} of 5 · ${title}`);
		}
		// Step 1's automation, offline: the probe goes to the demo's loopback CloudSight.
		t.keys('1');
		await t.waitFor('p: check whether the key is live');
		t.keys('p');
		screen = await t.waitFor('Send this read-only request to CloudSight?');
		expect(screen).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/images\/<random> with Authorization: CloudSight …/);
		t.keys('y');
		await t.waitFor('Liveness LIVE');
		t.keys('e');
		screen = await t.waitFor('Exposure: 1 place(s) in history, 1 in the working tree (.env (ignored))');
		expect(screen).toMatch(/First exposure [0-9a-f]{10} on .* by Sam Builder \(src\/cloudsight\.js:1\)/);
		expect(screen).toMatch(/Severity CRITICAL: the key is live; exposed in a public repository/);
		t.keys('l');
		await t.waitFor('Every place the key was found (masked)');
		t.keys('Escape');
		await t.waitFor('l lists every place');
		t.keys('q');
		expect(await t.exitCode()).toBe(0);
		const list = JSON.parse(leakfix(['list', '--json'], home).stdout);
		expect(list.incidents[0]).toMatchObject({demo: true, provider: 'cloudsight'});
		const report = leakfix(['report', list.incidents[0].id], home).stdout;
		expect(report).toMatch(/^\*\*Not contained: the old key probed live .*; severity is critical: live key, public repo\.\*\*$/m);
		expect(report).toContain('- **Severity now:** CRITICAL');
		expect(report).toMatch(/- \*\*Liveness \(assess\):\*\* live at .* — HTTP 404: the key was accepted/);
		expect(report).toContain('## Exposure');
	});
});
