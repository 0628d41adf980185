// The one helper every reducer branch records through (src/core/session/record.ts).
import {describe, expect, it} from 'vitest';
import {sessionSchema} from '../../src/core/model.js';
import {actedBy, recorded} from '../../src/core/session/record.js';
import {transition} from '../../src/core/session.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from './session-fixture.js';

const at = '2026-11-27T12:05:00.000Z';

describe('recorded', () => {
	it('applies the patch, sets updatedAt and appends one entry stamped with the time, leaving the input untouched', () => {
		const session = makeSession(fakeCloudSightKey());
		const before = structuredClone(session);
		const next = recorded(session, {probeConsent: {at, request: 'GET /me'}}, {kind: 'probe.consented', step: 'assess', text: 'Agreed'}, at);
		expect(session).toEqual(before);
		expect(next.probeConsent).toEqual({at, request: 'GET /me'});
		expect(next.updatedAt).toBe(at);
		expect(next.timeline.slice(0, -1)).toEqual(session.timeline);
		expect(next.timeline.at(-1)).toEqual({at, kind: 'probe.consented', step: 'assess', text: 'Agreed'});
		expect(sessionSchema.parse(next)).toEqual(next);
	});

	it('appends several entries in order, or none', () => {
		const session = makeSession(fakeCloudSightKey());
		const two = recorded(session, {}, [{kind: 'a', text: 'first'}, {kind: 'b', text: 'second'}], at);
		expect(two.timeline.slice(-2)).toEqual([{at, kind: 'a', text: 'first'}, {at, kind: 'b', text: 'second'}]);
		const none = recorded(session, {closedAt: at}, [], at);
		expect(none.timeline).toEqual(session.timeline);
		expect(none.timeline).not.toBe(session.timeline);
		expect(none).toMatchObject({closedAt: at, updatedAt: at});
	});

	it('keeps every key of the session in its place (the saved file reads as before) and puts the entry time first', () => {
		const session = makeSession(fakeCloudSightKey());
		const next = recorded(session, {severity: session.severity}, {kind: 'k', step: 'assess', text: 't'}, at);
		expect(Object.keys(next)).toEqual(Object.keys(session));
		expect(JSON.stringify(next.timeline.at(-1))).toBe(JSON.stringify({at, kind: 'k', step: 'assess', text: 't'}));
	});
});

describe('actedBy', () => {
	it('names who acted on the entries the event added, and on no earlier one', () => {
		const session = makeSession(fakeCloudSightKey());
		const next = recorded(session, {}, [{kind: 'a', text: 'one'}, {kind: 'b', text: 'two', by: 'bob'}], at);
		const stamped = actedBy(session, next, 'ann');
		expect(stamped.timeline.slice(0, session.timeline.length)).toEqual(session.timeline);
		expect(stamped.timeline.slice(-2).map(entry => entry.by)).toEqual(['ann', 'bob']);
		expect(actedBy(session, next)).toBe(next);
		expect(actedBy(session, session, 'ann')).toBe(session);
	});

	it('is what transition uses: an event with no timeline entry stays unnamed', () => {
		const session = makeSession(fakeCloudSightKey());
		const started = transition(session, {type: 'harden.started', at, files: ['a.ts'], config: [], guard: 'pre-commit'}, 'ann');
		expect(started.timeline).toEqual(session.timeline);
		expect(started.hardeningPending).toEqual({at, files: ['a.ts'], config: [], guard: 'pre-commit'});
		const done = transition(session, {type: 'key.entered', at}, 'ann');
		expect(done.timeline.at(-1)).toEqual({at, kind: 'key.entered', text: 'Key re-entered; fingerprint matched', by: 'ann'});
	});
});
