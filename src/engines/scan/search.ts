// Searching a stream of bytes for several needles, chunk by chunk, without missing a match that
// straddles two chunks (chunks can be as small as one byte).
import type {Needle, Span} from '../../core/needles.js';

export type Match = {needle: number; offset: number};

/**
 * A search over one logical stream (a file, or one object inside cat-file's output). Feed it
 * consecutive segments; it reports each match with its offset from the start of the stream.
 */
export class StreamSearch {
	readonly #needles: Needle[];
	readonly #maxLength: number;
	readonly #partial: Array<{index: number; confirm: PartialConfirm}>;
	readonly #exactIndex: number[]; // index in the caller's list of each exact needle
	#tail: Buffer = Buffer.alloc(0);
	#position = 0; // bytes seen before the current segment
	constructor(needles: Needle[]) {
		// Partial needles are searched and confirmed on their own (a match is reported at its span).
		this.#partial = needles.flatMap((needle, index) => (needle.confirm ? [{index, confirm: new PartialConfirm(needle)}] : []));
		this.#needles = needles.filter(needle => !needle.confirm);
		this.#maxLength = Math.max(0, ...this.#needles.map(needle => needle.bytes.length));
		this.#exactIndex = needles.flatMap((needle, index) => (needle.confirm ? [] : [index]));
	}

	/** The stream has ended: partial matches near its end are decided with what there is. */
	finish(onMatch: (match: Match) => void): void {
		for (const {index, confirm} of this.#partial) confirm.finish(span => onMatch({needle: index, offset: span.start}));
	}

	push(segment: Buffer, onMatch: (match: Match) => void): void {
		if (segment.length === 0) return;
		for (const {index, confirm} of this.#partial) confirm.push(segment, span => onMatch({needle: index, offset: span.start}));
		if (this.#needles.length === 0) {
			this.#position += segment.length;
			return;
		}
		const exact = (match: Match) => onMatch({needle: this.#exactIndex[match.needle]!, offset: match.offset});
		this.#pushExact(segment, exact);
	}

	#pushExact(segment: Buffer, onMatch: (match: Match) => void): void {
		const overlap = this.#maxLength - 1;
		// Matches that start in the tail and end in this segment.
		if (this.#tail.length > 0) {
			const joint = Buffer.concat([this.#tail, segment.subarray(0, overlap)]);
			for (const [index, needle] of this.#needles.entries()) {
				let at = joint.indexOf(needle.bytes);
				while (at !== -1 && at < this.#tail.length) {
					if (at + needle.bytes.length > this.#tail.length) onMatch({needle: index, offset: this.#position - this.#tail.length + at});
					at = joint.indexOf(needle.bytes, at + 1);
				}
			}
		}
		for (const [index, needle] of this.#needles.entries()) {
			for (let at = segment.indexOf(needle.bytes); at !== -1; at = segment.indexOf(needle.bytes, at + 1)) onMatch({needle: index, offset: this.#position + at});
		}
		// Keep the last (longest needle - 1) bytes; copy only those, never the whole segment.
		if (overlap === 0) this.#tail = Buffer.alloc(0);
		else if (segment.length >= overlap) this.#tail = Buffer.from(segment.subarray(segment.length - overlap));
		else this.#tail = Buffer.concat([this.#tail, segment]).subarray(-overlap);
		this.#position += segment.length;
	}
}

/**
 * Confirms a partial needle's matches in one logical stream fed in segments of any size (an object
 * body, a file): each match is decided once the bytes its confirmation reads have arrived (or the
 * stream has ended), from the kept last bytes and the current segment; only those few bytes are
 * copied. Reports each confirmed copy's span, as offsets from the start of the stream.
 */
const EMPTY = Buffer.alloc(0);

export class PartialConfirm {
	readonly #needle: Needle;
	readonly #before: number;
	readonly #after: number;
	readonly #keepBytes: number;
	#keep: Buffer = EMPTY; // the stream's last bytes, ending where the current segment starts
	#end = 0; // bytes seen so far
	#pending: number[] = []; // starts of matches still waiting for bytes after them

	constructor(needle: Needle) {
		if (!needle.confirm || !needle.reach) throw new Error('PartialConfirm takes a partial needle');
		this.#needle = needle;
		this.#before = needle.reach.before;
		this.#after = needle.bytes.length + needle.reach.after;
		this.#keepBytes = this.#before + this.#after + needle.bytes.length;
	}

	/** Feeds the next bytes; `last`: the stream ends with them (everything is decided, the state reset). */
	push(segment: Buffer, onSpan: (span: Span) => void, last = false): void {
		if (segment.length === 0 && !last) return;
		const start = this.#end;
		const bytes = this.#needle.bytes;
		// Matches that start in the kept bytes and end in this segment.
		if (this.#keep.length > 0 && bytes.length > 1) {
			const head = this.#keep.subarray(Math.max(0, this.#keep.length - (bytes.length - 1)));
			const joint = Buffer.concat([head, segment.subarray(0, bytes.length - 1)]);
			for (let at = joint.indexOf(bytes); at !== -1 && at < head.length; at = joint.indexOf(bytes, at + 1)) {
				if (at + bytes.length > head.length) this.#pending.push(start - head.length + at);
			}
		}
		for (let at = segment.indexOf(bytes); at !== -1; at = segment.indexOf(bytes, at + 1)) this.#pending.push(start + at);
		this.#end = start + segment.length;
		if (this.#pending.length > 0) {
			const waiting: number[] = [];
			for (const at of this.#pending) {
				if (last || at + this.#after <= this.#end) this.#decide(at, segment, start, onSpan);
				else waiting.push(at);
			}
			this.#pending = waiting;
		}
		if (last) {
			this.reset();
			return;
		}
		// Keep the last bytes (a pending match's window always lies within them and what follows).
		this.#keep = segment.length >= this.#keepBytes ? Buffer.from(segment.subarray(segment.length - this.#keepBytes)) : Buffer.concat([this.#keep, segment]).subarray(-this.#keepBytes);
	}

	/** The stream has ended: every pending match is decided with the bytes there are. */
	finish(onSpan: (span: Span) => void): void {
		for (const at of this.#pending) this.#decide(at, Buffer.alloc(0), this.#end, onSpan);
		this.reset();
	}

	/** Ready for a new stream (allocates nothing when there is nothing to forget: once per object). */
	reset(): void {
		if (this.#keep.length > 0) this.#keep = EMPTY;
		if (this.#pending.length > 0) this.#pending = [];
		this.#end = 0;
	}

	/** Confirms the match at `at` on its window, from the kept bytes and the current segment. */
	#decide(at: number, segment: Buffer, segmentStart: number, onSpan: (span: Span) => void): void {
		const from = Math.max(0, at - this.#before);
		const to = Math.min(this.#end, at + this.#after);
		const keepStart = segmentStart - this.#keep.length;
		const pieces: Buffer[] = [];
		if (from < segmentStart) pieces.push(this.#keep.subarray(from - keepStart, Math.min(to, segmentStart) - keepStart));
		if (to > segmentStart) pieces.push(segment.subarray(Math.max(from, segmentStart) - segmentStart, to - segmentStart));
		const window = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
		const span = this.#needle.confirm!(window, at - from);
		if (span) onSpan({start: from + span.start, end: from + span.end});
	}
}
