import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {BASELINE_DAYS, logsFormText, logsPlan, providerLogsSince} from '../../src/core/logs-plan.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from './session-fixture.js';

const withLogs = (session: Session, exposureStart: string): Session =>
	({...session, logs: {...session.logs, files: [{path: '/var/log/access.log'}, {path: '/var/log/my app/access.log'}], window: {first: null, last: null, exposureStart}, allow: ['10.0.0.0/8'], businessHours: '07-18', timeZone: 'Europe/Paris'}}) as unknown as Session;
const withScan = (session: Session, date: string): Session => ({...session, exposure: {repos: [{firstExposure: {date}}]}}) as unknown as Session;
const defaults = (session: Session, demoLogs?: string) => logsFormText(logsPlan(session, {demoLogs, localZone: 'UTC'}));

describe('the log questions start from', () => {
	it('the last analysis, unless a scan has since found an earlier first exposure', () => {
		const base = makeSession(fakeCloudSightKey());
		// Analysed before any scan, from when it was noticed.
		const analysed = withLogs(base, '2026-11-27T10:00:00.000Z');
		expect(defaults(analysed)).toMatchObject({since: '2026-11-27T10:00Z', sinceHint: 'As in the last analysis.'});
		// Then the scan found the commit nine days earlier: that is the window to analyse.
		const scanned = withScan(analysed, '2026-11-18T08:30:00.000Z');
		expect(defaults(scanned)).toMatchObject({since: '2026-11-18T08:30Z', sinceHint: "The scan's first exposure (the commit's date)."});
		// A start the user moved earlier than the scan's stays theirs.
		expect(defaults(withScan(withLogs(base, '2026-11-10T00:00:00.000Z'), '2026-11-18T08:30:00.000Z'))).toMatchObject({since: '2026-11-10T00:00Z'});
	});

	it('as values: the files, the allow list, the hours and the zone of the last analysis, the start to the minute', () => {
		const plan = logsPlan(withLogs(makeSession(fakeCloudSightKey()), '2026-11-27T10:00:42.500Z'), {localZone: 'UTC'});
		expect(plan).toEqual({
			files: ['/var/log/access.log', '/var/log/my app/access.log'],
			exposureStart: Date.parse('2026-11-27T10:00:00.000Z'),
			startFrom: 'last',
			allow: ['10.0.0.0/8'],
			businessHours: {from: 7, to: 18},
			hoursText: '07-18',
			timeZone: 'Europe/Paris',
		});
		// The form's texts: a path with a space is quoted, the hours carry their zone.
		expect(logsFormText(plan)).toMatchObject({files: '/var/log/access.log "/var/log/my app/access.log"', allow: '10.0.0.0/8', hours: '07-18 Europe/Paris'});
	});

	it('with nothing analysed yet: the demo log, when it was noticed, office hours in the local zone', () => {
		const session = makeSession(fakeCloudSightKey());
		const plan = logsPlan(session, {demoLogs: '/tmp/demo/logs/access.log', localZone: 'Asia/Tokyo'});
		expect(plan).toMatchObject({files: ['/tmp/demo/logs/access.log'], startFrom: 'noticed', allow: [], businessHours: {from: 8, to: 19}, timeZone: 'Asia/Tokyo'});
		expect(plan.exposureStart).toBe(Math.floor(Date.parse(session.leak.noticedAt) / 60_000) * 60_000);
		expect(logsFormText(plan)).toMatchObject({hours: '08-19 Asia/Tokyo', sinceHint: 'When it was noticed; the leak may be older (the scan in step 1 finds the first exposure).'});
		expect(logsPlan(session, {localZone: 'UTC'}).files).toEqual([]);
	});
});

describe("the provider's own logs", () => {
	it('are read from a week before the exposure began (the earliest first exposure of every repository)', () => {
		const session = {...makeSession(fakeCloudSightKey()), exposure: {repos: [{firstExposure: {date: '2026-11-18T08:30:00.000Z'}}, {firstExposure: null}, {firstExposure: {date: '2026-11-12T00:00:00.000Z'}}]}} as unknown as Session;
		expect(BASELINE_DAYS).toBe(7);
		expect(providerLogsSince(session).toISOString()).toBe('2026-11-05T00:00:00.000Z');
	});
});
