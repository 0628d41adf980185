// The exposure scan: every copy of the key in a repository's working tree and its whole
// history. Usable without the UI; the wizard and `leakfix scan` both call scanRepo.
import {earliestCommit, type RepoExposure} from '../../core/exposure.js';
import {keyNeedles} from '../../core/needles.js';
import {mask} from '../../core/secrets.js';
import {runCommand, type CommandRunner} from '../../infra/command.js';
import {objectCount, remoteRefsContaining, remotes, repoInfo} from './git.js';
import {locate, scanObjects} from './history.js';
import type {ScanProgress} from './history.js';
import {scanWorktree} from './worktree.js';

export type {ScanProgress} from './history.js';

export type ScanOptions = {
	signal?: AbortSignal;
	onProgress?: (progress: ScanProgress) => void;
	run?: CommandRunner;
};

export async function scanRepo(repo: string, key: string, options: ScanOptions = {}): Promise<RepoExposure> {
	const run = options.run ?? runCommand;
	const started = Date.now();
	const info = await repoInfo(repo, run);
	const needles = keyNeedles(key);
	const masked = mask(key);
	const warnings: string[] = [];
	if (info.shallow) {
		const boundary = await run('git', ['-C', repo, 'log', '-1', '--format=%aI', '--reverse'], {cwd: repo});
		warnings.push(
			`Shallow clone: history before the oldest commit here${boundary.stdout ? ` (${boundary.stdout.trim().slice(0, 10)})` : ''} is missing and was not scanned. Run \`git fetch --unshallow\` and scan again.`,
		);
	}
	if (info.bare) warnings.push('Bare repository: there is no working tree; only the history was scanned.');

	const [totalObjects, remoteList] = await Promise.all([objectCount(repo, run), remotes(repo, run)]);
	const scan = await scanObjects(repo, needles, {totalObjects, ...(options.signal ? {signal: options.signal} : {}), ...(options.onProgress ? {onProgress: options.onProgress} : {})});
	const base: Omit<RepoExposure, 'history' | 'worktree' | 'firstExposure' | 'files'> = {
		repo: info.root,
		bare: info.bare,
		shallow: info.shallow,
		objects: scan.objects,
		bytes: scan.bytes,
		durationMs: 0,
		remotes: remoteList,
		warnings,
		cancelled: scan.cancelled,
	};
	if (scan.cancelled) return {...base, history: [], worktree: [], firstExposure: null, files: 0, durationMs: Date.now() - started};

	options.onProgress?.({phase: 'locate', objects: scan.objects, totalObjects, bytes: scan.bytes, elapsedMs: Date.now() - started});
	const history = await locate(repo, info.gitDir, scan.hits, needles, masked, run);
	const worktree = info.bare
		? {files: 0, hits: [], unreadable: []}
		: await scanWorktree(info.root, needles, masked, run, files => options.onProgress?.({phase: 'worktree', objects: files, totalObjects: 0, bytes: scan.bytes, elapsedMs: Date.now() - started}));
	if (worktree.unreadable.length > 0) warnings.push(`${worktree.unreadable.length} file(s) could not be read: ${worktree.unreadable.slice(0, 5).join(', ')}`);

	const earliest = earliestCommit(history);
	const firstExposure = earliest ? {...earliest, remoteRefs: await remoteRefsContaining(repo, earliest.commit, run)} : null;
	return {
		...base,
		history,
		worktree: worktree.hits,
		files: worktree.files,
		firstExposure: firstExposure ? {...firstExposure, pushed: firstExposure.remoteRefs.length > 0} : null,
		durationMs: Date.now() - started,
	};
}
