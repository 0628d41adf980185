// The log analysis: one pass of events in, findings out. Memory is bounded whatever the input
// (capped maps; examples kept only while few). Pure: no I/O, no clock.
import type {LogEvent} from './formats.js';
import {type Cidr, canonicalIp, inCidr, isInternal, parseAddress} from './ip.js';

/** A small Bloom filter: "seen before the exposure" for addresses past the table's limit. */
function bloom(bits = 1 << 23) {
	const table = new Uint8Array(bits >> 3);
	let first = 0;
	let second = 0;
	const hash = (text: string) => {
		let a = 2_166_136_261;
		let b = 5381;
		for (let index = 0; index < text.length; index++) {
			const code = text.charCodeAt(index);
			a = Math.imul(a ^ code, 16_777_619);
			b = (Math.imul(b, 33) + code) | 0;
		}
		first = (a >>> 0) % bits;
		second = (b >>> 0) % bits;
	};
	return {
		add(text: string) {
			hash(text);
			table[first >> 3]! |= 1 << (first & 7);
			table[second >> 3]! |= 1 << (second & 7);
		},
		has(text: string) {
			hash(text);
			return (table[first >> 3]! & (1 << (first & 7))) !== 0 && (table[second >> 3]! & (1 << (second & 7))) !== 0;
		},
	};
}

export type AnalysisOptions = {
	/** Epoch ms: requests before are the baseline, from it on the exposure. null: no baseline. */
	exposureStart: number | null;
	allow: Cidr[];
	/** Business hours in the user's zone, [from, to) on Monday–Friday, in hours (17.5 is 17:30); from > to wraps past midnight. */
	businessHours: {from: number; to: number};
	timeZone: string;
	/** Masks a line before it is kept as an example (the key never leaves in one). */
	redact: (line: string) => string;
};

/** A request as an example: parsed fields only (no query string, nothing the parser did not read). */
export function describeEvent(event: LogEvent): string {
	return [event.ip ?? '-', new Date(event.t).toISOString().replace('.000Z', 'Z'), event.path ?? '-', event.status ?? '-', event.ua ? `"${event.ua}"` : '', event.keyId && event.keyId.startsWith('AKIA') ? event.keyId : ''].filter(Boolean).join(' ');
}

export type FindingKind = 'unfamiliar-ip' | 'odd-hours' | 'spike' | 'error-burst' | 'new-user-agent' | 'new-country';

export type Finding = {
	/** Stable across runs of the same logs: `ip:1.2.3.4`, `odd-hours`, `errors:401`… */
	id: string;
	kind: FindingKind;
	title: string;
	count: number;
	firstSeen: string;
	lastSeen: string;
	examples: string[];
	detail?: string;
};

export type IpRow = {ip: string; count: number; baseline: number; exposure: number; firstSeen: string; lastSeen: string; flags: string[]};

export type LogAnalysis = {
	keyLines: number;
	baselineLines: number;
	exposureLines: number;
	malformed: {count: number; examples: string[]};
	window: {first: string | null; last: string | null; exposureStart: string | null};
	/** Requests per hour from the first to the last hour seen (the last 62 days at most). */
	hourly: {start: string | null; counts: number[]; exposureIndex: number | null};
	/** The median requests per hour in the baseline (hours with traffic); null without a baseline. */
	typicalHour: number | null;
	ips: IpRow[];
	distinctIps: number;
	ipsTruncated: boolean;
	findings: Finding[];
	notes: string[];
};

/** The address table holds at most this many (baseline addresses past 15,000 only go into a Bloom filter, so room stays for the exposure's). */
const MAX_IPS = 20_000;
const MAX_BASELINE_IPS = 15_000;
const MAX_AGENTS = 2000;
const MAX_COUNTRIES = 500;
const MAX_HOURS = 24 * 366 * 2;
const HOUR = 3_600_000;
const ERROR_CLASSES = ['401', '403', '429', '5xx'] as const;
type ErrorClass = (typeof ERROR_CLASSES)[number];

type Seen = {baseline: number; exposure: number; first: number; last: number; example: string | null};
type IpStat = Seen & {oddBaseline: number; oddExposure: number; oddFirst: number; oddLast: number; internal: boolean; allowed: boolean};
type HourStat = {n: number; errors: Record<ErrorClass, number>};

const iso = (t: number) => new Date(t).toISOString();

function errorClass(status: number | null): ErrorClass | null {
	if (status === 401 || status === 403 || status === 429) return String(status) as ErrorClass;
	return status !== null && status >= 500 && status <= 599 ? '5xx' : null;
}

function median(values: number[]): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

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

export function createAnalyzer(options: AnalysisOptions) {
	const clock = localClock(options.timeZone);
	const hours = new Map<number, HourStat>();
	const ips = new Map<string, IpStat>();
	let ipsTruncated = false;
	const agents = new Map<string, Seen>();
	const countries = new Map<string, Seen>();
	let keyLines = 0;
	let baselineLines = 0;
	let first = Number.POSITIVE_INFINITY;
	let last = Number.NEGATIVE_INFINITY;
	let hoursTruncated = false;
	const malformed = {count: 0, examples: [] as string[]};

	const {from, to} = options.businessHours;
	const isOdd = (t: number) => {
		const {weekday, hour, minute} = clock(t);
		if (weekday === 0 || weekday === 6) return true;
		const at = hour + minute / 60;
		return from < to ? at < from || at >= to : at < from && at >= to; // 22-06: a night shift
	};
	const seenBefore = bloom();
	/** Each address as written → its one spelling (addresses repeat; the regexes need not). */
	const spellings = new Map<string, string>();
	let ipsDropped = 0;
	const inBaseline = (t: number) => options.exposureStart !== null && t < options.exposureStart;

	function see<T extends Seen>(map: Map<string, T>, key: string, cap: number, make: (key: string) => T, t: number, baseline: boolean, event: LogEvent, line: (() => string) | undefined): T | null {
		let stat = map.get(key);
		if (!stat) {
			if (map.size >= cap) return null;
			if (map === (ips as unknown) && baseline && map.size >= MAX_BASELINE_IPS) return null;
			stat = make(key);
			map.set(key, stat);
		}
		if (baseline) stat.baseline++;
		else stat.exposure++;
		if (t < stat.first) stat.first = t;
		if (t > stat.last) stat.last = t;
		// Kept as read; masked when it leaves in a result (most are never shown).
		if (!baseline && stat.example === null) stat.example = line ? line() : describeEvent(event);
		return stat;
	}

	const fresh = (): Seen => ({baseline: 0, exposure: 0, first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY, example: null});
	const freshIp = (ip: string): IpStat => {
		const address = parseAddress(ip);
		return {...fresh(), oddBaseline: 0, oddExposure: 0, oddFirst: Number.POSITIVE_INFINITY, oddLast: Number.NEGATIVE_INFINITY, internal: address ? isInternal(address) : false, allowed: address ? options.allow.some(cidr => inCidr(address, cidr)) : false};
	};
	// Logs come in time order: the last minute's odd-hour answer and the last hour's counters
	// are asked again for most lines.
	let oddMinute = Number.NaN;
	let oddAnswer = false;
	const isOddCached = (t: number) => {
		const minute = Math.floor(t / 60_000);
		if (minute !== oddMinute) {
			oddMinute = minute;
			oddAnswer = isOdd(t);
		}
		return oddAnswer;
	};
	let lastHourKey = Number.NaN;
	let lastHour: HourStat | undefined;

	const oddEvents: Array<{ip: string | null; t: number; example: string}> = [];
	const oddNoIp = {count: 0, first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY};

	return {
		/** One request made with the key. `line` (by default the event described) is only called when an example is kept. */
		add(event: LogEvent, line?: () => string): void {
			keyLines++;
			const t = event.t;
			if (t < first) first = t;
			if (t > last) last = t;
			const baseline = inBaseline(t);
			if (baseline) baselineLines++;
			const odd = isOddCached(t);

			const hourKey = Math.floor(t / HOUR) * HOUR;
			let hour = hourKey === lastHourKey ? lastHour : hours.get(hourKey);
			if (!hour) {
				if (hours.size >= MAX_HOURS) hoursTruncated = true;
				else {
					hour = {n: 0, errors: {'401': 0, '403': 0, '429': 0, '5xx': 0}};
					hours.set(hourKey, hour);
				}
			}
			if (hour) {
				lastHourKey = hourKey;
				lastHour = hour;
				hour.n++;
				const cls = errorClass(event.status);
				if (cls) hour.errors[cls]++;
			}

			let ip: string | null = null;
			if (event.ip !== null) {
				ip = spellings.get(event.ip) ?? null;
				if (ip === null) {
					ip = canonicalIp(event.ip);
					if (spellings.size < 50_000) spellings.set(event.ip, ip);
				}
			}
			if (ip !== null) {
				const stat = see(ips, ip, MAX_IPS, freshIp, t, baseline, event, line);
				// Only an address the table could not hold needs the Bloom filter to be remembered.
				if (stat === null && baseline) seenBefore.add(ip);
				if (stat === null) {
					ipsTruncated = true;
					ipsDropped++;
				} else if (odd) {
					if (baseline) stat.oddBaseline++;
					else {
						stat.oddExposure++;
						if (t < stat.oddFirst) stat.oddFirst = t;
						if (t > stat.oddLast) stat.oddLast = t;
					}
				}
			} else if (odd && !baseline) {
				oddNoIp.count++;
				if (t < oddNoIp.first) oddNoIp.first = t;
				if (t > oddNoIp.last) oddNoIp.last = t;
			}
			if (event.ua !== null) see(agents, event.ua, MAX_AGENTS, fresh, t, baseline, event, line);
			if (event.country !== null) see(countries, event.country.toUpperCase(), MAX_COUNTRIES, fresh, t, baseline, event, line);
			// Odd-hour requests are judged at the end (an IP's own odd-hour habit in the baseline
			// makes its odd hours expected); keep a bounded sample meanwhile.
			if (odd && !baseline && oddEvents.length < 200) oddEvents.push({ip, t, example: line ? line() : describeEvent(event)});
		},

		malformed(reason: string, line: () => string): void {
			malformed.count++;
			if (malformed.examples.length < 5) malformed.examples.push(`${reason}: ${options.redact(line()).slice(0, 200)}`);
		},

		result(): LogAnalysis {
			const notes: string[] = [];
			const exposureLines = keyLines - baselineLines;
			const findings: Finding[] = [];
			const hasBaseline = baselineLines > 0;
			if (options.exposureStart === null) notes.push('No exposure start given: every request is treated as after the exposure, with no baseline to compare with.');
			else if (!hasBaseline && keyLines > 0) notes.push('No requests before the exposure start: nothing to compare with, so every address is new.');
			else if (keyLines > 0 && exposureLines === 0) notes.push('No requests after the exposure start: these logs end before it, so they cannot show misuse. Analyse later logs.');
			if (ipsTruncated) notes.push(`More than ${MAX_BASELINE_IPS} distinct addresses before the exposure or ${MAX_IPS} in all: ${ipsDropped} request(s) from the rest are counted in the totals only (addresses seen before the exposure are still remembered, so they are never called new).`);
			if (hoursTruncated) notes.push('The logs span more than two years: hours beyond that are left out of the chart.');

			// Unfamiliar addresses: seen after the exposure, never before, not allowlisted, not internal.
			const unfamiliar = [...ips.entries()].filter(([ip, s]) => s.exposure > 0 && s.baseline === 0 && !s.allowed && !s.internal && !seenBefore.has(ip)).sort((a, b) => b[1].exposure - a[1].exposure);
			for (const [ip, s] of unfamiliar.slice(0, 20)) {
				findings.push({
					id: `ip:${ip}`,
					kind: 'unfamiliar-ip',
					title: `Unfamiliar address ${ip}: ${s.exposure} request${s.exposure === 1 ? '' : 's'} after the exposure${hasBaseline ? ', none before' : ''}`,
					count: s.exposure,
					firstSeen: iso(s.first),
					lastSeen: iso(s.last),
					examples: s.example ? [options.redact(s.example)] : [],
					...(s.oddExposure > 0 ? {detail: `${s.oddExposure} of them at odd hours`} : {}),
				});
			}
			if (unfamiliar.length > 20) {
				const rest = unfamiliar.slice(20);
				findings.push({
					id: 'ip:others',
					kind: 'unfamiliar-ip',
					title: `${rest.length} more unfamiliar addresses`,
					count: rest.reduce((sum, [, s]) => sum + s.exposure, 0),
					firstSeen: iso(Math.min(...rest.map(([, s]) => s.first))),
					lastSeen: iso(Math.max(...rest.map(([, s]) => s.last))),
					examples: rest.slice(0, 3).map(([ip]) => ip),
				});
			}

			// Odd hours, from addresses that had no odd-hour habit before the exposure.
			const oddIps = [...ips.entries()].filter(([, s]) => s.oddExposure > 0);
			const habitual = oddIps.filter(([, s]) => s.oddBaseline > 0);
			const fresh = oddIps.filter(([, s]) => s.oddBaseline === 0).sort((a, b) => b[1].oddExposure - a[1].oddExposure);
			const oddHabitCount = habitual.reduce((sum, [, s]) => sum + s.oddExposure, 0);
			const oddNew = fresh.reduce((sum, [, s]) => sum + s.oddExposure, 0) + oddNoIp.count;
			if (oddNew > 0) {
				const habitualIps = new Set(habitual.map(([ip]) => ip));
				const sample = oddEvents.filter(event => event.ip === null || !habitualIps.has(event.ip));
				const firsts = [...fresh.map(([, s]) => s.oddFirst), oddNoIp.first];
				const lasts = [...fresh.map(([, s]) => s.oddLast), oddNoIp.last];
				const who = fresh.slice(0, 5).map(([ip, s]) => `${ip} (${s.oddExposure})`);
				findings.push({
					id: `odd-hours:${iso(Math.min(...firsts)).slice(0, 13)}`,
					kind: 'odd-hours',
					title: `${oddNew} request${oddNew === 1 ? '' : 's'} outside business hours (${formatHours(from)}–${formatHours(to)} Mon–Fri, ${options.timeZone})`,
					count: oddNew,
					firstSeen: iso(Math.min(...firsts)),
					lastSeen: iso(Math.max(...lasts)),
					examples: sample.slice(0, 3).map(event => options.redact(event.example)),
					detail: `from ${who.join(', ')}${fresh.length > 5 ? ` and ${fresh.length - 5} more` : ''}${oddNoIp.count > 0 ? `${who.length > 0 ? ', and ' : ''}${oddNoIp.count} without an address` : ''}${habitual.length > 0 ? `; ${oddHabitCount} odd-hour request(s) from addresses that also worked odd hours before are left out` : ''}`,
				});
			}

			// Hourly spikes and error bursts, against the baseline's typical hour.
			const baselineHours = [...hours.entries()].filter(([h]) => inBaseline(h + HOUR - 1));
			const exposureHours = [...hours.entries()].filter(([h]) => !inBaseline(h + HOUR - 1)).sort((a, b) => a[0] - b[0]);
			const typical = hasBaseline ? median(baselineHours.map(([, s]) => s.n)) : null;
			const reference = typical ?? median(exposureHours.map(([, s]) => s.n));
			const spikeAt = Math.max(reference * 3, reference + 10);
			const spikes = exposureHours.filter(([, s]) => s.n > spikeAt);
			if (spikes.length > 0) {
				const total = spikes.reduce((sum, [, s]) => sum + s.n, 0);
				findings.push({
					id: `spike:${iso(spikes[0]![0]).slice(0, 13)}`,
					kind: 'spike',
					title: `${spikes.length} hour${spikes.length === 1 ? '' : 's'} with a spike: up to ${Math.max(...spikes.map(([, s]) => s.n))} requests/h (typical ${reference}${typical === null ? ', from the exposure itself' : ''})`,
					count: total,
					firstSeen: iso(spikes[0]![0]),
					lastSeen: iso(spikes.at(-1)![0] + HOUR - 1),
					examples: spikes.slice(0, 3).map(([h, s]) => `${iso(h).slice(0, 13).replace('T', ' ')}:00 UTC: ${s.n} requests`),
				});
			}
			for (const cls of ERROR_CLASSES) {
				const typicalErrors = hasBaseline ? median(baselineHours.map(([, s]) => s.errors[cls])) : 0;
				const burstAt = Math.max(5, typicalErrors * 3);
				const bursts = exposureHours.filter(([, s]) => s.errors[cls] >= burstAt);
				if (bursts.length === 0) continue;
				const total = bursts.reduce((sum, [, s]) => sum + s.errors[cls], 0);
				findings.push({
					id: `errors:${cls}:${iso(bursts[0]![0]).slice(0, 13)}`,
					kind: 'error-burst',
					title: `A burst of ${cls} answers: ${total} in ${bursts.length} hour${bursts.length === 1 ? '' : 's'}${cls === '401' || cls === '403' ? ' (someone probing what the key can do?)' : cls === '429' ? ' (someone hammering the key?)' : ''}`,
					count: total,
					firstSeen: iso(bursts[0]![0]),
					lastSeen: iso(bursts.at(-1)![0] + HOUR - 1),
					examples: bursts.slice(0, 3).map(([h, s]) => `${iso(h).slice(0, 13).replace('T', ' ')}:00 UTC: ${s.errors[cls]} × ${cls}`),
				});
			}

			// New user agents and countries: only meaningful against a baseline.
			const fresher = (map: Map<string, Seen>, kind: 'new-user-agent' | 'new-country', prefix: string, label: string, limit: number) => {
				if (!hasBaseline) return;
				const items = [...map.entries()].filter(([, s]) => s.exposure > 0 && s.baseline === 0).sort((a, b) => b[1].exposure - a[1].exposure);
				for (const [value, s] of items.slice(0, limit)) {
					findings.push({id: `${prefix}:${value.slice(0, 120)}`, kind, title: `${label} ${value.slice(0, 80)}: ${s.exposure} request${s.exposure === 1 ? '' : 's'}`, count: s.exposure, firstSeen: iso(s.first), lastSeen: iso(s.last), examples: s.example ? [options.redact(s.example)] : []});
				}
			};
			fresher(agents, 'new-user-agent', 'ua', 'New user agent', 10);
			fresher(countries, 'new-country', 'country', 'New country', 10);

			// The chart: the last 62 days of hours at most.
			let hourly: LogAnalysis['hourly'] = {start: null, counts: [], exposureIndex: null};
			if (hours.size > 0) {
				const lastHour = Math.floor(last / HOUR) * HOUR;
				const startHour = Math.max(Math.floor(first / HOUR) * HOUR, lastHour - 62 * 24 * HOUR);
				const counts: number[] = [];
				for (let h = startHour; h <= lastHour; h += HOUR) counts.push(hours.get(h)?.n ?? 0);
				const exposureIndex = options.exposureStart === null ? null : Math.floor((options.exposureStart - startHour) / HOUR);
				hourly = {start: iso(startHour), counts, exposureIndex: exposureIndex !== null && exposureIndex >= 0 && exposureIndex < counts.length ? exposureIndex : null};
			}

			const flagsOf = (s: IpStat): string[] => {
				const flags: string[] = [];
				if (s.allowed) flags.push('allowlisted');
				if (s.internal) flags.push('internal');
				if (s.exposure > 0 && s.baseline === 0 && !s.allowed && !s.internal) flags.push('new');
				if (s.oddExposure > 0) flags.push('odd-hours');
				return flags;
			};
			const ipRows = [...ips.entries()]
				.sort((a, b) => b[1].baseline + b[1].exposure - (a[1].baseline + a[1].exposure))
				.slice(0, 50)
				.map(([ip, s]) => ({ip, count: s.baseline + s.exposure, baseline: s.baseline, exposure: s.exposure, firstSeen: iso(s.first), lastSeen: iso(s.last), flags: flagsOf(s)}));

			return {
				keyLines,
				baselineLines,
				exposureLines,
				malformed,
				window: {first: keyLines > 0 ? iso(first) : null, last: keyLines > 0 ? iso(last) : null, exposureStart: options.exposureStart === null ? null : iso(options.exposureStart)},
				hourly,
				typicalHour: typical,
				ips: ipRows,
				distinctIps: ips.size,
				ipsTruncated,
				findings,
				notes,
			};
		},
	};
}
export type Analyzer = ReturnType<typeof createAnalyzer>;

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
