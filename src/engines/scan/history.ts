// The history half of the exposure scan: every object git holds, read once (this file), then the
// matching objects mapped to commit, author, date, path and line (locate.ts, log.ts).
import type {Needle} from '../../core/needles.js';
import {spawnStream, stderrText} from '../../infra/command.js';
import {ExternalError} from '../../infra/errors.js';
import {spawnFifo} from './fifo.js';
import {ObjectStreamScanner, type ObjectHit} from './objects.js';

export {unquoteC} from './log.js';

export type ScanProgress = {phase: 'history' | 'locate' | 'worktree'; objects: number; totalObjects: number; bytes: number; elapsedMs: number};

/** `unreadable`: objects git listed but could not give (corrupt, or gone since): how many, the first ids. */
export type HistoryScan = {objects: number; bytes: number; hits: ObjectHit[]; cancelled: boolean; unreadable: {count: number; ids: string[]}};

/** Reads every object once (`cat-file --batch-all-objects --unordered`) and searches it. */
export async function scanObjects(
	repo: string,
	needles: Needle[],
	options: {totalObjects: () => number; signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void; onHit?: (hit: ObjectHit) => void; fifo?: boolean},
): Promise<HistoryScan> {
	const found: Array<{hit: ObjectHit; at: number}> = [];
	const scanner = new ObjectStreamScanner(needles, (hit, at) => {
		found.push({hit, at});
		options.onHit?.(hit);
	});
	const started = Date.now();
	let lastReport = 0;
	const args = ['--no-replace-objects', '-C', repo, 'cat-file', '--batch-all-objects', '--batch', '--unordered'];
	// fifo: read through a named pipe into one reused buffer (no garbage per read: ~40 MB less at the peak), else a pipe.
	const fifo = options.fifo === true ? await spawnFifo('git', args, {cwd: repo, ...(options.signal ? {signal: options.signal} : {})}) : null;
	const child = fifo ? null : spawnStream('git', args, {cwd: repo, ...(options.signal ? {signal: options.signal} : {})});
	const take = (chunk: Buffer) => {
		scanner.push(chunk);
		const now = Date.now();
		if (options.onProgress && now - lastReport > 100) {
			lastReport = now;
			options.onProgress({phase: 'history', objects: scanner.objects, totalObjects: options.totalObjects(), bytes: scanner.bytes, elapsedMs: now - started});
		}
	};
	if (fifo) await fifo.read(take);
	else for await (const chunk of child!.stdout as AsyncIterable<Buffer>) take(chunk);
	const result = fifo ? await fifo.done : await child!;
	const cancelled = options.signal?.aborted === true;
	if (!cancelled && result.exitCode !== 0) {
		throw new ExternalError('git could not read the repository objects', `git -C ${repo} cat-file --batch-all-objects --batch --unordered`, stderrText(result.stderr).slice(-500));
	}
	// In the stream's order of objects, and by needle within one (a chunk's confirmed partial
	// matches are told before its exact ones, so the order told depends on where chunks end).
	found.sort((a, b) => a.at - b.at || a.hit.needle - b.hit.needle);
	return {objects: scanner.objects, bytes: scanner.bytes, hits: found.map(entry => entry.hit), cancelled, unreadable: {count: scanner.unreadable.count, ids: [...scanner.unreadable.ids].sort()}};
}

