// The log engine: each file is read once by one of its sources, and every source feeds the same
// line handler (handler.ts), which parses the key's lines and hands their events to the analyzer:
//   plain    two reused buffers, searched as raw bytes for the key (keyed-lines.ts);
//   gzip     inflated into one reused buffer, then searched the same way;
//   grep     big plain files: grep finds the key's lines, wc counts all of them;
//   cloudtrail  `{"Records": [...]}` documents split into records (plain or gzip underneath).
// "Every line is this key's" (a provider export) parses every line. Memory stays bounded:
// buffers are reused, a line is decoded only to be parsed, and the analyzer caps what it keeps.
import {stat} from 'node:fs/promises';
import {createAnalyzer} from '../../core/logs/analyze.js';
import type {Detected} from '../../core/logs/formats.js';
import {fileFormat, lineParser} from './file-format.js';
import {type LineHandler, lineHandler} from './handler.js';
import {expandInputs} from './inputs.js';
import {keyedLines} from './keyed-lines.js';
import {exampleRedactor, type KeySearch, keySearch} from './match.js';
import {readRecords} from './sources/cloudtrail.js';
import {grepTools, readViaGrep} from './sources/grep.js';
import {gzipSource} from './sources/gzip.js';
import {plainSource} from './sources/plain.js';
import {drain, type Source} from './sources/source.js';
import {type LogFileResult, LogInputError, type LogsOptions, type LogsResult} from './types.js';

export {expandInputs} from './inputs.js';
export {type KeyMatch, type LogFileResult, LogInputError, type LogsOptions, type LogsProgress, type LogsResult} from './types.js';

/** Plain files from this size on are searched by grep when it is on PATH (see sources/grep.ts). */
const GREP_FROM = 8 * 1024 * 1024;
/** Plain files from this size on get a worker to count their lines. */
const WORKER_FROM = 64 * 1024 * 1024;

/** One file being read: where its lines go, and how its progress is told. */
type FileRead = {
	file: LogFileResult;
	detected: Detected;
	handler: LineHandler;
	/** The first line names the columns (CSV): never handed on. */
	header: boolean;
	search: KeySearch;
	/** Progress: bytes of this file read, lines of it counted so far. */
	report: (bytes: number, lines: number) => void;
	options: LogsOptions;
};

/** A file read through a chunk source (plain or gzip): its line count, or null when cancelled part-way. */
async function readChunks(read: FileRead, source: Source): Promise<{lines: number; cancelled: boolean}> {
	const {file, detected, handler, header, search, options} = read;
	if (detected.document) {
		const report = () => read.report(source.position(), file.lines);
		const cancelled = await readRecords(source, search.forms, handler, () => file.lines++, report, options.signal);
		return {lines: file.lines, cancelled};
	}
	const lines = keyedLines(search, handler.bytes, header);
	const cancelled = await drain(source, lines.push, () => read.report(source.position(), source.newlines()), options.signal);
	if (!cancelled) lines.end();
	return {lines: cancelled ? source.newlines() : await source.lines(), cancelled};
}

export async function analyzeLogs(inputs: string[], options: LogsOptions): Promise<LogsResult> {
	const started = Date.now();
	const paths = await expandInputs(inputs);
	const sizes = await Promise.all(paths.map(async path => (await stat(path)).size));
	const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
	const analyzer = createAnalyzer({...options.analysis, redact: exampleRedactor(options.match)});
	const search = keySearch(options.match);

	const files: LogFileResult[] = [];
	const skipped: LogsResult['skipped'] = [];
	let doneBytes = 0;
	let lines = 0;
	let cancelled = false;
	let keyLinesBefore = 0;
	let tools: ReturnType<typeof grepTools> | undefined;

	for (const [fileIndex, path] of paths.entries()) {
		if (options.signal?.aborted) {
			cancelled = true;
			break;
		}
		const size = sizes[fileIndex]!;
		let partial: LogFileResult | null = null;
		let linesSoFar = () => 0;
		try {
			const {gzip, detected} = await fileFormat(path, size, options.format);
			const file: LogFileResult = {path, format: detected.format, gzip, bytes: size, lines: 0, keyLines: 0, malformed: 0};
			partial = file;
			const progress = (bytes: number, fileLines: number) =>
				options.onProgress?.({file: path, fileIndex, files: paths.length, bytes: doneBytes + Math.min(bytes, size), totalBytes, lines: lines + fileLines, keyLines: keyLinesBefore + file.keyLines, elapsedMs: Date.now() - started});
			const {parse, header} = lineParser(detected, options.fields);
			const read: FileRead = {file, detected, header, search, options, report: progress, handler: lineHandler(file, analyzer, parse, search.keyId)};

			// Big plain files: grep finds the key's lines while wc counts all of them.
			const grepOk = !gzip && !detected.document && search.needles !== null && size >= GREP_FROM && options.chunkSize === undefined && (tools ??= grepTools()) !== null;
			let counted: number | null = null;
			if (grepOk) {
				counted = await readViaGrep(tools!, path, size, search, read.handler, {
					handled: () => file.keyLines > 0 || file.malformed > 0,
					progress: offset => {
						if (file.keyLines % 256 === 0) progress(offset, 0);
					},
					...(options.signal ? {signal: options.signal} : {}),
				});
				if (counted !== null) {
					file.searchedBy = 'grep';
					if (options.signal?.aborted) cancelled = true;
				}
			}
			let position = 0; // read by a source (grep reads on its own)
			if (counted === null) {
				const useWorker = !gzip && size >= WORKER_FROM && !detected.document && !grepOk;
				const source = gzip ? gzipSource(path, options.chunkSize) : plainSource(path, options.chunkSize, useWorker);
				linesSoFar = () => (detected.document ? file.lines : source.newlines());
				const done = await readChunks(read, source);
				counted = done.lines;
				cancelled = done.cancelled;
				position = Math.min(source.position(), size);
			}
			file.lines = counted;
			keyLinesBefore += file.keyLines;
			files.push(file);
			lines += file.lines;
			doneBytes += cancelled ? position : size;
			if (cancelled) break;
		} catch (error) {
			if (!(error instanceof LogInputError)) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOENT') {
					skipped.push({path, reason: `cannot read it (${code})`});
					continue;
				}
				throw error;
			}
			if (partial && (partial.keyLines > 0 || partial.malformed > 0)) {
				// Some of it was read (and counted) before the error: say so, keep the file.
				partial.error = error.message;
				partial.lines = linesSoFar();
				lines += partial.lines;
				keyLinesBefore += partial.keyLines;
				files.push(partial);
				doneBytes += size;
				continue;
			}
			skipped.push({path, reason: error.message});
		}
	}
	if (files.length === 0 && !cancelled) {
		throw new LogInputError(skipped.length === 1 ? skipped[0]!.reason : `none of the ${skipped.length} files could be read:\n  ${skipped.map(entry => entry.reason).join('\n  ')}`);
	}
	const analysis = analyzer.result();
	if (!cancelled && analysis.keyLines === 0 && analysis.malformed.count > 0) {
		throw new LogInputError(`every line that holds the key (${analysis.malformed.count}) was unreadable as ${[...new Set(files.map(file => file.format))].join('/')}: ${analysis.malformed.examples[0] ?? ''}. Is --format right?`);
	}
	for (const file of files) if (file.error) analysis.notes.push(`${file.path} was read only up to an error (${file.error}); what was read is counted.`);
	if (!cancelled && analysis.keyLines === 0) analysis.notes.push(search.needles === null ? 'The files hold no readable requests.' : 'No line holds the key (as typed or URL-encoded) or its id: there is nothing to judge in these logs. Are they the right ones, and is the key right?');
	return {files, skipped, lines, bytes: doneBytes, durationMs: Date.now() - started, cancelled, analysis};
}
