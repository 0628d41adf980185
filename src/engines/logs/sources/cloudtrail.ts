// CloudTrail documents (`{"Records": [...]}`, gzipped or not, and lookup-events' `{"Events":
// [...]}`): a small byte-level state machine (depth, strings, escapes) splits the chunks of any
// source into records; a record is handed on only if it holds a needle. Each record counts as a line.
import {holdsKey, type Needle} from '../../../core/needles.js';
import type {LineHandler} from '../handler.js';
import {drain, type Source} from './source.js';

/** Splits a `{"Records": [ {...}, {...} ]}` document into its records, across chunks. */
export function recordSplitter(onRecord: (record: Buffer) => void) {
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

/** Reads a document's records into the handler; `onRecord` counts each. Returns whether it was cancelled. */
export function readRecords(source: Source, forms: Needle[] | null, handler: LineHandler, onRecord: () => void, report: () => void, signal?: AbortSignal): Promise<boolean> {
	const split = recordSplitter(record => {
		onRecord();
		if (forms && !holdsKey(record, forms)) return;
		handler.record(record.toString('utf8'));
	});
	return drain(source, split, report, signal);
}
