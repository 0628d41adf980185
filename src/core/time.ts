// Parsing what a responder types for "when was it noticed", and short human durations.

export type ParsedTime = {ok: true; at: Date} | {ok: false; reason: string};

const RELATIVE = /^(\d+)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)(?:\s+ago)?$/i;

/** Accepts `now`, `30m ago`, `2h`, `3d ago`, `2026-11-27 14:05`, or an ISO date-time. */
export function parseNoticedAt(input: string, now: Date): ParsedTime {
	const text = input.trim();
	if (text === '' || text.toLowerCase() === 'now') return {ok: true, at: now};
	const relative = RELATIVE.exec(text);
	if (relative) {
		const amount = Number(relative[1]);
		const unit = relative[2]!.toLowerCase();
		const minutes = unit.startsWith('m') ? amount : unit.startsWith('h') ? amount * 60 : amount * 60 * 24;
		return {ok: true, at: new Date(now.getTime() - minutes * 60_000)};
	}
	const normalised = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text) ? text.replace(' ', 'T') : text;
	const parsed = Date.parse(normalised);
	if (Number.isNaN(parsed)) {
		return {ok: false, reason: 'Use "now", "30m ago", "2h ago", "3d ago" or a date like 2026-11-27 14:05.'};
	}
	if (parsed > now.getTime() + 60_000) return {ok: false, reason: 'That time is in the future.'};
	return {ok: true, at: new Date(parsed)};
}

/** 2d 3h, 3h 12m, 4m, <1m */
export function formatDuration(ms: number): string {
	const minutes = Math.floor(Math.max(0, ms) / 60_000);
	if (minutes < 1) return '<1m';
	const days = Math.floor(minutes / 1440);
	const hours = Math.floor((minutes % 1440) / 60);
	const mins = minutes % 60;
	if (days > 0) return `${days}d ${hours}h`;
	if (hours > 0) return `${hours}h ${mins}m`;
	return `${mins}m`;
}

/** 2026-11-27 14:05 UTC: one format for screens and reports. */
export function formatTime(iso: string): string {
	const date = new Date(iso);
	return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
