// "Confirm each service's health check passes": a consumer with no health check is the
// responder's to vouch for; b asks, one by one, and only a yes counts. The item is ticked only
// when every updated consumer passed a check or was checked by hand.
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {InventoryEntry, Session} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

const at = '2026-11-27T12:30:00.000Z';
const entry = (id: string, extra: Partial<InventoryEntry> = {}): InventoryEntry => ({id, service: id, environment: 'prod', store: {type: 'manual', text: 'by hand'}, evidence: [], origin: 'manual', update: {status: 'manual', detail: 'done by hand', at}, ...extra});

describe('checked by hand on the Verify step', () => {
	it('asks for each updated consumer without a passing check; a yes counts, a no does not', async () => {
		const key = fakeCloudSightKey();
		const h = harness(path.join(tempDir(), 'incidents'));
		let session: Session = {...makeSession(key), inventory: [entry('api', {verifyHealth: {status: 'done', detail: 'HTTP 200', at}}), entry('worker'), entry('cron')]};
		session = transition(session, {type: 'cursor.moved', step: 'verify', item: 0});
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'Verification:');
		await press(app, 'w');
		let frame = await waitForText(app, 'Every updated consumer is healthy (1/3)');
		frame = await press(app, 'b');
		expect(frame).toContain('Did you check worker [prod] yourself');
		frame = await press(app, 'y');
		expect(frame).toContain('Did you check cron [prod] yourself');
		frame = await press(app, 'n');
		frame = await waitForText(app, 'Every updated consumer is healthy (2/3)');
		let saved = h.store.load(session.id);
		expect(saved.inventory!.map(candidate => candidate.verifyHealth?.status ?? null)).toEqual(['done', 'manual', null]);
		expect(saved.steps.find(step => step.id === 'verify')!.progress['services-healthy']?.status ?? 'open').toBe('open');
		await press(app, 'b');
		frame = await press(app, 'y');
		await waitForText(app, 'Every updated consumer is healthy (3/3)');
		saved = h.store.load(session.id);
		expect(saved.steps.find(step => step.id === 'verify')!.progress['services-healthy']).toMatchObject({status: 'done', note: expect.stringMatching(/^Done by leakfix: all 3 updated consumers pass their health check \(some checked by hand\)/)});
		app.unmount();
	});
});
