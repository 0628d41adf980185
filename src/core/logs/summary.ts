// A log analysis as the session keeps it: bounded, masked, every finding awaiting a verdict.
import type {LogSummary} from '../model.js';
import type {LogAnalysis} from './analyze.js';
import {formatHours} from './clock.js';

export type AnalysedFiles = {
	files: Array<{path: string; format: string; gzip: boolean; lines: number; keyLines: number; malformed: number}>;
	skipped: Array<{path: string; reason: string}>;
	lines: number;
	analysis: LogAnalysis;
};

export function logSummary(
	result: AnalysedFiles,
	context: {at: string; source: string; match: 'key' | 'key-id' | 'all'; timeZone: string; businessHours: {from: number; to: number}; allow: string[]},
): LogSummary {
	const a = result.analysis;
	return {
		analyzedAt: context.at,
		source: context.source,
		files: result.files.map(({path, format, gzip, lines, keyLines, malformed}) => ({path, format, gzip, lines, keyLines, malformed})),
		skipped: result.skipped.map(entry => entry.reason),
		match: context.match,
		timeZone: context.timeZone,
		businessHours: `${formatHours(context.businessHours.from)}-${formatHours(context.businessHours.to)}`,
		allow: context.allow,
		lines: result.lines,
		keyLines: a.keyLines,
		baselineLines: a.baselineLines,
		exposureLines: a.exposureLines,
		malformed: a.malformed,
		window: a.window,
		hourly: a.hourly,
		typicalHour: a.typicalHour,
		ips: a.ips.slice(0, 20),
		distinctIps: a.distinctIps,
		notes: a.notes,
		findings: a.findings.slice(0, 50).map(finding => ({...finding, examples: finding.examples.slice(0, 3), verdict: 'open' as const})),
	};
}
