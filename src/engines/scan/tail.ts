// The history's tail, read on the second core once the object scan has ended: the mapping pass
// (changes.ts) reads the history newest first; this pass reads the same walk oldest first
// (`--reverse`), filtered to the now known matching blobs in Node, and the two stop where they
// meet. Which commit each side takes is counted exactly (Meet), so every commit is read once.
import {runBuffer, spawnStream} from '../../infra/command.js';
import {spawnFifo} from './fifo.js';
import {changeCollector, type Change, LOG_ARGS, logParser, type RemovalChange} from './log.js';

/**
 * Who reads which commits of the one order `git log --all --reflog` walks: the mapping pass takes
 * them from the newest (head), the tail pass from the oldest, until head + tail is the walk's
 * `total` (from `rev-list --count`). Each side also keeps the last commit it took and the first
 * it refused: where they meet, each refused the other's last, which `whole` checks (a ref moved
 * between the two walks, say, fails it, and the scan falls back to one whole filtered pass).
 */
export class Meet {
	total: number | undefined;
	head = 0;
	tail = 0;
	headLast = '';
	tailLast = '';
	headRefused: string | undefined;
	tailRefused: string | undefined;

	/** `headLimit`: tests stop the mapping pass after that many commits, so the tail reads the rest. */
	constructor(readonly headLimit = Number.POSITIVE_INFINITY) {}

	takeHead(id: string): boolean {
		if (this.head >= this.headLimit || (this.total !== undefined && this.head + this.tail >= this.total)) {
			this.headRefused ??= id;
			return false;
		}
		this.head++;
		this.headLast = id;
		return true;
	}

	takeTail(id: string): boolean {
		if (this.total === undefined || this.head + this.tail >= this.total) {
			this.tailRefused ??= id;
			return false;
		}
		this.tail++;
		this.tailLast = id;
		return true;
	}

	/** Every commit of the walk read once, by one side or the other, and the two sides agree where they met. */
	get whole(): boolean {
		if (this.total === undefined || this.head + this.tail !== this.total) return false;
		return this.tail === 0 || this.head === 0 || (this.headRefused === this.tailLast && this.tailRefused === this.headLast);
	}
}

export type TailChanges = {writes: Change[]; from: RemovalChange[]};

/**
 * The tail pass: the walk's commits from the oldest, as many as `meet` gives it, their changes
 * touching `blobs`, returned in the order the forward walk would give them (commit by commit,
 * newest first). null when git failed (the caller falls back to a whole pass).
 */
export async function readTail(repo: string, blobs: ReadonlySet<string>, meet: Meet, options: {signal: AbortSignal; fifo?: boolean}): Promise<TailChanges | null> {
	const {signal} = options;
	const controller = new AbortController();
	const onAbort = () => controller.abort();
	signal.addEventListener('abort', onAbort, {once: true});
	try {
		const args = ['-C', repo, ...LOG_ARGS, '--reverse'];
		// git log --reverse walks the whole history before its first line: through a named pipe, the
		// count runs meanwhile (a plain pipe's output would flow away unread: it starts after the count).
		const fifo = options.fifo === true ? await spawnFifo('git', args, {cwd: repo, signal: controller.signal}) : null;
		const counted = (await runBuffer('git', ['-C', repo, 'rev-list', '--all', '--reflog', '--count'], {cwd: repo, signal: controller.signal})).toString('latin1').trim();
		const total = /^\d+$/.test(counted) ? Number(counted) : Number.NaN;
		if (!Number.isInteger(total) || signal.aborted) {
			controller.abort();
			return null;
		}
		meet.total = total;
		const child = fifo ? null : spawnStream('git', args, {cwd: repo, signal: controller.signal});
		const collect = changeCollector(blobs);
		const groups: Array<[number, number]> = []; // where each taken commit's writes and removals start
		const parser = logParser(
			header => {
				const end = header.indexOf('\u0000');
				if (!meet.takeTail(end === -1 ? header : header.slice(0, end))) return false;
				groups.push([collect.writes.length, collect.from.length]);
				collect.onCommit(header);
				return true;
			},
			(...change) => collect.onChange(...change),
			collect.keep,
		);
		const take = (chunk: Buffer) => {
			parser.push(chunk);
			if (parser.stopped) controller.abort();
		};
		if (fifo) await fifo.read(take);
		else {
			for await (const chunk of child!.stdout as AsyncIterable<Buffer>) {
				take(chunk);
				if (parser.stopped) break;
			}
		}
		parser.end();
		const exitCode = fifo ? (await fifo.done).exitCode : (await child!).exitCode;
		if ((exitCode !== 0 && !parser.stopped) || signal.aborted) return null;
		// Newest commit first, each commit's own changes in git's order.
		const writes: Change[] = [];
		const from: RemovalChange[] = [];
		for (let group = groups.length - 1; group >= 0; group--) {
			const [write, removal] = groups[group]!;
			const [nextWrite, nextRemoval] = groups[group + 1] ?? [collect.writes.length, collect.from.length];
			writes.push(...collect.writes.slice(write, nextWrite));
			from.push(...collect.from.slice(removal, nextRemoval));
		}
		return {writes, from};
	} catch {
		return null;
	} finally {
		signal.removeEventListener('abort', onAbort);
		controller.abort();
	}
}
