import {describe, expect, it} from 'vitest';
import {formatDuration, formatTime, parseNoticedAt} from '../../src/core/time.js';

const now = new Date('2026-11-27T12:00:00Z');

describe('parseNoticedAt', () => {
	it.each([
		['', '2026-11-27T12:00:00.000Z'],
		['now', '2026-11-27T12:00:00.000Z'],
		['30m ago', '2026-11-27T11:30:00.000Z'],
		['2h', '2026-11-27T10:00:00.000Z'],
		['3 days ago', '2026-11-24T12:00:00.000Z'],
		['2026-11-27T09:15:00Z', '2026-11-27T09:15:00.000Z'],
	])('%j -> %s', (input, expected) => {
		const parsed = parseNoticedAt(input, now);
		expect(parsed.ok && parsed.at.toISOString()).toBe(expected);
	});

	it('refuses nonsense and the future with a reason', () => {
		expect(parseNoticedAt('yesterday-ish', now)).toMatchObject({ok: false, reason: expect.stringContaining('30m ago')});
		expect(parseNoticedAt('2027-01-01T00:00:00Z', now)).toEqual({ok: false, reason: 'That time is in the future.'});
	});
});

describe('formatting', () => {
	it('formats durations and times', () => {
		expect(formatDuration(30_000)).toBe('<1m');
		expect(formatDuration(14 * 60_000)).toBe('14m');
		expect(formatDuration((2 * 60 + 14) * 60_000)).toBe('2h 14m');
		expect(formatDuration((50 * 60 + 3) * 60_000)).toBe('2d 2h');
		expect(formatTime('2026-11-27T09:15:42.123Z')).toBe('2026-11-27 09:15 UTC');
	});
});
