// What a responder types for a log analysis (CLI flags or the wizard's questions), checked.
// Pure: each mistake throws an Error naming what is wrong; callers say which option it was.
import {checkTimeZone, parseBusinessHours} from './clock.js';
import {type Cidr, parseCidr} from './ip.js';
import {parseNoticedAt} from '../time.js';

/** A date or date-time with no zone of its own: `2026-11-20`, `2026-11-20 14:00`, `2026-11-20T14:00:30`. */
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** Whether `--since` text is a wall-clock time (no zone, not relative): it is read in the analysis's zone. */
export function sinceIsWallClock(text: string): boolean {
	return WALL_CLOCK.test(text.trim());
}

/**
 * `--since`: an exposure start ("3d ago", "2026-11-20 14:00", ISO). A date or time without a zone
 * is read in `timeZone` (the analysis's `--tz`), never in this machine's zone; one with a zone
 * (`Z`, `+01:00`) or a relative one ("3d ago") means what it says. Without `timeZone`, the old
 * reading (the machine's zone) is kept.
 */
export function parseSince(text: string, now: Date, timeZone?: string): number {
	const wall = timeZone === undefined ? null : WALL_CLOCK.exec(text.trim());
	if (wall) {
		const number = (index: number) => Number(wall[index] ?? 0);
		const milli = Number((wall[7] ?? '0').padEnd(3, '0')); // ".5" is 500 ms
		const t = zonedTime({year: number(1), month: number(2), day: number(3), hour: number(4), minute: number(5), second: number(6), milli}, timeZone!);
		if (t === null) throw new Error('Use "now", "30m ago", "2h ago", "3d ago" or a date like 2026-11-27 14:05.');
		if (t > now.getTime() + 60_000) throw new Error('That time is in the future.');
		return t;
	}
	const parsed = parseNoticedAt(text, now);
	if (!parsed.ok) throw new Error(parsed.reason);
	return parsed.at.getTime();
}

type WallTime = {year: number; month: number; day: number; hour: number; minute: number; second: number; milli: number};

/** The instant a wall-clock time names in `timeZone`; null for a day or hour that does not exist. */
export function zonedTime(wall: WallTime, timeZone: string): number | null {
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.milli);
	const check = new Date(asUtc);
	if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
	if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return asUtc;
	// The zone's offset at the guess, then at the answer (a guess across a DST change is an hour off).
	let t = asUtc - zoneOffset(asUtc, timeZone);
	t = asUtc - zoneOffset(t, timeZone);
	return t;
}

/** How far `timeZone`'s clock is ahead of UTC at instant `t`, in ms. */
function zoneOffset(t: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23'}).formatToParts(new Date(t));
	const get = (type: string) => Number(parts.find(part => part.type === type)?.value ?? 0);
	const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return local - (t - (((t % 1000) + 1000) % 1000));
}

/** Space- or comma-separated CIDRs (or bare addresses). */
export function parseAllowList(text: string | string[]): Cidr[] {
	const items = (Array.isArray(text) ? text : [text]).flatMap(part => part.split(/[\s,]+/)).filter(Boolean);
	return items.map(parseCidr);
}

/** "08-19 Europe/Berlin", "09-17", or "08-19 UTC". */
export function parseHoursAndZone(text: string, defaultZone: string): {businessHours: {from: number; to: number}; timeZone: string} {
	const [hours = '08-19', zone] = text.trim().split(/\s+/);
	return {businessHours: parseBusinessHours(hours), timeZone: checkTimeZone(zone ?? defaultZone)};
}

export function localTimeZone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
