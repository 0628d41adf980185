// Searching a stream of bytes for several needles, chunk by chunk, without missing a match that
// straddles two chunks (chunks can be as small as one byte).
import type {Needle} from '../../core/needles.js';

export type Match = {needle: number; offset: number};

/**
 * A search over one logical stream (a file, or one object inside cat-file's output). Feed it
 * consecutive segments; it reports each match with its offset from the start of the stream.
 */
export class StreamSearch {
	readonly #needles: Needle[];
	readonly #maxLength: number;
	#tail: Buffer = Buffer.alloc(0);
	#position = 0; // bytes seen before the current segment
	readonly #firstOnly: boolean;
	readonly #found = new Set<number>();

	constructor(needles: Needle[], {firstOnly = false}: {firstOnly?: boolean} = {}) {
		this.#needles = needles;
		this.#maxLength = Math.max(...needles.map(needle => needle.bytes.length));
		this.#firstOnly = firstOnly;
	}

	push(segment: Buffer, onMatch: (match: Match) => void): void {
		if (segment.length === 0) return;
		const overlap = this.#maxLength - 1;
		// Matches that start in the tail and end in this segment.
		if (this.#tail.length > 0) {
			const joint = Buffer.concat([this.#tail, segment.subarray(0, overlap)]);
			for (const [index, needle] of this.#needles.entries()) {
				if (this.#firstOnly && this.#found.has(index)) continue;
				let at = joint.indexOf(needle.bytes);
				while (at !== -1 && at < this.#tail.length) {
					if (at + needle.bytes.length > this.#tail.length) {
						this.#report(index, this.#position - this.#tail.length + at, onMatch);
						if (this.#firstOnly) break;
					}
					at = joint.indexOf(needle.bytes, at + 1);
				}
			}
		}
		for (const [index, needle] of this.#needles.entries()) {
			if (this.#firstOnly && this.#found.has(index)) continue;
			for (let at = segment.indexOf(needle.bytes); at !== -1; at = segment.indexOf(needle.bytes, at + 1)) {
				this.#report(index, this.#position + at, onMatch);
				if (this.#firstOnly) break;
			}
		}
		// Keep the last (longest needle - 1) bytes; copy only those, never the whole segment.
		if (overlap === 0) this.#tail = Buffer.alloc(0);
		else if (segment.length >= overlap) this.#tail = Buffer.from(segment.subarray(segment.length - overlap));
		else this.#tail = Buffer.concat([this.#tail, segment]).subarray(-overlap);
		this.#position += segment.length;
	}

	#report(needle: number, offset: number, onMatch: (match: Match) => void): void {
		this.#found.add(needle);
		onMatch({needle, offset});
	}
}
