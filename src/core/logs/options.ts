// What a responder types for a log analysis (CLI flags or the wizard's questions), checked.
// Pure: each mistake throws an Error naming what is wrong; callers say which option it was.
import {checkTimeZone, parseBusinessHours} from './analyze.js';
import {type Cidr, parseCidr} from './ip.js';
import {parseNoticedAt} from '../time.js';

/** `--since`: an exposure start ("3d ago", "2026-11-20 14:00", ISO). */
export function parseSince(text: string, now: Date): number {
	const parsed = parseNoticedAt(text, now);
	if (!parsed.ok) throw new Error(parsed.reason);
	return parsed.at.getTime();
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
