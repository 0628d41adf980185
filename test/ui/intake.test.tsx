import fs from 'node:fs';
import {describe, expect, it} from 'vitest';
import {fingerprint, mask} from '../../src/core/secrets.js';
import {allFiles} from '../helpers/fs.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey, fakeStripeKey} from '../helpers/keys.js';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {providerChoices} from '../../src/ui/Intake.js';
import {harness} from './app-harness.js';

describe('intake', () => {
	it('asks name, masked key, provider (preselected from the key), place, link and time, then opens step 1', async () => {
		const h = harness();
		const app = h.start({kind: 'auto'});
		await waitForText(app, 'Name this incident:');
		// Typed faster than Ink reads: the name and Enter arrive as one chunk.
		await press(app, 'Billing key in public repo\r');
		await waitForText(app, 'Paste the leaked key:');
		const key = fakeCloudSightKey();
		const masked = await press(app, key);
		expect(masked).not.toContain(key);
		expect(masked).toContain('•'.repeat(key.length));
		await press(app, KEY.enter);
		const provider = await waitForText(app, 'Which provider issued the key?');
		expect(provider).toMatch(/❯ CloudSight {2}\(the key looks like one/);
		expect(provider).toContain(`Key: ${mask(key)}`);
		await press(app, KEY.enter);
		await waitForText(app, 'Where did it leak?');
		await press(app, KEY.down); // private repository
		await press(app, KEY.enter);
		await waitForText(app, 'Link to where it leaked:');
		await press(app, 'https://git.example.com/shop/commit/abc');
		await press(app, KEY.enter);
		await waitForText(app, 'When was it noticed?');
		await press(app, 'tomorrow at noon');
		let frame = await press(app, KEY.enter);
		expect(frame).toContain('Use "now", "30m ago"');
		for (let i = 0; i < 'tomorrow at noon'.length; i++) await press(app, KEY.backspace);
		await press(app, '90m ago');
		await press(app, KEY.enter);
		frame = await waitForText(app, 'Step 1 of 5 · Assess risk');
		expect(frame).toContain('leakfix · Billing key in public repo');
		expect(frame).toContain(`CloudSight · key ${mask(key)} · noticed 1h 30m ago`);
		expect(frame).not.toContain(key);

		const {sessions} = h.store.list();
		expect(sessions).toHaveLength(1);
		const session = sessions[0]!;
		expect(session).toMatchObject({
			name: 'Billing key in public repo',
			provider: {id: 'cloudsight'},
			key: {fingerprint: fingerprint(key), masked: mask(key), length: 22},
			leak: {where: 'private-repo', url: 'https://git.example.com/shop/commit/abc', noticedAt: '2026-11-27T10:30:00.000Z'},
			repoPath: '/srv/shop',
		});
		// The lock is held while the incident is open.
		expect(fs.readdirSync(h.dir)).toContain(`incident-${session.id}.lock`);
		for (const {content} of allFiles(h.dir)) expect(content.toString('utf8')).not.toContain(key);
	});

	it('goes back with Esc, refuses a too-short key and falls back to generic for an unknown shape', async () => {
		const h = harness();
		const app = h.start({kind: 'new'});
		await waitForText(app, 'Name this incident:');
		await press(app, KEY.enter);
		await waitForText(app, 'Paste the leaked key:');
		await press(app, 'short');
		let frame = await press(app, KEY.enter);
		expect(frame).toContain('That is too short for an API key');
		for (let i = 0; i < 5; i++) await press(app, KEY.backspace);
		await press(app, `tok!${fakeCloudSightKey()}#`); // a shape no playbook knows
		await press(app, KEY.enter);
		frame = await waitForText(app, 'Which provider issued the key?');
		expect(frame).toMatch(/❯ Other \/ generic API key/);
		await press(app, KEY.escape);
		frame = await waitForText(app, 'Paste the leaked key:');
		expect(frame).toContain('Incident: Leaked API key, 2026-11-27');
	});

	it('picks the item a fast Down+Enter lands on (two keys in one read)', async () => {
		const h = harness();
		const app = h.start({kind: 'new'}, fakeCloudSightKey());
		await waitForText(app, 'Name this incident:');
		await press(app, KEY.enter);
		await waitForText(app, '❯ CloudSight');
		app.stdin.write(KEY.down + KEY.enter);
		const frame = await waitForText(app, 'Where did it leak?');
		// The item after CloudSight (the key's only match, listed first); it was GitHub before the
		// list put the matches first and grew to every provider.
		const playbooks = await loadPlaybooks();
		const {items} = providerChoices(playbooks, fakeCloudSightKey());
		expect(items[0]!.value).toBe('cloudsight');
		expect(frame).toContain(`Provider: ${playbooks.providers.find(provider => provider.id === items[1]!.value)!.name}`);
	});

	it('preselects the provider a strong pattern names, and warns when another is chosen', async () => {
		const h = harness();
		const app = h.start({kind: 'new'}, fakeStripeKey());
		await waitForText(app, 'Name this incident:');
		await press(app, KEY.enter);
		await waitForText(app, '❯ Stripe key');
		app.stdin.write(KEY.down + KEY.enter); // something else than Stripe
		let frame = await waitForText(app, 'Where did it leak?');
		expect(frame).toMatch(/⚠ The key looks like Stripe key \(a live-mode secret key/);
		expect(frame).toContain('Esc back to change it');
		await press(app, KEY.escape);
		await waitForText(app, 'Which provider issued the key?');
		await press(app, KEY.up);
		await press(app, KEY.enter);
		frame = await waitForText(app, 'Where did it leak?');
		expect(frame).toContain('Provider: Stripe key');
		expect(frame).not.toContain('⚠ The key looks like');
	});

	it('recognises a Stripe live key and preselects Stripe', async () => {
		const h = harness();
		const app = h.start({kind: 'new'}, fakeStripeKey());
		await waitForText(app, 'Name this incident:');
		await press(app, KEY.enter);
		const frame = await waitForText(app, 'Which provider issued the key?');
		expect(frame).toMatch(/❯ Stripe key {2}\(the key looks like one: a live-mode secret key \(real money, full access\)/);
	});

	it('does not carry keys typed after a choice into that choice (Enter, Down, Enter in one read)', async () => {
		const h = harness();
		const app = h.start({kind: 'new'}, fakeCloudSightKey());
		await waitForText(app, 'Name this incident:');
		await press(app, KEY.enter);
		await waitForText(app, '❯ CloudSight');
		app.stdin.write(KEY.enter + KEY.down + KEY.enter);
		const frame = await waitForText(app, 'Where did it leak?');
		expect(frame).toContain('Provider: CloudSight');
	});

	it('does not ask for a key that was piped in', async () => {
		const h = harness();
		const key = fakeCloudSightKey();
		const app = h.start({kind: 'new'}, key);
		await waitForText(app, 'Name this incident:');
		const frame = await press(app, KEY.enter);
		expect(frame).toContain('Which provider issued the key?');
		expect(frame).toContain('Question 2 of 5');
	});

	it('quits from intake with Ctrl-C without creating an incident', async () => {
		const h = harness();
		const app = h.start({kind: 'new'});
		await waitForText(app, 'Name this incident:');
		app.stdin.write(KEY.ctrlC);
		await expect.poll(() => h.outcomes).toEqual([{}]);
		expect(h.store.list().sessions).toEqual([]);
	});
});
