import {describe, expect, it} from 'vitest';
import {createCounter, type CountOptions, describeEvent, errorClass, HOUR, MAX_BASELINE_IPS} from '../../src/core/logs/counting.js';
import type {LogEvent} from '../../src/core/logs/formats.js';
import {parseCidr} from '../../src/core/logs/ip.js';

// Monday 2026-11-23 00:00 UTC; the exposure begins Wednesday 00:00.
const MONDAY = Date.parse('2026-11-23T00:00:00Z');
const EXPOSURE = MONDAY + 48 * HOUR;
const event = (t: number, ip: string | null, extra: Partial<LogEvent> = {}): LogEvent => ({t, ip, status: 200, path: 'GET /', ua: 'app/1.0', country: null, keyId: null, ...extra});
const counter = (options: Partial<CountOptions> = {}) => createCounter({exposureStart: EXPOSURE, allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC', redact: line => line.replace('SECRET', '…'), ...options});

describe('log counting (the tallies, no judging)', () => {
	it('splits requests into baseline and exposure, per hour, with error classes', () => {
		const c = counter();
		c.add(event(MONDAY + 10 * HOUR, '203.0.113.1'));
		c.add(event(MONDAY + 10 * HOUR + 5, '203.0.113.1', {status: 401}));
		c.add(event(EXPOSURE + 10 * HOUR, '203.0.113.1', {status: 503}));
		const {counts} = c;
		expect(counts.keyLines).toBe(3);
		expect(counts.baselineLines).toBe(2);
		expect(counts.first).toBe(MONDAY + 10 * HOUR);
		expect(counts.last).toBe(EXPOSURE + 10 * HOUR);
		expect(counts.hours.get(MONDAY + 10 * HOUR)).toEqual({n: 2, errors: {'401': 1, '403': 0, '429': 0, '5xx': 0}});
		expect(counts.hours.get(EXPOSURE + 10 * HOUR)).toEqual({n: 1, errors: {'401': 0, '403': 0, '429': 0, '5xx': 1}});
		const ip = counts.ips.get('203.0.113.1')!;
		expect([ip.baseline, ip.exposure]).toEqual([2, 1]);
		expect(counts.agents.get('app/1.0')).toMatchObject({baseline: 2, exposure: 1});
	});

	it('counts odd hours per address and without one, and keeps a sample of odd-hour requests after the exposure', () => {
		const c = counter();
		c.add(event(MONDAY + 2 * HOUR, '203.0.113.5')); // Monday 02:00: odd, baseline
		c.add(event(EXPOSURE + 3 * HOUR, '203.0.113.5')); // Wednesday 03:00: odd, exposure
		c.add(event(EXPOSURE + 12 * HOUR, '203.0.113.5')); // Wednesday noon: not odd
		c.add(event(EXPOSURE + 4 * HOUR, null)); // odd, no address
		const {counts} = c;
		const ip = counts.ips.get('203.0.113.5')!;
		expect([ip.oddBaseline, ip.oddExposure, ip.oddFirst, ip.oddLast]).toEqual([1, 1, EXPOSURE + 3 * HOUR, EXPOSURE + 3 * HOUR]);
		expect(counts.oddNoIp).toEqual({count: 1, first: EXPOSURE + 4 * HOUR, last: EXPOSURE + 4 * HOUR});
		expect(counts.oddEvents.map(e => e.ip)).toEqual(['203.0.113.5', null]);
		expect(counts.oddEvents[1]!.example).toBe(describeEvent(event(EXPOSURE + 4 * HOUR, null)));
	});

	it('writes each address one way, flags allowlisted and internal ones, and upper-cases countries', () => {
		const c = counter({allow: [parseCidr('198.51.100.0/24')]});
		c.add(event(EXPOSURE + 10 * HOUR, '2001:DB8:0:0::1', {country: 'de'}));
		c.add(event(EXPOSURE + 10 * HOUR, '2001:db8::1', {country: 'DE'}));
		c.add(event(EXPOSURE + 10 * HOUR, '198.51.100.7'));
		c.add(event(EXPOSURE + 10 * HOUR, '10.0.0.1'));
		const {counts} = c;
		expect(counts.ips.get('2001:db8::1')?.exposure).toBe(2);
		expect(counts.ips.get('198.51.100.7')).toMatchObject({allowed: true, internal: false});
		expect(counts.ips.get('10.0.0.1')).toMatchObject({allowed: false, internal: true});
		expect(counts.countries.get('DE')?.exposure).toBe(2);
	});

	it('keeps the first example after the exposure only, built lazily', () => {
		const c = counter();
		let calls = 0;
		const line = (text: string) => () => (calls++, text);
		c.add(event(MONDAY + 10 * HOUR, '203.0.113.9'), line('before'));
		c.add(event(EXPOSURE + 10 * HOUR, '203.0.113.9'), line('first after'));
		c.add(event(EXPOSURE + 11 * HOUR, '203.0.113.9'), line('second after'));
		expect(c.counts.ips.get('203.0.113.9')!.example).toBe('first after');
		// The address and the user agent each keep one (the same line); nothing else is built.
		expect(calls).toBe(2);
	});

	it('holds baseline addresses past its table in the Bloom filter only', () => {
		const c = counter();
		for (let n = 0; n <= MAX_BASELINE_IPS; n++) c.add(event(MONDAY + 10 * HOUR, `198.${n >> 16}.${(n >> 8) & 255}.${n & 255}`));
		const last = `198.0.${(MAX_BASELINE_IPS >> 8) & 255}.${MAX_BASELINE_IPS & 255}`;
		expect(c.counts.ips.size).toBe(MAX_BASELINE_IPS);
		expect(c.counts.ips.has(last)).toBe(false);
		expect(c.counts.seenBefore.has(last)).toBe(true);
		expect(c.counts.ipsTruncated).toBe(true);
		expect(c.counts.ipsDropped).toBe(1);
	});

	it('counts unreadable lines, keeps five examples masked and cut to 200 characters', () => {
		const c = counter();
		for (let n = 0; n < 7; n++) c.malformed('not valid JSON', () => `SECRET ${'x'.repeat(300)}`);
		expect(c.counts.malformed.count).toBe(7);
		expect(c.counts.malformed.examples).toHaveLength(5);
		expect(c.counts.malformed.examples[0]!.startsWith('not valid JSON: … x')).toBe(true);
		expect(c.counts.malformed.examples[0]!.length).toBe('not valid JSON: '.length + 200);
	});

	it('puts statuses in their error classes', () => {
		expect([401, 403, 429, 500, 599, 404, 200, null].map(errorClass)).toEqual(['401', '403', '429', '5xx', '5xx', null, null, null]);
	});
});
