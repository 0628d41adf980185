// Steps 3–5 in the wizard, with stub gh and kubectl on PATH and a fake probe: discovery, the
// rotation (a failure in the middle, then a resume that finishes it), the deactivation, and the
// verification. No secret is ever in a helper's argv.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import type {ProbePort} from '../../src/ui/App.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, settle, waitFor, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {stubBin, withPath} from '../helpers/stubs.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

function serviceRepo(oldKey: string): string {
	const root = tempDir();
	execFileSync('git', ['init', '-q', root]);
	fs.mkdirSync(path.join(root, '.github', 'workflows'), {recursive: true});
	fs.mkdirSync(path.join(root, 'k8s'));
	fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({name: 'tagger'}));
	fs.writeFileSync(path.join(root, '.env'), `CLOUDSIGHT_API_KEY=${oldKey}\n`);
	fs.writeFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'jobs:\n  t:\n    steps:\n      - run: x\n        env:\n          K: ${{ secrets.CLOUDSIGHT_API_KEY }}\n');
	fs.writeFileSync(path.join(root, 'k8s', 'w.yaml'), 'kind: Deployment\nmetadata:\n  name: tagger-worker\n  namespace: prod\nspec:\n  containers:\n    - env:\n        - name: CLOUDSIGHT_API_KEY\n          valueFrom:\n            secretKeyRef: {name: cloudsight, key: api-key}\n');
	return root;
}

describe('inventory, rotate and verify in the wizard', () => {
	it('discovers three consumers, survives a failed update, resumes, deactivates and verifies', async () => {
		const oldKey = fakeCloudSightKey();
		const newKey = fakeCloudSightKey();
		const repo = serviceRepo(oldKey);
		const live = new Set([oldKey, newKey]);
		const probe: ProbePort = async (provider, key) => ({status: live.has(key) ? 'live' : 'revoked', reason: live.has(key) ? 'HTTP 404: the key was accepted' : 'HTTP 401: rejected', request: 'GET …', provider: provider.id, at: '2026-11-27T12:00:00.000Z'});
		const dir = tempDir();
		const h = harness(path.join(dir, 'incidents'), undefined, probe);
		let session: Session = {...makeSession(oldKey), repoPath: repo};
		session = transition(session, {type: 'cursor.moved', step: 'inventory', item: 0});
		new SessionStore(h.dir, createRedactor([oldKey])).save(session);

		// gh fails (not logged in) the first time.
		const failing = stubBin({gh: {exitCode: 4, stderr: 'gh auth login required'}, kubectl: {openDevStdin: true}});
		const firstLock = h.store.lock(session.id);
		await withPath(failing.dir, async () => {
			const app = h.start({kind: 'open', session, lock: firstLock, key: oldKey});
			await waitForText(app, 'No consumers listed yet');
			await press(app, 'w');
			let frame = await press(app, 'i');
			frame = await waitForText(app, 'Inventory: 3 consumers');
			expect(frame).toContain('tagger-worker · Kubernetes secret prod/cloudsight key api-key');
			await press(app, KEY.escape);
			await press(app, '4');
			frame = await press(app, 'w');
			expect(frame).toContain('Contain first: deactivate the old key now');
			await press(app, KEY.down);
			await press(app, KEY.enter);
			await press(app, newKey);
			await press(app, KEY.enter);
			frame = await waitForText(app, 'The new key is live');
			expect(frame).not.toContain(newKey);
			for (let i = 0; i < 3; i++) {
				await press(app, KEY.down);
				frame = await press(app, KEY.enter);
				expect(frame).toContain('Run it?');
				expect(frame).not.toContain(newKey);
				await press(app, 'y');
				await waitFor(app, text => !text.includes('Updating '), 'the update to finish');
				await settle();
			}
			frame = await waitForText(app, '[✗]');
			expect(frame).toMatch(/\[✓\] Update tagger \[unknown\]/);
			expect(frame).toMatch(/\[✗\] Update GitHub Actions ci.yml/);
			app.unmount();
		});
		expect(fs.readFileSync(path.join(repo, '.env'), 'utf8')).toBe(`CLOUDSIGHT_API_KEY=${newKey}\n`);
		const saved = h.store.load(session.id);
		expect(saved.inventory?.map(entry => entry.update?.status)).toEqual(['done', 'failed', 'done']);
		expect(saved.inventory?.[1]?.update?.detail).toMatch(/are you logged in/);
		expect(JSON.stringify(saved)).not.toContain(newKey);
		firstLock.release(); // as quitting would

		// Resume: the new key is asked again (fingerprint), the failed update is retried and works.
		const working = stubBin({gh: {}, kubectl: {openDevStdin: true}});
		await withPath(working.dir, async () => {
			const app = h.start({kind: 'open', session: saved, lock: h.store.lock(session.id), key: oldKey});
			await waitForText(app, 'Rotation:');
			await press(app, 'w');
			await press(app, KEY.down);
			await press(app, KEY.down);
			await press(app, KEY.down);
			let frame = await press(app, KEY.enter);
			expect(frame).toContain('Re-enter the new key');
			await press(app, fakeCloudSightKey());
			frame = await press(app, KEY.enter);
			expect(frame).toContain('That is not the new key'); // a wrong key never silently replaces it
			await press(app, newKey);
			await press(app, KEY.enter);
			frame = await waitForText(app, 'gh secret set CLOUDSIGHT_API_KEY'); // straight on to the update it was needed for
			await press(app, 'y');
			frame = await waitForText(app, '[✓] Update GitHub Actions ci.yml');
			// Deactivate (dashboard steps for CloudSight): the old key dies.
			await press(app, KEY.up);
			await press(app, KEY.up);
			await press(app, KEY.up);
			frame = await press(app, KEY.enter);
			expect(frame).toContain('y records that you have done it');
			live.delete(oldKey);
			await press(app, 'y');
			await waitForText(app, 'Deactivate the old key');
			await press(app, KEY.escape);
			await press(app, '5');
			await press(app, 'w');
			await press(app, 'p');
			await waitForText(app, '[✓] The old key is rejected');
			await press(app, 'P');
			await waitForText(app, '[✓] The new key works');
			await press(app, 'e');
			frame = await waitForText(app, '[✓] No copy of the old key left', 8000);
			expect(frame).toContain('Verified at');
			expect(frame).toContain('Re-check the logs for the old key (24 hours after the rotation)');
			app.unmount();
		});
		for (const stubs of [failing, working]) {
			for (const name of ['gh', 'kubectl']) {
				for (const call of stubs.calls(name)) {
					expect(call.argv.join(' ')).not.toContain(newKey);
					expect(call.argv.join(' ')).not.toContain(oldKey);
				}
			}
		}
		expect(working.calls('gh')[0]?.stdin).toBe(newKey);
		const final = h.store.load(session.id);
		expect(final.rotation?.deactivatedAt).toBeDefined();
		expect(final.verification?.verifiedAt).toBeDefined();
		expect(final.followUps).toHaveLength(2);
		// What leakfix proved is ticked on the checklists, with a note saying so.
		const progress = (step: string, item: string) => final.steps.find(candidate => candidate.id === step)!.progress[item];
		for (const [step, item] of [['rotate', 'create-new-key'], ['rotate', 'update-production'], ['rotate', 'deactivate-old'], ['verify', 'old-key-dead'], ['verify', 'new-key-live'], ['verify', 'no-copies-left']] as const) {
			expect({step, item, ...progress(step, item)}).toMatchObject({step, item, status: 'done', note: expect.stringMatching(/^Done by leakfix: /)});
		}
		// What it did not prove stays the responder's: no staging consumer tested the new key, no
		// service was restarted or checked after its update, no health check ran.
		for (const [step, item] of [['rotate', 'test-new-key'], ['rotate', 'update-staging'], ['rotate', 'all-updated'], ['verify', 'services-healthy']] as const) {
			expect({step, item, status: progress(step, item)?.status ?? 'open'}).toEqual({step, item, status: 'open'});
		}
	});
});
