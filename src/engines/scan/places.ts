// After the scan, a bounded number of short git questions about the places found: which refs
// reach a commit (a place reachable only through a tag names that tag), and which later commit
// took the key out of a path ("still at the tip" or "removed in X"). Never one call per object.
import type {ExposurePlace, Removal} from '../../core/exposure.js';
import {runBuffer, runCommand, type CommandRunner} from '../../infra/command.js';
import {refsContaining} from './git.js';
import {logParser} from './history.js';

/** Refs are looked up for the first exposure and at most this many other commits (the earliest first). */
export const MAX_REF_LOOKUPS = 10;
/** Removals are looked for in at most this many paths (the earliest written first), in one git log. */
export const MAX_REMOVAL_PATHS = 64;
/** The removal pass's output is held up to this size; past it, removals are not reported. */
const REMOVAL_OUTPUT_LIMIT = 64 * 1024 * 1024;

type CommitPlace = Extract<ExposurePlace, {kind: 'blob' | 'commit-message'}>;

/** The commits of the places, earliest first, `first` ahead of all: the ones whose refs are looked up. */
function commitsByDate(places: ExposurePlace[], first: string | undefined): string[] {
	const dated = places.filter((place): place is CommitPlace => place.kind === 'blob' || place.kind === 'commit-message');
	dated.sort((a, b) => a.date.localeCompare(b.date) || a.commit.localeCompare(b.commit));
	return [...new Set([...(first ? [first] : []), ...dated.map(place => place.commit)])];
}

/**
 * Fills `refs` on the places of the first exposure's commit and of up to MAX_REF_LOOKUPS other
 * commits, one `for-each-ref --contains` each (four at a time). Returns the refs per commit.
 */
export async function annotateRefs(repo: string, places: ExposurePlace[], first: string | undefined, run: CommandRunner = runCommand): Promise<Map<string, string[]>> {
	const commits = commitsByDate(places, first).slice(0, MAX_REF_LOOKUPS + (first ? 1 : 0));
	const refs = new Map<string, string[]>();
	for (let at = 0; at < commits.length; at += 4) {
		const batch = commits.slice(at, at + 4);
		const answers = await Promise.all(batch.map(async commit => refsContaining(repo, commit, run)));
		for (const [index, commit] of batch.entries()) refs.set(commit, answers[index]!);
	}
	for (const place of places) {
		if ((place.kind === 'blob' || place.kind === 'commit-message') && refs.has(place.commit)) place.refs = refs.get(place.commit)!;
	}
	return refs;
}

/**
 * Which commit took the key out of each path: one `git log --all -m --full-history` limited to
 * the matching paths (given on stdin, literal), looking for a change whose old content is a
 * matching blob and whose new content is not (or the file deleted). A place gets the earliest such
 * removal of its own blob at its path dated no earlier than itself, or null when there is none.
 * Paths past MAX_REMOVAL_PATHS, or holding a newline (stdin is one path a line), are left unknown.
 * Returns how many paths were left out.
 */
export async function annotateRemovals(repo: string, places: ExposurePlace[], matching: ReadonlySet<string>, signal?: AbortSignal): Promise<{skipped: number; failed: boolean}> {
	const blobs = places.filter((place): place is Extract<ExposurePlace, {kind: 'blob'}> => place.kind === 'blob');
	const byDate = [...blobs].sort((a, b) => a.date.localeCompare(b.date) || a.path.localeCompare(b.path));
	const allPaths = [...new Set(byDate.map(place => place.path))];
	const paths = allPaths.filter(file => !file.includes('\n')).slice(0, MAX_REMOVAL_PATHS);
	if (paths.length === 0) return {skipped: allPaths.length, failed: false};
	const wanted = new Set(paths);
	// path \0 old blob -> removals, in the order git logged them
	const removals = new Map<string, Removal[]>();
	let current: Removal | undefined;
	const parser = logParser(
		header => {
			const [commit = '', author = '', date = ''] = header.split('\u0000');
			current = {commit, author, date: new Date(date).toISOString()};
		},
		(sha, file, oldSha) => {
			if (!current || !wanted.has(file) || !matching.has(oldSha) || matching.has(sha)) return;
			const key = `${file}\u0000${oldSha}`;
			const list = removals.get(key) ?? [];
			if (!list.some(removal => removal.commit === current!.commit)) list.push(current);
			removals.set(key, list);
		},
		{withOld: true, withDeletions: true},
	);
	try {
		const out = await runBuffer(
			'git',
			['--literal-pathspecs', '-C', repo, '-c', 'core.quotePath=false', 'log', '--all', '-m', '--full-history', '--raw', '--no-abbrev', '--no-renames', '--format=%x01%H%x00%an%x00%aI', '--stdin'],
			{cwd: repo, input: `--\n${paths.join('\n')}\n`, maxBuffer: REMOVAL_OUTPUT_LIMIT, ...(signal ? {signal} : {})},
		);
		parser.push(out);
		parser.end();
	} catch {
		return {skipped: allPaths.length, failed: true};
	}
	for (const place of blobs) {
		if (!wanted.has(place.path)) continue;
		const found = (removals.get(`${place.path}\u0000${place.blob ?? ''}`) ?? []).filter(removal => removal.date >= place.date && removal.commit !== place.commit);
		found.sort((a, b) => a.date.localeCompare(b.date) || a.commit.localeCompare(b.commit));
		place.removedIn = found[0] ?? null;
	}
	return {skipped: allPaths.length - paths.length, failed: false};
}
