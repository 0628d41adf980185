import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {createRedactor, fingerprint, mask} from '../../src/core/secrets.js';
import {getStep, itemProgress} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import {KEY, press, waitFor, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

/** A harness with one saved incident, opened straight into the wizard with its key. */
function opened(key = fakeCloudSightKey()) {
	const h = harness();
	const session = makeSession(key);
	new SessionStore(h.dir, createRedactor([key])).save(session);
	const lock = h.store.lock(session.id);
	const app = h.start({kind: 'open', session, lock, key});
	return {h, app, session, key, saved: () => h.store.load(session.id)};
}

describe('a step screen', () => {
	it('shows the header, the checklist with provider items, and the selected item', async () => {
		const {app, key} = opened();
		const frame = await waitForText(app, 'Step 1 of 5 · Assess risk');
		expect(frame).toContain(`CloudSight · key ${mask(key)} · noticed 2h 0m ago`);
		expect(frame).toMatch(/1 Assess ○ +2 Logs ○ +3 Inventory ○ +4 Rotate ○ +5 Verify ○/);
		expect(frame).toContain('› [ ] Confirm which key leaked');
		expect(frame).toContain('Match the leaked value against the keys listed');
		expect(frame).toContain('? help · q quit');
		expect(frame).toMatch(/Severity CRITICAL: not probed yet: assume the key is live; exposed in a public repository/);
		// Provider items follow the generic ones, marked with the provider's name.
		expect(await press(app, '2')).toContain('CloudSight offers no per-request access log');
	});

	it('marks done, skips with a reason, notes, and saves each action at once', async () => {
		const {app, saved} = opened();
		await waitForText(app, 'Step 1 of 5');
		let frame = await press(app, ' ');
		expect(frame).toContain('› [x] Confirm which key leaked');
		expect(itemProgress(getStep(saved(), 'assess'), 'confirm-key').status).toBe('done');

		await press(app, KEY.down);
		expect(saved().cursor).toEqual({step: 'assess', item: 1});
		await press(app, 's');
		await waitForText(app, 'Why skip it?');
		frame = await press(app, KEY.enter);
		expect(frame).toContain('A skipped item needs a reason.');
		await press(app, 'no probe for this provider yet');
		frame = await press(app, KEY.enter);
		expect(frame).toContain('› [-] Check whether the key is still live');
		expect(frame).toContain('Skipped: no probe for this provider yet');
		expect(itemProgress(getStep(saved(), 'assess'), 'check-live')).toMatchObject({status: 'skipped', reason: 'no probe for this provider yet'});

		await press(app, 'n');
		await waitForText(app, 'Note:');
		await press(app, 'asked Dana, she owns the account');
		frame = await press(app, KEY.enter);
		expect(frame).toContain('Note: asked Dana, she owns the account');
		expect(itemProgress(getStep(saved(), 'assess'), 'check-live').note).toBe('asked Dana, she owns the account');

		await press(app, 'n');
		await waitForText(app, 'Note:');
		await press(app, KEY.escape);
		frame = await waitForText(app, '? help');
		expect(frame).toContain('Note: asked Dana');
		expect(saved().timeline.map(entry => entry.kind).slice(-3)).toEqual(['item.done', 'item.skipped', 'item.noted']);
	});

	it('masks the key on screen when it is pasted into a note or a reason, while typing and after', async () => {
		const {app, key, saved} = opened();
		await waitForText(app, 'Step 1 of 5');
		await press(app, 'n');
		await waitForText(app, 'Note:');
		let frame = await press(app, `copy in .env: ${key}`);
		expect(frame).toContain(`Note: copy in .env: ${mask(key)}`);
		expect(frame).not.toContain(key);
		frame = await press(app, KEY.enter);
		expect(frame).toContain(`Note: copy in .env: ${mask(key)}`);
		expect(frame).not.toContain(key);
		expect(JSON.stringify(saved())).not.toContain(key);
	});

	it('moves freely between steps with arrows, Tab and digits; the cursor is saved', async () => {
		const {app, saved} = opened();
		await waitForText(app, 'Step 1 of 5');
		let frame = await press(app, KEY.right);
		expect(frame).toContain('Step 2 of 5 · Check logs');
		frame = await press(app, '5');
		expect(frame).toContain('Step 5 of 5 · Verify');
		frame = await press(app, '\t');
		expect(frame).toContain('Step 1 of 5 · Assess risk');
		frame = await press(app, KEY.left);
		expect(frame).toContain('Step 5 of 5 · Verify');
		await press(app, KEY.down);
		await press(app, KEY.down);
		expect(saved().cursor).toEqual({step: 'verify', item: 2});
	});

	it('completes a step when every required item is done or skipped', async () => {
		const {app, saved, session} = opened();
		await waitForText(app, 'Step 1 of 5');
		await press(app, '3');
		const inventory = getStep(session, 'inventory');
		for (const [index, item] of inventory.items.entries()) {
			if (item.required) await press(app, ' ');
			if (index < inventory.items.length - 1) await press(app, KEY.down);
		}
		const frame = await waitFor(app, f => /3 Inventory ✓/.test(f), 'step 3 complete');
		expect(frame).toContain('[ ] Document the inventory where the team can find it (optional)');
		expect(saved().timeline.some(entry => entry.kind === 'step.completed' && entry.step === 'inventory')).toBe(true);
	});

	it('shows help with ? and closes it with any key', async () => {
		const {app} = opened();
		await waitForText(app, 'Step 1 of 5');
		let frame = await press(app, '?');
		expect(frame).toContain('skip the item, with a reason');
		frame = await press(app, 'z');
		expect(frame).not.toContain('skip the item, with a reason');
		expect(frame).toContain('Step 1 of 5');
	});

	it('shows a save failure as a banner instead of crashing, keeps the change in memory and saves it with the next action', async () => {
		const {app, h, session} = opened();
		await waitForText(app, 'Step 1 of 5');
		// A directory where the file should be: the atomic rename fails, even for root.
		const file = h.store.fileOf(session.id);
		fs.rmSync(file);
		fs.mkdirSync(file);
		let frame = await press(app, ' ');
		expect(frame).toContain('Not saved: it is a folder (EISDIR)');
		expect(frame.replace(/\s+/g, ' ')).toContain('kept on screen and saved again with your next action');
		expect(frame).toContain('› [x] Confirm which key leaked');
		fs.rmdirSync(file);
		frame = await press(app, KEY.down);
		expect(frame).not.toContain('Not saved:');
		expect(itemProgress(getStep(h.store.load(session.id), 'assess'), 'confirm-key').status).toBe('done');
	});
});

describe('quit and resume', () => {
	it('quits with q, releases the lock, and resume lands on the same step and item after the key is checked', async () => {
		const key = fakeCloudSightKey();
		const {h, app, session} = opened(key);
		await waitForText(app, 'Step 1 of 5');
		await press(app, '4');
		await press(app, KEY.down);
		await press(app, KEY.down);
		await press(app, ' ');
		app.stdin.write('q');
		await expect.poll(() => h.outcomes).toEqual([{sessionId: session.id, complete: false}]);
		expect(fs.readdirSync(h.dir)).not.toContain(`incident-${session.id}.lock`);
		app.unmount();

		const again = h.start({kind: 'pick'});
		let frame = await waitForText(again, `Resume ${session.id}`);
		expect(frame).not.toContain('Start a new incident');
		await press(again, KEY.enter);
		frame = await waitForText(again, 'Re-enter the leaked key (CloudSight');
		await press(again, fakeCloudSightKey());
		frame = await press(again, KEY.enter);
		expect(frame).toContain('That is not the key of this incident');
		expect(frame).toMatch(/^ Key:\s*$/m); // the wrong key is cleared, ready for another try
		await press(again, key);
		await press(again, KEY.enter);
		frame = await waitForText(again, 'Step 4 of 5 · Rotate');
		expect(frame).toContain('› [x] Replace the key in every staging service');
		expect(frame).not.toContain('(not entered)');
		expect(h.store.load(session.id).timeline.at(-1)!.text).toBe('Resumed; key re-entered and fingerprint matched');
	});

	it('resumes without the key on Esc; steps that need it say so, and k takes it later', async () => {
		const key = fakeCloudSightKey();
		const h = harness();
		const session = makeSession(key);
		h.store.save(session);
		const app = h.start({kind: 'auto'});
		let frame = await waitForText(app, 'Unfinished incidents on this machine:');
		expect(frame).toContain('Start a new incident');
		await press(app, KEY.enter);
		await waitForText(app, 'Re-enter the leaked');
		await press(app, KEY.escape);
		frame = await waitForText(app, 'Step 1 of 5');
		expect(frame).toContain(`key ${mask(key)} (not entered)`);
		expect(frame).toContain('Press k to re-enter the key this step works with');
		frame = await press(app, '2');
		expect(frame).not.toContain('press k');
		await press(app, '1');
		await press(app, 'k');
		await waitForText(app, 'Re-enter the key');
		await press(app, key);
		frame = await press(app, KEY.enter);
		expect(frame).not.toContain('(not entered)');
		expect(h.store.load(session.id).timeline.map(entry => entry.kind).slice(-2)).toEqual(['incident.resumed', 'key.entered']);
		expect(fingerprint(key)).toBe(session.key.fingerprint);
	});

	it('refuses to open an incident another process holds, and says so on the home screen', async () => {
		const h = harness();
		const session = makeSession(fakeCloudSightKey());
		h.store.save(session);
		const other = new SessionStore(h.dir, createRedactor());
		const held = other.lock(session.id);
		const app = h.start({kind: 'pick'});
		await waitForText(app, `Resume ${session.id}`);
		const frame = await press(app, KEY.enter);
		expect(frame).toContain(`Incident ${session.id} is open in another leakfix process`);
		held.release();
	});
});
