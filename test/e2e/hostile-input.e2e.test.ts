// Issue 12, break 3, on the built bin in a real terminal (tmux): escape sequences typed or pasted
// into a prompt once crashed the wizard (ESC[31m at intake: a TypeError from Ink's input
// handler, exit 1, the form lost). They are ignored; the form keeps what was typed around them.
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {RAW_CONTROL} from '../../src/core/text.js';
import {tempDir} from '../helpers/fs.js';
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

describe('hostile input in a real terminal', () => {
	it('a colour code and an OSC 52 write typed into the incident name are ignored; the wizard goes on and saves the name', async () => {
		const home = tempDir();
		const key = fakeCloudSightKey();
		const t = leakfixInTerminal(['--key-stdin'], {home, cwd: tempDir(), pipe: key});
		terminals.push(t);
		await t.waitFor('Name this incident:');
		t.type('Billing');
		t.type('\u001B[31m'); // the reported crash
		t.type(' key');
		await t.waitFor('Name this incident: Billing key');
		t.type('\u001B]52;c;aGFja2Vk\u0007'); // a clipboard write, pasted
		t.type('\u001B[1;31m\u001B[200~\u009B2J');
		t.type(' leak');
		const screen = await t.waitFor('Name this incident: Billing key leak');
		expect(screen).not.toContain('[exit');
		expect(screen).not.toMatch(RAW_CONTROL);
		t.keys('Enter');
		await t.waitFor('❯ CloudSight');
		t.keys('Enter');
		await t.waitFor('Where did it leak?');
		t.keys('Enter');
		await t.waitFor('Link to where it leaked:');
		t.keys('Enter');
		await t.waitFor('When was it noticed?');
		t.keys('Enter');
		await t.waitFor('Step 1 of 5');
		// Browsing: unknown sequences are no keys at all.
		t.type('\u001B[31m\u001B[5;31m\u001B[?1049h');
		t.keys('q');
		expect(await t.exitCode()).toBe(0);
		const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
		delete env.CI;
		const list = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'list', '--json'], {env, encoding: 'utf8'});
		expect((JSON.parse(list.stdout) as {incidents: Array<{name: string}>}).incidents.map(incident => incident.name)).toEqual(['Billing key leak']);
	});
});
