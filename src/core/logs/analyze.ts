// The log analysis: one pass of events in, findings out. Memory is bounded whatever the input
// (capped maps; examples kept only while few). Pure: no I/O, no clock.
import type {LogEvent} from './formats.js';
import {type Cidr, inCidr, isInternal, parseAddress} from './ip.js';

export type AnalysisOptions = {
	/** Epoch ms: requests before are the baseline, from it on the exposure. null: no baseline. */
	exposureStart: number | null;
	allow: Cidr[];
	/** Business hours in the user's zone, [from, to) on Monday–Friday. */
	businessHours: {from: number; to: number};
	timeZone: string;
	/** Masks a line before it is kept as an example (the key never leaves in one). */
	redact: (line: string) => string;
};

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

const MAX_IPS = 20_000;
const MAX_AGENTS = 2000;
const MAX_COUNTRIES = 500;
const MAX_HOURS = 24 * 366 * 2;
const HOUR = 3_600_000;
const ERROR_CLASSES = ['401', '403', '429', '5xx'] as const;
type ErrorClass = (typeof ERROR_CLASSES)[number];

type Seen = {baseline: number; exposure: number; first: number; last: number; example: string | null};
type IpStat = Seen & {oddBaseline: number; oddExposure: number; internal: boolean; allowed: boolean};
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
export function localClock(timeZone: string): (t: number) => {weekday: number; hour: number} {
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
	const result = {weekday: 0, hour: 0};
	return t => {
		const local = t + offsetAt(t);
		const hours = Math.floor(local / 3_600_000);
		result.hour = ((hours % 24) + 24) % 24;
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

	const isOdd = (t: number) => {
		const {weekday, hour} = clock(t);
		return weekday === 0 || weekday === 6 || hour < options.businessHours.from || hour >= options.businessHours.to;
	};
	const inBaseline = (t: number) => options.exposureStart !== null && t < options.exposureStart;

	function see<T extends Seen>(map: Map<string, T>, key: string, cap: number, make: () => T, t: number, baseline: boolean, line: () => string): T | null {
		let stat = map.get(key);
		if (!stat) {
			if (map.size >= cap) return null;
			stat = make();
			map.set(key, stat);
		}
		if (baseline) stat.baseline++;
		else stat.exposure++;
		if (t < stat.first) stat.first = t;
		if (t > stat.last) stat.last = t;
		// Kept as read; masked when it leaves in a result (most are never shown).
		if (!baseline && stat.example === null) stat.example = line();
		return stat;
	}

	const fresh = (): Seen => ({baseline: 0, exposure: 0, first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY, example: null});

	let oddCount = 0;
	let oddFirst = Number.POSITIVE_INFINITY;
	let oddLast = Number.NEGATIVE_INFINITY;
	const oddEvents: Array<{ip: string | null; t: number; example: string}> = [];

	return {
		/** One request made with the key. `line` is only called when an example is kept. */
		add(event: LogEvent, line: () => string): void {
			keyLines++;
			const t = event.t;
			if (t < first) first = t;
			if (t > last) last = t;
			const baseline = inBaseline(t);
			if (baseline) baselineLines++;
			const odd = isOdd(t);

			const hourKey = Math.floor(t / HOUR) * HOUR;
			let hour = hours.get(hourKey);
			if (!hour) {
				if (hours.size >= MAX_HOURS) hoursTruncated = true;
				else {
					hour = {n: 0, errors: {'401': 0, '403': 0, '429': 0, '5xx': 0}};
					hours.set(hourKey, hour);
				}
			}
			if (hour) {
				hour.n++;
				const cls = errorClass(event.status);
				if (cls) hour.errors[cls]++;
			}

			if (event.ip !== null) {
				const stat = see(ips, event.ip, MAX_IPS, () => {
					const address = parseAddress(event.ip!);
					return {...fresh(), oddBaseline: 0, oddExposure: 0, internal: address ? isInternal(address) : false, allowed: address ? options.allow.some(cidr => inCidr(address, cidr)) : false};
				}, t, baseline, line);
				if (stat === null) ipsTruncated = true;
				else if (odd) {
					if (baseline) stat.oddBaseline++;
					else stat.oddExposure++;
				}
			}
			if (event.ua !== null) see(agents, event.ua, MAX_AGENTS, fresh, t, baseline, line);
			if (event.country !== null) see(countries, event.country.toUpperCase(), MAX_COUNTRIES, fresh, t, baseline, line);
			// Odd-hour requests are judged at the end (an IP's own odd-hour habit in the baseline
			// makes its odd hours expected); keep a bounded sample meanwhile.
			if (odd && !baseline && oddEvents.length < 200) oddEvents.push({ip: event.ip, t, example: line()});
			if (odd && !baseline) {
				oddCount++;
				if (t < oddFirst) oddFirst = t;
				if (t > oddLast) oddLast = t;
			}
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
			if (ipsTruncated) notes.push(`More than ${MAX_IPS} distinct addresses: the rest are counted in the totals only.`);
			if (hoursTruncated) notes.push('The logs span more than two years: hours beyond that are left out of the chart.');

			// Unfamiliar addresses: seen after the exposure, never before, not allowlisted, not internal.
			const unfamiliar = [...ips.entries()].filter(([, s]) => s.exposure > 0 && s.baseline === 0 && !s.allowed && !s.internal).sort((a, b) => b[1].exposure - a[1].exposure);
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
			const habitual = new Set([...ips.entries()].filter(([, s]) => s.oddBaseline > 0).map(([ip]) => ip));
			const oddHabitCount = [...habitual].reduce((sum, ip) => sum + ips.get(ip)!.oddExposure, 0);
			const oddNew = oddCount - oddHabitCount;
			if (oddNew > 0) {
				const sample = oddEvents.filter(event => event.ip === null || !habitual.has(event.ip));
				const who = [...new Set(sample.map(event => event.ip ?? 'unknown'))].slice(0, 5);
				findings.push({
					id: 'odd-hours',
					kind: 'odd-hours',
					title: `${oddNew} request${oddNew === 1 ? '' : 's'} outside business hours (${String(options.businessHours.from).padStart(2, '0')}–${String(options.businessHours.to).padStart(2, '0')} Mon–Fri, ${options.timeZone})`,
					count: oddNew,
					firstSeen: iso(sample.length > 0 ? Math.min(...sample.map(event => event.t)) : oddFirst),
					lastSeen: iso(sample.length > 0 ? Math.max(...sample.map(event => event.t)) : oddLast),
					examples: sample.slice(0, 3).map(event => options.redact(event.example)),
					detail: `from ${who.join(', ')}${habitual.size > 0 ? `; ${oddHabitCount} odd-hour request(s) from addresses that also worked odd hours before are left out` : ''}`,
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
					id: 'spike',
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
					id: `errors:${cls}`,
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

/** `08-19` → {from: 8, to: 19}. */
export function parseBusinessHours(text: string): {from: number; to: number} {
	const m = /^(\d{1,2})(?::00)?\s*-\s*(\d{1,2})(?::00)?$/.exec(text.trim());
	const from = m ? Number(m[1]) : Number.NaN;
	const to = m ? Number(m[2]) : Number.NaN;
	if (!(from >= 0 && from < 24 && to > from && to <= 24)) throw new Error(`business hours "${text}": expected FROM-TO in whole hours, e.g. 08-19`);
	return {from, to};
}

export function checkTimeZone(timeZone: string): string {
	try {
		new Intl.DateTimeFormat('en-US', {timeZone});
		return timeZone;
	} catch {
		throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin or UTC)`);
	}
}
