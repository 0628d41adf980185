import {describe, expect, it} from 'vitest';
import {createAnalyzer, localClock, parseBusinessHours, checkTimeZone, type AnalysisOptions} from '../../src/core/logs/analyze.js';
import type {LogEvent} from '../../src/core/logs/formats.js';
import {parseCidr} from '../../src/core/logs/ip.js';
import {hourlyChart} from '../../src/core/logs/chart.js';

const H = 3_600_000;
// Monday 2026-11-23 00:00 UTC; the exposure begins Wednesday 00:00.
const MONDAY = Date.parse('2026-11-23T00:00:00Z');
const EXPOSURE = MONDAY + 48 * H;

const event = (t: number, ip: string, extra: Partial<LogEvent> = {}): LogEvent => ({t, ip, status: 200, path: 'GET /', ua: 'app/1.0', country: null, keyId: null, ...extra});

function analyze(events: LogEvent[], options: Partial<AnalysisOptions> = {}) {
	const analyzer = createAnalyzer({exposureStart: EXPOSURE, allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC', redact: line => line.replace('SECRET', '…'), ...options});
	for (const e of events) analyzer.add(e, () => `${e.ip} SECRET ${new Date(e.t).toISOString()}`);
	return analyzer.result();
}

/** Two working days of normal use from the team, then the same after the exposure. */
function normalDays(days: number[], extra: (t: number) => LogEvent[] = () => []): LogEvent[] {
	const out: LogEvent[] = [];
	for (const day of days) {
		for (let hour = 9; hour < 18; hour++) {
			const t = MONDAY + day * 24 * H + hour * H;
			for (let i = 0; i < 10; i++) out.push(event(t + i * 60_000, i % 2 ? '203.0.113.10' : '203.0.113.11'));
			out.push(...extra(t));
		}
	}
	return out;
}

describe('log findings', () => {
	it('remembers baseline addresses past the table (the Bloom filter): they are never called new', () => {
		// 16,000 addresses before the exposure: the table keeps 15,000, the rest only in the filter.
		const before: LogEvent[] = [];
		for (let n = 0; n < 16_000; n++) before.push(event(MONDAY + 10 * H + n, `10.${n >> 8}.${n & 255}.1`.replace(/^10\./, '198.')));
		const late = '198.62.127.1'; // the last one written: past the table, only in the filter
		const result = analyze([...before, event(EXPOSURE + 10 * H, late), event(EXPOSURE + 10 * H + 1, '192.0.2.99')]);
		expect(result.ipsTruncated).toBe(true);
		const unfamiliar = result.findings.filter(finding => finding.kind === 'unfamiliar-ip').map(finding => finding.id);
		expect(unfamiliar).toEqual(['ip:192.0.2.99']);
	});

	it('nothing to report when the exposure looks like the baseline', () => {
		const result = analyze(normalDays([0, 1, 2, 3]));
		expect(result.findings).toEqual([]);
		expect(result.baselineLines).toBe(180);
		expect(result.exposureLines).toBe(180);
		expect(result.typicalHour).toBe(10);
	});

	it('flags a new foreign address at 3 a.m. with a spike and a burst of 401s, examples masked', () => {
		const attack = Array.from({length: 60}, (_, i) => event(EXPOSURE + 3 * H + i * 30_000, '185.220.101.7', {status: i < 20 ? 401 : 200, ua: 'python-requests/2.31'}));
		const result = analyze([...normalDays([0, 1, 2]), ...attack]);
		const kinds = result.findings.map(finding => finding.id);
		const hour = new Date(EXPOSURE + 3 * H).toISOString().slice(0, 13);
		expect(kinds).toEqual(['ip:185.220.101.7', `odd-hours:${hour}`, `spike:${hour}`, `errors:401:${hour}`, 'ua:python-requests/2.31']);
		const ip = result.findings[0]!;
		expect(ip).toMatchObject({count: 60, firstSeen: new Date(EXPOSURE + 3 * H).toISOString(), detail: '60 of them at odd hours'});
		expect(ip.examples[0]).toContain('185.220.101.7 …');
		expect(JSON.stringify(result)).not.toContain('SECRET');
		expect(result.ips.find(row => row.ip === '185.220.101.7')?.flags).toEqual(['new', 'odd-hours']);
		expect(result.hourly.counts[result.hourly.exposureIndex! + 3]).toBe(60);
	});

	it('does not flag allowlisted or internal addresses, nor an odd-hour habit that predates the exposure', () => {
		const nightly = (t: number) => (new Date(t).getUTCHours() === 9 ? [event(t - 7 * H, '203.0.113.10')] : []); // 02:00 every day
		const events = [...normalDays([0, 1, 2, 3], nightly), event(EXPOSURE + 10 * H, '10.0.0.5'), event(EXPOSURE + 11 * H, '198.51.100.20')];
		const result = analyze(events, {allow: [parseCidr('198.51.100.0/24')]});
		expect(result.findings).toEqual([]);
		expect(result.ips.find(row => row.ip === '10.0.0.5')?.flags).toEqual(['internal']);
		expect(result.ips.find(row => row.ip === '198.51.100.20')?.flags).toEqual(['allowlisted']);
	});

	it('says when there is no baseline, and still lists every address as unfamiliar', () => {
		const result = analyze([event(EXPOSURE + H, '192.0.2.1')], {exposureStart: null});
		expect(result.notes[0]).toMatch(/No exposure start given/);
		expect(result.findings.map(finding => finding.id)).toContain('ip:192.0.2.1');
		expect(result.typicalHour).toBeNull();
	});

	it('a night shift (22-06) makes the day odd; addresses are one row however they are written', () => {
		const night = analyze([event(EXPOSURE + 23 * H, '203.0.113.5'), event(EXPOSURE + 12 * H, '203.0.113.6')], {businessHours: {from: 22, to: 6}, exposureStart: null});
		expect(night.findings.find(finding => finding.kind === 'odd-hours')?.detail).toBe('from 203.0.113.6 (1)');
		const spelled = analyze([event(MONDAY, '2001:DB8:0:0::1'), event(EXPOSURE + H, '[2001:db8::1]:443'), event(MONDAY, '10.1.2.3'), event(EXPOSURE + H, '10.1.2.3:5555'), event(EXPOSURE + H, '::ffff:10.1.2.3')]);
		expect(spelled.ips.map(row => [row.ip, row.count])).toEqual([['10.1.2.3', 3], ['2001:db8::1', 2]]);
		expect(spelled.findings).toEqual([]);
	});

	it('keeps room for the exposure: past 15,000 addresses before it, new ones after it are still tracked and flagged', () => {
		const before = Array.from({length: 16_000}, (_, i) => event(MONDAY + i, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, {ip: `198.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`}));
		const result = analyze([...before, event(EXPOSURE + H, '198.0.62.127'), event(EXPOSURE + H, '185.220.101.7')]);
		const ids = result.findings.filter(finding => finding.kind === 'unfamiliar-ip').map(finding => finding.id);
		expect(ids).toEqual(['ip:185.220.101.7']); // 198.0.62.127 was seen before, past the table's limit: remembered, not new
	});

	it('keeps memory bounded: past 20,000 addresses the rest are only counted', () => {
		const many = Array.from({length: 20_050}, (_, i) => event(EXPOSURE + i, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
		const result = analyze(many);
		expect(result.keyLines).toBe(20_050);
		expect(result.distinctIps).toBe(20_000);
		expect(result.notes.some(note => note.includes('or 20000 in all: 50 request(s) from the rest'))).toBe(true);
		expect(result.ips).toHaveLength(50);
	});

	it('counts malformed lines with a few masked examples', () => {
		const analyzer = createAnalyzer({exposureStart: null, allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC', redact: line => line.replace('SECRET', '…')});
		for (let i = 0; i < 9; i++) analyzer.malformed('not valid JSON', () => `{SECRET ${i}`);
		expect(analyzer.result().malformed).toEqual({count: 9, examples: ['not valid JSON: {… 0', 'not valid JSON: {… 1', 'not valid JSON: {… 2', 'not valid JSON: {… 3', 'not valid JSON: {… 4']});
	});
});

describe('business hours and time zones', () => {
	it('agrees with Intl on weekday and hour, across DST and half-hour zones', () => {
		for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide', 'UTC']) {
			const clock = localClock(zone);
			const format = new Intl.DateTimeFormat('en-US', {timeZone: zone, weekday: 'short', hour: 'numeric', hourCycle: 'h23'});
			for (let t = Date.parse('2026-03-28T00:00:00Z'); t < Date.parse('2026-04-06T00:00:00Z'); t += 37 * 60_000) {
				const parts = format.formatToParts(new Date(t));
				const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.find(part => part.type === 'weekday')!.value);
				const hour = Number(parts.find(part => part.type === 'hour')!.value) % 24;
				const {weekday: w, hour: h} = clock(t);
				expect({zone, t: new Date(t).toISOString(), weekday: w, hour: h}).toEqual({zone, t: new Date(t).toISOString(), weekday, hour});
			}
		}
	});

	it('reads hours and zones, and refuses bad ones', () => {
		expect(parseBusinessHours('08-19')).toEqual({from: 8, to: 19});
		expect(parseBusinessHours('9:00-17:00')).toEqual({from: 9, to: 17});
		expect(parseBusinessHours('22-06')).toEqual({from: 22, to: 6});
		expect(parseBusinessHours('09:30-17:30')).toEqual({from: 9.5, to: 17.5});
		expect(() => parseBusinessHours('19-19')).toThrow(/FROM-TO/);
		expect(() => parseBusinessHours('9-25')).toThrow(/FROM-TO/);
		expect(checkTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
		expect(() => checkTimeZone('Mars/Olympus')).toThrow(/unknown time zone/);
	});

	it('draws the chart in columns of hours with the exposure marked', () => {
		expect(hourlyChart([0, 1, 2, 8], 2, 10)).toEqual({bars: ' ▁▂█', marker: '  ^ exposure', hoursPerColumn: 1});
		expect(hourlyChart(Array.from({length: 48}, () => 1), 24, 12).hoursPerColumn).toBe(4);
	});
});
