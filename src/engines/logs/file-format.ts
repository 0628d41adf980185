// A file's compression and format, from its first bytes (decompressed), and its line parser.
import {open} from 'node:fs/promises';
import {type CsvHeader, type Detected, detectFormat, eventFromCloudTrail, type FieldMap, type LogFormat, parseClfLine, parseCsvLine, parseJsonLine, type ParseResult} from '../../core/logs/formats.js';
import {gzipSource} from './sources/gzip.js';
import {LogInputError} from './types.js';

const SAMPLE = 64 * 1024;

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
	return Buffer.concat(parts).subarray(0, SAMPLE);
}

/** Whether a file is gzipped and what it holds; an empty, binary or unknown file is a LogInputError. */
export async function fileFormat(path: string, size: number, forced: LogFormat | undefined): Promise<{gzip: boolean; detected: Detected}> {
	if (size === 0) throw new LogInputError(`${path} is empty.`);
	const gzip = await isGzip(path);
	const head = await sample(path, gzip);
	if (head.length === 0) throw new LogInputError(`${path} is empty.`);
	if (head.includes(0)) throw new LogInputError(`${path} looks binary (it holds NUL bytes), not like a text log${gzip ? ' inside the gzip' : ''}.`);
	const sniffed = detectFormat(head.toString('utf8'));
	if (forced) {
		const detected: Detected = {format: forced, document: forced === 'cloudtrail' && sniffed?.document === true};
		if (forced === 'csv') {
			const header = detectFormat(head.toString('utf8').split('\n', 1)[0]!);
			if (header?.format !== 'csv') throw new LogInputError(`${path}: --format csv needs a header line naming the columns.`);
			detected.csvHeader = header.csvHeader!;
		}
		return {gzip, detected};
	}
	if (sniffed) return {gzip, detected: sniffed};
	throw new LogInputError(`${path}: not a log format leakfix knows (nginx/Apache combined or common, JSON lines, CloudTrail, CSV with a header). Use --format to say which.`);
}

/** A file's parser, from its detected (or forced) format; `header`: its first line names the columns. */
export function lineParser(detected: Detected, fields: FieldMap): {parse: (line: string) => ParseResult; header: boolean} {
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
