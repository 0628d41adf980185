// CloudTrail records are checked against CloudTrail's own types: a record that breaks them is
// malformed (counted, skipped), never a request in 1970 or from an address that is a number.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {DEFAULT_FIELDS, eventFromCloudTrail} from '../../src/core/logs/formats.js';
import {analyzeLogs} from '../../src/engines/logs/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeKeys} from '../helpers/keys.js';

const good = {eventTime: '2026-11-27T03:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', sourceIPAddress: '185.220.101.7', userAgent: 'Boto3', userIdentity: {accessKeyId: 'AKIDEXAMPLE'}};

describe('CloudTrail record types', () => {
	it.each([
		['eventTime 12345 (a number)', {...good, eventTime: 12_345}, 'eventTime is not a string'],
		['eventTime "12345"', {...good, eventTime: '12345'}, 'eventTime is not an ISO 8601 time with a zone'],
		['eventTime without a zone', {...good, eventTime: '2026-11-27T03:00:00'}, 'eventTime is not an ISO 8601 time with a zone'],
		['eventTime on 30 February', {...good, eventTime: '2026-02-30T03:00:00Z'}, 'eventTime is not a valid time'],
		['no eventTime', {...good, eventTime: undefined}, 'no eventTime'],
		['sourceIPAddress a number', {...good, sourceIPAddress: 12_345}, 'sourceIPAddress is not a string'],
		['sourceIPAddress an object', {...good, sourceIPAddress: {ip: '1.2.3.4'}}, 'sourceIPAddress is not a string'],
		['eventName an array', {...good, eventName: ['RunInstances']}, 'eventName is not a string'],
		['eventSource a number', {...good, eventSource: 7}, 'eventSource is not a string'],
		['errorCode a number', {...good, errorCode: 403}, 'errorCode is not a string'],
		['userAgent a boolean', {...good, userAgent: false}, 'userAgent is not a string'],
		['userIdentity a string', {...good, userIdentity: 'AKIDEXAMPLE'}, 'userIdentity is not an object'],
		['userIdentity.accessKeyId a number', {...good, userIdentity: {accessKeyId: 42}}, 'userIdentity.accessKeyId is not a string'],
		['CloudTrailEvent an object', {EventId: '1', CloudTrailEvent: {...good}}, 'CloudTrailEvent is not a string'],
		['CloudTrailEvent an array', {EventId: '1', CloudTrailEvent: '[1, 2]'}, 'CloudTrailEvent is not a JSON object'],
		['the record an array', [good], 'not a JSON object'],
	])('%s is malformed: %s', (_label, record, reason) => {
		expect(eventFromCloudTrail(record)).toEqual({ok: false, reason});
	});

	it('still reads well-typed records (offsets, fractions, absent optional fields)', () => {
		expect(eventFromCloudTrail({...good, eventTime: '2026-11-27T04:00:00.250+01:00'})).toMatchObject({ok: true, event: {t: Date.parse('2026-11-27T03:00:00.250Z'), ip: '185.220.101.7'}});
		expect(eventFromCloudTrail({eventTime: '2026-11-27T03:00:00Z', eventName: 'GetCallerIdentity'})).toMatchObject({ok: true, event: {ip: null, keyId: null, path: 'GetCallerIdentity'}});
	});

	it('counts a mistyped record holding the key id as malformed in a real CloudTrail file, not as a request', async () => {
		const keyId = fakeKeys.awsPair().split(':')[0]!;
		const record = (fields: Record<string, unknown>) => ({...good, userIdentity: {accessKeyId: keyId}, ...fields});
		const file = path.join(tempDir(), 'trail.json');
		fs.writeFileSync(file, JSON.stringify({Records: [record({}), record({eventTime: 12_345}), record({sourceIPAddress: 12_345})]}));
		const result = await analyzeLogs([file], {match: {kind: 'key-id', id: keyId}, fields: DEFAULT_FIELDS, analysis: {exposureStart: Date.parse('2026-11-25T00:00:00Z'), allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC'}});
		expect(result.files[0]).toMatchObject({format: 'cloudtrail', malformed: 2});
		expect(result.analysis.keyLines).toBe(1);
		expect(result.analysis.window.first).toBe('2026-11-27T03:00:00.000Z');
	});
});
