// The one line handler every source feeds (plain and gzip reads, grep's matches, CloudTrail
// records): a line that holds the key is parsed in the file's format, counted as the key's or as
// malformed, and its event goes to the analyzer. Nothing else decides what a line counts as.
import type {Analyzer} from '../../core/logs/analyze.js';
import {eventFromCloudTrail, type ParseResult} from '../../core/logs/formats.js';
import type {LogFileResult} from './types.js';

/** A "line" longer than this is not a log line: it is counted malformed and dropped. */
export const MAX_LINE = 1024 * 1024;

export type LineHandler = {
	/** A line as bytes (read by Node or printed by grep), without its \n; a trailing \r is dropped, an empty line skipped. */
	bytes(line: Buffer): void;
	/** One CloudTrail record of a `{"Records": [...]}` document, as JSON text. */
	record(json: string): void;
};

const fromRecord = (json: string): ParseResult => {
	try {
		return eventFromCloudTrail(JSON.parse(json));
	} catch {
		return {ok: false, reason: 'a record that is not valid JSON'};
	}
};

export function lineHandler(file: LogFileResult, analyzer: Analyzer, parse: (line: string) => ParseResult, keyId: string | null): LineHandler {
	const handle = (text: string, parser: (line: string) => ParseResult) => {
		const parsed = parser(text);
		if (!parsed.ok) {
			file.malformed++;
			analyzer.malformed(parsed.reason, () => text);
			return;
		}
		// CloudTrail names the key that made the call: a record that only mentions the id is another key's.
		if (keyId !== null && file.format === 'cloudtrail' && parsed.event.keyId !== null && parsed.event.keyId !== keyId) return;
		file.keyLines++;
		// Examples are rebuilt from the parsed fields (no query strings, no raw bytes), then masked.
		analyzer.add(parsed.event);
	};
	const tooLong = (length: number) => {
		file.malformed++;
		analyzer.malformed('a line longer than 1 MiB', () => `(${length} bytes, not shown)`);
	};
	return {
		bytes(line) {
			let end = line.length;
			if (end > 0 && line[end - 1] === 13) end--;
			if (end === 0) return;
			if (line.length > MAX_LINE) tooLong(line.length);
			else handle(line.toString('utf8', 0, end), parse);
		},
		record(json) {
			handle(json, fromRecord);
		},
	};
}
