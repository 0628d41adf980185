// CloudTrail records (one per line, in a `{"Records": [...]}` document, or wrapped by
// `aws cloudtrail lookup-events`), their types checked. Pure.
import {type ParseResult, fieldText} from './fields.js';
import {lookup} from './json.js';

/** CloudTrail's eventTime: `2026-11-20T14:03:00Z` (seconds, fractions and an offset allowed; a zone required). */
const CLOUDTRAIL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A CloudTrail record: the status is derived from errorCode (AccessDenied → 403, throttling → 429). */
export function eventFromCloudTrail(object: unknown): ParseResult {
	if (!isRecord(object)) return {ok: false, reason: 'not a JSON object'};
	let record = object;
	// `aws cloudtrail lookup-events` wraps each record as a string in CloudTrailEvent.
	if ('CloudTrailEvent' in record) {
		if (typeof record.CloudTrailEvent !== 'string') return {ok: false, reason: 'CloudTrailEvent is not a string'};
		let inner: unknown;
		try {
			inner = JSON.parse(record.CloudTrailEvent);
		} catch {
			return {ok: false, reason: 'CloudTrailEvent is not valid JSON'};
		}
		if (!isRecord(inner)) return {ok: false, reason: 'CloudTrailEvent is not a JSON object'};
		record = inner;
	}
	// CloudTrail's own types, checked: a record that breaks them is malformed (counted, skipped),
	// never a request in 1970 or from the address "12345".
	if (typeof record.eventTime !== 'string') return {ok: false, reason: record.eventTime === undefined ? 'no eventTime' : 'eventTime is not a string'};
	if (!CLOUDTRAIL_TIME.test(record.eventTime)) return {ok: false, reason: 'eventTime is not an ISO 8601 time with a zone'};
	const t = Date.parse(record.eventTime);
	const [year, month, day] = record.eventTime.slice(0, 10).split('-').map(Number) as [number, number, number];
	const calendar = new Date(Date.UTC(year, month - 1, day));
	// Date.parse reads 2026-02-30 as 2 March: the day must exist.
	if (Number.isNaN(t) || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return {ok: false, reason: 'eventTime is not a valid time'};
	for (const field of ['sourceIPAddress', 'eventName', 'eventSource', 'errorCode', 'userAgent'] as const) {
		if (record[field] !== undefined && record[field] !== null && typeof record[field] !== 'string') return {ok: false, reason: `${field} is not a string`};
	}
	const identity = record.userIdentity;
	if (identity !== undefined && identity !== null) {
		if (!isRecord(identity)) return {ok: false, reason: 'userIdentity is not an object'};
		if (identity.accessKeyId !== undefined && identity.accessKeyId !== null && typeof identity.accessKeyId !== 'string') return {ok: false, reason: 'userIdentity.accessKeyId is not a string'};
	}
	const error = typeof record.errorCode === 'string' ? record.errorCode : null;
	const status = error === null ? 200 : /denied|unauthori[sz]ed|forbidden/i.test(error) ? 403 : /throttl|limitexceeded|toomany/i.test(error) ? 429 : /internal|unavailable/i.test(error) ? 500 : 400;
	const source = typeof record.eventSource === 'string' ? record.eventSource.replace(/\.amazonaws\.com$/, '') : null;
	const name = typeof record.eventName === 'string' ? record.eventName : null;
	return {
		ok: true,
		event: {
			t,
			ip: fieldText(record.sourceIPAddress),
			status,
			path: source && name ? `${source}:${name}` : name,
			ua: fieldText(record.userAgent),
			country: null,
			keyId: fieldText(lookup(record, 'userIdentity.accessKeyId', ['userIdentity', 'accessKeyId'])),
		},
	};
}

