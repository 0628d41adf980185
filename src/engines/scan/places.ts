// After the scan, which refs reach the commits of the places found (a place reachable only through
// a tag names that tag), in two git calls whatever the number of places: the refs and their tips
// (`for-each-ref`), and the commit graph once (`rev-list --all --parents --topo-order`), walked in
// Node with one bit per commit asked about. (Which commit took the key out of a path comes from
// the mapping pass itself: locate.ts.)
import type {ExposurePlace} from '../../core/exposure.js';
import {runCommand, spawnStream, type CommandRunner, stderrText} from '../../infra/command.js';
import {git, refsContaining} from './git.js';

/** Refs are named for the first exposure and at most this many other commits (the earliest first). */
export const MAX_REF_COMMITS = 30;
/** A commit graph larger than this is not held: only the first exposure's refs are asked (for-each-ref --contains). */
export const MAX_GRAPH_COMMITS = 500_000;

type CommitPlace = Extract<ExposurePlace, {kind: 'blob' | 'commit-message'}>;

/** The commits of the places, earliest first, `first` ahead of all. */
function commitsByDate(places: ExposurePlace[], first: string | undefined): string[] {
	const dated = places.filter((place): place is CommitPlace => place.kind === 'blob' || place.kind === 'commit-message');
	dated.sort((a, b) => a.date.localeCompare(b.date) || a.commit.localeCompare(b.commit));
	return [...new Set([...(first ? [first] : []), ...dated.map(place => place.commit)])];
}

/**
 * Fills `refs` (full names) on the places of the first exposure's commit and of up to
 * MAX_REF_COMMITS other commits. Returns the refs per commit looked up.
 */
export async function annotateRefs(repo: string, places: ExposurePlace[], first: string | undefined, run: CommandRunner = runCommand, signal?: AbortSignal, graph?: Promise<CommitGraph | null>): Promise<Map<string, string[]>> {
	const commits = commitsByDate(places, first).slice(0, MAX_REF_COMMITS + (first ? 1 : 0));
	let refs = commits.length === 0 ? new Map<string, string[]>() : await refsReaching(repo, commits, run, signal, MAX_GRAPH_COMMITS, graph);
	if (refs === null) {
		// Too big a history to hold: the first exposure alone, asked of git directly (Esc: nothing).
		refs = new Map(first && !signal?.aborted ? [[first, await refsContaining(repo, first, run)]] : []);
	}
	for (const place of places) {
		if ((place.kind === 'blob' || place.kind === 'commit-message') && refs.has(place.commit)) place.refs = refs.get(place.commit)!;
	}
	return refs;
}

/** The commit graph and the refs' tips, read once (`readGraph`), asked by `refsReaching`. */
export type CommitGraph = {tips: Array<{ref: string; commit: string}>; index: Map<string, number>; children: Int32Array; parents: Int32Array; edges: number};

/**
 * Every ref's tip and the commit graph, children before parents; null when the history has more
 * than `maxCommits` commits (or Esc). Started early by the scan, while git diffs the history.
 */
export async function readGraph(repo: string, run: CommandRunner = runCommand, signal?: AbortSignal, maxCommits = MAX_GRAPH_COMMITS): Promise<CommitGraph | null> {
	// Every ref's tip, peeled to the commit an annotated tag points at.
	const tips: Array<{ref: string; commit: string}> = [];
	for (const line of (await git(repo, ['for-each-ref', '--format=%(objectname) %(*objectname) %(refname)'], run)).split('\n')) {
		const [object = '', peeled = '', ...name] = line.split(' ');
		if (name.length > 0) tips.push({ref: name.join(' '), commit: peeled || object});
	}
	// The graph, children before parents. Each commit gets an index; edges are kept in two arrays.
	const index = new Map<string, number>();
	const id = (sha: string) => {
		let at = index.get(sha);
		if (at === undefined) {
			at = index.size;
			index.set(sha, at);
		}
		return at;
	};
	let children = new Int32Array(1 << 16);
	let parents = new Int32Array(1 << 16);
	let edges = 0;
	let tooBig = false;
	const controller = new AbortController();
	const onAbort = () => controller.abort();
	signal?.addEventListener('abort', onAbort, {once: true});
	const line = (text: string) => {
		const shas = text.split(' ');
		const child = id(shas[0]!);
		for (let at = 1; at < shas.length; at++) {
			if (edges === children.length) {
				const grownChildren = new Int32Array(edges * 2);
				grownChildren.set(children);
				children = grownChildren;
				const grownParents = new Int32Array(edges * 2);
				grownParents.set(parents);
				parents = grownParents;
			}
			children[edges] = child;
			parents[edges] = id(shas[at]!);
			edges++;
		}
		if (index.size > maxCommits && !tooBig) {
			tooBig = true;
			controller.abort();
		}
	};
	try {
		const child = spawnStream('git', ['--no-replace-objects', '-C', repo, 'rev-list', '--all', '--parents', '--topo-order'], {cwd: repo, signal: controller.signal});
		let carry = '';
		for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
			const text = carry + chunk.toString('latin1');
			const lines = text.split('\n');
			carry = lines.pop()!;
			for (const entry of lines) if (entry) line(entry);
		}
		if (carry) line(carry);
		const result = await child;
		if (tooBig || signal?.aborted) return null;
		if (result.exitCode !== 0) throw new Error(stderrText(result.stderr).split('\n')[0] ?? 'git rev-list failed');
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}
	return {tips, index, children, parents, edges};
}

/**
 * The refs (full names) that reach each of `commits` (at most 32), or null when the history has
 * more than MAX_GRAPH_COMMITS commits. A commit no ref reaches (a reflog's only) gets [].
 * `graph`: read already (readGraph), else read now.
 */
export async function refsReaching(repo: string, commits: string[], run: CommandRunner = runCommand, signal?: AbortSignal, maxCommits = MAX_GRAPH_COMMITS, graph?: Promise<CommitGraph | null>): Promise<Map<string, string[]> | null> {
	if (commits.length > 32) throw new Error('refsReaching takes at most 32 commits');
	const read = await (graph ?? readGraph(repo, run, signal, maxCommits));
	if (read === null) return null;
	const {tips, index, children, parents, edges} = read;
	// One bit per commit asked about, carried from parents to children: the edges were listed
	// children first, so walking them backwards finishes a parent before any of its children.
	const mask = new Uint32Array(index.size);
	for (const [bit, commit] of commits.entries()) {
		const at = index.get(commit);
		if (at !== undefined) mask[at]! |= 1 << bit;
	}
	for (let edge = edges - 1; edge >= 0; edge--) mask[children[edge]!]! |= mask[parents[edge]!]!;
	const answer = new Map(commits.map(commit => [commit, [] as string[]]));
	for (const tip of tips) {
		const at = index.get(tip.commit);
		if (at === undefined || mask[at] === 0) continue;
		for (const [bit, commit] of commits.entries()) if ((mask[at]! >>> bit) & 1) answer.get(commit)!.push(tip.ref);
	}
	return answer;
}
