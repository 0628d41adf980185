// A save the disk refuses (issue 12, break 1): the wizard never says it saved; the change stays in
// memory and on screen, is saved again with the next action, and a quit warns before it is lost.
import fs from 'node:fs';
import path from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {getStep, itemProgress} from '../../src/core/session.js';
import {fixedClock} from '../../src/infra/clock.js';
import type {FileSystem} from '../../src/infra/files.js';
import {SessionStore} from '../../src/infra/store.js';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {App, type Outcome} from '../../src/ui/App.js';
import {enginePorts} from '../../src/ui/enginePorts.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

afterEach(() => {
	cleanup();
});

const playbooks = await loadPlaybooks();

/** An open incident whose disk fails with `disk.full` set: every write of the temp file is ENOSPC. */
function openedOnFlakyDisk() {
	const key = fakeCloudSightKey();
	const dir = path.join(tempDir(), 'incidents');
	const disk = {full: false};
	const flaky = {
		...fs,
		writeSync: (...args: Parameters<typeof fs.writeSync>) => {
			if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'});
			return (fs.writeSync as (...rest: unknown[]) => number)(...args);
		},
	} as unknown as FileSystem;
	const clock = fixedClock(new Date('2026-11-27T12:00:00Z'));
	const redactor = createRedactor([key]);
	const store = new SessionStore(dir, redactor, () => clock.now(), {fs: flaky});
	const session = makeSession(key);
	store.save(session);
	const lock = store.lock(session.id);
	const outcomes: Outcome[] = [];
	const app = render(<App deps={{store, playbooks, redactor, clock, cwd: '/srv/shop', ports: enginePorts()}} start={{kind: 'open', session, lock, key}} onDone={outcome => outcomes.push(outcome)} />);
	const onDisk = () => new SessionStore(dir, createRedactor()).load(session.id);
	return {app, disk, dir, session, outcomes, onDisk, file: store.fileOf(session.id)};
}

const flat = (frame: string) => frame.replace(/\s+/g, ' ');

describe('a save the disk refuses', () => {
	it('says "Not saved" with the reason and the fix, keeps the change on screen, and saves it with the next action', async () => {
		const {app, disk, onDisk, file, dir} = openedOnFlakyDisk();
		await waitForText(app, 'Step 1 of 5');
		const before = fs.readFileSync(file);
		disk.full = true;
		let frame = await press(app, ' ');
		expect(flat(frame)).toContain('Not saved: the disk is full (ENOSPC). Your change is kept on screen and saved again with your next action. Free some space');
		expect(frame).toContain('› [x] Confirm which key leaked');
		expect(fs.readFileSync(file).equals(before)).toBe(true);
		expect(fs.readdirSync(dir).filter(name => name.endsWith('.tmp'))).toEqual([]);

		disk.full = false;
		frame = await press(app, KEY.down);
		expect(frame).not.toContain('Not saved');
		expect(itemProgress(getStep(onDisk(), 'assess'), 'confirm-key').status).toBe('done');
	});

	it('q with the last change unsaved warns and stays; a second q quits and says it was not saved', async () => {
		const {app, disk, outcomes, onDisk, session, dir} = openedOnFlakyDisk();
		await waitForText(app, 'Step 1 of 5');
		disk.full = true;
		await press(app, ' ');
		const frame = await press(app, 'q');
		expect(flat(frame)).toContain('Not saved: the disk is full (ENOSPC). Your last change is only on screen: press q again to quit without it.');
		expect(outcomes).toEqual([]);
		app.stdin.write('q');
		await expect.poll(() => outcomes).toEqual([{sessionId: session.id, complete: false, unsaved: 'the disk is full (ENOSPC)'}]);
		expect(fs.readdirSync(dir)).not.toContain(`incident-${session.id}.lock`);
		expect(itemProgress(getStep(onDisk(), 'assess'), 'confirm-key').status).toBe('open');
	});

	it('q after the disk has room again saves the change and quits at once', async () => {
		const {app, disk, outcomes, onDisk, session} = openedOnFlakyDisk();
		await waitForText(app, 'Step 1 of 5');
		disk.full = true;
		await press(app, ' ');
		disk.full = false;
		app.stdin.write('q');
		await expect.poll(() => outcomes).toEqual([{sessionId: session.id, complete: false}]);
		expect(itemProgress(getStep(onDisk(), 'assess'), 'confirm-key').status).toBe('done');
	});
});
