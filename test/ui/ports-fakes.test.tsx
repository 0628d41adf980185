// The App with every port faked (src/ui/ports.ts): discovery, the new key's probe, the preview and
// the update all go through the ports handed in, with the key in the form each needs; no other
// port is reached, and no engine runs.
import path from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {InventoryEntry} from '../../src/core/model.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {fixedClock} from '../../src/infra/clock.js';
import {SessionStore} from '../../src/infra/store.js';
import {loadPlaybooks} from '../../src/playbooks/load.js';
import {App} from '../../src/ui/App.js';
import type {Ports} from '../../src/ui/ports.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, settle, waitFor, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

afterEach(() => {
	cleanup();
});

const playbooks = await loadPlaybooks();

/** Every port a recorder; the ones a test gives answer, any other fails the test when reached. */
function fakePorts(answers: Partial<Ports>) {
	const calls: Array<{port: string; args: unknown[]}> = [];
	const record = (port: string, answer: unknown) => (...args: unknown[]) => {
		calls.push({port, args});
		if (typeof answer !== 'function') throw new Error(`port ${port} reached`);
		return (answer as (...a: unknown[]) => unknown)(...args);
	};
	const names = ['scan', 'probe', 'describeProbe', 'logs', 'fetchLogs', 'logsCommand', 'discover', 'orgSearch', 'preview', 'update', 'restart', 'health', 'deactivationCommand', 'deactivate', 'purge', 'ggshieldIgnore'] as const;
	const ports = Object.fromEntries(names.map(name => [name, record(name, answers[name])])) as unknown as Ports;
	ports.revoke = {describe: record('revoke.describe', answers.revoke?.describe) as Ports['revoke']['describe'], revoke: record('revoke.revoke', answers.revoke?.revoke) as Ports['revoke']['revoke']};
	ports.access = {plan: record('access.plan', answers.access?.plan) as Ports['access']['plan'], read: record('access.read', answers.access?.read) as Ports['access']['read']};
	return {ports, calls};
}

describe('the App reaches every engine through the ports it is given', () => {
	it('discovers, takes the new key (probed for liveness only) and updates a store, each through its port', async () => {
		const oldKey = fakeCloudSightKey();
		const newKey = fakeCloudSightKey();
		const entry: InventoryEntry = {id: 'e1', service: 'tagger', environment: 'dev', store: {type: 'env-file', path: '.env', variable: 'CLOUDSIGHT_API_KEY'}, evidence: ['.env:1'], origin: 'discovered'};
		const {ports, calls} = fakePorts({
			describeProbe: () => 'GET https://api.cloudsight.example/v1/me',
			logsCommand: () => null,
			discover: async () => ({entries: [entry], warnings: []}),
			probe: async provider => ({status: 'live', reason: 'HTTP 200', request: 'GET …', provider: provider.id, at: '2026-11-27T12:00:00.000Z'}),
			preview: async () => [],
			update: async () => ({status: 'done', detail: '.env: CLOUDSIGHT_API_KEY written'}),
		});
		const clock = fixedClock(new Date('2026-11-27T12:00:00Z'));
		const redactor = createRedactor();
		const dir = path.join(tempDir(), 'incidents');
		const store = new SessionStore(dir, redactor, () => clock.now());
		const session = transition({...makeSession(oldKey), repoPath: '/srv/shop'}, {type: 'cursor.moved', step: 'inventory', item: 0});
		new SessionStore(dir, createRedactor([oldKey])).save(session);
		const app = render(<App deps={{store, playbooks, redactor, clock, cwd: '/srv/shop', ports}} start={{kind: 'open', session, lock: store.lock(session.id), key: oldKey}} onDone={() => undefined} />);

		await waitForText(app, 'No consumers listed yet');
		await press(app, 'w');
		await press(app, 'i');
		await waitForText(app, 'Inventory: 1 consumer');
		await press(app, KEY.escape);
		await press(app, '4');
		await press(app, 'w');
		await press(app, KEY.down);
		await press(app, KEY.enter);
		await press(app, newKey);
		await press(app, KEY.enter);
		await waitForText(app, 'The new key is live');
		await press(app, KEY.down);
		expect(await press(app, KEY.enter)).toContain('Run it?');
		await press(app, 'y');
		await waitFor(app, text => !text.includes('Updating '), 'the update to finish');
		await settle();
		app.unmount();

		const reached = calls.map(call => call.port);
		expect(reached.filter(port => !['describeProbe', 'logsCommand'].includes(port))).toEqual(['discover', 'probe', 'preview', 'update']);
		const discovered = calls.find(call => call.port === 'discover')!.args as [string[], {envVars: string[]; key?: string}];
		expect(discovered[0]).toEqual(['/srv/shop']);
		expect(discovered[1].envVars).toContain('CLOUDSIGHT_API_KEY');
		expect(discovered[1].key).toBe(oldKey);
		const probed = calls.find(call => call.port === 'probe')!.args;
		expect(probed.slice(1)).toEqual([newKey, {analyze: false}]);
		expect(calls.find(call => call.port === 'update')!.args.slice(0, 2)).toEqual([entry.store, newKey]);
		expect(store.load(session.id).inventory?.[0]?.update).toMatchObject({status: 'done'});
	});

	it("an AWS pair: discovery looks for the secret half, the deactivation command gets the key id and the probe's IAM user", async () => {
		const {createSession} = await import('../../src/core/session.js');
		const {fingerprint, mask} = await import('../../src/core/secrets.js');
		const {checklistFor, findProvider} = await import('../../src/playbooks/load.js');
		const {fakeKeys} = await import('../helpers/keys.js');
		const pair = fakeKeys.awsPair();
		const [keyId, secret] = pair.split(':') as [string, string];
		const aws = findProvider(playbooks, 'aws');
		let session = createSession({
			id: '20261127-aaaa',
			name: 'AWS key in a gist',
			demo: false,
			at: '2026-11-27T12:00:00.000Z',
			provider: {id: aws.id, name: aws.name},
			key: {fingerprint: fingerprint(pair), masked: mask(pair), length: pair.length},
			leak: {where: 'chat', noticedAt: '2026-11-27T10:00:00.000Z'},
			steps: checklistFor(playbooks, aws),
		});
		session = transition(session, {type: 'probe.completed', at: '2026-11-27T12:00:00.000Z', result: {status: 'live', reason: 'sts answered', request: 'POST sts', provider: 'aws', at: '2026-11-27T12:00:00.000Z', details: {arn: 'arn:aws:iam::123456789012:user/ci/deployer'}}});
		session = transition(session, {type: 'cursor.moved', step: 'inventory', item: 0});
		const {ports, calls} = fakePorts({
			describeProbe: () => 'POST https://sts.amazonaws.com',
			logsCommand: () => null,
			discover: async () => ({entries: [], warnings: []}),
			deactivationCommand: async () => ({bin: 'aws', args: ['iam', 'update-access-key'], display: 'aws iam update-access-key …'}),
		});
		const clock = fixedClock(new Date('2026-11-27T12:00:00Z'));
		const redactor = createRedactor();
		const dir = path.join(tempDir(), 'incidents');
		const store = new SessionStore(dir, redactor, () => clock.now());
		new SessionStore(dir, createRedactor([pair])).save(session);
		const app = render(<App deps={{store, playbooks, redactor, clock, cwd: '/srv/shop', ports}} start={{kind: 'open', session, lock: store.lock(session.id), key: pair}} onDone={() => undefined} />);
		await waitForText(app, 'No consumers listed yet');
		await press(app, 'w');
		await press(app, 'i');
		await waitForText(app, 'Discovery proposed 0 consumer');
		await press(app, KEY.escape);
		await press(app, '4');
		await press(app, 'w');
		await press(app, KEY.down); // past the new key, to the deactivation
		await press(app, KEY.enter);
		await waitForText(app, 'aws iam update-access-key');
		app.unmount();

		const discovered = calls.find(call => call.port === 'discover')!.args as [string[], {key?: string}];
		expect(discovered[1].key).toBe(secret);
		expect(calls.find(call => call.port === 'deactivationCommand')!.args.slice(1)).toEqual([keyId, 'deployer']);
	});
});
