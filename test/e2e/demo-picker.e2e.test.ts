// A demo is a demo wherever it is opened: picked from the list of `leakfix resume` (no id), with
// recording gh, kubectl, aws and vault first on PATH, its probe, rotation and verification run
// through, and not one call reaches those stubs; every provider request went to the demo's
// loopback CloudSight (its request log in LEAKFIX_HOME).
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/fs.js';
import {stubBin} from '../helpers/stubs.js';
import {leakfixInTerminal, type Terminal} from '../helpers/tmux.js';
import {press} from '../helpers/tmux-frame.js';

const terminals: Terminal[] = [];
const savedPath = process.env.PATH;
afterEach(() => {
	for (const terminal of terminals.splice(0)) terminal.kill();
	process.env.PATH = savedPath;
});

beforeAll(() => {
	const tmux = spawnSync('tmux', ['-V']);
	if (tmux.status !== 0) throw new Error('tmux is required for the e2e tests (.ci/run installs it).');
});

/** leakfix in a terminal whose PATH starts with `first` (the tmux server takes this process's environment). */
function open(args: string[], options: {home: string; first: string}): Terminal {
	process.env.PATH = `${options.first}${path.delimiter}${savedPath}`;
	try {
		const terminal = leakfixInTerminal(args, {home: options.home, cwd: tempDir()});
		terminals.push(terminal);
		return terminal;
	} finally {
		process.env.PATH = savedPath;
	}
}

describe('a demo opened from the picker', () => {
	it('runs its probe, rotation and verification on its fake CloudSight and stand-ins: zero calls to the gh, kubectl, aws and vault first on PATH', async () => {
		const home = tempDir();
		const stubs = stubBin({gh: {}, kubectl: {}, aws: {}, vault: {}});

		// Make the demo incident (intake answers filled in), then leave.
		const made = open(['demo'], {home, first: stubs.dir});
		await made.waitFor('Name this incident: DEMO');
		for (const question of ['Paste the leaked key:', '❯ CloudSight', 'Where did it leak?', 'Link to where it leaked:', 'When was it noticed?', 'Step 1 of 5 · Assess risk']) {
			await press(made, ['Enter'], question);
		}
		await press(made, ['q'], /\[exit \d+\]/);
		expect(await made.exitCode()).toBe(0);

		// `leakfix resume` with no id: the list, the demo picked.
		const t = open(['resume'], {home, first: stubs.dir});
		// The recording stubs are what this terminal finds first on PATH.
		const shellPath = execFileSync('tmux', ['-L', t.socket, 'show-environment', '-g', 'PATH'], {encoding: 'utf8'}).trim();
		expect(shellPath.startsWith(`PATH=${stubs.dir}${path.delimiter}`)).toBe(true);
		await t.waitFor(/Resume \d{8}-[0-9a-f]{4} \(demo\) {2}DEMO: CloudSight key pushed to a public repo · CloudSight/);
		// The key prompt says where the demo's fake key is: the user reads it from there.
		const where = /The demo's fake key is in\s+(\S+\/image-tagger\/\.env)\s+\(CLOUDSIGHT_API_KEY=…\)/;
		let screen = await press(t, ['Enter'], where);
		const envFile = where.exec(screen)![1]!;
		expect(envFile.startsWith(home)).toBe(true);
		const key = /^CLOUDSIGHT_API_KEY=(.*)$/m.exec(fs.readFileSync(envFile, 'utf8'))![1]!;
		await t.waitFor('Key:');
		for (let attempt = 1; ; attempt++) {
			t.type(key);
			const typed = await t.waitFor('•'.repeat(key.length), 2000).catch(() => null);
			if (typed) break;
			// Dropped before the prompt listened (no bullet at all): type it again; anything else fails.
			expect(t.screen(), 'the key was only partly taken').not.toContain('•');
			expect(attempt).toBeLessThan(4);
		}
		await press(t, ['Enter'], 'Step 1 of 5 · Assess risk');

		// The probe: offered and sent to the loopback CloudSight, never the real one.
		screen = await press(t, ['p'], 'Send this read-only request to CloudSight?');
		expect(screen).not.toContain('api.cloudsight.ai');
		const port = /GET http:\/\/127\.0\.0\.1:(\d+)\/v1\/images\/<random> with Authorization: CloudSight …/.exec(screen)?.[1];
		expect(port, screen).toBeDefined();
		await press(t, ['y'], 'Liveness LIVE');

		// The inventory: the .env, the GitHub Actions secret, the Kubernetes secret.
		await press(t, ['3'], 'Step 3 of 5 · Service inventory');
		await press(t, ['w'], 'i discover');
		await press(t, ['i'], 'Discovery proposed 3 consumer(s)');
		await press(t, ['Escape'], 'Step 3 of 5 · Service inventory');

		// The rotation: a new key from the fake dashboard, every store updated, the worker
		// restarted, the old key deactivated.
		await press(t, ['4'], 'Step 4 of 5 · Rotate');
		await press(t, ['w'], 'k new key');
		await press(t, ['k'], 'DEMO: Enter on an empty line makes a new key in the fake dashboard');
		await press(t, ['Enter'], 'The new key is live: the stores can be updated.');
		// Ink wraps long lines at word boundaries: the prompts are matched across line ends.
		const words = (text: string) => new RegExp(text.split(' ').map(word => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('\\s+'));
		const steps: Array<[keys: string[], prompt: RegExp, done: string]> = [
			[['Down', 'Down', 'Enter'], /Update image-tagger \[unknown\]:[\s\S]*?CLOUDSIGHT_API_KEY: this changes a system/, '[✓] Update image-tagger [unknown]'],
			[['Down', 'Enter'], words('gh secret set CLOUDSIGHT_API_KEY --env production'), '[✓] Update GitHub Actions deploy.yml [prod]'],
			[['Down', 'Enter'], words('kubectl --namespace prod patch secret cloudsight --type merge --patch-file /dev/stdin'), '[✓] Update image-tagger-worker [prod]'],
			[['Down', 'Enter'], words('Restart image-tagger-worker: this changes a system'), '[✓] Restart image-tagger-worker'],
			[['Up', 'Up', 'Up', 'Up', 'Up', 'Enter'], words('Contain first: deactivate the old key now: this changes a system'), '[✓] Deactivate the old key'],
		];
		for (const [keys, prompt, done] of steps) {
			await press(t, keys, prompt);
			await press(t, ['y'], done);
		}
		await press(t, ['Escape'], 'Step 4 of 5 · Rotate');

		// The verification: the old key rejected, the new one live, by the fake CloudSight.
		await press(t, ['5'], 'Step 5 of 5 · Verify');
		await press(t, ['w'], 'p probe old');
		await press(t, ['p'], '[✓] The old key is rejected (revoked)');
		await press(t, ['P'], '[✓] The new key works (live)');
		screen = await t.waitFor('Verified at');
		expect(screen).not.toContain('Not in the demo');
		await press(t, ['Escape'], 'Step 5 of 5 · Verify');
		await press(t, ['q'], /\[exit \d+\]/);
		expect(await t.exitCode()).toBe(0);

		// Not one call reached the CLIs first on PATH.
		for (const name of ['gh', 'kubectl', 'aws', 'vault']) expect(stubs.calls(name), `${name} was called`).toEqual([]);
		// Every provider request went to the loopback CloudSight of this run: the first probe, the
		// new key's probe, then the old key (refused after its deactivation) and the new one.
		const log = fs.readFileSync(path.join(home, 'demo', 'provider.log'), 'utf8');
		const requests = log.split('\n').filter(line => / (GET|POST|PUT|DELETE|HEAD) /.test(line));
		expect(requests.map(line => /(?:GET) (\S+) key …\S+ -> (.*)$/.exec(line)?.slice(1).map(part => part.replace(/\/v1\/images\/[0-9a-f]+$/, '/v1/images/<random>')))).toEqual([
			[`http://127.0.0.1:${port}/v1/images/<random>`, '404 live'],
			[`http://127.0.0.1:${port}/v1/images/<random>`, '404 live'],
			[`http://127.0.0.1:${port}/v1/images/<random>`, '401 refused'],
			[`http://127.0.0.1:${port}/v1/images/<random>`, '404 live'],
		]);
		expect(log).toContain('dashboard: issued a new key');
		expect(log).toContain('dashboard: deactivated key');
		expect(log).not.toContain(key);

		// The finished demo's report: a headline a post-mortem can quote, no line that contradicts it.
		const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
		delete env.CI;
		const report = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'report', '--format', 'md'], {env, encoding: 'utf8'}).stdout;
		expect(report.split('\n')[4]).toMatch(/^\*\*Contained \d+h \d+m after detection; old key probed revoked \d{4}-\d\d-\d\d \d\d:\d\d UTC; severity was critical: live key, public repo\.\*\*$/);
		expect(report).toContain('- Verified ');
		expect(report).toMatch(/- Rotated: 3 of 3 consumer\(s\) updated to the new key …/);
		expect(report).not.toMatch(/marked open|CRITICAL — the key answers as revoked/);
		const timeline = report.slice(report.indexOf('## Timeline'));
		const rows = timeline.split('\n').filter(line => line.startsWith('| 20'));
		for (let i = 1; i < rows.length; i++) expect(rows[i], 'no two identical consecutive timeline lines').not.toBe(rows[i - 1]);
		expect(report).not.toContain(key);
	}, 120_000);
});
