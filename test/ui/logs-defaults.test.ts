import {describe, expect, it} from 'vitest';
import type {Session} from '../../src/core/model.js';
import {logsDefaults} from '../../src/ui/Wizard.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

const withLogs = (session: Session, exposureStart: string): Session =>
	({...session, logs: {...session.logs, files: [{path: '/var/log/access.log'}], window: {first: null, last: null, exposureStart}, allow: [], businessHours: '08-19', timeZone: 'UTC'}}) as unknown as Session;
const withScan = (session: Session, date: string): Session => ({...session, exposure: {repos: [{firstExposure: {date}}]}}) as unknown as Session;

describe('the log questions start from', () => {
	it('the last analysis, unless a scan has since found an earlier first exposure', () => {
		const base = makeSession(fakeCloudSightKey());
		// Analysed before any scan, from when it was noticed.
		const analysed = withLogs(base, '2026-11-27T10:00:00.000Z');
		expect(logsDefaults(analysed, undefined)).toMatchObject({since: '2026-11-27T10:00Z', sinceHint: 'As in the last analysis.'});
		// Then the scan found the commit nine days earlier: that is the window to analyse.
		const scanned = withScan(analysed, '2026-11-18T08:30:00.000Z');
		expect(logsDefaults(scanned, undefined)).toMatchObject({since: '2026-11-18T08:30Z', sinceHint: "The scan's first exposure (the commit's date)."});
		// A start the user moved earlier than the scan's stays theirs.
		expect(logsDefaults(withScan(withLogs(base, '2026-11-10T00:00:00.000Z'), '2026-11-18T08:30:00.000Z'), undefined)).toMatchObject({since: '2026-11-10T00:00Z'});
	});
});
