import {describe, expect, it} from 'vitest';
import {DEFAULT_FIELDS, detectFormat, eventFromCloudTrail, fieldMapWith, parseClfLine, parseClfTime, parseCsvLine, parseJsonLine, splitCsv} from '../../src/core/logs/formats.js';
import {inCidr, isInternal, parseAddress, parseCidr} from '../../src/core/logs/ip.js';

describe('nginx/Apache lines', () => {
	it('reads a combined line: address, time with its offset, path without the query, status, agent', () => {
		const parsed = parseClfLine('203.0.113.9 - alice [27/Nov/2026:03:12:45 +0100] "GET /v1/images/abc?key=SECRET HTTP/1.1" 401 512 "-" "curl/8.5.0"');
		expect(parsed).toEqual({ok: true, event: {t: Date.parse('2026-11-27T02:12:45Z'), ip: '203.0.113.9', status: 401, path: 'GET /v1/images/abc', ua: 'curl/8.5.0', country: null, keyId: 'alice'}});
	});

	it('reads the common format, IPv6 sources, escaped quotes and a "-" status', () => {
		expect(parseClfLine('2001:db8::1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 -')).toMatchObject({ok: true, event: {ip: '2001:db8::1', status: 200, ua: null}});
		expect(parseClfLine('10.0.0.1 - - [01/Jan/2026:00:00:00 -0500] "GET /a\\"b HTTP/1.1" - - "-" "x \\"y\\""')).toMatchObject({ok: true, event: {t: Date.parse('2026-01-01T05:00:00Z'), status: null, ua: 'x \\"y\\"'}});
	});

	it('says what is wrong with a broken line', () => {
		expect(parseClfLine('10.0.0.1 - - [broken] "GET / HTTP/1.1" 200 5')).toEqual({ok: false, reason: 'unreadable time "broken"'});
		expect(parseClfLine('not a log line')).toMatchObject({ok: false});
		expect(parseClfLine('10.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200')).toMatchObject({ok: false}); // truncated
	});

	it('keeps times right across days, months and offsets (the day is cached)', () => {
		expect(parseClfTime('31/Dec/2025:23:59:59 +0000')).toBe(Date.parse('2025-12-31T23:59:59Z'));
		expect(parseClfTime('01/Jan/2026:00:00:01 +0000')).toBe(Date.parse('2026-01-01T00:00:01Z'));
		expect(parseClfTime('01/Jan/2026:00:00:01 +0530')).toBe(Date.parse('2025-12-31T18:30:01Z'));
		expect(parseClfTime('01/Jan/2026:25:00:01 +0000')).toBeNull();
		expect(parseClfTime('01/Foo/2026:00:00:01 +0000')).toBeNull();
	});
});

describe('JSON lines, CloudTrail and CSV', () => {
	it('maps common field names by default and nested ones with --field', () => {
		const line = JSON.stringify({'@timestamp': '2026-11-27T03:00:00Z', client: {ip: '198.51.100.7'}, status: '403', http_user_agent: 'bot', geo: {country: 'RU'}, request: 'POST /v1/x?k=1 HTTP/2'});
		expect(parseJsonLine(line, DEFAULT_FIELDS)).toEqual({ok: true, event: {t: Date.parse('2026-11-27T03:00:00Z'), ip: '198.51.100.7', status: 403, path: 'POST /v1/x', ua: 'bot', country: 'RU', keyId: null}});
		const custom = fieldMapWith(['ip=peer.address', 'time=at']);
		expect(parseJsonLine(JSON.stringify({at: 1_764_212_400, peer: {address: '192.0.2.1'}}), custom)).toMatchObject({ok: true, event: {t: 1_764_212_400_000, ip: '192.0.2.1'}});
		expect(() => fieldMapWith(['nope=x'])).toThrow(/NAME=PATH/);
		expect(parseJsonLine('{"msg": "no time"}', DEFAULT_FIELDS)).toMatchObject({ok: false, reason: expect.stringContaining('no readable time')});
		expect(parseJsonLine('{broken', DEFAULT_FIELDS)).toEqual({ok: false, reason: 'not valid JSON'});
	});

	it('reads CloudTrail records and lookup-events output; error codes become statuses', () => {
		const record = {eventTime: '2026-11-27T03:00:00Z', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', sourceIPAddress: '185.220.101.7', userAgent: 'Boto3', errorCode: 'Client.UnauthorizedOperation', userIdentity: {accessKeyId: 'AKIDEXAMPLE'}};
		expect(eventFromCloudTrail(record)).toEqual({ok: true, event: {t: Date.parse('2026-11-27T03:00:00Z'), ip: '185.220.101.7', status: 403, path: 'ec2:RunInstances', ua: 'Boto3', country: null, keyId: 'AKIDEXAMPLE'}});
		expect(eventFromCloudTrail({EventId: 'x', CloudTrailEvent: JSON.stringify({...record, errorCode: 'ThrottlingException'})})).toMatchObject({ok: true, event: {status: 429}});
		expect(eventFromCloudTrail({...record, errorCode: undefined})).toMatchObject({ok: true, event: {status: 200}});
	});

	it('splits CSV with quotes and checks the field count', () => {
		expect(splitCsv('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
		expect(splitCsv('a,"open')).toBeNull();
		const header = {columns: ['created', 'ip_address', 'status', 'user_agent']};
		expect(parseCsvLine('2026-11-27 03:00:00,203.0.113.5,200,"Mozilla, 5.0"', header, DEFAULT_FIELDS)).toMatchObject({ok: true, event: {ip: '203.0.113.5', status: 200, ua: 'Mozilla, 5.0'}});
		expect(parseCsvLine('2026-11-27 03:00:00,203.0.113.5', header, DEFAULT_FIELDS)).toEqual({ok: false, reason: '2 fields, the header has 4'});
	});

	it('detects each format from the first bytes', () => {
		expect(detectFormat('{"Records": [{"eventTime": "x"}]}')).toEqual({format: 'cloudtrail', document: true});
		expect(detectFormat('{\n  "Events": []\n}')).toEqual({format: 'cloudtrail', document: true});
		expect(detectFormat('{"eventTime":"2026-11-27T00:00:00Z","eventSource":"s3.amazonaws.com"}\n')).toEqual({format: 'cloudtrail', document: false});
		expect(detectFormat('{"time":"2026-11-27T00:00:00Z"}\n')).toEqual({format: 'jsonl', document: false});
		expect(detectFormat('1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua"\n')?.format).toBe('combined');
		expect(detectFormat('1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 5\n')?.format).toBe('common');
		expect(detectFormat('created,ip,status\n2026-11-27,1.2.3.4,200\n')).toEqual({format: 'csv', document: false, csvHeader: {columns: ['created', 'ip', 'status']}});
		expect(detectFormat('hello world\n')).toBeNull();
	});
});

describe('addresses and allowlists', () => {
	it('matches IPv4 and IPv6 ranges, and IPv4-mapped IPv6 as IPv4', () => {
		const office = parseCidr('203.0.113.0/24');
		expect(inCidr(parseAddress('203.0.113.77')!, office)).toBe(true);
		expect(inCidr(parseAddress('203.0.114.1')!, office)).toBe(false);
		expect(inCidr(parseAddress('::ffff:203.0.113.5')!, office)).toBe(true);
		const v6 = parseCidr('2001:db8::/32');
		expect(inCidr(parseAddress('2001:db8:1:2::9')!, v6)).toBe(true);
		expect(inCidr(parseAddress('2001:db9::1')!, v6)).toBe(false);
		expect(inCidr(parseAddress('10.1.2.3')!, parseCidr('0.0.0.0/0'))).toBe(true);
		expect(inCidr(parseAddress('10.1.2.3')!, parseCidr('10.1.2.3'))).toBe(true);
		expect(isInternal(parseAddress('192.168.1.1')!)).toBe(true);
		expect(isInternal(parseAddress('fd00::1')!)).toBe(true);
		expect(isInternal(parseAddress('8.8.8.8')!)).toBe(false);
	});

	it('refuses nonsense with a message', () => {
		expect(() => parseCidr('10.0.0.0/33')).toThrow(/0–32/);
		expect(() => parseCidr('300.1.1.1')).toThrow(/not an IP address/);
		expect(() => parseCidr('office')).toThrow(/not an IP address/);
		expect(parseAddress('1.2.3')).toBeNull();
		expect(parseAddress('1::2::3')).toBeNull();
	});
});
