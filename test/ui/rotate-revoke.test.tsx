// The Rotate step's deactivate task for a provider with a revoke API (GitHub's credential
// revocation): the request is shown masked, sent only on y, to loopback here, and recorded with
// its time; a failure is said and nothing is recorded.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {createRedactor, fingerprint, mask} from '../../src/core/secrets.js';
import {createSession, transition} from '../../src/core/session.js';
import {SessionStore} from '../../src/infra/store.js';
import type {ProbePort} from '../../src/ui/App.js';
import {checklistFor, findProvider, loadPlaybooks} from '../../src/playbooks/load.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitFor, waitForText} from '../helpers/ink.js';
import {fakeKeys} from '../helpers/keys.js';
import {harness} from './app-harness.js';

let server: http.Server;
const seen: Array<{method: string; url: string; body: string}> = [];
let status = 202;

beforeAll(async () => {
	server = http.createServer((request, response) => {
		let body = '';
		request.on('data', chunk => (body += chunk));
		request.on('end', () => {
			seen.push({method: request.method ?? '', url: request.url ?? '', body});
			response.writeHead(status, {'content-type': 'application/json'});
			response.end('{}');
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	process.env.LEAKFIX_PROBE_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
	delete process.env.LEAKFIX_PROBE_BASE_URL;
	server.closeAllConnections();
	server.close();
});

const playbooks = await loadPlaybooks();

function githubSession(key: string): Session {
	const provider = findProvider(playbooks, 'github');
	const session = createSession({
		id: '20261127-ghrv',
		name: 'GitHub token in a chat',
		demo: false,
		at: '2026-11-27T12:00:00.000Z',
		provider: {id: provider.id, name: provider.name},
		key: {fingerprint: fingerprint(key), masked: mask(key), length: key.length},
		leak: {where: 'chat', noticedAt: '2026-11-27T10:00:00.000Z'},
		steps: checklistFor(playbooks, provider),
	});
	return transition(session, {type: 'cursor.moved', step: 'rotate', item: 0});
}

async function toDeactivate(app: Awaited<ReturnType<ReturnType<typeof harness>['start']>>): Promise<string> {
	let frame = await press(app, 'w');
	expect(frame).toContain('[ ] Deactivate the old key');
	// No consumers: the new key, then the deactivation.
	frame = await press(app, KEY.down);
	frame = await press(app, KEY.enter);
	return frame;
}

describe('revoke by API on the Rotate step', () => {
	it('shows the request masked, sends it on y only, and records when (GitHub: accepted)', async () => {
		const key = fakeKeys.github();
		const h = harness(path.join(tempDir(), 'incidents'));
		const session = githubSession(key);
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'Rotate');
		const frame = await toDeactivate(app);
		expect(frame.replace(/\s+/g, ' ')).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/credentials\/revoke body \{"credentials":\["ghp_…/);
		expect(frame).not.toContain(key);
		expect(seen).toHaveLength(0); // nothing sent before y
		await press(app, 'y');
		await waitFor(app, () => h.store.load(session.id).rotation?.deactivatedAt !== undefined, 'the deactivation to be recorded');
		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({method: 'POST', url: '/credentials/revoke'});
		expect(JSON.parse(seen[0]!.body)).toEqual({credentials: [key]});
		const saved = h.store.load(session.id);
		expect(saved.rotation!.deactivation).toMatch(/^GitHub token's revoke API, accepted: POST http:\/\/127\.0\.0\.1:\d+\/credentials\/revoke/);
		expect(JSON.stringify(saved)).not.toContain(key);
		app.unmount();
	});

	it('the new key is probed for liveness only: what it can do is not read', async () => {
		const key = fakeKeys.github();
		const newKey = fakeKeys.github();
		const calls: Array<{key: string; options: unknown}> = [];
		const probe: ProbePort = async (provider, probed, options) => {
			calls.push({key: probed, options});
			return {status: 'live', reason: 'HTTP 200: the key was accepted', request: 'GET …', provider: provider.id, at: '2026-11-27T12:00:00.000Z'};
		};
		const h = harness(path.join(tempDir(), 'incidents'), undefined, probe);
		const session = githubSession(key);
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'Rotate');
		await press(app, 'w');
		await press(app, KEY.enter);
		await press(app, newKey);
		await press(app, KEY.enter);
		await waitForText(app, 'The new key is live');
		expect(calls).toEqual([{key: newKey, options: {analyze: false}}]);
		app.unmount();
	});

	it('a revoke the provider does not confirm (HTTP 503) is said, and nothing is recorded', async () => {
		status = 503;
		const key = fakeKeys.github();
		const h = harness(path.join(tempDir(), 'incidents'));
		const session = githubSession(key);
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		await waitForText(app, 'Rotate');
		await toDeactivate(app);
		const before = seen.length;
		await press(app, 'y');
		const frame = await waitForText(app, 'The revoke request is not proven');
		expect(frame).not.toContain(key);
		expect(seen.length).toBe(before + 1);
		expect(h.store.load(session.id).rotation?.deactivatedAt).toBeUndefined();
		app.unmount();
	});
});
