import {describe, expect, it} from 'vitest';
import {sessionSchema} from '../../src/core/model.js';
import {getStep, incidentStatus, itemProgress, stepStatus, transition, type SessionEvent} from '../../src/core/session.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from './session-fixture.js';

const at = '2026-11-27T12:05:00.000Z';

describe('createSession', () => {
	it('snapshots the five checklists, generic items first, then the provider items', () => {
		const session = makeSession(fakeCloudSightKey());
		expect(sessionSchema.parse(session)).toEqual(session);
		expect(session.steps.map(step => step.id)).toEqual(['assess', 'logs', 'inventory', 'rotate', 'verify']);
		const assess = getStep(session, 'assess');
		expect(assess.items[0]!.source).toBe('generic');
		expect(assess.items.at(-1)!.source).toBe('cloudsight');
		expect(session.cursor).toEqual({step: 'assess', item: 0});
		expect(session.timeline.map(entry => entry.kind)).toEqual(['leak.noticed', 'incident.opened', 'severity.assessed']);
		expect(session.severity?.level).toBe('critical'); // not probed: assumed live, public, no scopes (the fixture has no keyFacts: unknown)
	});
});

describe('transition', () => {
	it('marks done, reopens, and records each action in the timeline', () => {
		let session = makeSession(fakeCloudSightKey());
		session = transition(session, {type: 'item.done', step: 'assess', item: 'confirm-key', at});
		expect(itemProgress(getStep(session, 'assess'), 'confirm-key')).toEqual({status: 'done', updatedAt: at});
		expect(stepStatus(getStep(session, 'assess'))).toBe('in-progress');
		session = transition(session, {type: 'item.reopened', step: 'assess', item: 'confirm-key', at});
		expect(itemProgress(getStep(session, 'assess'), 'confirm-key').status).toBe('open');
		expect(session.timeline.slice(-2).map(entry => entry.kind)).toEqual(['item.done', 'item.reopened']);
		expect(session.updatedAt).toBe(at);
	});

	it('needs a reason to skip', () => {
		const session = makeSession(fakeCloudSightKey());
		expect(transition(session, {type: 'item.skipped', step: 'logs', item: 'odd-hours', reason: '  ', at})).toBe(session);
		const skipped = transition(session, {type: 'item.skipped', step: 'logs', item: 'odd-hours', reason: 'no logs kept', at});
		expect(itemProgress(getStep(skipped, 'logs'), 'odd-hours')).toMatchObject({status: 'skipped', reason: 'no logs kept'});
		expect(skipped.timeline.at(-1)!.text).toContain('no logs kept');
	});

	it('keeps a note alongside the status; an unchanged note is not an action', () => {
		let session = makeSession(fakeCloudSightKey());
		session = transition(session, {type: 'item.noted', step: 'rotate', item: 'create-new-key', note: 'named prod-2026', at});
		session = transition(session, {type: 'item.done', step: 'rotate', item: 'create-new-key', at});
		expect(itemProgress(getStep(session, 'rotate'), 'create-new-key')).toMatchObject({status: 'done', note: 'named prod-2026'});
		expect(transition(session, {type: 'item.noted', step: 'rotate', item: 'create-new-key', note: 'named prod-2026', at})).toBe(session);
		expect(transition(makeSession(fakeCloudSightKey()), {type: 'item.noted', step: 'rotate', item: 'create-new-key', note: '', at}).timeline).toHaveLength(3);
	});

	it('ignores unknown steps or items rather than corrupting the session', () => {
		const session = makeSession(fakeCloudSightKey());
		expect(transition(session, {type: 'item.done', step: 'assess', item: 'no-such-item', at})).toBe(session);
	});

	it('clamps the cursor to the step and saves no timeline entry for moves', () => {
		const session = makeSession(fakeCloudSightKey());
		const moved = transition(session, {type: 'cursor.moved', step: 'logs', item: 99});
		expect(moved.cursor).toEqual({step: 'logs', item: getStep(session, 'logs').items.length - 1});
		expect(moved.timeline).toEqual(session.timeline);
		expect(transition(moved, {type: 'cursor.moved', step: 'logs', item: -3}).cursor.item).toBe(0);
	});

	it('completes a step when every required item is done or skipped, and the incident when all are', () => {
		let session = makeSession(fakeCloudSightKey());
		for (const step of session.steps) {
			for (const [index, item] of step.items.entries()) {
				if (!item.required) continue;
				const event: SessionEvent =
					index % 2 === 0 ? {type: 'item.done', step: step.id, item: item.id, at} : {type: 'item.skipped', step: step.id, item: item.id, reason: 'n/a', at};
				session = transition(session, event);
			}
			expect(stepStatus(getStep(session, step.id))).toBe('complete');
		}
		expect(incidentStatus(session)).toBe('complete');
		expect(session.closedAt).toBe(at);
		expect(session.timeline.filter(entry => entry.kind === 'step.completed')).toHaveLength(5);
		expect(session.timeline.at(-1)!.kind).toBe('incident.completed');
		const reopened = transition(session, {type: 'item.reopened', step: 'verify', item: 'old-key-dead', at});
		expect(incidentStatus(reopened)).toBe('open');
		expect(reopened.closedAt).toBeUndefined();
	});

	it('records a resume with or without the key', () => {
		const session = makeSession(fakeCloudSightKey());
		expect(transition(session, {type: 'incident.resumed', at, keyEntered: false}).timeline.at(-1)!.text).toBe('Resumed without the key');
		expect(transition(session, {type: 'key.entered', at}).timeline.at(-1)!.kind).toBe('key.entered');
	});
});
