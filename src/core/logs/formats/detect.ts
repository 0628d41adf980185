// A log's format from its first bytes. Pure.
import type {LogFormat} from './fields.js';
import {CLF} from './clf.js';
import {type CsvHeader, splitCsv} from './csv.js';

export type Detected = {format: LogFormat; document: boolean; csvHeader?: CsvHeader};

/** The format of a log from its first bytes (decompressed). `null`: not one we know. */
export function detectFormat(sample: string): Detected | null {
	const head = sample.trimStart();
	if (/^\{\s*"(Records|Events)"\s*:/.test(head)) return {format: 'cloudtrail', document: true};
	const candidates = head.split('\n', 6).map(line => line.replace(/\r$/, '')).filter(line => line.trim() !== '');
	// A rotated or cut log may start mid-line: the first of its first lines that reads decides.
	for (const [index, line] of candidates.entries()) {
		const found = detectLine(line, index === 0);
		if (found) return found;
	}
	return null;
}

function detectLine(firstLine: string, isFirst: boolean): Detected | null {
	if (firstLine.startsWith('{')) {
		try {
			const object = JSON.parse(firstLine) as Record<string, unknown>;
			return {format: 'eventTime' in object && 'eventSource' in object ? 'cloudtrail' : 'jsonl', document: false};
		} catch {
			return null;
		}
	}
	const clf = CLF.exec(firstLine);
	if (clf) return {format: clf[9] === undefined ? 'common' : 'combined', document: false};
	if (isFirst && firstLine.includes(',')) {
		const columns = splitCsv(firstLine.replace(/^\uFEFF/, ''));
		if (columns && columns.every(column => column.length > 0 && column.length < 64 && !/^\d/.test(column))) {
			return {format: 'csv', document: false, csvHeader: {columns: columns.map(column => column.trim())}};
		}
	}
	return null;
}
