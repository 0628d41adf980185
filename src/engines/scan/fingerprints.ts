// The mapping pass's memory: every change of the history as fingerprints of its blob ids, in a
// fixed budget (ChangeIndex). Filled by changes.ts's parser, asked by locate.ts.
import type {TailChanges} from './tail.js';

/**
 * The mapping pass's answer, held in a fixed budget whatever the size of the history: for each
 * change (a commit writing a blob at a path, or deleting one; a merge's combined line is one
 * change per parent) of every ref and reflog, the first bytes of its new and old blob ids (a
 * fingerprint of each), and for each commit its id and its first change. No path or text is kept.
 * `candidates()` names the commits whose changes may touch the matching blobs (a fingerprint
 * matches); `matchingChanges` (log.ts) asks git for exactly those commits' changes. As the history grows the fingerprints are narrowed (4 bytes of each id,
 * then 3, 2, 1) so the budget holds: more candidates to confirm, never a second pass over the
 * whole history until even one byte no longer fits (then `overflow`).
 */
export class ChangeIndex {
	/**
	 * Bytes for the fingerprints: 5.2 M changes at 4 bytes an id, 7 M at 3, 10.5 M at 2, 21 M at 1.
	 * (git/git's combined log has 177 000: 4 bytes, no chance candidate; the bench's 8.4 M are held
	 * at 2 bytes, ~130 chance candidates per matching blob.) leakfix's peak: 125 MB on the latter.
	 */
	static readonly BUDGET = 40 * 1024 * 1024;
	/** Fingerprints are allocated in chunks of this size (a multiple of every record's size: 8, 6, 4, 2). */
	static readonly CHUNK = 3 * 1024 * 1024;
	#width = 4; // bytes kept of each id's first four
	#chunks: Uint8Array[] = [];
	#count = 0;
	#idBytes = 0; // 20 (SHA-1) or 32 (SHA-256)
	#commitIds = Buffer.alloc(0);
	#commitFirst = new Uint32Array(0); // the first change of each commit
	#commits = 0;
	overflow = false;
	/** The whole pass as git printed it, when small (KEEP_TEXT): its changes are read from it exactly. */
	text: Buffer | null = null;
	/** The matching changes of the commits the tail pass read (tail.ts), when the pass stopped where it met it. */
	tail: TailChanges | null = null;
	readonly #chunk: number;

	constructor(
		readonly maxChanges = Number.POSITIVE_INFINITY,
		readonly budget = ChangeIndex.BUDGET,
	) {
		// Small budgets (tests) keep the chunk a multiple of 24 bytes, so every record size divides it.
		this.#chunk = Math.min(ChangeIndex.CHUNK, Math.max(24, Math.floor(budget / 24) * 24));
	}

	get changes(): number {
		return this.#count;
	}

	get commits(): number {
		return this.#commits;
	}

	/** Bytes kept of each id (4 down to 1). */
	get width(): number {
		return this.#width;
	}

	/** A commit, its id as hex in `text` from `start` to `end` (bytes, so no string is made). */
	addCommit(text: Buffer, start = 0, end = text.length): void {
		if (this.overflow) return;
		const bytes = (end - start) >> 1;
		if (this.#idBytes === 0) this.#idBytes = bytes;
		if (bytes !== this.#idBytes || (bytes !== 20 && bytes !== 32)) {
			this.drop();
			return;
		}
		if (this.#commits === this.#commitFirst.length) {
			const capacity = Math.max(1024, this.#commits * 2);
			const first = new Uint32Array(capacity);
			first.set(this.#commitFirst);
			this.#commitFirst = first;
			const ids = Buffer.alloc(capacity * bytes);
			this.#commitIds.copy(ids);
			this.#commitIds = ids;
		}
		const at = this.#commits * bytes;
		for (let index = 0; index < bytes; index++) this.#commitIds[at + index] = (hexDigit(text[start + index * 2]!) << 4) | hexDigit(text[start + index * 2 + 1]!);
		this.#commitFirst[this.#commits] = this.#count;
		this.#commits++;
	}

	/** A change of the last commit: the first four bytes of its new and old blob ids (zeros: added, or deleted). */
	addChange(newWord: number, oldWord: number): void {
		const at = this.#slot();
		if (at === -1) return;
		const chunk = this.#current;
		let to = at;
		for (let shift = 24, left = this.#width; left > 0; shift -= 8, left--) chunk[to++] = (newWord >>> shift) & 0xff;
		for (let shift = 24, left = this.#width; left > 0; shift -= 8, left--) chunk[to++] = (oldWord >>> shift) & 0xff;
	}

	/** The same, read from the hex of a `git log --raw` line (no number or string made: the hot path). */
	addChangeHex(line: Buffer, newStart: number, oldStart: number): void {
		const at = this.#slot();
		if (at === -1) return;
		const chunk = this.#current;
		let to = at;
		for (let byte = 0; byte < this.#width; byte++) chunk[to++] = (hexDigit(line[newStart + byte * 2]!) << 4) | hexDigit(line[newStart + byte * 2 + 1]!);
		for (let byte = 0; byte < this.#width; byte++) chunk[to++] = (hexDigit(line[oldStart + byte * 2]!) << 4) | hexDigit(line[oldStart + byte * 2 + 1]!);
	}

	#current: Uint8Array = new Uint8Array(0);

	/** Room for one more change (narrowing the fingerprints if need be): its offset in `#current`, or -1 (overflow). */
	#slot(): number {
		if (this.overflow || this.#commits === 0) return -1;
		if (this.#count >= this.maxChanges) {
			this.drop();
			return -1;
		}
		let stride = this.#width * 2;
		while ((this.#count + 1) * stride > this.budget) {
			if (this.#width === 1) {
				this.drop();
				return -1;
			}
			this.#narrow();
			stride = this.#width * 2;
		}
		const offset = this.#count * stride;
		const chunkIndex = Math.floor(offset / this.#chunk);
		this.#current = this.#chunks[chunkIndex] ??= new Uint8Array(this.#chunk);
		this.#count++;
		return offset - chunkIndex * this.#chunk;
	}

	/** One byte less of each id, rewritten in place (records only move towards the start; none straddles two chunks). */
	#narrow(): void {
		const width = this.#width;
		const from = width * 2;
		const to = from - 2;
		const size = this.#chunk;
		let sourceChunk = 0;
		let source = 0;
		let targetChunk = 0;
		let target = 0;
		for (let record = 0; record < this.#count; record++) {
			const input = this.#chunks[sourceChunk]!;
			const output = this.#chunks[targetChunk]!;
			for (let byte = 0; byte < width - 1; byte++) output[target + byte] = input[source + byte]!;
			for (let byte = 0; byte < width - 1; byte++) output[target + width - 1 + byte] = input[source + width + byte]!;
			source += from;
			if (source === size) {
				sourceChunk++;
				source = 0;
			}
			target += to;
			if (target === size) {
				targetChunk++;
				target = 0;
			}
		}
		this.#width = width - 1;
		this.#chunks.length = Math.ceil((this.#count * to) / size);
	}

	#settled: string[] | null = null;

	/**
	 * The candidates for `shas`, worked out now (the pass stopped at the split, the matching blobs
	 * known) and kept; the fingerprints are freed, so they are not held while the rest is read.
	 */
	settle(shas: Iterable<string>): void {
		this.#settled = this.candidates(shas);
		this.#chunks = [];
		this.#current = new Uint8Array(0);
		this.#commitIds = Buffer.alloc(0);
		this.#commitFirst = new Uint32Array(0);
	}

	/** Frees everything (too big, or the pass failed): locate() falls back to a filtered pass. */
	drop(): void {
		this.overflow = true;
		this.text = null;
		this.tail = null;
		this.#settled = null;
		this.#chunks = [];
		this.#current = new Uint8Array(0);
		this.#commitIds = Buffer.alloc(0);
		this.#commitFirst = new Uint32Array(0);
		this.#count = 0;
		this.#commits = 0;
	}

	/**
	 * The commits (hex ids, in the order git logged them) with a change whose new or old blob id
	 * starts like one of `shas`: every commit that wrote or changed one, and a few others by chance
	 * (about changes / 2^(8 × width) per blob), which the confirmation drops.
	 */
	candidates(shas: Iterable<string>): string[] {
		if (this.#settled) return this.#settled;
		const width = this.#width;
		// A bit per value of an id's first (up to) three bytes; with four kept, the set says the rest.
		const bits = Math.min(width, 3) * 8;
		const bitmap = new Uint8Array(Math.max(1, (2 ** bits) >>> 3));
		const wanted = new Set<number>();
		for (const sha of shas) {
			const value = Number.parseInt(sha.slice(0, width * 2), 16);
			if (!Number.isFinite(value)) continue;
			wanted.add(value);
			const top = width === 4 ? Math.floor(value / 256) : value;
			bitmap[top >>> 3]! |= 1 << (top & 7);
		}
		if (wanted.size === 0 || this.#commits === 0) return [];
		const stride = width * 2;
		const size = this.#chunk;
		const found: string[] = [];
		const matches = (chunk: Uint8Array, at: number): boolean => {
			let top = 0;
			for (let byte = 0; byte < bits >> 3; byte++) top = (top << 8) | chunk[at + byte]!;
			if ((bitmap[top >>> 3]! & (1 << (top & 7))) === 0) return false;
			return width < 4 || wanted.has(top * 256 + chunk[at + 3]!);
		};
		let commit = 0;
		let next = this.#commits > 1 ? this.#commitFirst[1]! : this.#count;
		let marked = -1;
		let chunkIndex = 0;
		let at = 0;
		for (let record = 0; record < this.#count; record++, at += stride) {
			if (at === size) {
				chunkIndex++;
				at = 0;
			}
			while (record >= next) {
				commit++;
				next = commit + 1 < this.#commits ? this.#commitFirst[commit + 1]! : this.#count;
			}
			if (marked === commit) continue;
			const chunk = this.#chunks[chunkIndex]!;
			if (matches(chunk, at) || matches(chunk, at + width)) {
				marked = commit;
				found.push(this.#commitIds.toString('hex', commit * this.#idBytes, (commit + 1) * this.#idBytes));
			}
		}
		return found;
	}
}

function hexDigit(code: number): number {
	return code <= 57 ? code - 48 : (code | 32) - 87;
}
