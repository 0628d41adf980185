import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRedactor, mask} from '../../src/core/secrets.js';
import {SessionStore} from '../../src/infra/store.js';
import type {ProbePort} from '../../src/ui/App.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

describe('the liveness probe in the wizard', () => {
	it('shows the request (masked) and asks once; y sends it, the verdict and the severity are saved', async () => {
		const sent: string[] = [];
		const probe: ProbePort = async (provider, key) => {
			sent.push(key);
			return {status: 'revoked', reason: 'HTTP 401: the provider rejected the key', request: 'GET …', provider: provider.id, at: '2026-11-27T12:00:00.000Z'};
		};
		const key = fakeCloudSightKey();
		const h = harness(path.join(tempDir(), 'incidents'), undefined, probe);
		const session = {...makeSession(key), keyFacts: {scopes: 'none' as const, testMode: false}};
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'p: check whether the key is live');
		let frame = await press(app, 'p');
		expect(frame).toContain('Send this read-only request to CloudSight?');
		expect(frame).toContain(`GET https://api.cloudsight.ai/v1/images/<random> with Authorization: CloudSight ${mask(key)}`);
		expect(frame).not.toContain(key);
		frame = await press(app, 'n');
		expect(sent).toEqual([]);
		expect(frame).not.toContain('Send this read-only request');
		await press(app, 'p');
		await press(app, 'y');
		frame = await waitForText(app, 'Liveness REVOKED');
		expect(sent).toEqual([key]);
		const saved = h.store.load(session.id);
		expect(saved.probeConsent?.request).toContain(mask(key));
		expect(saved.probe).toMatchObject({status: 'revoked'});
		expect(saved.severity?.reasons[0]).toBe('the key answers as revoked');
		expect(frame).toMatch(/Severity MEDIUM: the key answers as revoked/);
		// Consent is remembered: the next probe runs straight away.
		frame = await press(app, 'p');
		expect(frame).not.toContain('Send this read-only request');
		await waitForText(app, 'Liveness REVOKED');
		expect(sent).toHaveLength(2);
		expect(JSON.stringify(saved)).not.toContain(key);
		app.stdin.write(KEY.ctrlC);
	});

	it('asks again when the request differs from the one agreed to (another endpoint)', async () => {
		const key = fakeCloudSightKey();
		const h = harness(path.join(tempDir(), 'incidents'), undefined, async provider => ({status: 'live', reason: 'ok', request: 'x', provider: provider.id, at: '2026-11-27T12:00:00.000Z'}));
		const session = {...makeSession(key), probeConsent: {at: '2026-11-27T11:00:00.000Z', request: `GET http://127.0.0.1:4000/v1/images/<random> with Authorization: CloudSight ${mask(key)}`}};
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'p: check whether the key is live');
		const frame = await press(app, 'p');
		expect(frame).toContain('Send this read-only request to CloudSight?');
		expect(frame).toContain('GET https://api.cloudsight.ai/v1/images/<random>');
	});

	it('offers no probe for the generic fallback', async () => {
		const key = fakeCloudSightKey();
		const h = harness();
		const base = makeSession(key);
		const session = {...base, provider: {id: 'generic', name: 'Other / generic API key'}};
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		const frame = await waitForText(app, 'has no safe probe');
		expect(frame).not.toContain('p: check whether');
	});
});
