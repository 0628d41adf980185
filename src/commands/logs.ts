// `leakfix logs`: the log analysis without the UI. Exit 0 nothing suspicious, 1 findings, 2 error.
import {hourlyChart} from '../core/logs/chart.js';
import type {LogsProgress, LogsResult} from '../engines/logs/index.js';
import {formatDuration} from '../core/time.js';
import {safeJson, visible, visibleBlock} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {CommandIo, Values} from './options.js';
import {readKey} from './stdin.js';

export function logsProgressLine(progress: LogsProgress): string {
	const seconds = Math.max(progress.elapsedMs / 1000, 0.001);
	const mb = progress.bytes / 1024 / 1024;
	const done = progress.totalBytes > 0 ? Math.min(progress.bytes / progress.totalBytes, 1) : 0;
	const eta = done > 0.02 && done < 1 ? ` · ETA ${formatDuration(progress.elapsedMs / done - progress.elapsedMs + 59_999)}` : '';
	return `reading logs (${progress.fileIndex + 1}/${progress.files}): ${mb.toFixed(1)} MB · ${progress.lines.toLocaleString('en-US')} lines · ${progress.keyLines.toLocaleString('en-US')} for this key · ${(mb / seconds).toFixed(0)} MB/s${eta}`;
}

const short = (iso: string | null) => (iso === null ? '–' : `${iso.slice(0, 16).replace('T', ' ')} UTC`);

/** File names, log fields and examples are outside text: shown with their controls visible. */
export function renderLogsText(result: LogsResult, sinceZone?: string): string {
	const a = result.analysis;
	const out: string[] = [];
	out.push(`Read ${result.lines.toLocaleString('en-US')} lines in ${result.files.length} file(s), ${(result.bytes / 1024 / 1024).toFixed(1)} MB in ${(result.durationMs / 1000).toFixed(1)} s.`);
	for (const file of result.files) out.push(`  ${visible(file.path)} (${file.format}${file.gzip ? ', gzip' : ''}): ${file.lines} lines, ${file.keyLines} for this key${file.malformed > 0 ? `, ${file.malformed} malformed` : ''}${file.error ? ` — ! stopped early: ${visible(file.error)}` : ''}`);
	for (const skip of result.skipped) out.push(`  ! skipped ${visible(skip.reason)}`);
	out.push(`Requests with this key: ${a.keyLines} (${a.baselineLines} before the exposure, ${a.exposureLines} after) · ${a.distinctIps} addresses · ${short(a.window.first)} → ${short(a.window.last)}`);
	if (a.window.exposureStart) out.push(`Exposure from ${short(a.window.exposureStart)}${sinceZone ? ` (--since read in ${sinceZone})` : ''}${a.typicalHour === null ? '' : ` · a typical hour before it: ${a.typicalHour} requests`}`);
	if (a.malformed.count > 0) {
		out.push(`Skipped ${a.malformed.count} malformed line(s), e.g.:`);
		for (const example of a.malformed.examples.slice(0, 3)) out.push(`    ${visible(example)}`);
	}
	for (const note of a.notes) out.push(`Note: ${visible(note)}`);
	if (a.hourly.counts.length > 1) {
		const chart = hourlyChart(a.hourly.counts, a.hourly.exposureIndex, 72);
		out.push('', `Requests per ${chart.hoursPerColumn === 1 ? 'hour' : `${chart.hoursPerColumn} hours`} from ${short(a.hourly.start)}:`, `  ${chart.bars}`);
		if (chart.marker) out.push(`  ${chart.marker}`);
	}
	if (a.ips.length > 0) {
		out.push('', 'Source addresses (top 10):', `  ${'address'.padEnd(40)} ${'before'.padStart(7)} ${'after'.padStart(7)}  first seen → last seen            flags`);
		for (const row of a.ips.slice(0, 10)) {
			out.push(`  ${visible(row.ip).padEnd(40)} ${String(row.baseline).padStart(7)} ${String(row.exposure).padStart(7)}  ${short(row.firstSeen).slice(0, 16)} → ${short(row.lastSeen).slice(0, 16)}  ${visible(row.flags.join(', '))}`);
		}
	}
	out.push('');
	if (a.findings.length === 0) out.push('No findings: nothing unfamiliar, odd-hour, spiking or erroring after the exposure.');
	else {
		out.push(`Findings (${a.findings.length}):`);
		for (const finding of a.findings) {
			out.push(`  • ${visible(finding.title)}`, `    ${short(finding.firstSeen)} → ${short(finding.lastSeen)}${finding.detail ? ` · ${visible(finding.detail)}` : ''}`);
			for (const example of finding.examples.slice(0, 2)) out.push(`    e.g. ${visible(example.slice(0, 160))}`);
		}
	}
	if (result.cancelled) out.push('', 'Cancelled: the figures above cover what was read before.');
	return visibleBlock(`${out.join('\n')}\n`);
}

export type LogsCommandOptions = {
	key?: string;
	keyId?: string;
	since?: string;
	allow: string[];
	businessHours?: string;
	tz?: string;
	format?: string;
	fields: string[];
	json: boolean;
};

type Io = {stdout: {write(text: string): unknown}; stderr: {write(text: string): unknown; isTTY?: boolean}};

/** Turns the command line into analysis options; every mistake is a UserError naming the option. */
export async function logsOptionsFrom(options: LogsCommandOptions, now: Date) {
	const {UserError} = await import('../infra/errors.js');
	const {parseBusinessHours, checkTimeZone} = await import('../core/logs/analyze.js');
	const {fieldMapWith, LOG_FORMATS} = await import('../core/logs/formats.js');
	const {parseAllowList, parseSince, sinceIsWallClock, localTimeZone} = await import('../core/logs/options.js');
	const attempt = <T>(option: string, make: () => T): T => {
		try {
			return make();
		} catch (error) {
			throw new UserError(`${option}: ${(error as Error).message}`);
		}
	};
	if (options.format !== undefined && !(LOG_FORMATS as readonly string[]).includes(options.format)) {
		throw new UserError(`Unknown log format "${options.format}".`, `Use --format ${LOG_FORMATS.join(', ')}.`);
	}
	// A --since without a zone of its own is read in --tz (the zone the findings speak), not this machine's.
	const timeZone = attempt('--tz', () => checkTimeZone(options.tz ?? localTimeZone()));
	return {
		exposureStart: options.since === undefined ? null : attempt(`--since ${options.since}`, () => parseSince(options.since!, now, timeZone)),
		...(options.since !== undefined && sinceIsWallClock(options.since) ? {sinceZone: timeZone} : {}),
		allow: attempt('--allow', () => parseAllowList(options.allow)),
		businessHours: attempt('--business-hours', () => parseBusinessHours(options.businessHours ?? '08-19')),
		timeZone,
		fields: attempt('--field', () => fieldMapWith(options.fields)),
		...(options.format === undefined ? {} : {format: options.format as (typeof LOG_FORMATS)[number]}),
	};
}

export async function runLogs(inputs: string[], options: LogsCommandOptions, io: Io): Promise<number> {
	const {UserError} = await import('../infra/errors.js');
	const {analyzeLogs, LogInputError} = await import('../engines/logs/index.js');
	const {exposureStart, sinceZone, allow, businessHours, timeZone, fields, format} = await logsOptionsFrom(options, new Date());
	const controller = new AbortController();
	const onInterrupt = () => controller.abort();
	process.once('SIGINT', onInterrupt);
	const showProgress = io.stderr.isTTY === true && !options.json;
	let lastDraw = 0;
	try {
		const result = await analyzeLogs(inputs, {
			match: options.key !== undefined ? {kind: 'key', key: options.key} : options.keyId !== undefined ? {kind: 'key-id', id: options.keyId} : {kind: 'all'},
			...(format === undefined ? {} : {format}),
			fields,
			analysis: {exposureStart, allow, businessHours, timeZone},
			signal: controller.signal,
			...(showProgress
				? {
						onProgress: (progress: LogsProgress) => {
							if (progress.elapsedMs - lastDraw < 100) return;
							lastDraw = progress.elapsedMs;
							io.stderr.write(`\r\u001B[2K${logsProgressLine(progress)}`);
						},
					}
				: {}),
		}).catch((error: unknown) => {
			if (error instanceof LogInputError) throw new UserError(error.message);
			throw error;
		});
		if (showProgress) io.stderr.write('\r\u001B[2K');
		if (result.cancelled) throw new UserError('Log analysis cancelled.');
		if (options.json) {
			io.stdout.write(`${safeJson({suspicious: result.analysis.findings.length > 0, timeZone, businessHours, ...result}, 2)}\n`);
		} else {
			io.stdout.write(renderLogsText(result, sinceZone));
		}
		return result.analysis.findings.length > 0 ? 1 : 0;
	} finally {
		process.off('SIGINT', onInterrupt);
	}
}

/** leakfix logs FILE... (--key-stdin | --key-id ID | --all-lines) ...: exit 1 on findings. */
export async function run(values: Values, rest: string[], io: CommandIo): Promise<number> {
	const modes = [values['key-stdin'] === true, values['key-id'] !== undefined, values['all-lines'] === true].filter(Boolean).length;
	if (rest.length === 0) throw new UserError('leakfix logs needs at least one log file (or a glob such as logs/access.log*).', 'See leakfix --help.');
	if (modes !== 1) throw new UserError('leakfix logs needs exactly one of --key-stdin (lines holding the key), --key-id ID (lines of that key id) or --all-lines (a provider export: every line is this key\'s).');
	const key = values['key-stdin'] === true ? await readKey(io) : undefined;
	return runLogs(rest, {
		...(key === undefined ? {} : {key}),
		...(values['key-id'] === undefined ? {} : {keyId: values['key-id']}),
		...(values.since === undefined ? {} : {since: values.since}),
		allow: values.allow ?? [],
		...(values['business-hours'] === undefined ? {} : {businessHours: values['business-hours']}),
		...(values.tz === undefined ? {} : {tz: values.tz}),
		...(values.format === undefined ? {} : {format: values.format}),
		fields: values.field ?? [],
		json: values.json === true,
	}, io);
}
