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
	constructor(needles: Needle[]) {
		this.#needles = needles;
		this.#maxLength = Math.max(...needles.map(needle => needle.bytes.length));
	}

	push(segment: Buffer, onMatch: (match: Match) => void): void {
		if (segment.length === 0) return;
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
