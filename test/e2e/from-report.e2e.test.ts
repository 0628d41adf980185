// `leakfix --from FILE` in a real terminal: pick two of three secrets, open them (one group),
// delete the report on y, land in the wizard on the first; the keys in no file; list shows the group.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {keyNeedles} from '../../src/core/needles.js';
import {mask} from '../../src/core/secrets.js';
import {allFiles, tempDir} from '../helpers/fs.js';
import {intakeKeys, writeIntakeFixture} from '../helpers/intake.js';
import {leakfixInTerminal, type Terminal} from '../helpers/tmux.js';

const terminals: Terminal[] = [];
afterEach(() => {
	for (const terminal of terminals.splice(0)) terminal.kill();
});

beforeAll(() => {
	if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('tmux is required for the e2e tests (.ci/run installs it).');
});

describe('leakfix --from FILE (built bin, real terminal)', () => {
	it('opens one incident per picked secret, linked as a group, deletes the report on y and opens the first in the wizard', async () => {
		const keys = intakeKeys();
		const home = tempDir();
		const cwd = tempDir();
		// A report with three secrets: gitleaks (GitHub, Stripe) and one more line for Slack.
		const file = writeIntakeFixture(cwd, 'gitleaks.json', keys);
		const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
		report.push({...report[2], RuleID: 'slack-bot-token', Secret: keys.slack, Match: `SLACK=${keys.slack}`, File: 'ops/slack.env', StartLine: 1});
		fs.writeFileSync(file, JSON.stringify(report));

		const t = leakfixInTerminal(['--from', file], {home, cwd});
		terminals.push(t);
		let screen = await t.waitFor('Which secrets do you open incidents for?');
		expect(screen).toContain(`1. ${mask(keys.github)} — GitHub`);
		expect(screen).toContain(`3. ${mask(keys.slack)} — Slack`);
		t.keys('Space');
		t.keys('Down');
		t.keys('Down');
		t.keys('Space');
		await t.waitFor('Enter open 2 incidents');
		t.keys('Enter');
		await t.waitFor('Where did they leak?');
		t.keys('Enter'); // a private repository
		screen = await t.waitFor('Delete it now? (y/N)');
		expect(screen).toContain('Opened 2 incidents, linked as one group');
		t.type('y');
		await t.waitFor('Deleted');
		expect(fs.existsSync(file)).toBe(false);
		t.keys('Enter');
		screen = await t.waitFor(/Assess risk/);
		// The wizard opened the first picked secret's incident.
		expect(screen).toContain(`GitHub token ${mask(keys.github)}, found by gitleaks in src/deploy.js`);
		t.keys('q');
		await t.waitFor('[exit 0]');

		const list = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'list'], {env: {...process.env, LEAKFIX_HOME: home}, encoding: 'utf8'});
		expect(list.stdout).toContain('(secret 1 of 2 from one report · 0 of 2 closed)');
		expect(list.stdout).toContain('(secret 2 of 2 from one report · 0 of 2 closed)');
		expect(list.stdout).toContain('GitHub');
		expect(list.stdout).toContain('Slack');
		const files = allFiles(home).map(entry => entry.content.toString('latin1')).join('\n');
		for (const key of Object.values(keys)) for (const needle of keyNeedles(key)) expect(files).not.toContain(needle.bytes.toString('latin1'));
	});
});
