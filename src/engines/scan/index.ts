// The exposure scan: every copy of the key in a repository's working tree and its whole
// history. Usable without the UI; the wizard and `leakfix scan` both call scanRepo.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {earliestCandidates, earliestCommit, type FirstExposure, type RepoExposure} from '../../core/exposure.js';
import {UserError} from '../../infra/errors.js';
import {keyNeedles} from '../../core/needles.js';
import {mask} from '../../core/secrets.js';
import {runCommand, type CommandRunner} from '../../infra/command.js';
import {objectCount, oldestByAncestry, remotes, repoInfo} from './git.js';
import {indexChanges} from './changes.js';
import {scanObjects} from './history.js';
import {scanObjectsSplit} from './streams.js';
import {locate, type MappingPath} from './locate.js';
import type {ScanProgress} from './history.js';
import {annotateRefs, readGraph} from './places.js';
import {scanWorktree} from './worktree.js';

/** At most this many commits tied at the earliest second are ordered by ancestry (the smallest ids). */
const MAX_TIED_COMMITS = 32;

export type {ScanProgress} from './history.js';

/** Packs from this size on are read through a named pipe (below it, the two extra processes cost more than the churn). */
const FIFO_FROM = 256 * 1024 * 1024;

/** Packs from this size on are read by several cat-file processes at once, trees left out (streams.ts). */
const SPLIT_FROM = 32 * 1024 * 1024;

/**
 * The bytes of the packs git reads for this repository: its own (a linked worktree's are in the
 * common folder) and its alternates' (one level: a `--shared` clone). Loose objects aside: a
 * cheap size.
 */
export function packBytes(gitDir: string): number {
	let objects = path.join(gitDir, 'objects');
	try {
		const common = fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim();
		if (common) objects = path.join(path.resolve(gitDir, common), 'objects');
	} catch {
		// not a linked worktree
	}
	const folders = [objects];
	try {
		for (const line of fs.readFileSync(path.join(objects, 'info', 'alternates'), 'utf8').split('\n')) {
			const entry = line.trim();
			if (entry && !entry.startsWith('#')) folders.push(path.resolve(objects, entry));
		}
	} catch {
		// no alternates
	}
	let total = 0;
	for (const folder of folders) {
		try {
			for (const name of fs.readdirSync(path.join(folder, 'pack'))) if (name.endsWith('.pack')) total += fs.statSync(path.join(folder, 'pack', name)).size;
		} catch {
			// no packs there
		}
	}
	return total;
}

export type ScanOptions = {
	signal?: AbortSignal;
	onProgress?: (progress: ScanProgress) => void;
	run?: CommandRunner;
	/** How many history changes the mapping pass may hold (tests lower it to try the fallback: one git log filtered to the matching blobs). */
	maxIndexedChanges?: number;
	/** Bytes of fingerprints the mapping pass may hold (tests lower it so the fingerprints narrow down to one byte an id). */
	indexBudget?: number;
	/** Bytes of the mapping pass kept whole (to read its changes again without git); tests set 0 to go through the fingerprints. */
	indexKeepBytes?: number;
	/** The mapping pass stops after this many commits (tests: the rest is read as after a split, tail.ts). */
	indexHeadLimit?: number;
	/** At most this many matching blobs are filtered in git (`--find-object`) when the rest of the history is read (tests: 0, filtered in Node). */
	indexFindObjectMax?: number;
	/** Told how the matching blobs were mapped to commits (tests: that a forced path was taken). */
	onMapping?: (how: MappingPath) => void;
	/** Read git's output through a named pipe (see fifo.ts): by default when the packs hold 256 MB or more. */
	fifo?: boolean;
	/** How many cat-file processes read the objects (streams.ts); 0: one `--batch-all-objects` stream. By default one a core (at most 4) when the packs hold 32 MB or more. */
	objectStreams?: number;
	/** Object ids handed to one of those processes at a time (tests: a few, so every process gets several blocks). */
	objectBlock?: number;
};

export async function scanRepo(repoArgument: string, key: string, options: ScanOptions = {}): Promise<RepoExposure> {
	const run = options.run ?? runCommand;
	const repo = path.resolve(repoArgument);
	if (!fs.existsSync(repo)) throw new UserError(`${repoArgument}: no such folder.`, 'Point --repo at the repository where the key leaked.');
	if (key.length < 8) throw new UserError('That is too short for an API key (8 characters at least): a short string matches everywhere.');
	const started = Date.now();
	const info = await repoInfo(repo, run);
	// Every form, and the partial needle (the key with some characters escaped: ghp%5F…), confirmed as it streams.
	const needles = keyNeedles(key, {partial: true});
	const masked = mask(key);
	const warnings: string[] = [];
	if (info.shallow) {
		// The commits where this clone's history was cut are listed in <gitdir>/shallow.
		const cut = fs.readFileSync(path.join(info.gitDir, 'shallow'), 'utf8').split('\n').find(Boolean);
		const boundary = cut ? await run('git', ['-C', repo, 'show', '-s', '--format=%aI', cut], {cwd: repo}) : undefined;
		warnings.push(
			`Shallow clone: history before ${boundary?.stdout ? boundary.stdout.trim().slice(0, 10) : 'the oldest commit here'} is missing and was not scanned, so the key may have been exposed earlier than the first exposure shown. Run \`git fetch --unshallow\` and scan again.`,
		);
	}
	if (info.bare) warnings.push('Bare repository: there is no working tree; only the history was scanned.');

	// The mapping pass (which commit wrote a matching blob at which path) starts at the first
	// matching blob, alongside the rest of the object scan: cat-file inflates objects on one core
	// while git log walks the history on the other. A key in no file costs no mapping pass.
	// A named pipe saves memory on big streams; for a small repository its set-up (mkfifo) is not worth it.
	const packs = packBytes(info.gitDir);
	const fifo = options.fifo ?? packs >= FIFO_FROM;
	let changes: ReturnType<typeof indexChanges> | null = null;
	const startMapping = () => (changes ??= indexChanges(repo, options.signal, {...(options.maxIndexedChanges === undefined ? {} : {maxChanges: options.maxIndexedChanges}), ...(options.indexBudget === undefined ? {} : {budget: options.indexBudget}), ...(options.indexKeepBytes === undefined ? {} : {keepText: options.indexKeepBytes}), ...(options.indexHeadLimit === undefined ? {} : {headLimit: options.indexHeadLimit}), ...(options.indexFindObjectMax === undefined ? {} : {findObjectMax: options.indexFindObjectMax}), fifo}));
	const stopMapping = async () => {
		if (!changes) return;
		changes.stop();
		await changes.done;
	};
	// The working tree is searched meanwhile too (in slices, so cat-file's output keeps flowing).
	let historyDone = false;
	let historyBytes = 0;
	let worktreeFiles = 0;
	const worktreeScan = info.bare
		? Promise.resolve({files: 0, hits: [], unreadable: []})
		: scanWorktree(info.root, needles, masked, run, files => {
				worktreeFiles = files;
				if (historyDone) options.onProgress?.({phase: 'worktree', objects: files, totalObjects: 0, bytes: historyBytes, elapsedMs: Date.now() - started});
			}, options.signal);
	const counting = objectCount(repo, run);
	const remoteList = remotes(repo, run);
	// Each is awaited below; until then a failure must not surface as an unhandled rejection.
	for (const pending of [worktreeScan, counting, remoteList]) pending.catch(() => undefined);
	let annotating: Promise<unknown> = Promise.resolve();
	let totalObjects = 0;
	void counting.then(count => (totalObjects = count), () => undefined);
	try {
		const streams = options.objectStreams ?? (packs >= SPLIT_FROM ? Math.min(4, os.availableParallelism()) : 0);
		const shared = {
			onHit: (hit: {type: string}) => {
				if (hit.type === 'blob') startMapping();
			},
			fifo,
			...(options.signal ? {signal: options.signal} : {}),
			...(options.onProgress ? {onProgress: options.onProgress} : {}),
		};
		const scan = streams > 0 ? await scanObjectsSplit(repo, needles, {...shared, streams, totalObjects: () => totalObjects, ...(options.objectBlock === undefined ? {} : {block: options.objectBlock})}) : await scanObjects(repo, needles, {...shared, totalObjects: () => totalObjects});
		// cat-file's core is free now: the part of the history the mapping pass has not reached is
		// read on both cores (tail.ts), filtered to the matching blobs.
		(changes as ReturnType<typeof indexChanges> | null)?.split(new Set(scan.hits.filter(hit => hit.type === 'blob').map(hit => hit.sha)));
		totalObjects = await counting;
		const base: Omit<RepoExposure, 'history' | 'worktree' | 'firstExposure' | 'files'> = {
			repo: info.root,
			bare: info.bare,
			shallow: info.shallow,
			objects: scan.objects,
			bytes: scan.bytes,
			durationMs: 0,
			remotes: await remoteList,
			warnings,
			cancelled: scan.cancelled,
		};
		if (scan.unreadable.count > 0 && !scan.cancelled) {
			const {count, ids} = scan.unreadable;
			warnings.push(`${count} object(s) git lists could not be read (corrupt, or removed while the scan ran): ${ids.join(', ')}${count > ids.length ? ', …' : ''}. A copy of the key in them would not be found; \`git fsck\` says what is wrong.`);
		}
		// Esc in any phase: what was found so far is not a result.
		const cancelledResult = (): RepoExposure => ({...base, cancelled: true, history: [], worktree: [], firstExposure: null, files: 0, durationMs: Date.now() - started});
		if (scan.cancelled) return cancelledResult();

		// The commit graph, for the refs that reach the places, is read while git maps them.
		const graph = scan.hits.some(hit => hit.type !== 'tag') ? readGraph(repo, run, options.signal) : undefined;
		graph?.catch(() => undefined);
		annotating = graph ?? annotating;
		options.onProgress?.({phase: 'locate', objects: scan.objects, totalObjects, bytes: scan.bytes, elapsedMs: Date.now() - started});
		const history = await locate(repo, info.gitDir, scan.hits, needles, masked, (changes as ReturnType<typeof indexChanges> | null)?.done, options.signal, options.onMapping);
		if (options.signal?.aborted) return cancelledResult();
		historyDone = true;
		historyBytes = scan.bytes;
		if (!info.bare) options.onProgress?.({phase: 'worktree', objects: worktreeFiles, totalObjects: 0, bytes: scan.bytes, elapsedMs: Date.now() - started});
		// Bounded questions about the places, after the object scan and while the working-tree walk
		// finishes: commits tied at the earliest second told apart by ancestry (never list order),
		// and the refs that reach the places.
		const annotated = (async () => {
			const tied = earliestCandidates(history);
			const chosen = tied.length > 1 ? await oldestByAncestry(repo, tied.slice(0, MAX_TIED_COMMITS), run) : tied[0];
			const earliest = earliestCommit(history, chosen);
			const refs = await annotateRefs(repo, history, earliest?.commit, run, options.signal, graph);
			return {earliest, refs};
		})();
		annotating = annotated;
		annotated.catch(() => undefined);
		const worktree = await worktreeScan;
		if (options.signal?.aborted) return cancelledResult();
		if (worktree.unreadable.length > 0) warnings.push(`${worktree.unreadable.length} file(s) could not be read: ${worktree.unreadable.slice(0, 5).join(', ')}`);
		const {earliest, refs} = await annotated;
		if (options.signal?.aborted) return cancelledResult();
		let firstExposure: FirstExposure | null = null;
		if (earliest) {
			const reaching = refs.get(earliest.commit) ?? [];
			const remoteRefs = reaching.filter(ref => ref.startsWith('refs/remotes/')).map(ref => ref.slice('refs/remotes/'.length));
			const place = history.find(candidate => candidate.kind === 'blob' && candidate.commit === earliest.commit && `${candidate.path}:${candidate.line}` === earliest.where);
			firstExposure = {
				...earliest,
				pushed: remoteRefs.length > 0,
				remoteRefs,
				refs: reaching,
				...(place?.kind === 'blob' && place.removedIn !== undefined ? {removedIn: place.removedIn} : {}),
			};
		}
		return {
			...base,
			history,
			worktree: worktree.hits,
			files: worktree.files,
			firstExposure,
			durationMs: Date.now() - started,
		};
	} finally {
		// Whatever happened (an error, Esc, only message hits): no git log is left running.
		await Promise.allSettled([stopMapping(), worktreeScan, annotating]);
	}
}
