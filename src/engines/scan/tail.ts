// The rest of the history, read on both cores once the object scan has ended: the mapping pass
// (changes.ts) reads the history newest first into fingerprints while cat-file runs; when the
// object scan ends (the matching blobs known, cat-file's core free) it stops at the next commit,
// and the commits it has not reached, listed by `rev-list` in the same order, are read by three
// `git log --no-walk --stdin` at once: the two halves of those that are not merges, filtered in
// git with `--find-object` (no output to parse but the matches), and the merges (combined diffs,
// which `--find-object` does not filter right), filtered in Node.
import {runBuffer} from '../../infra/command.js';
import {type Change, matchingChanges, type RemovalChange} from './log.js';

/**
 * Where the mapping pass stopped in the one order `git log --all --reflog` walks: the commits it
 * took (`head`), the last of them and the first it refused. It takes every commit until `limit`
 * is set (at the split; tests set one from the start).
 */
export class Meet {
	head = 0;
	headLast: string | undefined;
	headRefused: string | undefined;

	constructor(public limit = Number.POSITIVE_INFINITY) {}

	takeHead(id: string): boolean {
		if (this.head >= this.limit) {
			this.headRefused ??= id;
			return false;
		}
		this.head++;
		this.headLast = id;
		return true;
	}
}

/**
 * The commits after the mapping pass's stop, from `rev-list --all --reflog --parents` (one commit
 * a line, its parents after it), split into merges and the rest, read from the bytes (one string
 * per commit of the rest); null when the list does not agree with what the pass read (the commit
 * before the stop is not its last, the one at the stop not the one it refused: a ref moved
 * between the two walks, say).
 */
export function restOf(list: Buffer, meet: Meet): {commits: string[]; merges: string[]} | null {
	const commits: string[] = [];
	const merges: string[] = [];
	let line = 0;
	for (let start = 0; start < list.length; line++) {
		let end = list.indexOf(10, start);
		if (end === -1) end = list.length;
		const space = list.indexOf(32, start);
		const idEnd = space === -1 || space > end ? end : space;
		if (line === meet.head - 1 && list.toString('latin1', start, idEnd) !== meet.headLast) return null;
		if (line >= meet.head) {
			const id = list.toString('latin1', start, idEnd);
			if (line === meet.head && id !== meet.headRefused) return null;
			// Two parents or more: a merge.
			const second = idEnd < end ? list.indexOf(32, idEnd + 1) : -1;
			if (second !== -1 && second < end) merges.push(id);
			else commits.push(id);
		}
		start = end + 1;
	}
	if (line <= meet.head) return null;
	return {commits, merges};
}

export type TailChanges = {writes: Change[]; from: RemovalChange[]};

/**
 * Every commit of every ref and reflog, in the mapping pass's order, with its parents. Started
 * with the pass (a half-second of git on the bench repository), so that it is ready at the split.
 */
export function listHistory(repo: string, signal: AbortSignal): Promise<Buffer> {
	const listing = runBuffer('git', ['-C', repo, 'rev-list', '--all', '--reflog', '--parents'], {cwd: repo, signal, maxBuffer: 1024 * 1024 * 1024});
	listing.catch(() => undefined);
	return listing;
}

/** More matching blobs than this, and the rest is filtered in Node (`--find-object` takes them on the command line). */
export const FIND_OBJECT_MAX = 64;

/**
 * The matching changes of the commits the mapping pass did not reach, in the walk's order. Waits
 * for the pass to stop (`stopped`: true when it stopped short, false when it read everything or
 * failed: then null). null too when git fails or the list disagrees (the caller falls back).
 */
export async function readRest(
	repo: string,
	blobs: ReadonlySet<string>,
	meet: Meet,
	stopped: Promise<boolean>,
	options: {signal: AbortSignal; findObjectMax?: number; listing?: Promise<Buffer>},
): Promise<TailChanges | null> {
	const {signal} = options;
	try {
		const listing = options.listing ?? listHistory(repo, signal);
		if (!(await stopped)) return null;
		const list = await listing;
		const rest = restOf(list, meet);
		if (!rest || signal.aborted) return null;
		const half = Math.ceil(rest.commits.length / 2);
		const findObject = blobs.size <= (options.findObjectMax ?? FIND_OBJECT_MAX);
		const parts = await Promise.all([
			matchingChanges(repo, blobs, {commits: rest.commits.slice(0, half), findObject, signal}),
			matchingChanges(repo, blobs, {commits: rest.commits.slice(half), findObject, signal}),
			matchingChanges(repo, blobs, {commits: rest.merges, signal}),
		]);
		if (signal.aborted) return null;
		// Back in the walk's order (each part is in it already; a commit's own changes stay in git's
		// order): where the commit's own line starts in the list (a parent is after a space, never
		// at a line's start), found for the few commits that matched.
		const where = new Map<string, number>();
		const line = (commit: string) => (list.toString('latin1', 0, commit.length) === commit ? 0 : list.indexOf(`\n${commit}`));
		const at = (commit: string) => where.get(commit) ?? where.set(commit, line(commit)).get(commit)!;
		const inOrder = <T extends Change>(lists: T[][]) => lists.flat().sort((a, b) => at(a.commit.commit) - at(b.commit.commit));
		return {writes: inOrder(parts.map(part => part.writes)), from: inOrder(parts.map(part => part.from))};
	} catch {
		return null;
	}
}
