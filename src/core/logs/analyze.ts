// The log analysis: one pass of events in, findings out. Counting (counting.ts: per-hour,
// per-address, per-agent and per-country tallies, unreadable lines) is kept apart from the
// checks that judge the tallies (checks.ts); this module joins them and builds the result
// (notes, the hourly chart, the address table). Memory is bounded whatever the input. Pure: no
// I/O, no clock.
import {errorBursts, type Finding, hourlySpikes, median, newValues, oddHourRequests, splitHours, unfamiliarAddresses} from './checks.js';
import {type Counts, createCounter, HOUR, type IpStat, MAX_BASELINE_IPS, MAX_IPS} from './counting.js';
import type {Cidr} from './ip.js';

export {checkTimeZone, formatHours, localClock, parseBusinessHours} from './clock.js';
export {describeEvent} from './counting.js';
export type {Finding, FindingKind} from './checks.js';

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

const iso = (t: number) => new Date(t).toISOString();

/** What the tallies cannot show, said once: no baseline, no exposure, tables or chart cut short. */
export function analysisNotes(counts: Counts, exposureStart: number | null): string[] {
	const notes: string[] = [];
	const {keyLines, baselineLines} = counts;
	if (exposureStart === null) notes.push('No exposure start given: every request is treated as after the exposure, with no baseline to compare with.');
	else if (baselineLines === 0 && keyLines > 0) notes.push('No requests before the exposure start: nothing to compare with, so every address is new.');
	else if (keyLines > 0 && keyLines - baselineLines === 0) notes.push('No requests after the exposure start: these logs end before it, so they cannot show misuse. Analyse later logs.');
	if (counts.ipsTruncated) notes.push(`More than ${MAX_BASELINE_IPS} distinct addresses before the exposure or ${MAX_IPS} in all: ${counts.ipsDropped} request(s) from the rest are counted in the totals only (addresses seen before the exposure are still remembered, so they are never called new).`);
	if (counts.hoursTruncated) notes.push('The logs span more than two years: hours beyond that are left out of the chart.');
	return notes;
}

/** Requests per hour for the chart: the last 62 days of hours at most. */
export function hourlyCounts(counts: Counts, exposureStart: number | null): LogAnalysis['hourly'] {
	const {hours, first, last} = counts;
	if (hours.size === 0) return {start: null, counts: [], exposureIndex: null};
	const lastHour = Math.floor(last / HOUR) * HOUR;
	const startHour = Math.max(Math.floor(first / HOUR) * HOUR, lastHour - 62 * 24 * HOUR);
	const perHour: number[] = [];
	for (let h = startHour; h <= lastHour; h += HOUR) perHour.push(hours.get(h)?.n ?? 0);
	const exposureIndex = exposureStart === null ? null : Math.floor((exposureStart - startHour) / HOUR);
	return {start: iso(startHour), counts: perHour, exposureIndex: exposureIndex !== null && exposureIndex >= 0 && exposureIndex < perHour.length ? exposureIndex : null};
}

/** The 50 busiest addresses, with their flags. */
export function addressRows(ips: Map<string, IpStat>): IpRow[] {
	const flagsOf = (s: IpStat): string[] => {
		const flags: string[] = [];
		if (s.allowed) flags.push('allowlisted');
		if (s.internal) flags.push('internal');
		if (s.exposure > 0 && s.baseline === 0 && !s.allowed && !s.internal) flags.push('new');
		if (s.oddExposure > 0) flags.push('odd-hours');
		return flags;
	};
	return [...ips.entries()]
		.sort((a, b) => b[1].baseline + b[1].exposure - (a[1].baseline + a[1].exposure))
		.slice(0, 50)
		.map(([ip, s]) => ({ip, count: s.baseline + s.exposure, baseline: s.baseline, exposure: s.exposure, firstSeen: iso(s.first), lastSeen: iso(s.last), flags: flagsOf(s)}));
}

/** The counts judged by every check, in a fixed order (the findings' order is part of the output). */
export function judge(counts: Counts, options: AnalysisOptions): {findings: Finding[]; typical: number | null} {
	const hasBaseline = counts.baselineLines > 0;
	const split = splitHours(counts.hours, options.exposureStart);
	const typical = hasBaseline ? median(split.baseline.map(([, s]) => s.n)) : null;
	const findings = [
		...unfamiliarAddresses(counts.ips, counts.seenBefore, hasBaseline, options.redact),
		...oddHourRequests(counts, options),
		...hourlySpikes(split, typical),
		...errorBursts(split, hasBaseline),
		...newValues(counts.agents, 'new-user-agent', hasBaseline, options.redact),
		...newValues(counts.countries, 'new-country', hasBaseline, options.redact),
	];
	return {findings, typical};
}

export function createAnalyzer(options: AnalysisOptions) {
	const counter = createCounter(options);
	const {counts} = counter;
	return {
		/** One request made with the key. `line` (by default the event described) is only called when an example is kept. */
		add: counter.add,
		malformed: counter.malformed,
		result(): LogAnalysis {
			const {keyLines, baselineLines, first, last} = counts;
			const {findings, typical} = judge(counts, options);
			return {
				keyLines,
				baselineLines,
				exposureLines: keyLines - baselineLines,
				malformed: counts.malformed,
				window: {first: keyLines > 0 ? iso(first) : null, last: keyLines > 0 ? iso(last) : null, exposureStart: options.exposureStart === null ? null : iso(options.exposureStart)},
				hourly: hourlyCounts(counts, options.exposureStart),
				typicalHour: typical,
				ips: addressRows(counts.ips),
				distinctIps: counts.ips.size,
				ipsTruncated: counts.ipsTruncated,
				findings,
				notes: analysisNotes(counts, options.exposureStart),
			};
		},
	};
}
export type Analyzer = ReturnType<typeof createAnalyzer>;
