// Every tick leakfix makes comes from one rule in src/core/claims.ts: done only when the evidence
// covers the item's title, partial (shown, left to the responder) or not proven otherwise.
import {describe, expect, it} from 'vitest';
import {claimFor, claimedItems, readersLine} from '../../src/core/claims.js';
import type {ActionResult, InventoryEntry, Session} from '../../src/core/model.js';
import {hardenedLine, transition} from '../../src/core/session.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from './session-fixture.js';

const T = (minute: number) => new Date(Date.UTC(2026, 10, 27, 12, minute)).toISOString();
const ok = (minute: number, detail = 'ok'): ActionResult => ({status: 'done', at: T(minute), detail});
const failed = (minute: number): ActionResult => ({status: 'failed', at: T(minute), detail: 'gh secret set failed: HTTP 403'});
const byHand = (minute: number): ActionResult => ({status: 'manual', at: T(minute), detail: 'checked by hand by the responder'});

function entry(id: string, environment: InventoryEntry['environment'], extra: Partial<InventoryEntry> = {}): InventoryEntry {
	return {id, service: id, environment, store: {type: 'env-file', path: '.env', variable: 'CLOUDSIGHT_API_KEY'}, evidence: [], origin: 'manual', ...extra};
}

function withInventory(entries: InventoryEntry[], extra: Partial<Session> = {}): Session {
	return {...makeSession(fakeCloudSightKey()), inventory: entries, ...extra};
}

const liveProbe = {status: 'live' as const, reason: 'HTTP 404: accepted', request: 'GET …', provider: 'cloudsight', at: T(1)};
const newKey = {fingerprint: 'a'.repeat(64), masked: 'cs_l…wxyz', length: 40, enteredAt: T(0)};

describe('claim rules', () => {
	it('has a rule for every item leakfix ticks, each on a real checklist item', () => {
		const session = makeSession(fakeCloudSightKey());
		for (const [step, item] of claimedItems()) {
			expect(session.steps.find(candidate => candidate.id === step)?.items.some(candidate => candidate.id === item), `${step}/${item}`).toBe(true);
		}
		expect(claimFor(session, 'assess', 'confirm-key')).toBeNull();
	});

	describe('test-new-key: "Check that the new key works (in staging first)"', () => {
		it('a live probe of the new key with no staging consumer is not "tested in staging" (seen in the demo)', () => {
			const session = withInventory([entry('laptop', 'dev', {update: ok(2)})], {rotation: {newKey, newKeyProbe: liveProbe}});
			const claim = claimFor(session, 'rotate', 'test-new-key')!;
			expect(claim.status).toBe('partial');
			expect(claim.why).toMatch(/no staging consumer/);
		});
		it('is not proven without a probe and without staging', () => {
			expect(claimFor(withInventory([]), 'rotate', 'test-new-key')!.status).toBe('not-proven');
		});
		it('is done when a staging consumer was updated and checked before any production update', () => {
			const session = withInventory([entry('web-staging', 'staging', {update: ok(2), healthResult: ok(3)}), entry('web', 'prod', {update: ok(5)})]);
			expect(claimFor(session, 'rotate', 'test-new-key')).toMatchObject({status: 'done', why: expect.stringMatching(/web-staging \(staging\).*before any production update/)});
		});
		it('is partial when staging was checked only after production was updated', () => {
			const session = withInventory([entry('web-staging', 'staging', {update: ok(2), healthResult: ok(6)}), entry('web', 'prod', {update: ok(5)})]);
			expect(claimFor(session, 'rotate', 'test-new-key')).toMatchObject({status: 'partial', why: expect.stringMatching(/only after production/)});
		});
		it('is partial when staging was updated but never checked', () => {
			expect(claimFor(withInventory([entry('web-staging', 'staging', {update: ok(2)})]), 'rotate', 'test-new-key')!.status).toBe('partial');
		});
		it('a health check from before the update does not count', () => {
			expect(claimFor(withInventory([entry('web-staging', 'staging', {update: ok(4), healthResult: ok(2)})]), 'rotate', 'test-new-key')!.status).toBe('partial');
		});
	});

	describe('update-staging and update-production', () => {
		it('a developer laptop .env is not a staging service (seen in the demo)', () => {
			const claim = claimFor(withInventory([entry('laptop', 'dev', {update: ok(2)})]), 'rotate', 'update-staging')!;
			expect(claim).toMatchObject({status: 'not-proven', why: expect.stringMatching(/no staging consumer/)});
		});
		it('is partial with some staging consumers left, naming them', () => {
			const claim = claimFor(withInventory([entry('a', 'staging', {update: ok(2)}), entry('b', 'staging'), entry('c', 'staging')]), 'rotate', 'update-staging')!;
			expect(claim).toEqual({status: 'partial', why: '1 of 3 staging consumers updated; left: b, c'});
		});
		it('is done when every production consumer was updated (by leakfix or by hand)', () => {
			expect(claimFor(withInventory([entry('a', 'prod', {update: ok(2)}), entry('b', 'prod', {update: byHand(3)})]), 'rotate', 'update-production')!.status).toBe('done');
		});
		it('a failed re-run after a proven update keeps it updated', () => {
			expect(claimFor(withInventory([entry('a', 'prod', {update: ok(2), updateRetry: failed(3)})]), 'rotate', 'update-production')!.status).toBe('done');
		});
	});

	describe('all-updated: "every service in the inventory uses the new key"', () => {
		it('a store updated but its service not restarted nor checked since is partial', () => {
			const claim = claimFor(withInventory([entry('a', 'prod', {update: ok(2), restarted: ok(3)}), entry('b', 'prod', {update: ok(2)})]), 'rotate', 'all-updated')!;
			expect(claim).toMatchObject({status: 'partial', why: '2 of 2 consumers updated; not restarted or checked since: b'});
		});
		it('is done when every consumer was updated and restarted or checked after', () => {
			expect(claimFor(withInventory([entry('a', 'prod', {update: ok(2), restarted: ok(3)}), entry('b', 'dev', {update: ok(2), healthResult: ok(4)})]), 'rotate', 'all-updated')!.status).toBe('done');
		});
		it('is not proven with an empty inventory', () => {
			expect(claimFor(withInventory([]), 'rotate', 'all-updated')!.status).toBe('not-proven');
		});
	});

	describe('services-healthy: "Confirm each service\'s health check passes"', () => {
		it('1 passing check among 3 updated consumers is partial (seen: ticked on "health 1/1")', () => {
			const claim = claimFor(withInventory([entry('a', 'prod', {update: ok(2), verifyHealth: ok(9)}), entry('b', 'prod', {update: ok(2)}), entry('c', 'dev', {update: ok(2)})]), 'verify', 'services-healthy')!;
			expect(claim).toEqual({status: 'partial', why: '1 of 3 updated consumers checked healthy; not checked: b, c'});
		});
		it('is done when every updated consumer passed, some checked by hand', () => {
			const claim = claimFor(withInventory([entry('a', 'prod', {update: ok(2), verifyHealth: ok(9)}), entry('b', 'prod', {update: ok(2), verifyHealth: byHand(9)})]), 'verify', 'services-healthy')!;
			expect(claim).toMatchObject({status: 'done', why: expect.stringMatching(/some checked by hand/)});
		});
		it('names a failing check', () => {
			const claim = claimFor(withInventory([entry('a', 'prod', {update: ok(2), verifyHealth: failed(9)}), entry('b', 'prod', {update: ok(2), verifyHealth: ok(9)})]), 'verify', 'services-healthy')!;
			expect(claim).toMatchObject({status: 'partial', why: expect.stringMatching(/failing: a/)});
		});
		it('is not proven before any update', () => {
			expect(claimFor(withInventory([entry('a', 'prod')]), 'verify', 'services-healthy')!.status).toBe('not-proven');
		});
	});

	describe('create-new-key', () => {
		it('done only when a new key, not the leaked one, was entered and probed live', () => {
			expect(claimFor(withInventory([], {rotation: {newKey, newKeyProbe: liveProbe}}), 'rotate', 'create-new-key')!.status).toBe('done');
			expect(claimFor(withInventory([], {rotation: {newKey}}), 'rotate', 'create-new-key')!.status).toBe('partial');
			expect(claimFor(withInventory([]), 'rotate', 'create-new-key')!.status).toBe('not-proven');
		});
	});

	describe('keep-out-of-code', () => {
		const base = {at: T(1), variable: 'CLOUDSIGHT_API_KEY', store: 'env' as const, config: ['.env.example: add CLOUDSIGHT_API_KEY='], guard: {where: '.git/hooks/pre-commit', how: 'x', proven: true}};
		it('counts the files that already read the variable (seen: "0 file(s) now read" while src/cloudsight.js read it)', () => {
			const session = withInventory([], {hardening: {...base, files: [], readers: ['src/cloudsight.js']}});
			expect(claimFor(session, 'rotate', 'keep-out-of-code')).toEqual({status: 'done', why: '1 file read CLOUDSIGHT_API_KEY (1 already did)'});
		});
		it('is partial with a file left by hand, a config change not written, or an unproven guard', () => {
			const session = withInventory([], {hardening: {...base, files: [{file: 'a.js', lines: [1], status: 'rewritten'}, {file: 'b.rb', lines: [2], status: 'manual', reason: 'x'}], configPending: ['.gitignore: add .env'], guard: {where: 'x', how: 'y', proven: false}}});
			const claim = claimFor(session, 'rotate', 'keep-out-of-code')!;
			expect(claim.status).toBe('partial');
			expect(claim.why).toBe('1 file read CLOUDSIGHT_API_KEY (1 rewritten now); 1 file to change by hand; 1 config change not written; the guard is installed but not proven');
		});
		it('a cancel proves nothing and says nothing was written (seen: ticked after n at "Run it?")', () => {
			let session = withInventory([]);
			session = transition(session, {type: 'harden.abandoned', why: 'cancelled', files: 1, config: 2, at: T(1)});
			expect(claimFor(session, 'rotate', 'keep-out-of-code')!.status).toBe('not-proven');
			expect(session.steps.find(step => step.id === 'rotate')!.progress['keep-out-of-code']).toBeUndefined();
			expect(session.timeline.at(-1)?.text).toBe('Keep the key out of code cancelled: nothing written (1 file rewrite(s), 2 config change(s) not made)');
		});
		it('an interrupted run (a crash while writing) is not proven and says what was under way', () => {
			let session = withInventory([]);
			session = transition(session, {type: 'harden.started', files: ['src/a.js'], config: ['.gitignore: add .env'], guard: '.git/hooks/pre-commit', at: T(1)});
			expect(claimFor(session, 'rotate', 'keep-out-of-code')).toMatchObject({status: 'not-proven', why: expect.stringMatching(/^interrupted while writing \(.*\): src\/a.js, .gitignore, the guard \(.git\/hooks\/pre-commit\) were under way, each written or not/)});
			session = transition(session, {type: 'hardened', hardening: {...base, files: [{file: 'src/a.js', lines: [1], status: 'rewritten'}]}, at: T(2)});
			expect(session.hardeningPending).toBeUndefined();
			expect(claimFor(session, 'rotate', 'keep-out-of-code')!.status).toBe('done');
			expect(hardenedLine(session.hardening!)).toBe('Kept out of code: 1 file read CLOUDSIGHT_API_KEY (1 rewritten now); written: .env.example: add CLOUDSIGHT_API_KEY=; guard in .git/hooks/pre-commit (proven)');
		});
		it('says what was written and what was not', () => {
			expect(readersLine({...base, files: [{file: 'a.js', lines: [1], status: 'rewritten'}], readers: ['a.js', 'src/c.js']})).toBe('2 files read CLOUDSIGHT_API_KEY (1 rewritten now, 1 already did)');
		});
	});

	describe('verify probes and re-scan', () => {
		it('old key: revoked is done; unknown is never done', () => {
			const probe = (status: 'revoked' | 'unknown') => ({...liveProbe, status, reason: 'r'});
			expect(claimFor(withInventory([], {verification: {oldKey: probe('revoked')}}), 'verify', 'old-key-dead')!.status).toBe('done');
			expect(claimFor(withInventory([], {verification: {oldKey: probe('unknown')}}), 'verify', 'old-key-dead')!.status).toBe('not-proven');
		});
		it('re-scan: done only with no copy left', () => {
			expect(claimFor(withInventory([], {verification: {rescan: {at: T(1), remaining: 0, files: []}}}), 'verify', 'no-copies-left')!.status).toBe('done');
			expect(claimFor(withInventory([], {verification: {rescan: {at: T(1), remaining: 2, files: ['a', 'b']}}}), 'verify', 'no-copies-left')!.status).toBe('not-proven');
		});
	});
});

describe('ticks in the reducer', () => {
	const progress = (session: Session, step: string, item: string) => session.steps.find(candidate => candidate.id === step)!.progress[item];

	it('ticks an item when its rule turns to done, with the evidence in the note', () => {
		let session = withInventory([entry('a', 'prod')]);
		session = transition(session, {type: 'entry.result', id: 'a', action: 'update', result: ok(2), at: T(2)});
		expect(progress(session, 'rotate', 'update-production')).toMatchObject({status: 'done', note: 'Done by leakfix: the production consumer updated (a)'});
		expect(session.timeline.at(-1)?.text).toBe('Done: Replace the key in every production service (leakfix: the production consumer updated (a))');
	});

	it('never ticks again an item the responder reopened', () => {
		let session = withInventory([entry('a', 'prod')]);
		session = transition(session, {type: 'entry.result', id: 'a', action: 'update', result: ok(2), at: T(2)});
		session = transition(session, {type: 'item.reopened', step: 'rotate', item: 'update-production', at: T(3)});
		session = transition(session, {type: 'entry.result', id: 'a', action: 'restart', result: ok(4), at: T(4)});
		expect(progress(session, 'rotate', 'update-production')?.status).toBe('open');
	});

	it('reopens what it ticked when the evidence is gone (a new key replaced the one updated everywhere)', () => {
		let session = withInventory([entry('a', 'prod')]);
		session = transition(session, {type: 'newkey.entered', key: {fingerprint: 'b'.repeat(64), masked: 'x', length: 40}, at: T(1)});
		session = transition(session, {type: 'entry.result', id: 'a', action: 'update', result: ok(2), at: T(2)});
		expect(progress(session, 'rotate', 'update-production')?.status).toBe('done');
		session = transition(session, {type: 'newkey.entered', key: {fingerprint: 'c'.repeat(64), masked: 'y', length: 40}, at: T(3)});
		expect(progress(session, 'rotate', 'update-production')?.status).toBe('open');
		expect(session.timeline.some(line => line.text.startsWith('Reopened by leakfix: Replace the key in every production service'))).toBe(true);
	});

	it('leaves a responder\'s own tick alone when the evidence is gone', () => {
		let session = withInventory([entry('a', 'prod')]);
		session = transition(session, {type: 'item.done', step: 'rotate', item: 'update-production', at: T(1)});
		session = transition(session, {type: 'entry.result', id: 'a', action: 'update', result: failed(2), at: T(2)});
		expect(progress(session, 'rotate', 'update-production')?.status).toBe('done');
	});

	it('a failed re-run of a proven update keeps the ✓ and records the failure beside it', () => {
		let session = withInventory([entry('a', 'prod')]);
		session = transition(session, {type: 'entry.result', id: 'a', action: 'update', result: ok(2), at: T(2)});
		session = transition(session, {type: 'entry.result', id: 'a', action: 'update', result: failed(3), at: T(3)});
		expect(session.inventory![0]).toMatchObject({update: {status: 'done'}, updateRetry: {status: 'failed'}});
		expect(progress(session, 'rotate', 'update-production')?.status).toBe('done');
		session = transition(session, {type: 'entry.result', id: 'a', action: 'update', result: ok(4), at: T(4)});
		expect(session.inventory![0]?.updateRetry).toBeUndefined();
	});
});
