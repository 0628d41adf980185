// What the exposure scan found, and the facts a responder needs from it. Pure.
import type {ExposureSummary} from './model.js';
import type {KeyForm} from './needles.js';

export type ExposurePlace =
	| {kind: 'blob'; commit: string; author: string; date: string; path: string; line: number; form: KeyForm; text: string}
	| {kind: 'commit-message'; commit: string; author: string; date: string; form: KeyForm}
	| {kind: 'tag-message'; tag: string; object: string; date: string | null; form: KeyForm}
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

export type FirstExposure = {commit: string; author: string; date: string; where: string; pushed: boolean; remoteRefs: string[]};

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

/** The earliest commit that carried the key (in a file or a message). */
export function earliestCommit(places: ExposurePlace[]): {commit: string; author: string; date: string; where: string} | null {
	let best: {commit: string; author: string; date: string; where: string} | null = null;
	for (const place of places) {
		if (place.kind !== 'blob' && place.kind !== 'commit-message') continue;
		const where = place.kind === 'blob' ? `${place.path}:${place.line}` : 'commit message';
		if (!best || Date.parse(place.date) < Date.parse(best.date)) best = {commit: place.commit, author: place.author, date: place.date, where};
	}
	return best;
}

export function foundAnything(exposure: RepoExposure): boolean {
	return exposure.history.length > 0 || exposure.worktree.length > 0;
}

/** One line per place, for screens and plain-text output. */
export function describePlace(place: ExposurePlace): string {
	const form = place.form === 'raw' ? '' : ` [${place.form}]`;
	switch (place.kind) {
		case 'blob': {
			return `${place.commit.slice(0, 10)} ${place.date.slice(0, 10)} ${place.author}: ${place.path}:${place.line}${form}  ${place.text}`;
		}

		case 'commit-message': {
			return `${place.commit.slice(0, 10)} ${place.date.slice(0, 10)} ${place.author}: commit message${form}`;
		}

		case 'tag-message': {
			return `tag ${place.tag}${place.date ? ` ${place.date.slice(0, 10)}` : ''}: tag message${form}`;
		}

		case 'reflog': {
			return `reflog ${place.ref}:${place.line}${form}  ${place.text}`;
		}

		case 'unreachable': {
			return `${place.objectType} ${place.object.slice(0, 10)} in no commit that a branch, tag or reflog reaches (staged but never committed, or left over from a rewrite)${form}`;
		}
	}
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
