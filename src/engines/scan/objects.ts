// Parses the output of `git cat-file --batch-all-objects --batch --unordered` as it streams
// ("<sha> <type> <size>\n<content>\n" per object) and finds the key in every non-tree object.
//
// The search runs once per chunk over the raw stream (not once per object: a repository has
// tens of thousands of small objects), and each match is attributed to the object whose content
// holds it. Memory stays flat: only the objects overlapping the current chunk are remembered.
import type {Needle} from '../../core/needles.js';
import {StreamSearch} from './search.js';

export type ObjectType = 'blob' | 'commit' | 'tag' | 'tree';
export type ObjectHit = {sha: string; type: Exclude<ObjectType, 'tree'>; needle: number; size: number};

type Span = {sha: string; type: ObjectType; start: number; end: number; reported: number};

export class ObjectStreamScanner {
	readonly #needles: Needle[];
	readonly #onHit: (hit: ObjectHit) => void;
	readonly #search: StreamSearch;
	readonly #overlap: number;
	#header: Buffer[] = [];
	#state: 'header' | 'body' | 'newline' = 'header';
	#remaining = 0;
	#position = 0; // stream offset of the next byte
	#spans: Span[] = []; // objects whose content may still hold a match, in stream order
	objects = 0;
	bytes = 0;

	constructor(needles: Needle[], onHit: (hit: ObjectHit) => void) {
		this.#needles = needles;
		this.#onHit = onHit;
		this.#search = new StreamSearch(needles);
		this.#overlap = Math.max(...needles.map(needle => needle.bytes.length));
	}

	push(chunk: Buffer): void {
		const chunkStart = this.#position;
		this.#parse(chunk);
		this.#search.push(chunk, match => this.#attribute(match.needle, match.offset));
		// Forget objects that ended before anything still to be matched could start.
		const horizon = chunkStart + chunk.length - this.#overlap;
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
					this.#header.push(chunk.subarray(at));
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
		const first = header.indexOf(' ');
		const second = header.indexOf(' ', first + 1);
		const type = header.slice(first + 1, second === -1 ? undefined : second);
		if (type === 'missing' || second === -1) {
			this.#state = 'header';
			return;
		}
		this.#remaining = Number(header.slice(second + 1));
		if (type !== 'tree' && this.#remaining > 0) {
			this.#spans.push({sha: header.slice(0, first), type: type as ObjectType, start: this.#position, end: this.#position + this.#remaining, reported: 0});
		}
		this.#state = this.#remaining === 0 ? 'newline' : 'body';
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
					this.#onHit({sha: span.sha, type: span.type as ObjectHit['type'], needle, size: span.end - span.start});
				}
			}
			return;
		}
	}
}
