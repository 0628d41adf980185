// git's output read through a named pipe into one reused buffer (src/engines/scan/fifo.ts): the
// same bytes as a plain pipe, chunks that are only valid during the call, and errors surfaced.
import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {keyNeedles} from '../../src/core/needles.js';
import {spawnFifo} from '../../src/engines/scan/fifo.js';
import {ObjectStreamScanner, type ObjectHit} from '../../src/engines/scan/objects.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {plantedRepo} from '../helpers/repo.js';

const byObject = (a: ObjectHit, b: ObjectHit) => a.sha.localeCompare(b.sha) || a.needle - b.needle;
const CAT_FILE = ['cat-file', '--batch-all-objects', '--batch', '--unordered'];

describe('spawnFifo', () => {
	it("hands on the helper's output byte for byte, through a buffer it reuses, and its exit", async () => {
		const {repo} = plantedRepo(fakeCloudSightKey());
		const expected = execFileSync('git', ['-C', repo, ...CAT_FILE], {maxBuffer: 1 << 30});
		const fifo = await spawnFifo('git', ['-C', repo, ...CAT_FILE], {cwd: repo, size: 4096});
		expect(fifo).not.toBeNull();
		const parts: Buffer[] = [];
		const buffers = new Set<ArrayBufferLike>();
		await fifo!.read(chunk => {
			buffers.add(chunk.buffer);
			parts.push(Buffer.from(chunk));
		});
		expect(Buffer.concat(parts).equals(expected)).toBe(true);
		expect(parts.length).toBeGreaterThan(1);
		expect(buffers.size).toBe(1); // one buffer, read into again and again
		expect(await fifo!.done).toMatchObject({exitCode: 0});
	});

	it("a failing helper's exit code and stderr; an error thrown by the reader stops reading and rejects", async () => {
		const {repo} = plantedRepo(fakeCloudSightKey());
		const failing = await spawnFifo('git', ['-C', repo, 'cat-file', '--no-such-option'], {cwd: repo});
		await failing!.read(() => undefined);
		const result = await failing!.done;
		expect(result.exitCode).not.toBe(0);
		expect(result.stderr).not.toBe('');
		const stopped = await spawnFifo('git', ['-C', repo, ...CAT_FILE], {cwd: repo, size: 64});
		await expect(
			stopped!.read(() => {
				throw new Error('reader gave up');
			}),
		).rejects.toThrow('reader gave up');
		await stopped!.done; // settles (killed, or done before the kill)
	});

	it('the object scanner keeps nothing of a chunk it is handed: the same hits when the buffer is overwritten after each push', () => {
		const key = fakeCloudSightKey();
		const {repo} = plantedRepo(key);
		const stream = execFileSync('git', ['-C', repo, ...CAT_FILE], {maxBuffer: 1 << 30});
		const needles = keyNeedles(key, {partial: true});
		const reference: ObjectHit[] = [];
		new ObjectStreamScanner(needles, hit => reference.push(hit)).push(stream);
		expect(reference.length).toBeGreaterThan(3);
		for (const size of [1, 7, 61, 4096]) {
			const found: ObjectHit[] = [];
			const scanner = new ObjectStreamScanner(needles, hit => found.push(hit));
			const reused = Buffer.alloc(size);
			for (let at = 0; at < stream.length; at += size) {
				const length = stream.copy(reused, 0, at, at + size);
				scanner.push(reused.subarray(0, length));
				reused.fill(0x41); // what the next read would do to it
			}
			// The same hits (a partial match is reported when its window is complete: the order may differ).
			expect(found.sort(byObject), `chunk size ${size}`).toEqual([...reference].sort(byObject));
		}
	});
});
