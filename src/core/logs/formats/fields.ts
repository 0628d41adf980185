// The shapes every log format shares: the formats, the event a line becomes, the field map of
// JSON and CSV logs, and `clean` (control characters made visible). Pure.

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

/** Log fields are untrusted: control characters (terminal escapes) never reach a screen or a report. */
export const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

export function clean(value: string): string {
	return CONTROL.test(value) ? value.replace(/[\u0000-\u001F\u007F-\u009F]/g, '?') : value;
}

export const fieldText = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === 'string' ? clean(value) : typeof value === 'number' ? String(value) : null);

