// A cancel is a cancel: in "Keep the key out of code", nothing is written before the final
// confirmation; n there (or Esc on a file) leaves every file byte for byte as it was, writes no
// template, ignore entry or hook, ticks nothing, and the timeline says nothing was written.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitFor, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

function repoWithKey(key: string): string {
	const repo = tempDir();
	const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args]);
	git('init', '-q');
	fs.writeFileSync(path.join(repo, 'client.js'), `export const KEY = "${key}";\n`);
	fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
	git('add', '-A');
	git('commit', '-q', '-m', 'x');
	return repo;
}

/** Every file of the working tree and .git/hooks, with its bytes. */
function snapshot(repo: string): Map<string, string> {
	const files = new Map<string, string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			const relative = path.relative(repo, full);
			if (entry.isDirectory()) {
				if (relative === '.git') walk(path.join(full, 'hooks'));
				else walk(full);
			} else files.set(relative, fs.readFileSync(full).toString('base64'));
		}
	};
	walk(repo);
	return files;
}

async function openHarden(key: string, repo: string) {
	const h = harness(path.join(tempDir(), 'incidents'));
	let session: Session = {...makeSession(key), repoPath: repo};
	session = transition(session, {type: 'cursor.moved', step: 'rotate', item: 0});
	new SessionStore(h.dir, createRedactor([key])).save(session);
	const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
	await waitForText(app, 'Rotation:');
	await press(app, 'w');
	for (let i = 0; i < 2; i++) await press(app, KEY.down);
	await press(app, KEY.enter);
	await press(app, KEY.enter); // an environment variable
	await waitForText(app, '1/1 client.js (javascript, line 1)');
	return {app, h, id: session.id};
}

describe('cancel restores', () => {
	it('y on a file, then n at the final confirmation: nothing written, nothing ticked, the timeline says so', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithKey(key);
		const before = snapshot(repo);
		const {app, h, id} = await openHarden(key, repo);
		let frame = await press(app, 'y');
		expect(frame).toContain('Nothing is written yet');
		expect(snapshot(repo)).toEqual(before); // accepting the diff wrote nothing
		await press(app, 'n');
		frame = await waitFor(app, text => !text.includes('Nothing is written yet'), 'the confirmation to close');
		expect(frame).toContain('Cancelled: nothing was written.'); // back on the list, and it says so
		expect(snapshot(repo)).toEqual(before);
		const saved = h.store.load(id);
		expect(saved.hardening).toBeUndefined();
		expect(saved.steps.find(step => step.id === 'rotate')!.progress['keep-out-of-code']).toBeUndefined();
		expect(saved.timeline.at(-1)?.text).toBe('Keep the key out of code cancelled: nothing written (1 file rewrite(s), 2 config change(s) not made)');
		app.unmount();
	});

	it('Esc on a file cancels the same way', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithKey(key);
		const before = snapshot(repo);
		const {app, h, id} = await openHarden(key, repo);
		const frame = await press(app, KEY.escape);
		expect(frame).toContain('Cancelled: nothing was written.');
		expect(snapshot(repo)).toEqual(before);
		expect(h.store.load(id).timeline.at(-1)?.text).toMatch(/^Keep the key out of code cancelled: nothing written/);
		app.unmount();
	});

	it('y at the final confirmation writes the rewrite, the template, the ignore entry and a proven guard together, and ticks the item', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithKey(key);
		const {app, h, id} = await openHarden(key, repo);
		await press(app, 'y');
		await press(app, 'y');
		await waitForText(app, '[✓] Keep the key out of code', 20_000); // the guard's proof runs node five times
		expect(fs.readFileSync(path.join(repo, 'client.js'), 'utf8')).toMatch(/export const KEY = process\.env\.CLOUDSIGHT_API_KEY;\n$/);
		expect(fs.readFileSync(path.join(repo, 'client.js'), 'utf8')).not.toContain(key);
		expect(fs.readFileSync(path.join(repo, '.env.example'), 'utf8')).toBe('CLOUDSIGHT_API_KEY=\n');
		expect(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8')).toBe('node_modules/\n.env\n');
		const saved = h.store.load(id);
		expect(saved.hardening?.guard?.proven).toBe(true);
		expect(saved.steps.find(step => step.id === 'rotate')!.progress['keep-out-of-code']).toMatchObject({status: 'done', note: 'Done by leakfix: 1 file read CLOUDSIGHT_API_KEY (1 rewritten now)'});
		app.unmount();
	});
});
