// The working-tree half of the exposure scan: every file on disk (tracked, untracked and
// ignored, such as .env), skipping .git and node_modules, searched as a stream.
import fs from 'node:fs';
import path from 'node:path';
import type {WorktreePlace} from '../../core/exposure.js';
import {lineAt, maskedLine, type Needle} from '../../core/needles.js';
import {runCommand, type CommandRunner} from '../../infra/command.js';
import {StreamSearch} from './search.js';

const SKIP_DIRS = new Set(['.git', 'node_modules']);
/** Text files up to this size are read whole to number the lines of a match. */
const LINE_NUMBER_LIMIT = 64 * 1024 * 1024;

/** Every regular file below `dir` (symbolic links are not followed), skipping the named folders. */
export function* walk(root: string, dir = root, skip: ReadonlySet<string> = SKIP_DIRS): Generator<string> {
	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(dir, {withFileTypes: true});
	} catch {
		return;
	}
	for (const entry of entries) {
		if (entry.isDirectory()) {
			if (!skip.has(entry.name)) yield* walk(root, path.join(dir, entry.name), skip);
		} else if (entry.isFile()) {
			yield path.join(dir, entry.name);
		}
		// Symbolic links and special files are not followed.
	}
}

/** One read buffer for every file (a new 1 MiB buffer per file was most of the scan's garbage). */
let readBuffer: Buffer | null = null;

function searchFile(file: string, needles: Needle[]): Array<{needle: number; offset: number}> {
	const matches: Array<{needle: number; offset: number}> = [];
	const search = new StreamSearch(needles);
	const fd = fs.openSync(file, 'r');
	const buffer = (readBuffer ??= Buffer.allocUnsafe(1024 * 1024));
	try {
		for (;;) {
			const read = fs.readSync(fd, buffer, 0, buffer.length, null);
			if (read === 0) break;
			search.push(buffer.subarray(0, read), match => matches.push(match));
		}
		search.finish(match => matches.push(match));
	} finally {
		fs.closeSync(fd);
	}
	return matches;
}

function isBinary(file: string): boolean {
	const fd = fs.openSync(file, 'r');
	try {
		const head = Buffer.alloc(8000);
		const read = fs.readSync(fd, head, 0, head.length, 0);
		return head.subarray(0, read).includes(0);
	} finally {
		fs.closeSync(fd);
	}
}

export async function scanWorktree(
	root: string,
	needles: Needle[],
	masked: string,
	run: CommandRunner = runCommand,
	onFile?: (files: number) => void,
	signal?: AbortSignal,
): Promise<{files: number; hits: WorktreePlace[]; unreadable: string[]}> {
	const hits: WorktreePlace[] = [];
	const unreadable: string[] = [];
	let files = 0;
	// The reads are synchronous (small files, read whole): hand the event loop back every few
	// milliseconds, so a scan running alongside (cat-file's stream) is never starved.
	let slice = performance.now();
	for (const file of walk(root)) {
		if (performance.now() - slice > 4) {
			await new Promise(resolve => setImmediate(resolve));
			slice = performance.now();
			if (signal?.aborted) break;
		}
		files++;
		if (files % 200 === 0) onFile?.(files);
		let matches: Array<{needle: number; offset: number}>;
		try {
			matches = searchFile(file, needles);
		} catch {
			unreadable.push(path.relative(root, file));
			continue;
		}
		if (matches.length === 0) continue;
		const binary = isBinary(file);
		const size = fs.statSync(file).size;
		const content = !binary && size <= LINE_NUMBER_LIMIT ? fs.readFileSync(file) : undefined;
		for (const match of matches) {
			hits.push({
				path: path.relative(root, file),
				line: content ? lineAt(content, match.offset).line : null,
				offset: match.offset,
				form: needles[match.needle]!.form,
				text: content ? maskedLine(content, match.offset, needles, masked) : binary ? '(binary file)' : '(file too large to show lines)',
				binary,
				status: 'unknown',
			});
		}
	}
	await classify(root, hits, run);
	return {files, hits, unreadable};
}

/** Tracked, ignored (like .env) or untracked: asked of git only for the files that matched. */
async function classify(root: string, hits: WorktreePlace[], run: CommandRunner): Promise<void> {
	const paths = [...new Set(hits.map(hit => hit.path))];
	if (paths.length === 0) return;
	const tracked = await run('git', ['-C', root, 'ls-files', '-z', '--', ...paths], {cwd: root});
	const ignored = await run('git', ['-C', root, 'check-ignore', '--no-index', '-z', '--stdin'], {cwd: root, input: paths.join('\0')});
	if (tracked.exitCode !== 0) return;
	const trackedSet = new Set(tracked.stdout.split('\0').filter(Boolean));
	const ignoredSet = new Set(ignored.stdout.split('\0').filter(Boolean));
	for (const hit of hits) hit.status = trackedSet.has(hit.path) ? 'tracked' : ignoredSet.has(hit.path) ? 'ignored' : 'untracked';
}
