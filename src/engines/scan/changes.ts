// The mapping pass, held in a fixed budget: git log's changes of every ref and reflog as
// fingerprints of their blob ids (ChangeIndex), read from the bytes as git prints them.
import {lineReader} from './lines.js';
import {spawnStream} from '../../infra/command.js';
import {spawnFifo} from './fifo.js';
import {ChangeIndex} from './fingerprints.js';
import {colons} from './log.js';
import {listHistory, Meet, readRest, type TailChanges} from './tail.js';

export {ChangeIndex} from './fingerprints.js';
export {colons} from './log.js';

/**
 * The mapping pass, started alongside the object scan (it runs on the other core while cat-file
 * inflates objects): every change of the history, held as fingerprints (see ChangeIndex). Reads
 * the bytes and makes no string per change: a commit line is `\x01<id>`, a change line
 * `:<old mode> <new mode> <old id> <new id> <status>\t<path>`, of which only the two ids' first
 * four bytes are read. Resolves with the index, or with an index marked `overflow` when even the
 * narrowest fingerprints do not fit (or git failed).
 *
 * `split(blobs)`, once the object scan has ended (the matching blobs known, cat-file's core free):
 * if the pass is still running, it stops at its next commit and the commits it has not reached
 * are read on both cores, filtered to those blobs (tail.ts). The index then holds the commits
 * before the stop, and `tail` the matching changes of those after it; if the two do not agree
 * (or the rest fails), the index is dropped and locate() falls back to one whole filtered pass.
 */
export function indexChanges(
	repo: string,
	signal?: AbortSignal,
	options: {maxChanges?: number; budget?: number; fifo?: boolean; keepText?: number; headLimit?: number; findObjectMax?: number} = {},
): {done: Promise<ChangeIndex>; stop(): void; split(blobs: ReadonlySet<string>): void} {
	const keep = options.keepText ?? KEEP_TEXT;
	const index = new ChangeIndex(options.maxChanges, options.budget);
	const meet = new Meet(options.headLimit);
	const controller = new AbortController();
	const onAbort = () => controller.abort();
	signal?.addEventListener('abort', onAbort, {once: true});
	// The pass's own git, stopped on its own (overflow, the split) without stopping the rest.
	const head = new AbortController();
	controller.signal.addEventListener('abort', () => head.abort(), {once: true});
	let ended = false; // the pass read the whole history itself
	let headStopped: (short: boolean) => void = () => undefined;
	const stopped = new Promise<boolean>(resolve => (headStopped = resolve));
	let startTail: (tail: Promise<TailChanges | null> | null) => void = () => undefined;
	const tail = new Promise<Promise<TailChanges | null> | null>(resolve => (startTail = resolve));
	let matching: ReadonlySet<string> = new Set();
	// The list of the history's commits, for the split, read meanwhile (tail.ts).
	// Stopped once the pass is over: a pass that read the whole history itself needs no list.
	const listingStop = new AbortController();
	controller.signal.addEventListener('abort', () => listingStop.abort(), {once: true});
	const listing = listHistory(repo, listingStop.signal);
	listing.catch(() => undefined); // told where it is awaited (readRest), if it is
	const done = (async () => {
		try {
			const parser = indexParser(index, id => meet.takeHead(id));
			// fifo: read through a named pipe into one reused buffer (no garbage per read), else a pipe.
			const fifo = options.fifo !== true ? null : await spawnFifo('git', ['--no-replace-objects', '-C', repo, ...INDEX_ARGS], {cwd: repo, signal: head.signal});
			const child = fifo ? null : spawnStream('git', ['--no-replace-objects', '-C', repo, ...INDEX_ARGS], {cwd: repo, signal: head.signal});
			const kept: Buffer[] = [];
			let keptBytes = 0;
			const take = (chunk: Buffer) => {
				if (index.overflow || parser.stopped) return;
				parser.push(chunk);
				if (index.overflow || parser.stopped) head.abort();
				else if (keptBytes + chunk.length <= keep) {
					kept.push(Buffer.from(chunk)); // copied: a named pipe's buffer is read into again
					keptBytes += chunk.length;
				} else {
					keptBytes = Number.POSITIVE_INFINITY;
					kept.length = 0; // too big to keep: its copies are not held while the pass goes on
				}
			};
			if (fifo) await fifo.read(take);
			else {
				for await (const chunk of child!.stdout as AsyncIterable<Buffer>) {
					take(chunk);
					if (index.overflow || parser.stopped) break;
				}
			}
			if (!index.overflow) parser.end();
			const exitCode = fifo ? (await fifo.done).exitCode : (await child!).exitCode;
			if (parser.stopped && !index.overflow && !signal?.aborted) {
				// Stopped short at the split: the rest of the history is read on both cores, while
				// the fingerprints give way to the candidates they name.
				headStopped(true);
				const rest = await tail; // split() has named the matching blobs by then
				index.settle(matching);
				const result = await rest;
				if (result) index.tail = result;
				else index.drop();
			} else if (exitCode !== 0 && !index.overflow) index.drop();
			else if (!index.overflow) {
				ended = true;
				if (keptBytes <= keep && keep > 0) index.text = Buffer.concat(kept);
			}
		} catch {
			index.drop();
		} finally {
			signal?.removeEventListener('abort', onAbort);
			headStopped(false);
			startTail(null);
			listingStop.abort();
		}
		return index;
	})();
	return {
		done,
		stop: () => {
			controller.abort();
			startTail(null);
		},
		split(blobs) {
			if (ended || index.overflow || controller.signal.aborted) {
				startTail(null);
				return;
			}
			matching = blobs;
			meet.limit = Math.min(meet.limit, meet.head); // stop at the next commit
			startTail(readRest(repo, blobs, meet, stopped, {signal: controller.signal, listing, ...(options.findObjectMax === undefined ? {} : {findObjectMax: options.findObjectMax})}));
		},
	};
}

/** The index's own log: the same as log.ts's (authors and dates too, for a small history kept whole). */
const INDEX_ARGS = ['-c', 'core.quotePath=false', 'log', '--all', '--reflog', '-c', '--raw', '--no-abbrev', '--no-renames', '--format=%x01%H%x00%an%x00%aI'];

/** A pass up to this size is also kept as git printed it: locate() reads it again instead of asking git. */
export const KEEP_TEXT = 4 * 1024 * 1024;

/**
 * Feeds `git log --raw --format=%x01%H` output to an index, from the bytes. `take(commit id)`, if
 * given, is asked at each commit: false stops the parser there (`stopped`; every line after it is
 * ignored).
 */
export function indexParser(index: ChangeIndex, take?: (id: string) => boolean) {
	let hexLength = 40;
	let stopped = false;
	const line = (buffer: Buffer, start: number, end: number) => {
		const first = buffer[start];
		if (first === 1) {
			// \x01<id>\0<author>\0<date>: only the id is kept.
			let idEnd = buffer.indexOf(0, start);
			if (idEnd === -1 || idEnd > end) idEnd = end;
			if (take && !take(buffer.toString('latin1', start + 1, idEnd))) {
				stopped = true;
				return;
			}
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
	const reader = lineReader(line, () => stopped);
	return {
		get stopped() {
			return stopped;
		},
		push: reader.push,
		end: reader.end,
	};
}
