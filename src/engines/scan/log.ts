// The history's changes as git log prints them (`--raw`, combined diffs for merges), read from the
// bytes: the parser, and the changes that wrote or replaced a matching blob.
import {lineReader} from './lines.js';
import {spawnStream, stderrText} from '../../infra/command.js';
import {ExternalError} from '../../infra/errors.js';

/** How many colons start a raw line: the parents its change is against (one; a merge's combined line, one per parent). */
export function colons(buffer: Buffer, start: number): number {
	let count = 0;
	while (buffer[start + count] === 58) count++;
	return count;
}

export type Commit = {commit: string; author: string; date: string};

const C_ESCAPES: Record<string, number> = {a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92};

/** A path git printed C-quoted (`"a\\nb"`, octal bytes `\\303\\251`), back to its own text. */
export function unquoteC(quoted: Buffer): string {
	const bytes: number[] = [];
	const end = quoted.length - (quoted[quoted.length - 1] === 34 ? 1 : 0);
	for (let at = 1; at < end; at++) {
		const byte = quoted[at]!;
		if (byte !== 92) {
			bytes.push(byte);
			continue;
		}
		const next = String.fromCharCode(quoted[at + 1] ?? 0);
		if (/[0-7]/.test(next)) {
			bytes.push(Number.parseInt(quoted.toString('latin1', at + 1, at + 4), 8) & 0xff);
			at += 3;
		} else {
			bytes.push(C_ESCAPES[next] ?? quoted[at + 1]!);
			at += 1;
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

export const LOG_ARGS = ['-c', 'core.quotePath=false', 'log', '--all', '--reflog', '-c', '--raw', '--no-abbrev', '--no-renames', '--format=%x01%H%x00%an%x00%aI'];

/**
 * Feeds `git log --raw` output, chunk by chunk, to a commit and a change callback. Works on the
 * bytes: every string handed on is decoded on its own (a slice of a chunk's text would keep the
 * whole chunk alive in an index that holds it).
 */
/** Four bytes (8 hex digits) of an id at `start` in `buffer`, as a number (no string made). */
function hexWord(buffer: Buffer, start: number): number {
	let value = 0;
	for (let at = start; at < start + 8; at++) {
		const code = buffer[at]!;
		value = value * 16 + (code <= 57 ? code - 48 : (code | 32) - 87);
	}
	return value >>> 0;
}

/**
 * Feeds `git log --raw` lines to `onCommit` and `onChange(new id, path, the old id's first 8 bytes
 * as two words, the line and where the old id starts in it)`: the hot path makes no old-id text.
 * `keep(new id's first word, an old id's first word)`, if given, is asked first: a change it
 * keeps for no parent makes no string at all. `onCommit` returning false stops the parser (every
 * line after it is ignored: `stopped`).
 */
export function logParser(
	onCommit: (header: string) => boolean | void,
	onChange: (sha: string, file: string, oldHigh: number, oldLow: number, line: Buffer, oldStart: number) => void,
	keep?: (newHigh: number, oldHigh: number) => boolean,
) {
	let stopped = false;
	const line = (buffer: Buffer, start: number, end: number) => {
		const first = buffer[start];
		if (first === 1) {
			if (onCommit(buffer.toString('utf8', start + 1, end)) === false) stopped = true;
		} else if (first === 58) {
			// :<old mode> <new mode> <old id> <new id> <status>\t<path>, or a merge's combined line
			// (-c: only paths that differ from every parent): ::<modes> <parent ids> <result id> <status>\t<path>
			const tab = buffer.indexOf(9, start);
			if (tab === -1 || tab >= end) return;
			const newIdEnd = buffer.lastIndexOf(32, tab);
			const newIdStart = buffer.lastIndexOf(32, newIdEnd - 1) + 1;
			if (newIdStart <= start || newIdEnd <= newIdStart) return;
			const length = newIdEnd - newIdStart;
			const parents = colons(buffer, start);
			if (keep) {
				const newHigh = hexWord(buffer, newIdStart);
				let kept = false;
				for (let parent = 0; parent < parents && !kept; parent++) {
					const oldStart = newIdStart - (parents - parent) * (length + 1);
					if (oldStart > start && keep(newHigh, hexWord(buffer, oldStart))) kept = true;
				}
				if (!kept) return;
			}
			const sha = buffer.toString('latin1', newIdStart, newIdEnd);
			// A path with a control character, a quote or a backslash is C-quoted even with core.quotePath=false.
			const file = buffer[tab + 1] === 34 ? unquoteC(buffer.subarray(tab + 1, end)) : buffer.toString('utf8', tab + 1, end);
			// One change per parent (deletions kept, new id all zeros: they are removals of what the file held).
			for (let parent = 0; parent < parents; parent++) {
				const oldStart = newIdStart - (parents - parent) * (length + 1);
				if (oldStart <= start) return;
				onChange(sha, file, hexWord(buffer, oldStart), hexWord(buffer, oldStart + 8), buffer, oldStart);
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

export type Change = {commit: Commit; sha: string; path: string};
export type RemovalChange = Change & {old: string};

/**
 * The changes of parsed log lines that touch `blobs`: `writes` (the new id is one) and `from`
 * (an old id is one: removal candidates), in the order they came. A commit's header is read only
 * for a commit with such a change.
 */
export function changeCollector(blobs: ReadonlySet<string>) {
	const highs = new Set([...blobs].map(sha => Number.parseInt(sha.slice(0, 8), 16) >>> 0));
	const writes: Change[] = [];
	const from: RemovalChange[] = [];
	let header: string | undefined;
	let current: Commit | undefined;
	const commit = (): Commit => {
		if (!current) {
			const [id = '', author = '', date = ''] = (header ?? '').split('\u0000');
			current = {commit: id, author, date: new Date(date).toISOString()};
		}
		return current;
	};
	return {
		writes,
		from,
		onCommit(text: string) {
			header = text;
			current = undefined;
		},
		onChange(sha: string, file: string, oldHigh: number, _oldLow: number, line: Buffer, oldStart: number) {
			if (header === undefined) return;
			if (blobs.has(sha)) writes.push({commit: commit(), sha, path: file});
			if (highs.has(oldHigh)) {
				const old = line.toString('latin1', oldStart, oldStart + sha.length);
				if (blobs.has(old)) from.push({commit: commit(), sha, old, path: file});
			}
		},
		keep: (newHigh: number, oldHigh: number) => highs.has(newHigh) || highs.has(oldHigh),
	};
}

/**
 * The changes that wrote a matching blob, and those whose old content was one (removal
 * candidates), in the order git logged them, from one git log filtered in Node: `commits` (an
 * index's candidates, on stdin, `--no-walk`), else every ref and reflog. (`--find-object` filters
 * in git, but not a merge's combined lines: its header is printed, the lines checked per parent
 * and then dropped. Only `commits` that are not merges may ask for it.)
 */
export async function matchingChanges(repo: string, blobs: ReadonlySet<string>, options: {commits?: string[]; text?: Buffer; signal?: AbortSignal; findObject?: boolean} = {}): Promise<{writes: Change[]; from: RemovalChange[]}> {
	if (blobs.size === 0 || options.commits?.length === 0) return {writes: [], from: []};
	const collect = changeCollector(blobs);
	const parser = logParser(
		header => collect.onCommit(header),
		(...change) => collect.onChange(...change),
		collect.keep,
	);
	const {writes, from} = collect;
	if (options.text) {
		// A small history's whole pass, kept as git printed it: no second git call.
		parser.push(options.text);
		parser.end();
		return {writes, from};
	}
	let args = LOG_ARGS;
	let input: string | undefined;
	if (options.commits) {
		args = [...LOG_ARGS.filter(arg => arg !== '--all' && arg !== '--reflog'), '--no-walk=unsorted', '--stdin'];
		// findObject (commits that are not merges, a bounded number of blobs): git prints only the
		// changes whose old or new id is one of them, the filter below in git's own walk.
		if (options.findObject === true) args.push(...[...blobs].map(sha => `--find-object=${sha}`));
		input = `${options.commits.join('\n')}\n`;
	}
	const child = spawnStream('git', ['--no-replace-objects', '-C', repo, ...args], {cwd: repo, ...(input === undefined ? {} : {input}), ...(options.signal ? {signal: options.signal} : {})});
	for await (const chunk of child.stdout as AsyncIterable<Buffer>) parser.push(chunk);
	parser.end();
	const result = await child;
	if (result.exitCode !== 0 && !options.signal?.aborted) throw new ExternalError('git could not list the changes of the history', `git -C ${repo} ${args.slice(0, 12).join(' ')}`, stderrText(result.stderr).slice(-500));
	return {writes, from};
}

