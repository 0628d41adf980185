// What the exposure scan found, and the facts a responder needs from it. Pure.
import type {ExposureSummary} from './model.js';
import type {KeyForm} from './needles.js';

/** A later commit that replaced a matching file's content with one without the key (or deleted the file). */
export type Removal = {commit: string; author: string; date: string};

export type ExposurePlace =
	| {
			kind: 'blob';
			commit: string;
			author: string;
			date: string;
			path: string;
			line: number;
			form: KeyForm;
			text: string;
			/** The matching blob's id. */
			blob?: string;
			/** The refs that reach the commit (full names); absent when not looked up (past the bound). */
			refs?: string[];
			/** The commit that took the key out of this path; null: no commit did (still in the file); absent: not looked up. */
			removedIn?: Removal | null;
	  }
	| {kind: 'commit-message'; commit: string; author: string; date: string; form: KeyForm; line: number | null; text?: string; refs?: string[]}
	| {kind: 'tag-message'; tag: string; object: string; date: string | null; tagger: string | null; line: number | null; text?: string; form: KeyForm}
	| {kind: 'reflog'; ref: string; line: number; form: KeyForm; text: string}
	| {kind: 'unreachable'; object: string; objectType: string; form: KeyForm};

export type WorktreePlace = {
	path: string;
	line: number | null;
	offset: number;
	form: KeyForm;
	text: string;
	binary: boolean;
	status: 'tracked' | 'ignored' | 'untracked' | 'unknown';
};

export type FirstExposure = {
	commit: string;
	author: string;
	date: string;
	where: string;
	pushed: boolean;
	remoteRefs: string[];
	/** Every ref that reaches the commit (branches, tags, remote-tracking branches, the stash), full names. */
	refs?: string[];
	/** For a file: the commit that took the key out of that path (null: still there). */
	removedIn?: Removal | null;
};

export type RepoExposure = {
	repo: string;
	bare: boolean;
	shallow: boolean;
	objects: number;
	bytes: number;
	files: number;
	durationMs: number;
	remotes: Array<{name: string; url: string; forge: string | null}>;
	history: ExposurePlace[];
	worktree: WorktreePlace[];
	firstExposure: FirstExposure | null;
	warnings: string[];
	cancelled: boolean;
};

/**
 * The first exposure of all the scanned repositories: the earliest by date, or null when no scan
 * found one. The one answer to "when did the exposure begin" (the log window and the severity).
 */
export function firstExposureOf<T extends {date: string}>(repos: ReadonlyArray<{firstExposure: T | null}>): T | null {
	let first: T | null = null;
	for (const repo of repos) if (repo.firstExposure && (first === null || repo.firstExposure.date.localeCompare(first.date) < 0)) first = repo.firstExposure;
	return first;
}

type CommitPlace = Extract<ExposurePlace, {kind: 'blob' | 'commit-message'}>;

/**
 * The commits that carried the key (in a file or a message) at the earliest date, each once,
 * sorted by id. Several only when commits share that second: which one came first is a question
 * of ancestry, asked of git by the caller (never the order the places happen to be listed in).
 */
export function earliestCandidates(places: ExposurePlace[]): string[] {
	let best = Number.POSITIVE_INFINITY;
	let commits = new Set<string>();
	for (const place of places) {
		if (place.kind !== 'blob' && place.kind !== 'commit-message') continue;
		const time = Date.parse(place.date);
		if (time < best) {
			best = time;
			commits = new Set();
		}
		if (time === best) commits.add(place.commit);
	}
	return [...commits].sort();
}

/**
 * The first exposure within one commit (the earliest when `commit` is omitted and only one is
 * tied): a file before a message, then the path and line, so the answer never depends on order.
 */
export function earliestCommit(places: ExposurePlace[], commit = earliestCandidates(places)[0]): {commit: string; author: string; date: string; where: string} | null {
	const candidates = places.filter((place): place is CommitPlace => (place.kind === 'blob' || place.kind === 'commit-message') && place.commit === commit);
	candidates.sort((a, b) => rank(a).localeCompare(rank(b)) || (a.kind === 'blob' && b.kind === 'blob' ? a.line - b.line : 0));
	const best = candidates[0];
	if (!best) return null;
	const where = best.kind === 'blob' ? `${best.path}:${best.line}` : `commit message${best.line ? ` line ${best.line}` : ''}`;
	return {commit: best.commit, author: best.author, date: best.date, where};
}

function rank(place: CommitPlace): string {
	return place.kind === 'blob' ? `0${place.path}` : '1';
}

/** A ref's name as a responder reads it: `main`, `tag v1.0`, `origin/main`, `stash`. */
export function shortRef(ref: string): string {
	if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
	if (ref.startsWith('refs/tags/')) return `tag ${ref.slice('refs/tags/'.length)}`;
	if (ref.startsWith('refs/remotes/')) return ref.slice('refs/remotes/'.length);
	return ref.startsWith('refs/') ? ref.slice('refs/'.length) : ref;
}

/** "on main, tag v1.0" / "on no branch or tag (a reflog only)"; empty when not looked up. */
export function describeRefs(refs: string[] | undefined, limit = 4): string {
	if (refs === undefined) return '';
	if (refs.length === 0) return 'on no branch or tag (a reflog only)';
	const shown = refs.slice(0, limit).map(shortRef);
	return `on ${shown.join(', ')}${refs.length > limit ? ` and ${refs.length - limit} more` : ''}`;
}

/** "removed in abc1234567 on 2026-01-12" / "still in the file (no later commit took it out)". */
export function describeRemoval(removal: Removal | null | undefined): string {
	if (removal === undefined) return '';
	if (removal === null) return 'still in the file (no later commit took it out)';
	return `removed in ${removal.commit.slice(0, 10)} on ${removal.date.slice(0, 10)} by ${removal.author}`;
}

export function foundAnything(exposure: RepoExposure): boolean {
	return exposure.history.length > 0 || exposure.worktree.length > 0;
}

/** One line per place, for screens and plain-text output. */
export function describePlace(place: ExposurePlace): string {
	const form = place.form === 'raw' ? '' : ` [${place.form}]`;
	switch (place.kind) {
		case 'blob': {
			return `${place.commit.slice(0, 10)} ${place.date.slice(0, 10)} ${place.author}: ${place.path}:${place.line}${form}  ${place.text}${facts(describeRefs(place.refs), describeRemoval(place.removedIn))}`;
		}

		case 'commit-message': {
			return `${place.commit.slice(0, 10)} ${place.date.slice(0, 10)} ${place.author}: commit message${place.line ? ` line ${place.line}` : ''}${form}${place.text ? `  ${place.text}` : ''}${facts(describeRefs(place.refs))}`;
		}

		case 'tag-message': {
			return `tag ${place.tag}${place.date ? ` ${place.date.slice(0, 10)}` : ''}${place.tagger ? ` ${place.tagger}` : ''}: tag message${place.line ? ` line ${place.line}` : ''}${form}${place.text ? `  ${place.text}` : ''}`;
		}

		case 'reflog': {
			return `reflog ${place.ref}:${place.line}${form}  ${place.text}`;
		}

		case 'unreachable': {
			return `${place.objectType} ${place.object.slice(0, 10)} in no commit that a branch, tag or reflog reaches (staged but never committed, or left over from a rewrite)${form}`;
		}
	}
}

function facts(...parts: string[]): string {
	const shown = parts.filter(Boolean);
	return shown.length > 0 ? ` (${shown.join('; ')})` : '';
}

/** The part of a scan the session keeps and the report prints. */
export function summarize(results: RepoExposure[], at: string): ExposureSummary {
	return {
		scannedAt: at,
		repos: results.map(result => ({
			repo: result.repo,
			objects: result.objects,
			files: result.files,
			durationMs: result.durationMs,
			historyCount: result.history.length,
			worktreeCount: result.worktree.length,
			firstExposure: result.firstExposure,
			remotes: result.remotes,
			warnings: result.warnings,
			places: result.history.slice(0, 50).map(describePlace),
			worktreeFiles: [...new Set(result.worktree.map(hit => `${hit.path} (${hit.status})`))],
		})),
	};
}

/** One sentence for the timeline. */
export function summaryLine(summary: ExposureSummary): string {
	return summary.repos
		.map(repo => {
			const first = repo.firstExposure;
			const found = `${repo.historyCount} place(s) in history, ${repo.worktreeCount} in the working tree`;
			return `Exposure scan of ${repo.repo}: ${found}${first ? `; first exposure ${first.commit.slice(0, 10)} on ${first.date.slice(0, 10)} by ${first.author}${first.pushed ? ' (pushed)' : ''}` : ''}`;
		})
		.join('; ');
}
