// The mapping pass, held in a fixed budget: git log's changes of every ref and reflog as
// fingerprints of their blob ids (ChangeIndex), read from the bytes as git prints them.
import {spawnStream} from '../../infra/command.js';
import {spawnFifo} from './fifo.js';
import {ChangeIndex, colons} from './fingerprints.js';

export {ChangeIndex, colons} from './fingerprints.js';

/**
 * The mapping pass, started alongside the object scan (it runs on the other core while cat-file
 * inflates objects): every change of the history, held as fingerprints (see ChangeIndex). Reads
 * the bytes and makes no string per change: a commit line is `\x01<id>`, a change line
 * `:<old mode> <new mode> <old id> <new id> <status>\t<path>`, of which only the two ids' first
 * four bytes are read. Resolves with the index, or with an index marked `overflow` when even the
 * narrowest fingerprints do not fit (or git failed).
 */
export function indexChanges(repo: string, signal?: AbortSignal, options: {maxChanges?: number; budget?: number; fifo?: boolean; keepText?: number} = {}): {done: Promise<ChangeIndex>; stop(): void} {
	const keep = options.keepText ?? KEEP_TEXT;
	const index = new ChangeIndex(options.maxChanges, options.budget);
	const controller = new AbortController();
	const onAbort = () => controller.abort();
	signal?.addEventListener('abort', onAbort, {once: true});
	const done = (async () => {
		try {
			const parser = indexParser(index);
			// fifo: read through a named pipe into one reused buffer (no garbage per read), else a pipe.
			const fifo = options.fifo !== true ? null : await spawnFifo('git', ['-C', repo, ...INDEX_ARGS], {cwd: repo, signal: controller.signal});
			const child = fifo ? null : spawnStream('git', ['-C', repo, ...INDEX_ARGS], {cwd: repo, signal: controller.signal});
			const kept: Buffer[] = [];
			let keptBytes = 0;
			const take = (chunk: Buffer) => {
				if (index.overflow) return;
				parser.push(chunk);
				if (index.overflow) controller.abort();
				else if (keptBytes + chunk.length <= keep) {
					kept.push(Buffer.from(chunk)); // copied: a named pipe's buffer is read into again
					keptBytes += chunk.length;
				} else keptBytes = Number.POSITIVE_INFINITY;
			};
			if (fifo) await fifo.read(take);
			else {
				for await (const chunk of child!.stdout as AsyncIterable<Buffer>) {
					take(chunk);
					if (index.overflow) break;
				}
			}
			if (!index.overflow) parser.end();
			const exitCode = fifo ? (await fifo.done).exitCode : (await child!).exitCode;
			if (exitCode !== 0 && !index.overflow) index.drop();
			else if (!index.overflow && keptBytes <= keep && keep > 0) index.text = Buffer.concat(kept);
		} catch {
			index.drop();
		} finally {
			signal?.removeEventListener('abort', onAbort);
		}
		return index;
	})();
	return {done, stop: () => controller.abort()};
}

/** The index's own log: the same as log.ts's (authors and dates too, for a small history kept whole). */
const INDEX_ARGS = ['-c', 'core.quotePath=false', 'log', '--all', '--reflog', '-c', '--raw', '--no-abbrev', '--no-renames', '--format=%x01%H%x00%an%x00%aI'];

/** A pass up to this size is also kept as git printed it: locate() reads it again instead of asking git. */
export const KEEP_TEXT = 4 * 1024 * 1024;

/** Feeds `git log --raw --format=%x01%H` output to an index, from the bytes. */
export function indexParser(index: ChangeIndex) {
	let carry: Buffer | null = null;
	let hexLength = 40;
	const line = (buffer: Buffer, start: number, end: number) => {
		const first = buffer[start];
		if (first === 1) {
			// \x01<id>\0<author>\0<date>: only the id is kept.
			let idEnd = buffer.indexOf(0, start);
			if (idEnd === -1 || idEnd > end) idEnd = end;
			hexLength = idEnd - start - 1;
			index.addCommit(buffer, start + 1, idEnd);
		} else if (first === 58) {
			// Modes are six octal digits: the old id starts at 15, the new one after it and a space.
			const oldStart = start + 15;
			const newStart = oldStart + hexLength + 1;
			if (buffer[start + 1] !== 58 && buffer[oldStart - 1] === 32 && buffer[newStart - 1] === 32 && buffer[newStart + hexLength] === 32 && newStart + hexLength < end) {
				index.addChangeHex(buffer, newStart, oldStart);
				return;
			}
			// A merge's combined line (one change per parent), or another layout: found from the tab back.
			const tab = buffer.indexOf(9, start);
			if (tab === -1 || tab >= end) return;
			const newEnd = buffer.lastIndexOf(32, tab);
			const resultStart = buffer.lastIndexOf(32, newEnd - 1) + 1;
			const length = newEnd - resultStart;
			const parents = colons(buffer, start);
			for (let parent = 0; parent < parents; parent++) {
				const from = resultStart - (parents - parent) * (length + 1);
				if (from <= start) return;
				index.addChangeHex(buffer, resultStart, from);
			}
		}
	};
	return {
		push(buffer: Buffer) {
			let start = 0;
			if (carry) {
				// Only the line cut by the last chunk is joined (never the whole chunk copied).
				const nl = buffer.indexOf(10);
				if (nl === -1) {
					carry = Buffer.concat([carry, buffer]);
					return;
				}
				const joined = Buffer.concat([carry, buffer.subarray(0, nl)]);
				carry = null;
				if (joined.length > 0) line(joined, 0, joined.length);
				start = nl + 1;
			}
			for (let nl = buffer.indexOf(10, start); nl !== -1; nl = buffer.indexOf(10, start)) {
				if (nl > start) line(buffer, start, nl);
				start = nl + 1;
			}
			if (start < buffer.length) carry = Buffer.from(buffer.subarray(start));
		},
		end() {
			if (carry) line(carry, 0, carry.length);
			carry = null;
		},
	};
}

