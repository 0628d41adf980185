// Time in the user's zone for the log analysis: the zone's clock for an instant (cheap, asked for
// every line), business hours ("08-19", "22-06") and whether an instant falls outside them. Pure.

/**
 * A timezone's weekday and hour for an instant. The zone's offset is asked of Intl once per
 * quarter hour (every zone's offset is a multiple of 15 min); the rest is arithmetic.
 */
export function localClock(timeZone: string): (t: number) => {weekday: number; hour: number; minute: number} {
	const utc = timeZone === 'UTC' || timeZone === 'Etc/UTC';
	const format = utc ? null : new Intl.DateTimeFormat('en-US', {timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23'});
	const offsets = new Map<number, number>();
	const offsetAt = (t: number): number => {
		if (format === null) return 0;
		const slot = Math.floor(t / 900_000);
		let offset = offsets.get(slot);
		if (offset === undefined) {
			const parts: Record<string, number> = {};
			for (const part of format.formatToParts(new Date(slot * 900_000))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
			const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!);
			offset = local - slot * 900_000;
			if (offsets.size > 50_000) offsets.clear();
			offsets.set(slot, offset);
		}
		return offset;
	};
	const result = {weekday: 0, hour: 0, minute: 0};
	return t => {
		const local = t + offsetAt(t);
		const hours = Math.floor(local / 3_600_000);
		result.hour = ((hours % 24) + 24) % 24;
		result.minute = Math.floor(((local % 3_600_000) + 3_600_000) % 3_600_000 / 60_000);
		result.weekday = ((Math.floor(hours / 24) % 7) + 11) % 7; // 1970-01-01 was a Thursday (4)
		return result;
	};
}

/** Whether an instant is outside business hours (weekends always are), in `timeZone`. */
export function oddHours(businessHours: {from: number; to: number}, timeZone: string): (t: number) => boolean {
	const clock = localClock(timeZone);
	const {from, to} = businessHours;
	return t => {
		const {weekday, hour, minute} = clock(t);
		if (weekday === 0 || weekday === 6) return true;
		const at = hour + minute / 60;
		return from < to ? at < from || at >= to : at < from && at >= to; // 22-06: a night shift
	};
}

/** 8 → "08", 17.5 → "17:30". */
export function formatHours(value: number): string {
	const minutes = Math.round((value % 1) * 60);
	return `${String(Math.floor(value)).padStart(2, '0')}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

/** `08-19` → {from: 8, to: 19}; `09:30-17:30`; `22-06` (a night shift, past midnight). */
export function parseBusinessHours(text: string): {from: number; to: number} {
	const m = /^(\d{1,2})(?::([0-5]\d))?\s*-\s*(\d{1,2})(?::([0-5]\d))?$/.exec(text.trim());
	const from = m ? Number(m[1]) + Number(m[2] ?? 0) / 60 : Number.NaN;
	const to = m ? Number(m[3]) + Number(m[4] ?? 0) / 60 : Number.NaN;
	if (!(from >= 0 && from < 24 && to >= 0 && to <= 24 && to !== from)) throw new Error(`business hours "${text}": expected FROM-TO, e.g. 08-19, 09:30-17:30 or 22-06`);
	return {from, to};
}

export function checkTimeZone(timeZone: string): string {
	// UTC needs no time-zone data (and so no ICU start-up, ~20 ms).
	if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return timeZone;
	try {
		new Intl.DateTimeFormat('en-US', {timeZone});
		return timeZone;
	} catch {
		throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin or UTC)`);
	}
}
