import {describe, expect, it} from 'vitest';
import {errorBursts, hourlySpikes, median, newValues, oddHourRequests, splitHours, unfamiliarAddresses} from '../../src/core/logs/checks.js';
import {HOUR, type HourStat, type IpStat, type Seen} from '../../src/core/logs/counting.js';

// The checks on hand-built tallies: no counting pass involved.
const T0 = Date.parse('2026-11-23T00:00:00Z');
const EXPOSURE = T0 + 48 * HOUR;
const redact = (line: string) => line.replace('SECRET', '…');
const seen = (extra: Partial<Seen> = {}): Seen => ({baseline: 0, exposure: 0, first: EXPOSURE, last: EXPOSURE + HOUR, example: null, ...extra});
const ipStat = (extra: Partial<IpStat> = {}): IpStat => ({...seen(), oddBaseline: 0, oddExposure: 0, oddFirst: Number.POSITIVE_INFINITY, oddLast: Number.NEGATIVE_INFINITY, internal: false, allowed: false, ...extra});
const hour = (n: number, errors: Partial<HourStat['errors']> = {}): HourStat => ({n, errors: {'401': 0, '403': 0, '429': 0, '5xx': 0, ...errors}});
const none = {has: () => false};

describe('log checks (pure, on tallies)', () => {
	it('unfamiliar addresses: new after the exposure, not allowlisted, internal or remembered; busiest first, masked examples', () => {
		const ips = new Map<string, IpStat>([
			['192.0.2.1', ipStat({exposure: 3, example: 'SECRET one', oddExposure: 2})],
			['192.0.2.2', ipStat({exposure: 9})],
			['192.0.2.3', ipStat({exposure: 5, baseline: 1})],
			['192.0.2.4', ipStat({exposure: 5, allowed: true})],
			['10.0.0.4', ipStat({exposure: 5, internal: true})],
			['192.0.2.5', ipStat({exposure: 5})],
		]);
		const findings = unfamiliarAddresses(ips, {has: ip => ip === '192.0.2.5'}, true, redact);
		expect(findings.map(f => f.id)).toEqual(['ip:192.0.2.2', 'ip:192.0.2.1']);
		expect(findings[1]).toMatchObject({title: 'Unfamiliar address 192.0.2.1: 3 requests after the exposure, none before', examples: ['… one'], detail: '2 of them at odd hours'});
	});

	it('unfamiliar addresses past 20 are summed in one finding', () => {
		const ips = new Map<string, IpStat>(Array.from({length: 23}, (_, n) => [`192.0.2.${n}`, ipStat({exposure: 100 - n})]));
		const findings = unfamiliarAddresses(ips, none, false, redact);
		expect(findings).toHaveLength(21);
		expect(findings[20]).toMatchObject({id: 'ip:others', title: '3 more unfamiliar addresses', count: 80 + 79 + 78, examples: ['192.0.2.20', '192.0.2.21', '192.0.2.22']});
		expect(findings[0]!.title).not.toContain('none before');
	});

	it('odd hours leave out addresses with an odd-hour habit before the exposure, and count requests without an address', () => {
		const ips = new Map<string, IpStat>([
			['192.0.2.1', ipStat({oddExposure: 4, oddFirst: EXPOSURE + 2 * HOUR, oddLast: EXPOSURE + 3 * HOUR})],
			['192.0.2.2', ipStat({oddExposure: 6, oddBaseline: 2, oddFirst: EXPOSURE + HOUR, oddLast: EXPOSURE + HOUR})],
		]);
		const oddEvents = [
			{ip: '192.0.2.2', t: EXPOSURE + HOUR, example: 'habit'},
			{ip: '192.0.2.1', t: EXPOSURE + 2 * HOUR, example: 'SECRET new'},
		];
		const [finding, ...rest] = oddHourRequests({ips, oddEvents, oddNoIp: {count: 1, first: EXPOSURE + 5 * HOUR, last: EXPOSURE + 5 * HOUR}}, {businessHours: {from: 8, to: 17.5}, timeZone: 'UTC', redact});
		expect(rest).toEqual([]);
		expect(finding).toMatchObject({
			id: 'odd-hours:2026-11-25T02',
			count: 5,
			title: '5 requests outside business hours (08–17:30 Mon–Fri, UTC)',
			examples: ['… new'],
			detail: 'from 192.0.2.1 (4), and 1 without an address; 6 odd-hour request(s) from addresses that also worked odd hours before are left out',
		});
		expect(oddHourRequests({ips: new Map(), oddEvents: [], oddNoIp: {count: 0, first: Infinity, last: -Infinity}}, {businessHours: {from: 8, to: 19}, timeZone: 'UTC', redact})).toEqual([]);
	});

	it('spikes: hours over 3× the baseline typical hour (and 10 more); without a baseline the exposure is its own reference', () => {
		const hours = new Map<number, HourStat>([
			[T0 + 10 * HOUR, hour(10)],
			[T0 + 11 * HOUR, hour(12)],
			[EXPOSURE + 10 * HOUR, hour(11)],
			[EXPOSURE + 11 * HOUR, hour(40)],
		]);
		const split = splitHours(hours, EXPOSURE);
		expect(split.baseline).toHaveLength(2);
		expect(split.exposure.map(([h]) => h)).toEqual([EXPOSURE + 10 * HOUR, EXPOSURE + 11 * HOUR]);
		const typical = median(split.baseline.map(([, s]) => s.n));
		expect(typical).toBe(11);
		expect(hourlySpikes(split, typical)).toMatchObject([{id: 'spike:2026-11-25T11', count: 40, title: '1 hour with a spike: up to 40 requests/h (typical 11)', examples: ['2026-11-25 11:00 UTC: 40 requests']}]);
		expect(hourlySpikes(split, 20)).toEqual([]);
		// No baseline: every hour is the exposure's, the reference their median (11.5): 40 > 34.5.
		expect(hourlySpikes(splitHours(hours, null), null)[0]!.title).toContain('typical 11.5, from the exposure itself');
	});

	it('error bursts: at least 5 of a class in an hour and 3× the baseline typical', () => {
		const hours = new Map<number, HourStat>([
			[T0 + 10 * HOUR, hour(10, {'429': 3})],
			[EXPOSURE + 10 * HOUR, hour(10, {'401': 6, '429': 8})],
			[EXPOSURE + 11 * HOUR, hour(10, {'401': 4, '429': 8})],
		]);
		const findings = errorBursts(splitHours(hours, EXPOSURE), true);
		expect(findings.map(f => [f.id, f.count])).toEqual([['errors:401:2026-11-25T10', 6]]);
		expect(findings[0]!.title).toBe('A burst of 401 answers: 6 in 1 hour (someone probing what the key can do?)');
		// Without a baseline the bar is 5 of a class.
		expect(errorBursts(splitHours(hours, EXPOSURE), false).map(f => f.id)).toEqual(['errors:401:2026-11-25T10', 'errors:429:2026-11-25T10']);
	});

	it('new user agents and countries only against a baseline, the 10 busiest', () => {
		const agents = new Map<string, Seen>([
			['curl/8.0', seen({exposure: 2, example: 'SECRET curl'})],
			['app/1.0', seen({exposure: 50, baseline: 50})],
			...Array.from({length: 11}, (_, n): [string, Seen] => [`bot/${n}`, seen({exposure: 1})]),
		]);
		const findings = newValues(agents, 'new-user-agent', true, redact);
		expect(findings).toHaveLength(10);
		expect(findings[0]).toMatchObject({id: 'ua:curl/8.0', kind: 'new-user-agent', title: 'New user agent curl/8.0: 2 requests', examples: ['… curl']});
		expect(newValues(new Map([['FR', seen({exposure: 1})]]), 'new-country', true, redact)[0]).toMatchObject({id: 'country:FR', title: 'New country FR: 1 request'});
		expect(newValues(agents, 'new-user-agent', false, redact)).toEqual([]);
	});
});
