// CSV logs with a header line naming the columns. Pure.
import type {FieldMap, ParseResult} from './fields.js';
import {eventFromObject} from './json.js';

/** One CSV line into fields (RFC 4180 quoting; a quoted field may not span lines). */
export function splitCsv(line: string): string[] | null {
	const out: string[] = [];
	let index = 0;
	const end = line.endsWith('\r') ? line.length - 1 : line.length;
	while (index <= end) {
		if (line[index] === '"') {
			let value = '';
			index++;
			for (;;) {
				if (index >= end) return null; // an unterminated quote
				const char = line[index]!;
				if (char === '"') {
					if (line[index + 1] === '"') {
						value += '"';
						index += 2;
						continue;
					}
					index++;
					break;
				}
				value += char;
				index++;
			}
			out.push(value);
			if (index < end && line[index] !== ',') return null;
			index++;
		} else {
			let next = line.indexOf(',', index);
			if (next === -1 || next > end) next = end;
			out.push(line.slice(index, next));
			index = next + 1;
		}
	}
	return out;
}

export type CsvHeader = {columns: string[]};

export function parseCsvLine(line: string, header: CsvHeader, fields: FieldMap): ParseResult {
	const values = splitCsv(line);
	if (!values) return {ok: false, reason: 'an unterminated quote'};
	if (values.length !== header.columns.length) return {ok: false, reason: `${values.length} fields, the header has ${header.columns.length}`};
	// Columns are matched as written and in snake case ("User Agent" → user_agent).
	const object: Record<string, string> = {};
	header.columns.forEach((column, index) => {
		object[column] = values[index]!;
		object[column.toLowerCase().replace(/[\s-]+/g, '_')] = values[index]!;
	});
	return eventFromObject(object, fields);
}

