// The log analysis, part one: counting. One pass of events in, tallies out (per hour, per
// address, per user agent and country, odd-hour requests, unreadable lines). Memory is bounded
// whatever the input (capped maps; examples kept only while few). Pure: no I/O, no clock; the
// judging is done afterwards on these tallies (checks.ts).
import {bloom} from './bloom.js';
import {oddHours} from './clock.js';
import type {LogEvent} from './formats.js';
import {type Cidr, canonicalIp, inCidr, isInternal, parseAddress} from './ip.js';

/** A request as an example: parsed fields only (no query string, nothing the parser did not read). */
export function describeEvent(event: LogEvent): string {
	return [event.ip ?? '-', new Date(event.t).toISOString().replace('.000Z', 'Z'), event.path ?? '-', event.status ?? '-', event.ua ? `"${event.ua}"` : '', event.keyId && event.keyId.startsWith('AKIA') ? event.keyId : ''].filter(Boolean).join(' ');
}

/** The address table holds at most this many (baseline addresses past 15,000 only go into a Bloom filter, so room stays for the exposure's). */
export const MAX_IPS = 20_000;
export const MAX_BASELINE_IPS = 15_000;
const MAX_AGENTS = 2000;
const MAX_COUNTRIES = 500;
const MAX_HOURS = 24 * 366 * 2;
export const HOUR = 3_600_000;
export const ERROR_CLASSES = ['401', '403', '429', '5xx'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export type Seen = {baseline: number; exposure: number; first: number; last: number; example: string | null};
export type IpStat = Seen & {oddBaseline: number; oddExposure: number; oddFirst: number; oddLast: number; internal: boolean; allowed: boolean};
export type HourStat = {n: number; errors: Record<ErrorClass, number>};
/** An odd-hour request after the exposure, kept as a sample (at most 200). */
export type OddEvent = {ip: string | null; t: number; example: string};

export type CountOptions = {
	/** Epoch ms: requests before are the baseline, from it on the exposure. null: no baseline. */
	exposureStart: number | null;
	allow: Cidr[];
	businessHours: {from: number; to: number};
	timeZone: string;
	/** Masks an unreadable line before it is kept as an example. */
	redact: (line: string) => string;
};

/** What the pass counted: everything the checks judge. */
export type Counts = {
	keyLines: number;
	baselineLines: number;
	/** Epoch ms of the first and last request (±Infinity when none). */
	first: number;
	last: number;
	hours: Map<number, HourStat>;
	hoursTruncated: boolean;
	ips: Map<string, IpStat>;
	ipsTruncated: boolean;
	/** Requests from addresses the table could not hold. */
	ipsDropped: number;
	/** Baseline addresses the table could not hold (a Bloom filter: "maybe", never a false "no"). */
	seenBefore: {has(ip: string): boolean};
	agents: Map<string, Seen>;
	countries: Map<string, Seen>;
	oddEvents: OddEvent[];
	/** Odd-hour requests after the exposure with no address. */
	oddNoIp: {count: number; first: number; last: number};
	malformed: {count: number; examples: string[]};
};

export function errorClass(status: number | null): ErrorClass | null {
	if (status === 401 || status === 403 || status === 429) return String(status) as ErrorClass;
	return status !== null && status >= 500 && status <= 599 ? '5xx' : null;
}

export function createCounter(options: CountOptions) {
	const seenBefore = bloom();
	const counts: Counts = {
		keyLines: 0,
		baselineLines: 0,
		first: Number.POSITIVE_INFINITY,
		last: Number.NEGATIVE_INFINITY,
		hours: new Map(),
		hoursTruncated: false,
		ips: new Map(),
		ipsTruncated: false,
		ipsDropped: 0,
		seenBefore,
		agents: new Map(),
		countries: new Map(),
		oddEvents: [],
		oddNoIp: {count: 0, first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY},
		malformed: {count: 0, examples: []},
	};
	const {hours, ips, agents, countries, oddEvents, oddNoIp, malformed} = counts;
	const isOdd = oddHours(options.businessHours, options.timeZone);
	/** Each address as written → its one spelling (addresses repeat; the regexes need not). */
	const spellings = new Map<string, string>();
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

	return {
		counts,
		/** One request made with the key. `line` (by default the event described) is only called when an example is kept. */
		add(event: LogEvent, line?: () => string): void {
			counts.keyLines++;
			const t = event.t;
			if (t < counts.first) counts.first = t;
			if (t > counts.last) counts.last = t;
			const baseline = inBaseline(t);
			if (baseline) counts.baselineLines++;
			const odd = isOddCached(t);

			const hourKey = Math.floor(t / HOUR) * HOUR;
			let hour = hourKey === lastHourKey ? lastHour : hours.get(hourKey);
			if (!hour) {
				if (hours.size >= MAX_HOURS) counts.hoursTruncated = true;
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
					counts.ipsTruncated = true;
					counts.ipsDropped++;
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

		/** A line that holds the key but could not be read as the format: counted, a few kept (masked). */
		malformed(reason: string, line: () => string): void {
			malformed.count++;
			if (malformed.examples.length < 5) malformed.examples.push(`${reason}: ${options.redact(line()).slice(0, 200)}`);
		},
	};
}
export type Counter = ReturnType<typeof createCounter>;
