// On an 80×24 terminal the Rotate step's long panels (a file's diff, the one confirmation with the
// CI job's diff) fit: the title bar, the current task and the footer stay on screen, and a line
// says how many lines are left out and where they are printed whole.
import {execFileSync} from 'node:child_process';
import {EventEmitter} from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import {render} from 'ink';
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {fixedClock} from '../../src/infra/clock.js';
import {SessionStore} from '../../src/infra/store.js';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {App} from '../../src/ui/App.js';
import {enginePorts} from '../../src/ui/enginePorts.js';
import {tempDir} from '../helpers/fs.js';
import {press, waitForText} from '../helpers/ink.js';
import {KEY} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

/** A terminal of a given size, as ink-testing-library's (which is 100 columns, no rows). */
class Terminal extends EventEmitter {
	constructor(
		readonly columns: number,
		readonly rows: number,
	) {
		super();
	}
	frames: string[] = [];
	write = (frame: string) => {
		this.frames.push(frame);
	};
	lastFrame = () => this.frames.at(-1);
}

class Keyboard extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	read = () => {
		const data = this.data;
		this.data = null;
		return data;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

async function openAt80x24(key: string, repo: string) {
	const dir = path.join(tempDir(), 'incidents');
	const clock = fixedClock(new Date('2026-11-27T12:00:00Z'));
	const redactor = createRedactor();
	const store = new SessionStore(dir, redactor, () => clock.now());
	let session: Session = {...makeSession(key), repoPath: repo};
	session = transition(session, {type: 'cursor.moved', step: 'rotate', item: 0});
	new SessionStore(dir, createRedactor([key])).save(session);
	const stdout = new Terminal(80, 24);
	const stdin = new Keyboard();
	const instance = render(<App deps={{store, playbooks: await loadPlaybooks(), redactor, clock, cwd: repo, ports: enginePorts()}} start={{kind: 'open', session, lock: store.lock(session.id), key}} onDone={() => undefined} />, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new Terminal(80, 24) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const app = {stdin, frames: stdout.frames, lastFrame: stdout.lastFrame, unmount: () => instance.unmount()};
	await waitForText(app as never, 'Rotation:');
	await press(app as never, 'w');
	for (let i = 0; i < 2; i++) await press(app as never, KEY.down);
	await press(app as never, KEY.enter);
	await press(app as never, KEY.enter); // an environment variable
	return app;
}

/** The frame's rows as the terminal shows them (Ink wraps nothing here: every row is at most 80 wide). */
const rowsOf = (frame: string) => frame.split('\n');

describe('the Rotate step on an 80×24 terminal', () => {
	it("a long diff, then the confirmation with the CI job's diff, keep the title bar, the current task and the footer on screen", async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args]);
		git('init', '-q');
		fs.mkdirSync(path.join(repo, '.github', 'workflows'), {recursive: true});
		fs.writeFileSync(path.join(repo, '.github', 'workflows', 'test.yml'), 'name: test\non: push\njobs: {}\n');
		// Twelve constants holding the key, far apart: a diff of many hunks.
		fs.writeFileSync(path.join(repo, 'client.js'), Array.from({length: 12}, (_, index) => `export const K${index} = "${key}";\n\n\n\n\n\n`).join(''));
		git('add', '-A');
		git('commit', '-q', '-m', 'x');
		const app = await openAt80x24(key, repo);

		let frame = await waitForText(app as never, '1/1 client.js');
		let rows = rowsOf(frame);
		expect(rows.length, frame).toBeLessThanOrEqual(23);
		expect(rows[0]).toContain('leakfix · Key in public repo');
		expect(frame).toContain('[ ] Keep the key out of code');
		expect(frame).toMatch(/\(\+\d+ more lines: leakfix harden --dry-run prints them whole\)/);
		expect(rows.at(-1)).toContain('q quit');
		expect(frame).not.toContain(key);

		frame = await press(app as never, 'y');
		frame = await waitForText(app as never, 'Nothing is written yet');
		rows = rowsOf(frame);
		expect(rows.length, frame).toBeLessThanOrEqual(23);
		expect(rows[0]).toContain('leakfix · Key in public repo');
		expect(frame).toContain('[ ] Keep the key out of code');
		expect(frame).toContain('the CI job, as a diff:');
		expect(frame).toMatch(/\(\+\d+ more lines: leakfix harden --dry-run --ci github prints them whole\)/);
		expect(rows.at(-1)).toContain('y to go ahead');
		expect(frame).not.toContain(key);
		app.unmount();
	}, 20_000);
});
