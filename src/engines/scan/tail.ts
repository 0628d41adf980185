// The rest of the history, read on both cores once the object scan has ended: the mapping pass
// (changes.ts) reads the history newest first into fingerprints while cat-file runs; when the
// object scan ends (the matching blobs known, cat-file's core free) it stops at the next commit,
// and the commits it has not reached, listed by `rev-list` in the same order, are read by three
// `git log --no-walk --stdin` at once: the two halves of those that are not merges, filtered in
// git with `--find-object` (no output to parse but the matches), and the merges (combined diffs,
// which `--find-object` does not filter right), filtered in Node.
import {spawnStream, stderrText} from '../../infra/command.js';
import {lineReader} from './lines.js';
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

/** Commits a page of a CommitList holds: pages are added, never copied into bigger ones. */
const PAGE = 1 << 16;

/**
 * The history's commits in the walk's order, held compactly: each id as bytes (20 for SHA-1, so
 * 26 MB at 1.3 M commits) in pages of PAGE commits, and a flag per merge. No string per commit
 * until the rest is asked for.
 */
export class CommitList {
	#pages: Array<{ids: Buffer; merges: Uint8Array}> = [];
	#width = 0; // bytes of an id
	count = 0;

	/** A line of `rev-list --parents`: the commit, then its parents (two or more: a merge). false: not an id of the list's width in hex. */
	add(line: Buffer, start: number, end: number): boolean {
		const space = line.indexOf(32, start);
		const idEnd = space === -1 || space > end ? end : space;
		const digits = idEnd - start;
		if (this.#width === 0) this.#width = digits >> 1;
		if (digits !== this.#width * 2 || this.#width === 0) return false;
		const at = this.count % PAGE;
		if (at === 0) this.#pages.push({ids: Buffer.alloc(PAGE * this.#width), merges: new Uint8Array(PAGE)});
		const page = this.#pages[this.#pages.length - 1]!;
		if (page.ids.write(line.toString('latin1', start, idEnd), at * this.#width, 'hex') !== this.#width) return false;
		const second = idEnd < end ? line.indexOf(32, idEnd + 1) : -1;
		page.merges[at] = second !== -1 && second < end ? 1 : 0;
		this.count++;
		return true;
	}

	id(index: number): string {
		const page = this.#pages[Math.floor(index / PAGE)]!;
		const at = (index % PAGE) * this.#width;
		return page.ids.toString('hex', at, at + this.#width);
	}

	isMerge(index: number): boolean {
		return this.#pages[Math.floor(index / PAGE)]!.merges[index % PAGE] === 1;
	}

	/** Where `commit` (hex) is in the walk (-1: not listed). */
	indexOf(commit: string): number {
		if (this.#width === 0 || commit.length !== this.#width * 2) return -1;
		const id = Buffer.from(commit, 'hex');
		if (id.length !== this.#width) return -1;
		for (const [number, page] of this.#pages.entries()) {
			const used = page.ids.subarray(0, Math.min(PAGE, this.count - number * PAGE) * this.#width);
			for (let at = used.indexOf(id); at !== -1; at = used.indexOf(id, at + 1)) {
				if (at % this.#width === 0) return number * PAGE + at / this.#width;
			}
		}
		return -1;
	}
}

/**
 * The commits after the mapping pass's stop, split into merges and the rest; null when the list
 * does not agree with what the pass read (the commit before the stop is not its last, the one at
 * the stop not the one it refused: a ref moved between the two walks, say).
 */
export function restOf(list: CommitList, meet: Meet): {commits: string[]; merges: string[]} | null {
	if (list.count <= meet.head) return null;
	if (meet.head > 0 && list.id(meet.head - 1) !== meet.headLast) return null;
	if (list.id(meet.head) !== meet.headRefused) return null;
	const commits: string[] = [];
	const merges: string[] = [];
	for (let index = meet.head; index < list.count; index++) (list.isMerge(index) ? merges : commits).push(list.id(index));
	return {commits, merges};
}

/** A `rev-list --parents` output read into a CommitList (tests, and listHistory). */
export function commitList(text: Buffer): CommitList | null {
	const list = new CommitList();
	let ok = true;
	const reader = lineReader((line, start, end) => (ok &&= list.add(line, start, end)), () => !ok);
	reader.push(text);
	reader.end();
	return ok ? list : null;
}

export type TailChanges = {writes: Change[]; from: RemovalChange[]};

/**
 * Every commit of every ref and reflog, in the mapping pass's order (merges marked), read as it
 * streams into a CommitList. Started with the pass (half a second of git on the bench
 * repository), so that it is ready at the split; null if git fails or an id is odd.
 */
export async function listHistory(repo: string, signal: AbortSignal): Promise<CommitList | null> {
	const list = new CommitList();
	let ok = true;
	const reader = lineReader((line, start, end) => (ok &&= list.add(line, start, end)), () => !ok);
	const child = spawnStream('git', ['--no-replace-objects', '-C', repo, 'rev-list', '--all', '--reflog', '--parents'], {cwd: repo, signal});
	for await (const chunk of child.stdout as AsyncIterable<Buffer>) reader.push(chunk);
	reader.end();
	const result = await child;
	if (result.exitCode !== 0 && !signal.aborted) throw new Error(stderrText(result.stderr).split('\n')[0] || 'git rev-list failed');
	return ok && !signal.aborted ? list : null;
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
	options: {signal: AbortSignal; findObjectMax?: number; listing?: Promise<CommitList | null>},
): Promise<TailChanges | null> {
	const {signal} = options;
	try {
		const listing = options.listing ?? listHistory(repo, signal);
		listing.catch(() => undefined);
		if (!(await stopped)) return null;
		const list = await listing;
		if (!list) return null;
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
		// order): where the commit is in the list, found for the few commits that matched.
		const where = new Map<string, number>();
		const at = (commit: string) => where.get(commit) ?? where.set(commit, list.indexOf(commit)).get(commit)!;
		const inOrder = <T extends Change>(lists: T[][]) => lists.flat().sort((a, b) => at(a.commit.commit) - at(b.commit.commit));
		return {writes: inOrder(parts.map(part => part.writes)), from: inOrder(parts.map(part => part.from))};
	} catch {
		return null;
	}
}
