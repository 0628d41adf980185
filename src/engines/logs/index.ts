// The log engine: streams each file once (plain or gzip) into two reused buffers, searches the
// raw bytes for the key (or its id) with Buffer.indexOf and decodes only the lines that hold it.
// "Every line is this key's" (a provider export) parses every line. Memory stays bounded:
// buffers are reused, a line is decoded only to be parsed, and the analyzer caps what it keeps.
import {createReadStream} from 'node:fs';
import {open, readdir, stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import {basename, dirname, join, resolve} from 'node:path';
import {createGunzip} from 'node:zlib';
import {type AnalysisOptions, createAnalyzer, type LogAnalysis} from '../../core/logs/analyze.js';
import {
	type CsvHeader,
	type Detected,
	clean,
	detectFormat,
	eventFromCloudTrail,
	type FieldMap,
	type LogFormat,
	parseClfLine,
	parseCsvLine,
	parseJsonLine,
	type ParseResult,
} from '../../core/logs/formats.js';
import {holdsKey, keyNeedles, type Needle, searchNeedles} from '../../core/needles.js';
import {createRedactor} from '../../core/secrets.js';
import {countLinesInWorker, countNewlines} from './newlines.js';
import {grepLines, grepTools} from './grep.js';

/** Plain files from this size on are searched by grep when it is on PATH (see grep.ts). */
const GREP_FROM = 8 * 1024 * 1024;

async function lastByte(path: string, size: number): Promise<number> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(1);
		await handle.read(buffer, 0, 1, size - 1);
		return buffer[0]!;
	} finally {
		await handle.close();
	}
}

/** Plain files from this size on get a worker to count their lines. */
const WORKER_FROM = 64 * 1024 * 1024;

export type KeyMatch = {kind: 'key'; key: string} | {kind: 'key-id'; id: string} | {kind: 'all'};

export type LogsProgress = {file: string; fileIndex: number; files: number; bytes: number; totalBytes: number; lines: number; keyLines: number; elapsedMs: number};

export type LogsOptions = {
	match: KeyMatch;
	format?: LogFormat;
	fields: FieldMap;
	analysis: Omit<AnalysisOptions, 'redact'>;
	signal?: AbortSignal;
	onProgress?: (progress: LogsProgress) => void;
	/** Bytes per read (tests go down to 1 to prove lines and keys that straddle reads are found). */
	chunkSize?: number;
};

export type LogFileResult = {
	path: string;
	format: LogFormat;
	gzip: boolean;
	bytes: number;
	lines: number;
	keyLines: number;
	malformed: number;
	/** Read up to an error (a truncated gzip): what was read counts. */
	error?: string;
	/** Who searched it: grep (big plain files) or leakfix itself. */
	searchedBy?: 'grep';
};

export type LogsResult = {
	files: LogFileResult[];
	skipped: Array<{path: string; reason: string}>;
	lines: number;
	bytes: number;
	durationMs: number;
	cancelled: boolean;
	analysis: LogAnalysis;
};

/** An input problem with one file (binary, empty, unknown format): skipped when others remain. */
export class LogInputError extends Error {}

const CHUNK = 4 * 1024 * 1024;

const isWordByte = (byte: number | undefined) => byte !== undefined && ((byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte === 95);
const SAMPLE = 64 * 1024;
/** A "line" longer than this is not a log line: it is counted malformed and dropped. */
const MAX_LINE = 1024 * 1024;

// ---- inputs ---------------------------------------------------------------------------------

function globRegex(pattern: string): RegExp {
	let source = '';
	for (const char of pattern) {
		if (char === '*') source += '[^/]*';
		else if (char === '?') source += '[^/]';
		else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${source}$`);
}

/** Files and simple globs (`*` and `?` in the file name: `logs/access.log*`), sorted, unique. */
export async function expandInputs(inputs: string[], cwd: string = process.cwd()): Promise<string[]> {
	const out = new Set<string>();
	for (const typed of inputs) {
		const input = typed.replace(/^~(?=\/|$)/, homedir());
		const absolute = resolve(cwd, input);
		if (/[*?]/.test(basename(absolute))) {
			if (/[*?]/.test(dirname(absolute))) throw new LogInputError(`${input}: wildcards work in the file name only (logs/*.gz, not */access.log).`);
			let names: string[];
			try {
				names = await readdir(dirname(absolute));
			} catch {
				throw new LogInputError(`${input}: the folder ${dirname(input)} does not exist.`);
			}
			const regex = globRegex(basename(absolute));
			const matches = names.filter(name => regex.test(name)).sort();
			if (matches.length === 0) throw new LogInputError(`${input}: no file matches.`);
			for (const name of matches) out.add(join(dirname(absolute), name));
			continue;
		}
		let info;
		try {
			info = await stat(absolute);
		} catch {
			throw new LogInputError(`${input}: no such file.`);
		}
		if (info.isDirectory()) throw new LogInputError(`${input} is a folder; pass the log files or a glob such as ${join(input, '*.log')}.`);
		out.add(absolute);
	}
	return [...out];
}

// ---- reading --------------------------------------------------------------------------------

async function isGzip(path: string): Promise<boolean> {
	const handle = await open(path, 'r');
	try {
		const magic = Buffer.alloc(2);
		const {bytesRead} = await handle.read(magic, 0, 2, 0);
		return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
	} finally {
		await handle.close();
	}
}

/** A file's bytes as chunks, and its line count (newlines, plus a last line without one). */
type Source = {chunks: AsyncGenerator<Buffer>; position: () => number; newlines: () => number; lines: () => Promise<number>};

/**
 * Plain files: two reused buffers, the next read in flight while one is searched. Lines are
 * counted here, or (big files) by a worker reading the same file on the other core.
 */
function plainSource(path: string, size = CHUNK, worker = false): Source {
	let position = 0;
	let newlines = 0;
	let lastByte = 10;
	const counting = worker ? countLinesInWorker(path) : null;
	async function* chunks(): AsyncGenerator<Buffer> {
		const handle = await open(path, 'r');
		const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
		let which = 0;
		let pending = handle.read(buffers[0]!, 0, size, null);
		let finished = false;
		try {
			for (;;) {
				const {bytesRead} = await pending;
				if (bytesRead === 0) {
					finished = true;
					break;
				}
				position += bytesRead;
				const current = buffers[which]!;
				which ^= 1;
				pending = handle.read(buffers[which]!, 0, size, null);
				if (!counting) newlines += countNewlines(current, 0, bytesRead);
				lastByte = current[bytesRead - 1]!;
				yield current.subarray(0, bytesRead);
			}
		} finally {
			await pending.catch(() => undefined);
			await handle.close();
			if (!finished) counting?.stop(); // cancelled: the count is not needed
		}
	}
	return {
		chunks: chunks(),
		position: () => position,
		newlines: () => newlines,
		lines: async () => (counting ? counting.lines : newlines + (position > 0 && lastByte !== 10 ? 1 : 0)),
	};
}

function gzipSource(path: string, size = 256 * 1024): Source {
	const raw = createReadStream(path, {highWaterMark: 1024 * 1024});
	const gunzip = createGunzip({chunkSize: Math.max(64, size)});
	raw.pipe(gunzip);
	let newlines = 0;
	let lastByte = 10;
	let any = false;
	async function* chunks(): AsyncGenerator<Buffer> {
		try {
			for await (const chunk of gunzip) {
				const buffer = chunk as Buffer;
				if (buffer.length === 0) continue;
				newlines += countNewlines(buffer);
				lastByte = buffer[buffer.length - 1]!;
				any = true;
				yield buffer;
			}
		} catch (error) {
			throw new LogInputError(`${path}: not a readable gzip file (${(error as Error).message}).`);
		} finally {
			raw.destroy();
			gunzip.destroy();
		}
	}
	return {chunks: chunks(), position: () => raw.bytesRead, newlines: () => newlines, lines: async () => newlines + (any && lastByte !== 10 ? 1 : 0)};
}

async function sample(path: string, gzip: boolean): Promise<Buffer> {
	if (!gzip) {
		// The first 64 KiB, read once (not a 4 MiB chunk through the double-buffered reader).
		const handle = await open(path, 'r');
		try {
			const head = Buffer.allocUnsafe(SAMPLE);
			const {bytesRead} = await handle.read(head, 0, SAMPLE, 0);
			return head.subarray(0, bytesRead);
		} finally {
			await handle.close();
		}
	}
	const source = gzipSource(path);
	const parts: Buffer[] = [];
	let length = 0;
	for await (const chunk of source.chunks) {
		parts.push(Buffer.from(chunk));
		length += chunk.length;
		if (length >= SAMPLE) break;
	}
	await source.chunks.return(undefined);
	return Buffer.concat(parts).subarray(0, SAMPLE);
}

/** Splits a `{"Records": [ {...}, {...} ]}` document into its records, across chunks. */
function recordSplitter(onRecord: (record: Buffer) => void) {
	let depth = 0;
	let inString = false;
	let escaped = false;
	let parts: Buffer[] | null = null; // the record being collected, when it spans chunks
	return (chunk: Buffer) => {
		let start = parts ? 0 : -1;
		for (let index = 0; index < chunk.length; index++) {
			const byte = chunk[index]!;
			if (inString) {
				if (escaped) escaped = false;
				else if (byte === 0x5c) escaped = true;
				else if (byte === 0x22) inString = false;
				continue;
			}
			if (byte === 0x22) inString = true;
			else if (byte === 0x7b || byte === 0x5b) {
				if (byte === 0x7b && depth === 2) {
					start = index;
					parts = [];
				}
				depth++;
			} else if (byte === 0x7d || byte === 0x5d) {
				depth--;
				if (byte === 0x7d && depth === 2 && parts) {
					parts.push(chunk.subarray(start, index + 1));
					onRecord(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
					parts = null;
					start = -1;
				}
			}
		}
		if (parts && start !== -1) {
			parts.push(Buffer.from(chunk.subarray(start)));
			start = 0;
		}
	};
}


/** A file's parser, from its detected (or forced) format. */
function lineParser(detected: Detected, fields: FieldMap): {parse: (line: string) => ParseResult; header: boolean} {
	switch (detected.format) {
		case 'combined':
		case 'common':
			return {parse: parseClfLine, header: false};
		case 'jsonl':
			return {parse: line => parseJsonLine(line, fields), header: false};
		case 'cloudtrail':
			return {
				parse: line => {
					try {
						return eventFromCloudTrail(JSON.parse(line));
					} catch {
						return {ok: false, reason: 'not valid JSON'};
					}
				},
				header: false,
			};
		case 'csv':
			return {parse: line => parseCsvLine(line, detected.csvHeader as CsvHeader, fields), header: true};
	}
}

export async function analyzeLogs(inputs: string[], options: LogsOptions): Promise<LogsResult> {
	const started = Date.now();
	const paths = await expandInputs(inputs);
	const sizes = await Promise.all(paths.map(async path => (await stat(path)).size));
	const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
	const redactor = createRedactor(options.match.kind === 'key' ? [options.match.key] : []);
	const secret = options.match.kind === 'key' ? options.match.key : null;
	/**
	 * Examples leave masked: every known form of the key, query strings, and any word or path
	 * segment that decodes (once or twice, + as space or not) to something holding the key.
	 */
	const redact = (line: string) => {
		let out = clean(redactor.text(line)).replace(/\?[^\s"']*/g, '?…');
		if (secret !== null) {
			out = out.replace(/[^\s"'/]{8,}/g, word => {
				const variants = [word];
				for (let round = 0; round < 2; round++) {
					for (const variant of [...variants]) {
						try {
							variants.push(decodeURIComponent(variant), decodeURIComponent(variant.replace(/\+/g, ' ')));
						} catch {}
					}
				}
				return variants.some(variant => variant.includes(secret)) ? '…' : word;
			});
		}
		return out;
	};
	const analyzer = createAnalyzer({...options.analysis, redact});
	// The key's forms (as typed, every percent spelling, and the partial needle whose matches are
	// confirmed by decoding: ghp%5F…), or the key id; null: every line.
	const forms: Needle[] | null =
		options.match.kind === 'key'
			? keyNeedles(options.match.key, {partial: true}).filter(needle => needle.form !== 'base64')
			: options.match.kind === 'key-id'
				? [{form: 'raw', bytes: Buffer.from(options.match.id, 'utf8')}]
				: null;
	// What is searched for: the partial needle finds the key as typed and every spelling that
	// leaves its letters and digits alone, so those forms are not searched again; a line found by
	// the partial needle holds the key only if `holdsKey` says so (an exact form, or confirmed).
	const searched = forms === null ? null : searchNeedles(forms);
	const needles = searched === null ? null : searched.map(needle => needle.bytes);
	const confirmLines = searched !== null && searched.some(needle => needle.confirm);
	const keyId = options.match.kind === 'key-id' ? options.match.id : null;

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
			if (size === 0) throw new LogInputError(`${path} is empty.`);
			const gzip = await isGzip(path);
			const head = await sample(path, gzip);
			if (head.length === 0) throw new LogInputError(`${path} is empty.`);
			if (head.includes(0)) throw new LogInputError(`${path} looks binary (it holds NUL bytes), not like a text log${gzip ? ' inside the gzip' : ''}.`);
			const sniffed = detectFormat(head.toString('utf8'));
			let detected: Detected;
			if (options.format) {
				detected = {format: options.format, document: options.format === 'cloudtrail' && sniffed?.document === true};
				if (options.format === 'csv') {
					const header = detectFormat(head.toString('utf8').split('\n', 1)[0]!);
					if (header?.format !== 'csv') throw new LogInputError(`${path}: --format csv needs a header line naming the columns.`);
					detected.csvHeader = header.csvHeader!;
				}
			} else if (sniffed) detected = sniffed;
			else throw new LogInputError(`${path}: not a log format leakfix knows (nginx/Apache combined or common, JSON lines, CloudTrail, CSV with a header). Use --format to say which.`);

			const file: LogFileResult = {path, format: detected.format, gzip, bytes: size, lines: 0, keyLines: 0, malformed: 0};
			partial = file;
			const grepOk = !gzip && !detected.document && needles !== null && size >= GREP_FROM && options.chunkSize === undefined && (tools ??= grepTools()) !== null;
			const useWorker = !gzip && size >= WORKER_FROM && !detected.document && !grepOk;
			const source = gzip ? gzipSource(path, options.chunkSize) : plainSource(path, options.chunkSize, useWorker);
			linesSoFar = () => (detected.document ? file.lines : source.newlines());

			const handle = (text: string, parse: (line: string) => ParseResult) => {
				const parsed = parse(text);
				if (!parsed.ok) {
					file.malformed++;
					analyzer.malformed(parsed.reason, () => text);
					return;
				}
				// CloudTrail names the key that made the call: a record that only mentions the id is another key's.
				if (keyId !== null && detected.format === 'cloudtrail' && parsed.event.keyId !== null && parsed.event.keyId !== keyId) return;
				file.keyLines++;
				// Examples are rebuilt from the parsed fields (no query strings, no raw bytes), then masked.
				analyzer.add(parsed.event);
			};

			const report = () =>
				options.onProgress?.({file: path, fileIndex, files: paths.length, bytes: doneBytes + Math.min(source.position(), size), totalBytes, lines: lines + (detected.document ? file.lines : source.newlines()), keyLines: keyLinesBefore + file.keyLines, elapsedMs: Date.now() - started});

			// Big plain files: grep finds the key's lines while wc counts all of them.
			const viaGrep = async (): Promise<boolean> => {
				const {parse} = lineParser(detected, options.fields);
				let lastOffset = 0;
				const result = await grepLines(tools!, path, needles!, {
					wholeWord: keyId !== null,
					...(options.signal ? {signal: options.signal} : {}),
					onLine: (text, offset) => {
						lastOffset = offset;
						if (confirmLines && !holdsKey(Buffer.from(text, 'utf8'), forms!)) return;
						const line = text.endsWith('\r') ? text.slice(0, -1) : text;
						if (line.length > MAX_LINE) {
							file.malformed++;
							analyzer.malformed('a line longer than 1 MiB', () => `(${line.length} bytes, not shown)`);
						} else if (line !== '') handle(line, parse);
						if (file.keyLines % 256 === 0) options.onProgress?.({file: path, fileIndex, files: paths.length, bytes: doneBytes + lastOffset, totalBytes, lines: lines, keyLines: keyLinesBefore + file.keyLines, elapsedMs: Date.now() - started});
					},
				}).catch(() => null);
				if (result === null) {
					if (file.keyLines > 0 || file.malformed > 0) throw new LogInputError(`${path}: grep stopped part-way; run again`);
					return false;
				}
				if (options.signal?.aborted) cancelled = true;
				file.lines = result.lines + ((await lastByte(path, size)) === 10 ? 0 : 1);
				file.searchedBy = 'grep';
				return true;
			};

			if (detected.document) {
				const split = recordSplitter(record => {
					file.lines++;
					if (forms && !holdsKey(record, forms)) return;
					const text = record.toString('utf8');
					handle(text, line => {
						try {
							return eventFromCloudTrail(JSON.parse(line));
						} catch {
							return {ok: false, reason: 'a record that is not valid JSON'};
						}
					});
				});
				for await (const chunk of source.chunks) {
					split(chunk);
					report();
					if (options.signal?.aborted) {
						cancelled = true;
						await source.chunks.return(undefined);
						break;
					}
				}
			} else if (grepOk && (await viaGrep())) {
				// Done by grep (see grep.ts).
			} else {
				const {parse, header} = lineParser(detected, options.fields);
				let lineNumber = 0; // only tracked for the header line
				let carry: Buffer | null = null;
				const onLine = (line: Buffer) => {
					lineNumber++;
					if (header && lineNumber === 1) return;
					let end = line.length;
					if (end > 0 && line[end - 1] === 13) end--;
					if (end === 0) return;
					if (line.length > MAX_LINE) {
						file.malformed++;
						analyzer.malformed('a line longer than 1 MiB', () => `(${line.length} bytes, not shown)`);
						return;
					}
					handle(line.toString('utf8', 0, end), parse);
				};
				// Lines holding a needle, in `region` (whole lines, each ending in \n).
				const matchRegion = (region: Buffer) => {
					if (needles === null) {
						let start = 0;
						for (let nl = region.indexOf(10); nl !== -1; nl = region.indexOf(10, start)) {
							onLine(region.subarray(start, nl));
							start = nl + 1;
						}
						return;
					}
					const starts: number[] = [];
					for (const [index, needle] of needles.entries()) {
						const isPartial = searched![index]!.confirm !== undefined;
						for (let at = region.indexOf(needle); at !== -1; ) {
							// A partial match stands only when its line holds the key (as typed, a spelling, or confirmed).
							if (isPartial && !holdsKey(region.subarray(region.lastIndexOf(10, at) + 1, region.indexOf(10, at)), forms!)) {
								at = region.indexOf(needle, region.indexOf(10, at) + 1);
								continue;
							}
							// An id must stand alone: kid_123 is not inside kid_1234.
							if (keyId !== null && (isWordByte(region[at - 1]) || isWordByte(region[at + needle.length]))) {
								at = region.indexOf(needle, at + 1);
								continue;
							}
							const lineStart = region.lastIndexOf(10, at) + 1;
							const lineEnd = region.indexOf(10, at);
							starts.push(lineStart);
							at = region.indexOf(needle, lineEnd + 1);
						}
					}
					if (needles.length > 1) starts.sort((a, b) => a - b);
					let previous = -1;
					for (const lineStart of starts) {
						if (lineStart === previous) continue;
						previous = lineStart;
						onLine(region.subarray(lineStart, region.indexOf(10, lineStart)));
					}
				};
				// Header detection needs line 1 even when it holds no needle.
				let sawFirst = !header;
				for await (const chunk of source.chunks) {
					let from = 0;
					if (carry) {
						const nl = chunk.indexOf(10);
						if (nl === -1) {
							carry = carry.length > MAX_LINE ? carry : Buffer.concat([carry, chunk]);
							report();
							continue;
						}
						const line = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
						carry = null;
						if (!sawFirst) {
							sawFirst = true;
							lineNumber = 1;
						} else matchRegion(line);
						from = nl + 1;
					}
					const lastNl = chunk.lastIndexOf(10);
					if (lastNl >= from) {
						if (!sawFirst) {
							// Skip the CSV header: the first line of the file.
							const nl = chunk.indexOf(10, from);
							sawFirst = true;
							lineNumber = 1;
							from = nl + 1;
						}
						if (lastNl >= from) matchRegion(chunk.subarray(from, lastNl + 1));
						carry = lastNl + 1 < chunk.length ? Buffer.from(chunk.subarray(lastNl + 1)) : null;
					} else {
						carry = Buffer.from(chunk.subarray(from));
					}
					report();
					if (options.signal?.aborted) {
						cancelled = true;
						await source.chunks.return(undefined);
						break;
					}
				}
				if (carry && carry.length > 0 && !cancelled && sawFirst) matchRegion(Buffer.concat([carry, Buffer.from('\n')]));
				file.lines = cancelled ? source.newlines() : await source.lines();
			}
			keyLinesBefore += file.keyLines;
			files.push(file);
			lines += file.lines;
			doneBytes += cancelled ? Math.min(source.position(), size) : size;
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
	if (!cancelled && analysis.keyLines === 0) analysis.notes.push(needles === null ? 'The files hold no readable requests.' : 'No line holds the key (as typed or URL-encoded) or its id: there is nothing to judge in these logs. Are they the right ones, and is the key right?');
	return {files, skipped, lines, bytes: doneBytes, durationMs: Date.now() - started, cancelled, analysis};
}
