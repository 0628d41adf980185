// From chunks of a file (plain or gzip) to the lines that hold a needle: each chunk's whole lines
// are searched as raw bytes (Buffer.indexOf) and only the matching lines are handed on; a line
// that straddles two chunks is carried over (copied: the chunk's buffer is reused). Without
// needles every line is handed on.
import {holdsKey} from '../../core/needles.js';
import {MAX_LINE} from './handler.js';
import type {KeySearch} from './match.js';

const isWordByte = (byte: number | undefined) => byte !== undefined && ((byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte === 95);

/** `push` each chunk in order, then `end`. `skipFirst`: the first line is a header (CSV), never handed on. */
export function keyedLines(search: KeySearch, onLine: (line: Buffer) => void, skipFirst: boolean): {push(chunk: Buffer): void; end(): void} {
	const {needles, partial, forms, keyId} = search;
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
			const isPartial = partial[index]!;
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
	let carry: Buffer | null = null;
	// Header detection needs line 1 even when it holds no needle.
	let sawFirst = !skipFirst;
	return {
		push(chunk) {
			let from = 0;
			if (carry) {
				const nl = chunk.indexOf(10);
				if (nl === -1) {
					carry = carry.length > MAX_LINE ? carry : Buffer.concat([carry, chunk]);
					return;
				}
				const line = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
				carry = null;
				if (!sawFirst) sawFirst = true;
				else matchRegion(line);
				from = nl + 1;
			}
			const lastNl = chunk.lastIndexOf(10);
			if (lastNl >= from) {
				if (!sawFirst) {
					// Skip the CSV header: the first line of the file.
					sawFirst = true;
					from = chunk.indexOf(10, from) + 1;
				}
				if (lastNl >= from) matchRegion(chunk.subarray(from, lastNl + 1));
				carry = lastNl + 1 < chunk.length ? Buffer.from(chunk.subarray(lastNl + 1)) : null;
			} else {
				carry = Buffer.from(chunk.subarray(from));
			}
		},
		end() {
			if (carry && carry.length > 0 && sawFirst) matchRegion(Buffer.concat([carry, Buffer.from('\n')]));
		},
	};
}
