// Log formats: detection from a sample, and one parser per format that turns a line (or a
// CloudTrail record) into a LogEvent. Pure; the reader in src/engines/logs feeds it.

export const LOG_FORMATS = ['combined', 'common', 'jsonl', 'cloudtrail', 'csv'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** One request, as much of it as the log says. `t` is epoch ms. */
export type LogEvent = {t: number; ip: string | null; status: number | null; path: string | null; ua: string | null; country: string | null; keyId: string | null};

export type ParseResult = {ok: true; event: LogEvent} | {ok: false; reason: string};

/** Where each field is looked for in a JSON object or a CSV header (dotted paths; first match wins). */
export type FieldMap = Record<LogField, string[]>;
export const LOG_FIELDS = ['time', 'ip', 'key', 'path', 'status', 'ua', 'country'] as const;
export type LogField = (typeof LOG_FIELDS)[number];

export const DEFAULT_FIELDS: FieldMap = {
	time: ['time', 'timestamp', '@timestamp', 'ts', 'date', 'datetime', 'eventTime', 'time_local', 'request_time', 'created_at', 'created', 'eventtime'],
	ip: ['ip', 'remote_addr', 'remote_ip', 'client_ip', 'clientIp', 'client.ip', 'source.ip', 'src_ip', 'source_ip', 'sourceIPAddress', 'sourceipaddress', 'ip_address', 'x_forwarded_for', 'http_x_forwarded_for'],
	key: ['key', 'key_id', 'keyId', 'api_key', 'apiKey', 'api_key_id', 'access_key_id', 'accessKeyId', 'userIdentity.accessKeyId', 'user', 'remote_user'],
	path: ['path', 'uri', 'url', 'request', 'request_uri', 'endpoint', 'eventName', 'operation', 'method_path'],
	status: ['status', 'status_code', 'statusCode', 'http_status', 'response_code', 'response.status'],
	ua: ['user_agent', 'userAgent', 'http_user_agent', 'ua', 'agent', 'user-agent'],
	country: ['country', 'country_code', 'countryCode', 'geo.country', 'geo.country_iso_code', 'geoip.country_code2', 'client.geo.country_iso_code', 'cf_ipcountry'],
};

/** `time=ts` style overrides, from `--field`. */
export function fieldMapWith(overrides: string[]): FieldMap {
	const map: FieldMap = {...DEFAULT_FIELDS};
	for (const override of overrides) {
		const match = /^([a-z]+)=(.+)$/.exec(override);
		if (!match || !(LOG_FIELDS as readonly string[]).includes(match[1]!)) {
			throw new Error(`--field ${override}: expected NAME=PATH with NAME one of ${LOG_FIELDS.join(', ')} (e.g. --field time=ts)`);
		}
		map[match[1] as LogField] = [match[2]!];
	}
	return map;
}

const MONTHS: Record<string, number> = {Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11};

let lastDay = '';
let lastZone = '';
let lastDayMs = 0;

const digits2 = (text: string, at: number) => {
	const a = text.charCodeAt(at) - 48;
	const b = text.charCodeAt(at + 1) - 48;
	return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/** `27/Nov/2026:03:12:45 +0100` (nginx/Apache `[time_local]`). The day and zone are cached: logs come in order. */
export function parseClfTime(text: string): number | null {
	// dd/Mon/yyyy:hh:mm:ss +hhmm
	if (text.length !== 26 || text.charCodeAt(11) !== 58 || text.charCodeAt(14) !== 58 || text.charCodeAt(17) !== 58 || text.charCodeAt(20) !== 32) return parseClfTimeSlow(text);
	const hours = digits2(text, 12);
	const minutes = digits2(text, 15);
	const seconds = digits2(text, 18);
	if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 60) return null;
	// The same day and zone as the line before (no new string to compare).
	if (!(text.startsWith(lastDay) && text.endsWith(lastZone) && lastDay !== '')) {
		const midnight = parseClfTimeSlow(`${text.slice(0, 11)}:00:00:00${text.slice(20)}`);
		if (midnight === null) return null;
		lastDay = text.slice(0, 11);
		lastZone = text.slice(20);
		lastDayMs = midnight;
	}
	return lastDayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

function parseClfTimeSlow(text: string): number | null {
	const m = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?$/.exec(text);
	if (!m) return null;
	const month = MONTHS[m[2]!];
	if (month === undefined) return null;
	const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
	if (new Date(utc).getUTCDate() !== Number(m[1]) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return null; // 32/Nov, 25:00
	
	const offset = m[7] ? (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000 : 0;
	return utc - offset;
}

/** ISO text, CLF text, or epoch seconds / milliseconds. */
export function parseAnyTime(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
	if (typeof value !== 'string' || value === '') return null;
	if (/^\d+(\.\d+)?$/.test(value)) return parseAnyTime(Number(value));
	const clf = parseClfTime(value);
	if (clf !== null) return clf;
	let text = /^\d{4}-\d{2}-\d{2} \d/.test(value) ? value.replace(' ', 'T') : value;
	// A date-time without a zone is UTC (never this machine's zone: the same log reads the same everywhere).
	if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += 'Z';
	const iso = Date.parse(text);
	return Number.isNaN(iso) ? null : iso;
}

// host ident user [time] "request" status bytes ["referer" "user-agent"] [anything after]
const CLF = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?/;

/** The path of `GET /v1/images?x=1 HTTP/1.1`, without its query (which may hold a key). */
function requestPath(request: string): string | null {
	const space = request.indexOf(' ');
	const method = space === -1 ? '' : request.slice(0, space);
	const from = space + 1;
	let end = request.indexOf(' ', from);
	if (end === -1) end = request.length;
	const query = request.indexOf('?', from);
	if (query !== -1 && query < end) end = query;
	const path = request.slice(from, end);
	if (!path || path === '-') return null;
	return method ? `${method} ${path}` : path;
}

/** The end of a quoted field that starts after `from` (the index of its closing quote), or -1. */
function closingQuote(line: string, from: number): number {
	for (let at = line.indexOf('"', from); at !== -1; at = line.indexOf('"', at + 1)) {
		let backslashes = 0;
		while (line.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
		if (backslashes % 2 === 0) return at;
	}
	return -1;
}

const NOT_CLF: ParseResult = {ok: false, reason: 'not in combined/common log format'};

/** host ident user [time] "request" status bytes ["referer" "user-agent"]: by hand, no regex (the hot path). */
export function parseClfLine(line: string): ParseResult {
	const s1 = line.indexOf(' ');
	const s2 = s1 === -1 ? -1 : line.indexOf(' ', s1 + 1);
	const s3 = s2 === -1 ? -1 : line.indexOf(' ', s2 + 1);
	if (s3 === -1 || line.charCodeAt(s3 + 1) !== 91) return NOT_CLF; // [
	const close = line.indexOf(']', s3 + 2);
	if (close === -1 || line.charCodeAt(close + 1) !== 32 || line.charCodeAt(close + 2) !== 34) return NOT_CLF;
	const requestEnd = closingQuote(line, close + 3);
	if (requestEnd === -1 || line.charCodeAt(requestEnd + 1) !== 32) return NOT_CLF;
	const afterStatus = line.charCodeAt(requestEnd + 5);
	let status: number | null;
	if (line.charCodeAt(requestEnd + 2) === 45 && line.charCodeAt(requestEnd + 3) === 32) status = null; // "-"
	else {
		const hundreds = line.charCodeAt(requestEnd + 2) - 48;
		const tens = line.charCodeAt(requestEnd + 3) - 48;
		const units = line.charCodeAt(requestEnd + 4) - 48;
		if (afterStatus !== 32 || !(hundreds >= 0 && hundreds <= 9 && tens >= 0 && tens <= 9 && units >= 0 && units <= 9)) return NOT_CLF;
		status = hundreds * 100 + tens * 10 + units;
	}
	const timeText = line.slice(s3 + 2, close);
	const t = parseClfTime(timeText);
	if (t === null) return {ok: false, reason: `unreadable time "${timeText}"`};
	// Fields are cleaned of control characters only when the line has any (rarely): one test per line.
	const dirty = CONTROL.test(line);
	// Optional "referer" "user-agent" after the byte count.
	let ua: string | null = null;
	const bytesEnd = line.indexOf(' ', requestEnd + (status === null ? 4 : 6));
	if (bytesEnd !== -1 && line.charCodeAt(bytesEnd + 1) === 34) {
		const refererEnd = closingQuote(line, bytesEnd + 2);
		if (refererEnd !== -1 && line.charCodeAt(refererEnd + 1) === 32 && line.charCodeAt(refererEnd + 2) === 34) {
			const uaEnd = closingQuote(line, refererEnd + 3);
			if (uaEnd !== -1) {
				const text = line.slice(refererEnd + 3, uaEnd);
				ua = text === '-' || text === '' ? null : dirty ? clean(text) : text;
			}
		}
	}
	const user = line.slice(s2 + 1, s3);
	const path = requestPath(line.slice(close + 3, requestEnd));
	return {
		ok: true,
		event: {t, ip: dirty ? clean(line.slice(0, s1)) : line.slice(0, s1), status, path: path === null ? null : dirty ? clean(path) : path, ua, country: null, keyId: user === '-' ? null : dirty ? clean(user) : user},
	};
}

function lookup(object: unknown, path: string, parts: string[] | null): unknown {
	if (object === null || typeof object !== 'object') return undefined;
	const direct = (object as Record<string, unknown>)[path];
	if (direct !== undefined || parts === null) return direct;
	let node: unknown = object;
	for (const part of parts) {
		if (node === null || typeof node !== 'object') return undefined;
		node = (node as Record<string, unknown>)[part];
	}
	return node;
}

/** Dotted paths split once, not per line. */
const splitCache = new Map<string, string[] | null>();
function partsOf(path: string): string[] | null {
	let parts = splitCache.get(path);
	if (parts === undefined) {
		parts = path.includes('.') ? path.split('.') : null;
		splitCache.set(path, parts);
	}
	return parts;
}

/** The first path that holds a value. The path that answered last time is tried first (a log's lines share one shape). */
const lastHit = new WeakMap<string[], string>();
function first(object: unknown, paths: string[]): unknown {
	const hit = lastHit.get(paths);
	if (hit !== undefined) {
		const value = lookup(object, hit, partsOf(hit));
		if (value !== undefined && value !== null && value !== '') return value;
	}
	for (const path of paths) {
		if (path === hit) continue;
		const value = lookup(object, path, partsOf(path));
		if (value !== undefined && value !== null && value !== '') {
			lastHit.set(paths, path);
			return value;
		}
	}
	return undefined;
}

/** Log fields are untrusted: control characters (terminal escapes) never reach a screen or a report. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

export function clean(value: string): string {
	return CONTROL.test(value) ? value.replace(/[\u0000-\u001F\u007F-\u009F]/g, '?') : value;
}

const text = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === 'string' ? clean(value) : typeof value === 'number' ? String(value) : null);

/** The first address of an X-Forwarded-For style list. */
const firstIp = (value: string | null): string | null => (value === null ? null : value.split(',')[0]!.trim() || null);

export function eventFromObject(object: unknown, fields: FieldMap): ParseResult {
	if (object === null || typeof object !== 'object' || Array.isArray(object)) return {ok: false, reason: 'not a JSON object'};
	const t = parseAnyTime(first(object, fields.time));
	if (t === null) return {ok: false, reason: `no readable time (looked for ${fields.time.slice(0, 4).join(', ')}…)`};
	const status = first(object, fields.status);
	const rawPath = text(first(object, fields.path));
	return {
		ok: true,
		event: {
			t,
			ip: firstIp(text(first(object, fields.ip))),
			status: status === undefined ? null : Number.isFinite(Number(status)) ? Number(status) : null,
			path: rawPath === null ? null : rawPath.includes(' ') ? requestPath(rawPath) : rawPath.split('?')[0]!,
			ua: text(first(object, fields.ua)),
			country: text(first(object, fields.country)),
			keyId: text(first(object, fields.key)),
		},
	};
}

export function parseJsonLine(line: string, fields: FieldMap): ParseResult {
	let object: unknown;
	try {
		object = JSON.parse(line);
	} catch {
		return {ok: false, reason: 'not valid JSON'};
	}
	return eventFromObject(object, fields);
}

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
			ip: text(record.sourceIPAddress),
			status,
			path: source && name ? `${source}:${name}` : name,
			ua: text(record.userAgent),
			country: null,
			keyId: text(lookup(record, 'userIdentity.accessKeyId', ['userIdentity', 'accessKeyId'])),
		},
	};
}

/** One CSV line into fields (RFC 4180 quoting; a quoted field may not span lines). */
export function splitCsv(line: string): string[] | null {
	const out: string[] = [];
	let index = 0;
	const end = line.endsWith('\r') ? line.length - 1 : line.length;
	while (index <= end) {
		if (line[index] === '"') {
			let value = '';
			index++;
			for (;;) {
				if (index >= end) return null; // an unterminated quote
				const char = line[index]!;
				if (char === '"') {
					if (line[index + 1] === '"') {
						value += '"';
						index += 2;
						continue;
					}
					index++;
					break;
				}
				value += char;
				index++;
			}
			out.push(value);
			if (index < end && line[index] !== ',') return null;
			index++;
		} else {
			let next = line.indexOf(',', index);
			if (next === -1 || next > end) next = end;
			out.push(line.slice(index, next));
			index = next + 1;
		}
	}
	return out;
}

export type CsvHeader = {columns: string[]};

export function parseCsvLine(line: string, header: CsvHeader, fields: FieldMap): ParseResult {
	const values = splitCsv(line);
	if (!values) return {ok: false, reason: 'an unterminated quote'};
	if (values.length !== header.columns.length) return {ok: false, reason: `${values.length} fields, the header has ${header.columns.length}`};
	// Columns are matched as written and in snake case ("User Agent" → user_agent).
	const object: Record<string, string> = {};
	header.columns.forEach((column, index) => {
		object[column] = values[index]!;
		object[column.toLowerCase().replace(/[\s-]+/g, '_')] = values[index]!;
	});
	return eventFromObject(object, fields);
}

export type Detected = {format: LogFormat; document: boolean; csvHeader?: CsvHeader};

/** The format of a log from its first bytes (decompressed). `null`: not one we know. */
export function detectFormat(sample: string): Detected | null {
	const head = sample.trimStart();
	if (/^\{\s*"(Records|Events)"\s*:/.test(head)) return {format: 'cloudtrail', document: true};
	const candidates = head.split('\n', 6).map(line => line.replace(/\r$/, '')).filter(line => line.trim() !== '');
	// A rotated or cut log may start mid-line: the first of its first lines that reads decides.
	for (const [index, line] of candidates.entries()) {
		const found = detectLine(line, index === 0);
		if (found) return found;
	}
	return null;
}

function detectLine(firstLine: string, isFirst: boolean): Detected | null {
	if (firstLine.startsWith('{')) {
		try {
			const object = JSON.parse(firstLine) as Record<string, unknown>;
			return {format: 'eventTime' in object && 'eventSource' in object ? 'cloudtrail' : 'jsonl', document: false};
		} catch {
			return null;
		}
	}
	const clf = CLF.exec(firstLine);
	if (clf) return {format: clf[9] === undefined ? 'common' : 'combined', document: false};
	if (isFirst && firstLine.includes(',')) {
		const columns = splitCsv(firstLine.replace(/^\uFEFF/, ''));
		if (columns && columns.every(column => column.length > 0 && column.length < 64 && !/^\d/.test(column))) {
			return {format: 'csv', document: false, csvHeader: {columns: columns.map(column => column.trim())}};
		}
	}
	return null;
}
