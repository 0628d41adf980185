// The object scan on several cores, for big repositories. One `git cat-file --batch-all-objects`
// inflates every object on one core, trees included, though trees (ids and names) are never
// searched; on git/git they are 2.6 GB of its 8.3 GB. Here the objects are listed first
// (`--batch-check`, which reads only the packs' indexes and headers), the trees are left out, and
// the ids of the rest go, in blocks of BLOCK in the listing's (pack) order, in turn to `streams`
// `cat-file --batch --buffer`, each read by its own scanner. The hits are put back in the
// listing's order, so the result is the one a single stream gives.
// Measured (2 cores): git/git's objects read in 3.0 s against 6.9 s; the bench repository's in
// 1.1 s against 4.1 s (docs/architecture.md, "Big repositories: several readers, no trees").
import type {Writable} from 'node:stream';
import type {Needle} from '../../core/needles.js';
import {spawnStream, stderrText} from '../../infra/command.js';
import {ExternalError} from '../../infra/errors.js';
import {spawnFifo} from './fifo.js';
import type {HistoryScan, ScanProgress} from './history.js';
import {ObjectStreamScanner, type ObjectHit} from './objects.js';

/** Ids handed to one reader at a time: long runs keep each reader's delta-base cache warm. */
export const BLOCK = 4096;

type Reader = {stdin: Writable; read: (onChunk: (chunk: Buffer) => void) => Promise<void>; done: Promise<{exitCode: number | null; stderr: string}>};

async function startReader(repo: string, fifo: boolean, signal: AbortSignal | undefined): Promise<Reader> {
	const args = ['--no-replace-objects', '-C', repo, 'cat-file', '--batch', '--buffer'];
	const viaFifo = fifo ? await spawnFifo('git', args, {cwd: repo, stdin: 'pipe', ...(signal ? {signal} : {})}) : null;
	if (viaFifo?.stdin) return {stdin: viaFifo.stdin, read: viaFifo.read, done: viaFifo.done};
	const child = spawnStream('git', args, {cwd: repo, stdin: 'pipe', ...(signal ? {signal} : {})});
	const done = (async () => {
		const result = await child;
		return {exitCode: result.exitCode ?? null, stderr: stderrText(result.stderr).slice(-500)};
	})();
	done.catch(() => undefined);
	return {
		stdin: child.stdin!,
		done,
		read: async onChunk => {
			for await (const chunk of child.stdout as AsyncIterable<Buffer>) onChunk(chunk);
		},
	};
}

/** Writes `text`, waiting while the reader's pipe is full (so the listing is never held whole). */
async function write(stdin: Writable, text: Buffer): Promise<void> {
	if (stdin.destroyed || stdin.writableEnded) return;
	if (!stdin.write(text)) {
		await new Promise<void>(resolve => {
			const go = () => {
				stdin.off('drain', go);
				stdin.off('close', go);
				stdin.off('error', go);
				resolve();
			};
			stdin.on('drain', go);
			stdin.on('close', go);
			stdin.on('error', go);
		});
	}
}

/**
 * Every object but the trees, read by `streams` cat-file processes at once and searched. `objects`
 * counts the trees too (listed and passed over, as the single stream walks past them).
 */
export async function scanObjectsSplit(
	repo: string,
	needles: Needle[],
	options: {streams: number; block?: number; totalObjects?: () => number; signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void; onHit?: (hit: ObjectHit) => void; fifo?: boolean},
): Promise<HistoryScan> {
	const {signal} = options;
	const streams = Math.max(1, Math.floor(options.streams));
	const size = Math.max(1, Math.floor(options.block ?? BLOCK));
	const started = Date.now();
	const found: Array<{hit: ObjectHit; at: number}> = [];
	const scanners = Array.from({length: streams}, (_, stream) => new ObjectStreamScanner(needles, (hit, ordinal) => {
		// Back to the listing's order: this reader's nth object is in its (n / BLOCK)th block.
		found.push({hit, at: (Math.floor(ordinal / size) * streams + stream) * size + (ordinal % size)});
		options.onHit?.(hit);
	}));
	// One stop for the lister and every reader: Esc, or the first reader that fails (the others
	// would only read on for an answer that is already an error).
	const stop = new AbortController();
	const onAbort = () => stop.abort();
	signal?.addEventListener('abort', onAbort, {once: true});
	if (signal?.aborted) stop.abort();
	let failure: {exitCode: number | null; stderr: string} | null = null;
	const starting = await Promise.allSettled(scanners.map(() => startReader(repo, options.fifo === true, stop.signal)));
	const readers = starting.flatMap(result => (result.status === 'fulfilled' ? [result.value] : []));
	for (const reader of readers) {
		reader.stdin.on('error', () => undefined); // a reader that died is told by its exit
		void reader.done.then(exit => {
			if (exit.exitCode !== 0 && !stop.signal.aborted) {
				failure ??= exit;
				stop.abort();
			}
		});
	}
	const failedStart = starting.find((result): result is PromiseRejectedResult => result.status === 'rejected');
	if (failedStart) {
		// One could not start: the ones that did are stopped, none left waiting on its input.
		stop.abort();
		for (const reader of readers) reader.stdin.end();
		await Promise.allSettled(readers.map(reader => reader.done));
		signal?.removeEventListener('abort', onAbort);
		throw failedStart.reason;
	}
	let listed = 0; // objects to read (the trees left out)
	let trees = 0;
	let listingDone = false;
	let lastReport = 0;
	const report = () => {
		const now = Date.now();
		if (!options.onProgress || now - lastReport <= 100) return;
		lastReport = now;
		// The objects to read (trees are passed over, not read): until the listing has ended, the
		// repository's object count (count-objects) less the trees listed so far, which only ever
		// overstates what is left (so the bar and its ETA never run ahead); then exactly what it listed.
		const objects = scanners.reduce((sum, scanner) => sum + scanner.objects, 0);
		const total = listingDone ? listed : Math.max((options.totalObjects?.() ?? 0) - trees, listed);
		options.onProgress({phase: 'history', objects: Math.min(objects, total), totalObjects: total, bytes: scanners.reduce((sum, scanner) => sum + scanner.bytes, 0), elapsedMs: now - started});
	};
	const reading = readers.map((reader, stream) =>
		reader.read(chunk => {
			scanners[stream]!.push(chunk);
			report();
		}),
	);
	for (const pending of reading) pending.catch(() => undefined);

	// The listing: "<id> <type>" a line, fed on as it comes.
	let lister: ReturnType<typeof spawnStream> | undefined;
	// Read from the bytes, no string per line: each id is copied into the block as it is.
	let block: Buffer | null = null;
	let filled = 0;
	let ids = 0;
	let turn = 0;
	const flush = async () => {
		if (block === null || ids === 0) return;
		const text = block.subarray(0, filled);
		block = null;
		filled = 0;
		ids = 0;
		const reader = readers[turn]!;
		turn = (turn + 1) % streams;
		await write(reader.stdin, text);
	};
	const TREE = Buffer.from(' tree');
	try {
		lister = spawnStream('git', ['--no-replace-objects', '-C', repo, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)', '--unordered'], {cwd: repo, signal: stop.signal});
		let carry: Buffer | null = null;
		for await (const chunk of lister.stdout as AsyncIterable<Buffer>) {
			const bytes: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
			let start = 0;
			for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, start)) {
				const space = bytes.indexOf(32, start);
				if (space !== -1 && space < newline) {
					if (newline - space === TREE.length && bytes.compare(TREE, 0, TREE.length, space, newline) === 0) trees++;
					else {
						// Room for a block of the longest ids (SHA-256: 64 hex digits) and their newlines.
						block ??= Buffer.allocUnsafe(size * 65);
						filled += bytes.copy(block, filled, start, space);
						block[filled++] = 10;
						ids++;
						listed++;
						if (ids === size) await flush();
					}
				}
				start = newline + 1;
			}
			carry = start < bytes.length ? Buffer.from(bytes.subarray(start)) : null;
		}
		await flush();
	} catch (error) {
		// Stopped (Esc, or a reader failed: told below), the listing's stream may end in an error.
		if (!stop.signal.aborted) {
			stop.abort(); // the listing could not be read or fed: nothing is left running
			signal?.removeEventListener('abort', onAbort);
			throw error;
		}
	} finally {
		for (const reader of readers) reader.stdin.end();
	}
	listingDone = true;
	const listing = lister ? await lister : null;
	await Promise.allSettled(reading);
	const exits = await Promise.all(readers.map(reader => reader.done));
	signal?.removeEventListener('abort', onAbort);
	const cancelled = signal?.aborted === true;
	if (!cancelled) {
		const failed = (failure as {exitCode: number | null; stderr: string} | null) ?? exits.find(exit => exit.exitCode !== 0);
		if (failed) throw new ExternalError('git could not read the repository objects', `git -C ${repo} cat-file --batch --buffer`, failed.stderr);
		if (listing && listing.exitCode !== 0) throw new ExternalError('git could not list the repository objects', `git -C ${repo} cat-file --batch-all-objects --batch-check --unordered`, stderrText(listing.stderr).slice(-500));
		for (const pending of reading) await pending; // a reader's own failure (a scanner threw), told as it is
	}
	found.sort((a, b) => a.at - b.at || a.hit.needle - b.hit.needle);
	const objects = scanners.reduce((sum, scanner) => sum + scanner.objects, 0);
	const unreadable = {count: scanners.reduce((sum, scanner) => sum + scanner.unreadable.count, 0), ids: scanners.flatMap(scanner => scanner.unreadable.ids).sort().slice(0, 5)};
	return {objects: objects + trees, bytes: scanners.reduce((sum, scanner) => sum + scanner.bytes, 0), hits: found.map(entry => entry.hit), cancelled, unreadable};
}
