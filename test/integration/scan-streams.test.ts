// The object scan read by several cat-file processes at once (streams.ts), trees left out, gives
// what the single `--batch-all-objects` stream gives: the same hits in the same order, the same
// places, the same object count, whatever the number of processes and the size of the blocks.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {keyNeedles} from '../../src/core/needles.js';
import {scanObjects} from '../../src/engines/scan/history.js';
import {packBytes, scanRepo} from '../../src/engines/scan/index.js';
import {scanObjectsSplit} from '../../src/engines/scan/streams.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {gitIn, plantedRepo} from '../helpers/repo.js';

/** The planted repository with more matching objects: blobs no commit holds (unreachable). */
function repoWithStrays(key: string, packed: boolean): string {
	const {repo} = plantedRepo(key);
	for (let n = 0; n < 5; n++) gitIn(repo, ['hash-object', '-w', '--stdin'], {}, `stray ${n}: ${key}\n`);
	if (packed) gitIn(repo, ['repack', '-q', '-a', '-d']);
	return repo;
}

describe('scan: the objects read by several processes', () => {
	for (const packed of [false, true]) {
		it(`the same hits in the same order as one stream (${packed ? 'one pack' : 'loose objects'}), any number of processes and block size`, async () => {
			const key = fakeCloudSightKey();
			const repo = repoWithStrays(key, packed);
			const needles = keyNeedles(key, {partial: true});
			const single = await scanObjects(repo, needles, {totalObjects: () => 0});
			expect(single.hits.filter(hit => hit.type === 'blob').length).toBeGreaterThan(8);
			for (const streams of [1, 2, 3]) {
				for (const block of [1, 2, 7, 4096]) {
					for (const fifo of [false, true]) {
						const split = await scanObjectsSplit(repo, needles, {streams, block, fifo});
						const label = `${streams} processes, blocks of ${block}, fifo ${fifo}`;
						expect(split.hits, label).toEqual(single.hits);
						expect(split.objects, label).toBe(single.objects);
						expect(split.cancelled).toBe(false);
						// Trees are not read: fewer bytes than the single stream, which walks past them.
						expect(split.bytes, label).toBeLessThan(single.bytes);
					}
				}
			}
		});
	}

	it('scanRepo gives the same places, first exposure and warnings either way', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithStrays(key, true);
		const one = await scanRepo(repo, key, {objectStreams: 0});
		const how: Array<{objects: number; totalObjects: number}> = [];
		const two = await scanRepo(repo, key, {objectStreams: 2, objectBlock: 3, onProgress: progress => (progress.phase === 'history' ? how.push(progress) : undefined)});
		expect(two.history.some(place => place.kind === 'unreachable')).toBe(true);
		for (const [streams, result] of [[2, two], [1, await scanRepo(repo, key, {objectStreams: 1, objectBlock: 2})], [3, await scanRepo(repo, key, {objectStreams: 3, objectBlock: 1})]] as const) {
			expect(result.history, `${streams} readers`).toEqual(one.history);
			expect(result.worktree).toEqual(one.worktree);
			expect(result.firstExposure).toEqual(one.firstExposure);
			expect(result.objects).toBe(one.objects);
		}
		// The bar never runs ahead: objects read out of at least what is left to read.
		for (const progress of how) expect(progress.objects).toBeLessThanOrEqual(progress.totalObjects);
		const fractions = how.map(progress => progress.objects / progress.totalObjects);
		expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
		// With the mapping pass stopped early (the rest read after the object scan, as on a big history).
		for (const indexHeadLimit of [0, 1]) {
			const split = await scanRepo(repo, key, {objectStreams: 2, objectBlock: 2, indexHeadLimit, indexKeepBytes: 0});
			expect(split.history, `head ${indexHeadLimit}`).toEqual(one.history);
		}
	});

	it('the size that chooses several readers counts the packs a linked worktree and a --shared clone read', () => {
		const key = fakeCloudSightKey();
		const repo = repoWithStrays(key, true);
		const own = packBytes(path.join(repo, '.git'));
		expect(own).toBeGreaterThan(0);
		const linked = path.join(tempDir(), 'linked');
		gitIn(repo, ['worktree', 'add', '-q', '--detach', linked, 'main']);
		expect(packBytes(gitIn(linked, ['rev-parse', '--absolute-git-dir']))).toBe(own);
		const shared = path.join(tempDir(), 'shared');
		gitIn(repo, ['clone', '-q', '--shared', repo, shared]);
		expect(packBytes(path.join(shared, '.git'))).toBe(own);
	});

	it('a key in nothing: no hits, every object counted', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithStrays(key, true);
		const other = fakeCloudSightKey();
		const needles = keyNeedles(other, {partial: true});
		const single = await scanObjects(repo, needles, {totalObjects: () => 0});
		const split = await scanObjectsSplit(repo, needles, {streams: 2, block: 2});
		expect(split.hits).toEqual([]);
		expect(split.objects).toBe(single.objects);
	});

	it('replace refs (git replace) are not followed: the objects are read as they are stored, either way', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithStrays(key, true);
		// The leak commit's config.js (holding the key) replaced by a clean blob, and a clean README by one that holds it.
		const leak = gitIn(repo, ['rev-list', '-1', '--all', '--grep=Add API config']);
		const leaked = gitIn(repo, ['rev-parse', `${leak}:src/config.js`]);
		const readme = gitIn(repo, ['rev-parse', 'HEAD:README.md']);
		gitIn(repo, ['replace', leaked, gitIn(repo, ['hash-object', '-w', '--stdin'], {}, 'clean\n')]);
		gitIn(repo, ['replace', readme, gitIn(repo, ['hash-object', '-w', '--stdin'], {}, `now ${key}\n`)]);
		const needles = keyNeedles(key, {partial: true});
		const single = await scanObjects(repo, needles, {totalObjects: () => 0});
		const split = await scanObjectsSplit(repo, needles, {streams: 2, block: 1});
		for (const hits of [single.hits, split.hits]) {
			expect(hits.map(hit => hit.sha)).toContain(leaked);
			expect(hits.map(hit => hit.sha)).not.toContain(readme);
		}
		expect(split.hits).toEqual(single.hits);
		const places = await scanRepo(repo, key, {objectStreams: 2, objectBlock: 1});
		expect(places.history.some(place => place.kind === 'blob' && place.blob === leaked && place.path === 'src/config.js')).toBe(true);
		expect((await scanRepo(repo, key, {objectStreams: 0})).history).toEqual(places.history);
	});

	it('Esc mid-scan (at the first hit): the processes are stopped and the scan says cancelled, no error', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithStrays(key, true);
		for (const fifo of [false, true]) {
			const controller = new AbortController();
			const split = await scanObjectsSplit(repo, keyNeedles(key), {streams: 2, block: 1, fifo, signal: controller.signal, onHit: () => controller.abort()});
			expect(split.cancelled).toBe(true);
		}
	});

	it('Esc: the processes are stopped and the scan says cancelled, no error', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithStrays(key, true);
		const controller = new AbortController();
		controller.abort();
		const split = await scanObjectsSplit(repo, keyNeedles(key), {streams: 2, block: 1, signal: controller.signal});
		expect(split.cancelled).toBe(true);
	});

	it('an object git lists but cannot read at all (a corrupt loose object): not claimed as read, named in a warning, either way', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithStrays(key, true);
		const sha = gitIn(repo, ['hash-object', '-w', '--stdin'], {}, `lost ${key}\n`);
		const file = path.join(repo, '.git', 'objects', sha.slice(0, 2), sha.slice(2));
		fs.chmodSync(file, 0o644);
		fs.writeFileSync(file, 'not zlib at all');
		const needles = keyNeedles(key, {partial: true});
		const single = await scanObjects(repo, needles, {totalObjects: () => 0});
		expect(single.unreadable).toEqual({count: 1, ids: [sha]});
		for (const [streams, block] of [[1, 1], [2, 3], [3, 4096]] as const) {
			const split = await scanObjectsSplit(repo, needles, {streams, block});
			expect(split.unreadable).toEqual(single.unreadable);
			expect(split.hits).toEqual(single.hits);
			expect(split.objects).toBe(single.objects);
		}
		for (const objectStreams of [0, 2]) {
			const result = await scanRepo(repo, key, {objectStreams});
			expect(result.warnings.join('\n')).toContain(`1 object(s) git lists could not be read (corrupt, or removed while the scan ran): ${sha}.`);
		}
	});

	it('an object git cannot read: a clear error naming the git call, not a crash', async () => {
		const key = fakeCloudSightKey();
		const repo = repoWithStrays(key, true);
		// A loose object cut in half: its header still reads (the listing works), its content does not.
		const sha = gitIn(repo, ['hash-object', '-w', '--stdin'], {}, `${'filler '.repeat(4000)}${key}\n`);
		const file = path.join(repo, '.git', 'objects', sha.slice(0, 2), sha.slice(2));
		fs.chmodSync(file, 0o644);
		fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
		const attempts = [
			...[false, true].map(fifo => () => scanObjectsSplit(repo, keyNeedles(key), {streams: 2, fifo})),
			() => scanObjects(repo, keyNeedles(key), {totalObjects: () => 0}),
		];
		for (const attempt of attempts) {
			const error = (await attempt().then(() => null, (caught: unknown) => caught)) as {message: string; outputTail?: string} | null;
			expect(error?.message).toMatch(/git could not read the repository objects/);
			// git's own words, as text (not the bytes' numbers).
			expect(error?.outputTail).toMatch(/fatal: .*[a-z]{4}/);
		}
	});
});
