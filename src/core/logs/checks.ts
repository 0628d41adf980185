// The log analysis, part two: the checks. Each judges the tallies of the counting pass
// (counting.ts) and returns its findings: unfamiliar addresses, requests at odd hours, hourly
// spikes, bursts of error answers, new user agents and countries. Pure: plain data in, findings
// out, examples masked with the given `redact` as they leave.
import {formatHours} from './clock.js';
import {ERROR_CLASSES, HOUR, type HourStat, type IpStat, type OddEvent, type Seen} from './counting.js';

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

const iso = (t: number) => new Date(t).toISOString();

export function median(values: number[]): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Addresses seen after the exposure and never before, not allowlisted, not internal: the 20 busiest, then the rest in one. */
export function unfamiliarAddresses(ips: Map<string, IpStat>, seenBefore: {has(ip: string): boolean}, hasBaseline: boolean, redact: (line: string) => string): Finding[] {
	const findings: Finding[] = [];
	const unfamiliar = [...ips.entries()].filter(([ip, s]) => s.exposure > 0 && s.baseline === 0 && !s.allowed && !s.internal && !seenBefore.has(ip)).sort((a, b) => b[1].exposure - a[1].exposure);
	for (const [ip, s] of unfamiliar.slice(0, 20)) {
		findings.push({
			id: `ip:${ip}`,
			kind: 'unfamiliar-ip',
			title: `Unfamiliar address ${ip}: ${s.exposure} request${s.exposure === 1 ? '' : 's'} after the exposure${hasBaseline ? ', none before' : ''}`,
			count: s.exposure,
			firstSeen: iso(s.first),
			lastSeen: iso(s.last),
			examples: s.example ? [redact(s.example)] : [],
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
	return findings;
}

/** Odd-hour requests after the exposure, from addresses that had no odd-hour habit before it (and those without an address). */
export function oddHourRequests(
	counts: {ips: Map<string, IpStat>; oddEvents: OddEvent[]; oddNoIp: {count: number; first: number; last: number}},
	context: {businessHours: {from: number; to: number}; timeZone: string; redact: (line: string) => string},
): Finding[] {
	const {ips, oddEvents, oddNoIp} = counts;
	const oddIps = [...ips.entries()].filter(([, s]) => s.oddExposure > 0);
	const habitual = oddIps.filter(([, s]) => s.oddBaseline > 0);
	const fresh = oddIps.filter(([, s]) => s.oddBaseline === 0).sort((a, b) => b[1].oddExposure - a[1].oddExposure);
	const oddHabitCount = habitual.reduce((sum, [, s]) => sum + s.oddExposure, 0);
	const oddNew = fresh.reduce((sum, [, s]) => sum + s.oddExposure, 0) + oddNoIp.count;
	if (oddNew === 0) return [];
	const habitualIps = new Set(habitual.map(([ip]) => ip));
	const sample = oddEvents.filter(event => event.ip === null || !habitualIps.has(event.ip));
	const firsts = [...fresh.map(([, s]) => s.oddFirst), oddNoIp.first];
	const lasts = [...fresh.map(([, s]) => s.oddLast), oddNoIp.last];
	const who = fresh.slice(0, 5).map(([ip, s]) => `${ip} (${s.oddExposure})`);
	const {from, to} = context.businessHours;
	return [
		{
			id: `odd-hours:${iso(Math.min(...firsts)).slice(0, 13)}`,
			kind: 'odd-hours',
			title: `${oddNew} request${oddNew === 1 ? '' : 's'} outside business hours (${formatHours(from)}–${formatHours(to)} Mon–Fri, ${context.timeZone})`,
			count: oddNew,
			firstSeen: iso(Math.min(...firsts)),
			lastSeen: iso(Math.max(...lasts)),
			examples: sample.slice(0, 3).map(event => context.redact(event.example)),
			detail: `from ${who.join(', ')}${fresh.length > 5 ? ` and ${fresh.length - 5} more` : ''}${oddNoIp.count > 0 ? `${who.length > 0 ? ', and ' : ''}${oddNoIp.count} without an address` : ''}${habitual.length > 0 ? `; ${oddHabitCount} odd-hour request(s) from addresses that also worked odd hours before are left out` : ''}`,
		},
	];
}

/** The hours before and after the exposure start (an hour belongs to the baseline when it ends before it). */
export function splitHours(hours: Map<number, HourStat>, exposureStart: number | null): {baseline: Array<[number, HourStat]>; exposure: Array<[number, HourStat]>} {
	const inBaseline = (t: number) => exposureStart !== null && t < exposureStart;
	return {
		baseline: [...hours.entries()].filter(([h]) => inBaseline(h + HOUR - 1)),
		exposure: [...hours.entries()].filter(([h]) => !inBaseline(h + HOUR - 1)).sort((a, b) => a[0] - b[0]),
	};
}

/** Hours after the exposure with more than 3× (and 10 more than) the baseline's typical hour, or the exposure's own without a baseline. */
export function hourlySpikes(split: ReturnType<typeof splitHours>, typical: number | null): Finding[] {
	const reference = typical ?? median(split.exposure.map(([, s]) => s.n));
	const spikeAt = Math.max(reference * 3, reference + 10);
	const spikes = split.exposure.filter(([, s]) => s.n > spikeAt);
	if (spikes.length === 0) return [];
	const total = spikes.reduce((sum, [, s]) => sum + s.n, 0);
	return [
		{
			id: `spike:${iso(spikes[0]![0]).slice(0, 13)}`,
			kind: 'spike',
			title: `${spikes.length} hour${spikes.length === 1 ? '' : 's'} with a spike: up to ${Math.max(...spikes.map(([, s]) => s.n))} requests/h (typical ${reference}${typical === null ? ', from the exposure itself' : ''})`,
			count: total,
			firstSeen: iso(spikes[0]![0]),
			lastSeen: iso(spikes.at(-1)![0] + HOUR - 1),
			examples: spikes.slice(0, 3).map(([h, s]) => `${iso(h).slice(0, 13).replace('T', ' ')}:00 UTC: ${s.n} requests`),
		},
	];
}

/** Per error class (401, 403, 429, 5xx): hours after the exposure with at least 5 and 3× the baseline's typical count. */
export function errorBursts(split: ReturnType<typeof splitHours>, hasBaseline: boolean): Finding[] {
	const findings: Finding[] = [];
	for (const cls of ERROR_CLASSES) {
		const typicalErrors = hasBaseline ? median(split.baseline.map(([, s]) => s.errors[cls])) : 0;
		const burstAt = Math.max(5, typicalErrors * 3);
		const bursts = split.exposure.filter(([, s]) => s.errors[cls] >= burstAt);
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
	return findings;
}

/** User agents or countries seen after the exposure and never before (only meaningful against a baseline): the 10 busiest. */
export function newValues(map: Map<string, Seen>, kind: 'new-user-agent' | 'new-country', hasBaseline: boolean, redact: (line: string) => string): Finding[] {
	if (!hasBaseline) return [];
	const [prefix, label] = kind === 'new-user-agent' ? ['ua', 'New user agent'] : ['country', 'New country'];
	const items = [...map.entries()].filter(([, s]) => s.exposure > 0 && s.baseline === 0).sort((a, b) => b[1].exposure - a[1].exposure);
	return items.slice(0, 10).map(([value, s]) => ({id: `${prefix}:${value.slice(0, 120)}`, kind, title: `${label} ${value.slice(0, 80)}: ${s.exposure} request${s.exposure === 1 ? '' : 's'}`, count: s.exposure, firstSeen: iso(s.first), lastSeen: iso(s.last), examples: s.example ? [redact(s.example)] : []}));
}
