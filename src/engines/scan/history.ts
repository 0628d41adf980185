// The history half of the exposure scan: every object git holds, read once, then the matching
// objects mapped to commit, author, date, path and line.
import fs from 'node:fs';
import path from 'node:path';
import type {ExposurePlace} from '../../core/exposure.js';
import {lineAt, maskedLine, type KeyForm, type Needle} from '../../core/needles.js';
import {runCommand, spawnStream, type CommandRunner} from '../../infra/command.js';
import {ExternalError} from '../../infra/errors.js';
import {git} from './git.js';
import {ObjectStreamScanner, type ObjectHit} from './objects.js';
import {StreamSearch} from './search.js';

export type ScanProgress = {phase: 'history' | 'locate' | 'worktree'; objects: number; totalObjects: number; bytes: number; elapsedMs: number};

export type HistoryScan = {objects: number; bytes: number; hits: ObjectHit[]; cancelled: boolean};

/** Reads every object once (`cat-file --batch-all-objects --unordered`) and searches it. */
export async function scanObjects(
	repo: string,
	needles: Needle[],
	options: {totalObjects: number; signal?: AbortSignal; onProgress?: (progress: ScanProgress) => void},
): Promise<HistoryScan> {
	const hits: ObjectHit[] = [];
	const scanner = new ObjectStreamScanner(needles, hit => hits.push(hit));
	const started = Date.now();
	let lastReport = 0;
	const child = spawnStream('git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch', '--unordered'], {cwd: repo, ...(options.signal ? {signal: options.signal} : {})});
	for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
		scanner.push(chunk);
		const now = Date.now();
		if (options.onProgress && now - lastReport > 100) {
			lastReport = now;
			options.onProgress({phase: 'history', objects: scanner.objects, totalObjects: options.totalObjects, bytes: scanner.bytes, elapsedMs: now - started});
		}
	}
	const result = await child;
	const cancelled = options.signal?.aborted === true;
	if (!cancelled && result.exitCode !== 0) {
		throw new ExternalError('git could not read the repository objects', `git -C ${repo} cat-file --batch-all-objects --batch --unordered`, String(result.stderr).slice(-500));
	}
	return {objects: scanner.objects, bytes: scanner.bytes, hits, cancelled};
}

type Commit = {commit: string; author: string; date: string};

/** Blobs up to this size are read to number the lines of a match. */
const LINE_NUMBER_LIMIT = 16 * 1024 * 1024;

/** Where each matching object lives: commits that added a matching blob, messages, tags. */
export async function locate(
	repo: string,
	gitDir: string,
	hits: ObjectHit[],
	needles: Needle[],
	masked: string,
	run: CommandRunner = runCommand,
): Promise<ExposurePlace[]> {
	const places: ExposurePlace[] = [];
	const blobs = new Map(hits.filter(hit => hit.type === 'blob').map(hit => [hit.sha, hit]));
	const located = new Set<string>();

	if (blobs.size > 0) {
		const lines = new Map<string, Array<{line: number; form: KeyForm; text: string}>>();
		const linesOf = async (sha: string) => {
			let found = lines.get(sha);
			if (!found) {
				const size = Number((await git(repo, ['cat-file', '-s', sha], run)).trim());
				if (size > LINE_NUMBER_LIMIT) {
					found = [{line: 0, form: needles[blobs.get(sha)!.needle]!.form, text: `(a ${Math.round(size / 1024 / 1024)} MB file: too large to show lines)`}];
					lines.set(sha, found);
					return found;
				}
				const content = Buffer.from(await git(repo, ['cat-file', 'blob', sha], run), 'utf8');
				if (content.subarray(0, 8000).includes(0)) {
					found = [{line: 0, form: needles[blobs.get(sha)!.needle]!.form, text: '(binary file)'}];
					lines.set(sha, found);
					return found;
				}
				found = [];
				for (const [index, needle] of needles.entries()) {
					for (let at = content.indexOf(needle.bytes); at !== -1; at = content.indexOf(needle.bytes, at + 1)) {
						found.push({line: lineAt(content, at).line, form: needles[index]!.form, text: maskedLine(content, at, needles, masked)});
					}
				}
				found.sort((a, b) => a.line - b.line);
				lines.set(sha, found);
			}
			return found;
		};
		let current: Commit | undefined;
		let rest = '';
		const seen = new Set<string>();
		const pending: Array<{commit: Commit; sha: string; path: string}> = [];
		// Only when a blob matched: one streamed pass over every commit's changes (all refs and
		// reflogs, merges too) places each matching blob at the commits that wrote it.
		const child = spawnStream('git', ['-C', repo, 'log', '--all', '--reflog', '-m', '--raw', '--no-abbrev', '--no-renames', '--format=%x01%H%x00%an%x00%aI'], {cwd: repo});
		for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
			const text = rest + chunk.toString('utf8');
			const parts = text.split('\n');
			rest = parts.pop() ?? '';
			for (const line of parts) {
				if (line.startsWith('\u0001')) {
					const [commit = '', author = '', date = ''] = line.slice(1).split('\u0000');
					current = {commit, author, date: new Date(date).toISOString()};
				} else if (line.startsWith(':') && current) {
					const tab = line.indexOf('\t');
					const fields = line.slice(1, tab).split(' ');
					const sha = fields[3]!;
					if (!blobs.has(sha)) continue;
					const file = line.slice(tab + 1);
					const key = `${current.commit}:${file}`;
					if (seen.has(key)) continue;
					seen.add(key);
					pending.push({commit: current, sha, path: file});
				}
			}
		}
		await child;
		for (const {commit, sha, path: file} of pending) {
			located.add(sha);
			for (const found of await linesOf(sha)) places.push({kind: 'blob', ...commit, path: file, ...found});
		}
	}

	for (const hit of hits) {
		const form = needles[hit.needle]!.form;
		if (hit.type === 'commit') {
			const [commit = '', author = '', date = ''] = (await git(repo, ['show', '-s', '--format=%H%x00%an%x00%aI', hit.sha], run)).split('\u0000');
			places.push({kind: 'commit-message', commit, author, date: new Date(date.trim()).toISOString(), form});
		} else if (hit.type === 'tag') {
			const content = await git(repo, ['cat-file', 'tag', hit.sha], run);
			const tag = /^tag (.+)$/m.exec(content)?.[1] ?? hit.sha;
			const tagger = /^tagger .* (\d+) [+-]\d{4}$/m.exec(content)?.[1];
			places.push({kind: 'tag-message', tag, object: hit.sha, date: tagger ? new Date(Number(tagger) * 1000).toISOString() : null, form});
		} else if (!located.has(hit.sha)) {
			places.push({kind: 'unreachable', object: hit.sha, objectType: hit.type, form});
		}
	}

	places.push(...scanReflogs(gitDir, needles, masked));
	return places;
}

/** Reflogs are plain files, not objects: they keep old commit subjects after a history rewrite. */
function scanReflogs(gitDir: string, needles: Needle[], masked: string): ExposurePlace[] {
	const places: ExposurePlace[] = [];
	const logs = path.join(gitDir, 'logs');
	let entries: fs.Dirent[] = [];
	try {
		entries = fs.readdirSync(logs, {withFileTypes: true, recursive: true});
	} catch {
		return places;
	}
	for (const entry of entries) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		const content = fs.readFileSync(file);
		const search = new StreamSearch(needles);
		search.push(content, match => {
			places.push({
				kind: 'reflog',
				ref: path.relative(logs, file),
				line: lineAt(content, match.offset).line,
				form: needles[match.needle]!.form,
				text: maskedLine(content, match.offset, needles, masked),
			});
		});
	}
	return places;
}
