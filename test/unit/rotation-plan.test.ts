// Step 4's plan (src/core/rotation-plan.ts): the order of the tasks, the contain-first rule, and
// the dry run's words, which the Rotate screen and `leakfix rotate --dry-run` both print.
import {describe, expect, it} from 'vitest';
import type {InventoryEntry, Session} from '../../src/core/model.js';
import {rotationPlan, rotationTasks} from '../../src/core/rotation-plan.js';
import {findProvider} from '../../src/playbooks/load.js';
import {fakeCloudSightKey, fakeKeys} from '../helpers/keys.js';
import {makeSession, playbooks} from './session-fixture.js';

const AT = '2026-11-27T12:00:00.000Z';

function entry(id: string, environment: InventoryEntry['environment'], extra: Partial<InventoryEntry> = {}): InventoryEntry {
	return {id, service: id, environment, store: {type: 'env-file', path: `${id}/.env`, variable: 'CLOUDSIGHT_API_KEY'}, evidence: [], origin: 'manual', ...extra};
}

const cloudsight = findProvider(playbooks, 'cloudsight');
const withInventory = (entries: InventoryEntry[], extra: Partial<Session> = {}): Session => ({...makeSession(fakeCloudSightKey()), severity: undefined, inventory: entries, ...extra});
const kinds = (session: Session, pattern?: Parameters<typeof rotationTasks>[1]) => rotationTasks(session, pattern).map(task => (task.kind === 'update' || task.kind === 'restart' ? `${task.kind}:${task.entry.id}` : task.kind));
const critical = {level: 'critical' as const, reasons: ['public repository'], containFirst: 'the key is public: deactivate it before anything else'};

describe('the rotation plan', () => {
	it('orders the updates dev, staging, unknown, then production, each restart after its update, then the deactivation and keeping the key out of code', () => {
		const session = withInventory([entry('api', 'prod', {restart: ['kubectl', 'rollout', 'restart', 'deployment/api']}), entry('web', 'unknown'), entry('worker', 'staging'), entry('local', 'dev')]);
		expect(kinds(session)).toEqual(['new-key', 'update:local', 'update:worker', 'update:web', 'update:api', 'restart:api', 'deactivate', 'harden']);
	});

	it('contains first when the severity says so, and then has no separate deactivation; once deactivated, the deactivation is listed as done', () => {
		const session = withInventory([entry('api', 'prod')], {severity: critical});
		expect(kinds(session)).toEqual(['contain', 'new-key', 'update:api', 'harden']);
		const deactivated: Session = {...session, rotation: {deactivatedAt: AT, deactivation: 'in the provider dashboard'}};
		expect(kinds(deactivated)).toEqual(['new-key', 'update:api', 'deactivate', 'harden']);
		expect(rotationPlan(deactivated, cloudsight).tasks.find(task => task.task.kind === 'deactivate')?.status.mark).toBe('✓');
	});

	it('a regenerating provider has nothing to contain or deactivate after (the old key dies as the new one is made)', () => {
		const session = withInventory([entry('api', 'prod')], {severity: critical});
		expect(kinds(session, 'regenerate')).toEqual(['new-key', 'update:api', 'harden']);
		const plan = rotationPlan(session, {...cloudsight, rotation: {...cloudsight.rotation, pattern: 'regenerate'}});
		expect(plan.dryRun.join('\n')).not.toContain('Contain first');
		expect(plan.dryRun.join('\n')).not.toContain('Deactivate the old key');
	});

	it('the dry run numbers the work as the screen lists it: the new key, each store with its restart and check, the deactivation, keeping the key out of code', () => {
		const session = withInventory([entry('api', 'prod', {restart: ['kubectl', 'rollout', 'restart', 'deployment/api'], health: {type: 'http', url: 'https://api.example.com/health'}}), entry('web', 'dev')]);
		const lines = rotationPlan(session, cloudsight).dryRun;
		expect(lines[0]).toMatch(/^0\. The new key: .* \(it must probe live before any update\)$/);
		expect(lines.slice(1)).toEqual([
			'1. web [dev] web/.env CLOUDSIGHT_API_KEY',
			'     rewrite web/.env: CLOUDSIGHT_API_KEY=<the new key> (the rest of the file untouched; the old file kept as a 0600 backup in leakfix\'s private folder)',
			'2. api [prod] api/.env CLOUDSIGHT_API_KEY',
			'     rewrite api/.env: CLOUDSIGHT_API_KEY=<the new key> (the rest of the file untouched; the old file kept as a 0600 backup in leakfix\'s private folder)',
			'     then: kubectl rollout restart deployment/api',
			'     check: GET https://api.example.com/health (2xx)',
			`3. Deactivate the old key: ${cloudsight.rotation.deactivate.steps}`,
			expect.stringMatching(/^4\. Keep the key out of code: de-hard-code it and guard the repository: /),
		]);
	});

	it('an AWS pair deactivates through its CLI with the key id: the one in memory, else a placeholder; never guessed from the masked key', () => {
		const aws = findProvider(playbooks, 'aws');
		const pair = fakeKeys.awsPair();
		const session: Session = {...makeSession(pair), provider: {id: aws.id, name: aws.name}, key: {fingerprint: 'f'.repeat(64), masked: '…abcd', length: pair.length}, severity: undefined, inventory: []};
		const placeholder = rotationPlan(session, aws).dryRun.find(line => line.includes('Deactivate the old key'))!;
		expect(placeholder).toContain('<the old key id>');
		const id = pair.split(':')[0]!;
		expect(rotationPlan(session, aws, {keyId: id}).dryRun.find(line => line.includes('Deactivate the old key'))).toContain(id);
	});

	it('statuses: the new key not entered here says so; an update shows the masked new key only when it is in memory', () => {
		const session = withInventory([entry('api', 'prod')], {rotation: {newKey: {fingerprint: 'a'.repeat(64), masked: 'cs_…wxyz', length: 22, enteredAt: AT}, newKeyProbe: {status: 'live', reason: 'HTTP 200', request: 'GET …', provider: 'cloudsight', at: AT}}});
		const away = rotationPlan(session, cloudsight, {newKeyKey: 'k'});
		expect(away.tasks[0]!.status).toMatchObject({mark: '✓', detail: expect.stringContaining('not entered in this session (k)')});
		expect(rotationPlan(session, cloudsight).tasks[0]!.status.detail).toMatch(/not entered in this session$/); // core names no key of its own
		expect(away.tasks[1]!.update?.kind).toBeDefined(); // the update's store plan comes with its task
		expect(away.tasks[1]!.status.detail).toContain('<the new key, on stdin>');
		const here = rotationPlan(session, cloudsight, {newKeyEntered: true});
		expect(here.tasks[0]!.status.detail).not.toContain('not entered in this session');
		expect(here.tasks[1]!.status.detail).toContain('CLOUDSIGHT_API_KEY=cs_…wxyz');
	});
});
