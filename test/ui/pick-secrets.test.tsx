// The pick screen of `leakfix --from FILE`: Space picks, * picks all, Enter opens; a redacted
// secret's key is typed (masked); the report file is deleted only on y.
import fs from 'node:fs';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {readReportFile, type IntakeRead} from '../../src/commands/intake.js';
import type {PickedSecret} from '../../src/engines/intake/open.js';
import type {LeakPlace} from '../../src/core/model.js';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {PickSecrets} from '../../src/ui/PickSecrets.js';
import {deleteReport} from '../../src/ui/fromReport.js';
import {tempDir} from '../helpers/fs.js';
import {intakeKeys, writeIntakeFixture} from '../helpers/intake.js';
import {KEY, press, waitForText} from '../helpers/ink.js';

const playbooks = await loadPlaybooks();

function screen(read: IntakeRead) {
	const opened: Array<{picked: PickedSecret[]; where: LeakPlace}> = [];
	const done: string[] = [];
	let deletes = 0;
	let quit = 0;
	const app = render(
		<PickSecrets
			secrets={read.secrets}
			source={read.source}
			{...(read.reportFile ? {reportFile: read.reportFile} : {})}
			onOpen={(picked, where) => {
				opened.push({picked, where});
				return {ids: picked.map((_, index) => `20261129-000${index}`)};
			}}
			onDeleteReport={() => {
				deletes++;
				return deleteReport(read.reportFile!);
			}}
			onDone={id => done.push(id)}
			onQuit={() => quit++}
		/>,
	);
	return {app, opened, done, deletes: () => deletes, quits: () => quit};
}

describe('PickSecrets (leakfix --from)', () => {
	it('picks with Space, needs one pick for Enter, opens the picked ones, deletes the report only on y', async () => {
		const keys = intakeKeys();
		const file = writeIntakeFixture(tempDir(), 'gitleaks.json', keys);
		const s = screen(readReportFile(file, playbooks));
		let frame = await waitForText(s.app, 'Which secrets do you open incidents for?');
		expect(frame).toContain('[ ] 1. ghp_…');
		expect(frame).not.toContain(keys.github);
		frame = await press(s.app, KEY.enter);
		expect(frame).toContain('Pick at least one secret');
		await press(s.app, KEY.down);
		frame = await press(s.app, ' ');
		expect(frame).toContain('[x] 2. sk_live_…');
		expect(frame).toContain('Enter open 1 incident');
		await press(s.app, KEY.enter);
		await waitForText(s.app, 'Where did it leak?');
		await press(s.app, KEY.up); // public repository
		await press(s.app, KEY.enter);
		frame = await waitForText(s.app, 'Delete it now? (y/N)');
		expect(s.opened).toHaveLength(1);
		expect(s.opened[0]!.where).toBe('public-repo');
		expect(s.opened[0]!.picked.map(entry => [entry.secret.index, entry.key === keys.stripe])).toEqual([[2, true]]);
		expect(fs.existsSync(file)).toBe(true);
		frame = await press(s.app, 'y');
		expect(frame).toContain('Deleted');
		expect(fs.existsSync(file)).toBe(false);
		expect(s.deletes()).toBe(1);
		await press(s.app, KEY.enter, {expectChange: false});
		expect(s.done).toEqual(['20261129-0000']);
	});

	it('* picks all; a redacted secret\'s key is typed masked; n keeps the file and says it still holds the secrets', async () => {
		const keys = intakeKeys();
		const dir = tempDir();
		const full = readReportFile(writeIntakeFixture(dir, 'ggshield.json', keys), playbooks);
		const redacted = readReportFile(writeIntakeFixture(dir, 'ggshield-redacted.json', keys), playbooks);
		const read: IntakeRead = {...full, secrets: [...full.secrets, {...redacted.secrets[0]!, index: 3}]};
		const s = screen(read);
		let frame = await waitForText(s.app, 'Which secrets do you open incidents for?');
		expect(frame).toContain('3. redacted by the scanner: the key must be typed');
		frame = await press(s.app, '*');
		expect(frame).toContain('Enter open 3 incidents');
		await press(s.app, KEY.enter);
		await waitForText(s.app, 'came redacted. Type or paste its key:');
		const typed = keys.stripe;
		frame = await press(s.app, typed);
		expect(frame).not.toContain(typed);
		await press(s.app, KEY.enter);
		await waitForText(s.app, 'Where did they leak?');
		await press(s.app, KEY.enter);
		frame = await waitForText(s.app, 'Delete it now? (y/N)');
		expect(frame).toContain('Opened 3 incidents, linked as one group');
		expect(s.opened[0]!.where).toBe('private-repo');
		expect(s.opened[0]!.picked.map(entry => entry.key)).toEqual([keys.stripe, keys.slack, typed]);
		frame = await press(s.app, 'n');
		expect(frame).toContain('still holds the secrets in clear');
		expect(fs.existsSync(read.reportFile!)).toBe(true);
		expect(s.deletes()).toBe(0);
	});
});
