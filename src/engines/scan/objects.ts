// Parses the output of `git cat-file --batch-all-objects --batch --unordered` as it streams
// ("<sha> <type> <size>\n<content>\n" per object) and finds the key in every non-tree object.
//
// Only the bodies of blobs, commits and tags are searched: tree objects (binary ids and names,
// often most of the bytes in a repository with wide folders) are walked past, never searched.
// Within a chunk, the searchable ranges that lie close together are searched as one (a match
// that strays over a header is dropped when it is attributed). A match may straddle two chunks:
// the last bytes of a chunk that ends inside a searched body are kept and searched together
// with the start of the next one. Memory stays flat: only the objects overlapping the current
// chunk are remembered.
import type {Needle} from '../../core/needles.js';
import {PartialConfirm} from './search.js';

export type ObjectType = 'blob' | 'commit' | 'tag' | 'tree';
export type ObjectHit = {sha: string; type: Exclude<ObjectType, 'tree'>; needle: number; size: number};

type Span = {sha: string; type: ObjectType; start: number; end: number; reported: number; ordinal: number};

/** Unreadable objects named, at most (the rest counted). */
const MAX_UNREADABLE_IDS = 5;

/** Searchable ranges closer than this are searched as one range. */
const MERGE_GAP = 512;

export class ObjectStreamScanner {
	readonly #needles: Needle[];
	readonly #onHit: (hit: ObjectHit, ordinal: number) => void;
	readonly #overlap: number; // the longest exact needle, less one
	// Partial needles: confirmed per object body as it streams (see PartialConfirm), never reported unconfirmed.
	readonly #partial: Array<{confirm: PartialConfirm; report: () => void}>;
	#header: Buffer[] = [];
	#state: 'header' | 'body' | 'newline' = 'header';
	#remaining = 0;
	#searchable = false; // the body being read is a blob, commit or tag
	#position = 0; // stream offset of the next byte
	#spans: Span[] = []; // objects whose content may still hold a match, in stream order
	#tail: Buffer | null = null; // the last bytes of the previous chunk, when it ended in a searched body
	#ranges: number[] = []; // [from, to) pairs in the current chunk, reused
	objects = 0;
	bytes = 0;
	#ordinal = 0; // every header, a missing object's too: the place of each id asked for
	/** Objects git named but could not give (corrupt, or gone since listed): how many, and the first ids. */
	readonly unreadable: {count: number; ids: string[]} = {count: 0, ids: []};

	/** `onHit` is told each matching object once per needle, with its place in the stream (0 for the first object; a missing one takes a place too). */
	constructor(needles: Needle[], onHit: (hit: ObjectHit, ordinal: number) => void) {
		// Each span remembers the needles it reported in a 32-bit mask; an empty needle never ends.
		if (needles.length === 0 || needles.length > 31 || needles.some(needle => needle.bytes.length === 0)) throw new Error('ObjectStreamScanner takes 1 to 31 non-empty needles');
		this.#needles = needles;
		this.#onHit = onHit;
		this.#overlap = Math.max(1, ...needles.filter(needle => !needle.confirm).map(needle => needle.bytes.length)) - 1;
		this.#partial = needles.flatMap((needle, index) => (needle.confirm ? [{confirm: new PartialConfirm(needle), report: () => this.#reportCurrent(index)}] : []));
	}

	push(chunk: Buffer): void {
		if (chunk.length === 0) return;
		const chunkStart = this.#position;
		const ranges = this.#ranges;
		ranges.length = 0;
		this.#parse(chunk);

		// Matches that start in the previous chunk's tail and end in this one.
		const tail = this.#tail;
		if (tail !== null && this.#overlap > 0) {
			const joint = Buffer.concat([tail, chunk.subarray(0, this.#overlap)]);
			for (const [index, needle] of this.#needles.entries()) {
				if (needle.confirm) continue;
				for (let at = joint.indexOf(needle.bytes); at !== -1 && at < tail.length; at = joint.indexOf(needle.bytes, at + 1)) {
					if (at + needle.bytes.length > tail.length) this.#attribute(index, chunkStart - tail.length + at);
				}
			}
		}

		// The searched bodies in this chunk, close ranges merged.
		for (let index = 0; index < ranges.length; ) {
			const from = ranges[index]!;
			let to = ranges[index + 1]!;
			index += 2;
			while (index < ranges.length && ranges[index]! - to <= MERGE_GAP) {
				to = ranges[index + 1]!;
				index += 2;
			}
			const region = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
			for (const [needleIndex, needle] of this.#needles.entries()) {
				if (needle.confirm || region.length < needle.bytes.length) continue;
				for (let at = region.indexOf(needle.bytes); at !== -1; at = region.indexOf(needle.bytes, at + 1)) this.#attribute(needleIndex, chunkStart + from + at);
			}
		}

		// Keep the last bytes if this chunk ends inside a searched body (a match may continue).
		if (this.#state === 'body' && this.#searchable && this.#overlap > 0) {
			const kept = chunk.length >= this.#overlap ? chunk.subarray(chunk.length - this.#overlap) : Buffer.concat([tail ?? Buffer.alloc(0), chunk]).subarray(-this.#overlap);
			this.#tail = Buffer.from(kept);
		} else {
			this.#tail = null;
		}

		// Forget objects that ended before anything still to be matched could start.
		const horizon = chunkStart + chunk.length - this.#overlap - 1;
		let drop = 0;
		while (drop < this.#spans.length && this.#spans[drop]!.end <= horizon) drop++;
		if (drop > 0) this.#spans.splice(0, drop);
	}

	/** Walks the chunk's structure: headers, content lengths, the LF after each object. */
	#parse(chunk: Buffer): void {
		let at = 0;
		while (at < chunk.length) {
			if (this.#state === 'header') {
				const newline = chunk.indexOf(10, at);
				if (newline === -1) {
					// Copied: the chunk's buffer may be read into again before the header ends.
					this.#header.push(Buffer.from(chunk.subarray(at)));
					this.#position += chunk.length - at;
					return;
				}
				this.#header.push(chunk.subarray(at, newline));
				this.#position += newline + 1 - at;
				at = newline + 1;
				this.#startObject(this.#header.length === 1 ? this.#header[0]!.toString('latin1') : Buffer.concat(this.#header).toString('latin1'));
				this.#header = [];
			} else if (this.#state === 'body') {
				const take = Math.min(this.#remaining, chunk.length - at);
				if (this.#searchable) {
					this.#ranges.push(at, at + take);
					if (this.#partial.length > 0) {
						const body = chunk.subarray(at, at + take);
						const last = this.#remaining === take;
						for (const {confirm, report} of this.#partial) confirm.push(body, report, last);
					}
				}
				this.bytes += take;
				this.#remaining -= take;
				this.#position += take;
				at += take;
				if (this.#remaining === 0) this.#state = 'newline';
			} else {
				at += 1;
				this.#position += 1;
				this.#state = 'header';
				this.objects++;
			}
		}
	}

	#startObject(header: string): void {
		const ordinal = this.#ordinal++;
		const first = header.indexOf(' ');
		const second = header.indexOf(' ', first + 1);
		const type = header.slice(first + 1, second === -1 ? undefined : second);
		if (type === 'missing' || second === -1) {
			// git prints "<id> missing" for an object it listed but cannot read (a corrupt loose
			// object, say) and goes on: counted, so the scan does not claim to have read it.
			this.unreadable.count++;
			if (this.unreadable.ids.length < MAX_UNREADABLE_IDS) this.unreadable.ids.push(header.slice(0, first === -1 ? undefined : first));
			this.#state = 'header';
			return;
		}
		this.#remaining = Number(header.slice(second + 1));
		this.#searchable = type !== 'tree' && this.#remaining > 0;
		if (this.#searchable) {
			this.#spans.push({sha: header.slice(0, first), type: type as ObjectType, start: this.#position, end: this.#position + this.#remaining, reported: 0, ordinal});
		}
		this.#state = this.#remaining === 0 ? 'newline' : 'body';
	}

	/** A confirmed partial match in the object being read (the last one started). */
	#reportCurrent(needle: number): void {
		const span = this.#spans[this.#spans.length - 1];
		if (!span) return;
		const bit = 1 << needle;
		if ((span.reported & bit) !== 0) return;
		span.reported |= bit;
		this.#onHit({sha: span.sha, type: span.type as ObjectHit['type'], needle, size: span.end - span.start}, span.ordinal);
	}

	#attribute(needle: number, offset: number): void {
		const end = offset + this.#needles[needle]!.bytes.length;
		// Spans are few (those overlapping this chunk); the last ones are the likeliest.
		for (let index = this.#spans.length - 1; index >= 0; index--) {
			const span = this.#spans[index]!;
			if (span.start > offset) continue;
			if (end <= span.end) {
				const bit = 1 << needle;
				if ((span.reported & bit) === 0) {
					span.reported |= bit;
					this.#onHit({sha: span.sha, type: span.type as ObjectHit['type'], needle, size: span.end - span.start}, span.ordinal);
				}
			}
			return;
		}
	}
}
