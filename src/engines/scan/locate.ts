// The matching objects mapped to their places: commit, author, date, path and line of each blob
// (through the mapping pass's candidates), commit and tag messages, reflogs, and the commit that
// took the key out of each file.
import fs from 'node:fs';
import path from 'node:path';
import type {ExposurePlace, Removal} from '../../core/exposure.js';
import {findKey, lineAt, maskedLine, type KeyForm, type Needle} from '../../core/needles.js';
import {runBuffer} from '../../infra/command.js';
import type {ChangeIndex} from './fingerprints.js';
import {matchingChanges, type Commit} from './log.js';
import type {ObjectHit} from './objects.js';
import {type Match, StreamSearch} from './search.js';

/** How the matching blobs were mapped to commits: the small pass kept whole, the index's candidates (and the tail pass), or one whole filtered pass. */
export type MappingPath = 'kept' | 'candidates' | 'candidates+tail' | 'whole';

/** Blobs up to this size are read to number the lines of a match. */
const LINE_NUMBER_LIMIT = 16 * 1024 * 1024;

/** At most this many bytes of objects are held at once while their lines are numbered. */
const READ_BATCH_BYTES = 32 * 1024 * 1024;

/**
 * `git cat-file --batch` over objects of known size, in batches of at most READ_BATCH_BYTES (one
 * process per batch, usually one in all): each object's content goes to `onObject`, then is dropped.
 */
async function readObjects(repo: string, objects: Array<{sha: string; size: number}>, onObject: (sha: string, content: Buffer) => void, signal?: AbortSignal): Promise<void> {
	let batch: string[] = [];
	let bytes = 0;
	const flush = async () => {
		if (batch.length === 0) return;
		const out = await runBuffer('git', ['--no-replace-objects', '-C', repo, 'cat-file', '--batch'], {cwd: repo, input: `${batch.join('\n')}\n`, maxBuffer: bytes + batch.length * 128 + 1024, ...(signal ? {signal} : {})});
		batch = [];
		bytes = 0;
		let at = 0;
		while (at < out.length) {
			const newline = out.indexOf(10, at);
			if (newline === -1) break;
			const [sha = '', , size] = out.toString('latin1', at, newline).split(' ');
			at = newline + 1;
			if (size === undefined) continue; // "<sha> missing"
			const length = Number(size);
			onObject(sha, out.subarray(at, at + length));
			at += length + 1;
		}
	};
	for (const {sha, size} of objects) {
		if (signal?.aborted) return;
		if (bytes + size > READ_BATCH_BYTES) await flush();
		batch.push(sha);
		bytes += size;
	}
	await flush();
}

/** Author and date of commits, as git decodes them (the commit's own encoding, mailmap aside): one call. */
async function commitAuthors(repo: string, shas: string[]): Promise<Map<string, {author: string; date: string}>> {
	const authors = new Map<string, {author: string; date: string}>();
	if (shas.length === 0) return authors;
	const out = await runBuffer('git', ['--no-replace-objects', '-C', repo, 'log', '--no-walk=unsorted', '--stdin', '--format=%H%x00%an%x00%aI'], {cwd: repo, input: `${shas.join('\n')}\n`});
	for (const line of out.toString('utf8').split('\n')) {
		const [commit = '', author = '', date = ''] = line.split('\u0000');
		if (commit) authors.set(commit, {author, date: new Date(date).toISOString()});
	}
	return authors;
}

/** Where each matching object lives: commits that added a matching blob, messages, tags. */
export async function locate(
	repo: string,
	gitDir: string,
	hits: ObjectHit[],
	needles: Needle[],
	masked: string,
	changes?: Promise<ChangeIndex>,
	signal?: AbortSignal,
	onMapping?: (how: MappingPath) => void,
): Promise<ExposurePlace[]> {
	const places: ExposurePlace[] = [];
	const blobs = new Map(hits.filter(hit => hit.type === 'blob').map(hit => [hit.sha, hit]));
	const located = new Set<string>();
	// The matching blobs small enough to show lines of, and the tags, read with cat-file (in
	// batches of at most 32 MB); each blob's lines are numbered as it arrives, then it is dropped.
	const lines = new Map<string, Array<{line: number; form: KeyForm; text: string}>>();
	const messages = new Map<string, {line: number | null; text: string; tagger: string | null; tag: string | null; date: string | null}>();
	const wanted = new Map(hits.filter(hit => (hit.type === 'blob' && hit.size <= LINE_NUMBER_LIMIT) || hit.type === 'tag' || (hit.type === 'commit' && hit.size <= LINE_NUMBER_LIMIT)).map(hit => [hit.sha, hit]));
	await readObjects(repo, [...wanted.values()], (sha, content) => {
		if (wanted.get(sha)?.type === 'blob') lines.set(sha, numberLines(content, blobs.get(sha)!));
		else messages.set(sha, messageLine(content, needles, masked));
	}, signal);
	if (signal?.aborted) return places;
	const authors = await commitAuthors(repo, [...new Set(hits.filter(hit => hit.type === 'commit').map(hit => hit.sha))]);

	function numberLines(content: Buffer, hit: ObjectHit): Array<{line: number; form: KeyForm; text: string}> {
		if (content.subarray(0, 8000).includes(0)) return [{line: 0, form: needles[hit.needle]!.form, text: '(binary file)'}];
		const found: Array<{line: number; form: KeyForm; text: string}> = [];
		// Every copy: exact matches and confirmed partial ones (ghp%5F…), each once.
		for (const copy of findKey(content, needles)) {
			found.push({line: lineAt(content, copy.start).line, form: needles[copy.needle]!.form, text: maskedLine(content, copy.start, needles, masked)});
		}
		return found.sort((a, b) => a.line - b.line);
	}

	if (blobs.size > 0) {
		const linesOf = (sha: string) => {
			let found = lines.get(sha);
			if (found) return found;
			const hit = blobs.get(sha)!;
			found = [{line: 0, form: needles[hit.needle]!.form, text: `(a ${Math.round(hit.size / 1024 / 1024)} MB file: too large to show lines)`}];
			lines.set(sha, found);
			return found;
		};
		// The index built alongside the object scan, or (too big to hold) the same pass streamed now.
		// Its candidates (the commits whose changes may touch a matching blob) are confirmed with one
		// git log of those commits; without an index, one git log filtered to the matching blobs.
		const index = changes ? await changes : undefined;
		const matching = new Set(blobs.keys());
		const text = index && !index.overflow ? index.text : null;
		const commits = index && !index.overflow && !text ? index.candidates(matching) : undefined;
		const tail = index && !index.overflow ? index.tail : null;
		index?.drop(); // its 40 MB are not held through what follows (the refs walk)
		const {writes, from} = await matchingChanges(repo, matching, {...(text ? {text} : commits ? {commits} : {}), ...(signal ? {signal} : {})});
		onMapping?.(text ? 'kept' : commits ? (tail ? 'candidates+tail' : 'candidates') : 'whole');
		// The commits the tail pass read (after the candidates, as the history's one order has them).
		if (tail) {
			writes.push(...tail.writes);
			from.push(...tail.from);
		}
		const seen = new Set<string>();
		for (const {commit, sha, path: file} of writes) {
			const key = `${commit.commit}:${file}`;
			if (seen.has(key)) continue;
			seen.add(key);
			located.add(sha);
			for (const found of linesOf(sha)) places.push({kind: 'blob', ...commit, path: file, ...found, blob: sha});
		}
		placeRemovals(places, from, blobs);
	}

	for (const hit of hits) {
		const form = needles[hit.needle]!.form;
		if (hit.type === 'commit') {
			const author = authors.get(hit.sha);
			const message = messages.get(hit.sha);
			places.push({
				kind: 'commit-message',
				commit: hit.sha,
				author: author?.author ?? '',
				date: author?.date ?? new Date(0).toISOString(),
				form,
				line: message?.line ?? null,
				...(message?.text ? {text: message.text} : {}),
			});
		} else if (hit.type === 'tag') {
			const message = messages.get(hit.sha);
			places.push({
				kind: 'tag-message',
				tag: message?.tag ?? hit.sha,
				object: hit.sha,
				date: message?.date ?? null,
				tagger: message?.tagger ?? null,
				line: message?.line ?? null,
				...(message?.text ? {text: message.text} : {}),
				form,
			});
		} else if (!located.has(hit.sha)) {
			places.push({kind: 'unreachable', object: hit.sha, objectType: hit.type, form});
		}
	}

	places.push(...scanReflogs(gitDir, needles, masked));
	return places;
}

/**
 * The commit that took the key out of each file place. From the place's blob at its path, the
 * first later change (dated no earlier, another commit): to content without the key, or the file
 * deleted, is the removal; to another copy of the key is followed on. null when the chain ends
 * with no such change (no later commit took it out).
 */
export function placeRemovals(places: ExposurePlace[], from: Array<{commit: Commit; sha: string; old: string; path: string}>, matching: ReadonlyMap<string, unknown> | ReadonlySet<string>): void {
	const next = new Map<string, Array<{commit: Commit; sha: string}>>(); // path \0 old blob -> changes
	for (const change of from) {
		const key = `${change.path}\u0000${change.old}`;
		const list = next.get(key) ?? [];
		list.push({commit: change.commit, sha: change.sha});
		next.set(key, list);
	}
	for (const list of next.values()) list.sort((a, b) => a.commit.date.localeCompare(b.commit.date) || a.commit.commit.localeCompare(b.commit.commit));
	const follow = (file: string, blob: string, date: string, commit: string, seen: Set<string>): Removal | null => {
		if (seen.has(blob)) return null;
		seen.add(blob);
		const change = next.get(`${file}\u0000${blob}`)?.find(candidate => candidate.commit.date >= date && candidate.commit.commit !== commit);
		if (!change) return null;
		if (matching.has(change.sha)) return follow(file, change.sha, change.commit.date, change.commit.commit, seen);
		return {commit: change.commit.commit, author: change.commit.author, date: change.commit.date};
	};
	for (const place of places) {
		if (place.kind === 'blob' && place.blob !== undefined) place.removedIn = follow(place.path, place.blob, place.date, place.commit, new Set());
	}
}

/**
 * Where the key sits in a commit or tag object: the line of its message (1 is the subject; null
 * when the key is in a header, such as an author name), that line masked, and a tag's name,
 * tagger and date.
 */
export function messageLine(content: Buffer, needles: Needle[], masked: string): {line: number | null; text: string; tagger: string | null; tag: string | null; date: string | null} {
	const blank = content.indexOf('\n\n');
	const bodyStart = blank === -1 ? content.length : blank + 2;
	const header = content.toString('utf8', 0, bodyStart);
	const tagger = /^tagger (.*?) <[^>\n]*> (\d+) [+-]\d{4}$/m.exec(header);
	// The first copy in the message; a copy only in the headers when there is none.
	const copies = findKey(content, needles);
	const firstFrom = (from: number) => copies.find(copy => copy.start >= from)?.start ?? -1;
	let first = firstFrom(bodyStart);
	if (first === -1) first = firstFrom(0);
	const inBody = first >= bodyStart;
	return {
		line: inBody ? lineAt(content.subarray(bodyStart), first - bodyStart).line : null,
		text: first === -1 ? '' : maskedLine(content, first, needles, masked),
		tagger: tagger ? tagger[1]! : null,
		tag: /^tag (.+)$/m.exec(header)?.[1] ?? null,
		date: tagger ? new Date(Number(tagger[2]) * 1000).toISOString() : null,
	};
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
		const onMatch = (match: Match) => {
			places.push({
				kind: 'reflog',
				ref: path.relative(logs, file),
				line: lineAt(content, match.offset).line,
				form: needles[match.needle]!.form,
				text: maskedLine(content, match.offset, needles, masked),
			});
		};
		search.push(content, onMatch);
		search.finish(onMatch);
	}
	return places;
}
