// The gzip source on its own: zlib's handle driven into one reused buffer gives the same bytes
// as the zlib stream, across gzip members and read sizes; a cut or corrupt file is an error in both.
import fs from 'node:fs';
import path from 'node:path';
import {createGunzip, gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {gzipSource} from '../../src/engines/logs/sources/gzip.js';
import {LogInputError} from '../../src/engines/logs/types.js';
import {tempDir} from '../helpers/fs.js';

async function inflate(file: string, size: number, stream: boolean): Promise<{text: string; lines: number; position: number}> {
	const source = gzipSource(file, size, {stream});
	const parts: Buffer[] = [];
	for await (const chunk of source.chunks) parts.push(Buffer.from(chunk)); // a copy: the buffer is reused
	return {text: Buffer.concat(parts).toString('utf8'), lines: await source.lines(), position: source.position()};
}

// Varied lines that compress to more than one 64 KiB read and inflate to many output buffers.
const text = Array.from({length: 12_000}, (_, n) => `${n} ${(n * 2_654_435_761 >>> 0).toString(36)} ${'x'.repeat(n % 97)}`).join('\n');

describe('the gzip source', () => {
	it('reads the same bytes and lines directly and through the stream, whatever the output size, across gzip members', async () => {
		// This Node has the zlib internals the direct path drives (else it would silently test the stream twice).
		const probe = createGunzip() as unknown as {_handle: {writeSync: unknown}; _writeState: unknown};
		expect(typeof probe._handle.writeSync).toBe('function');
		expect(probe._writeState).toBeInstanceOf(Uint32Array);
		const dir = tempDir();
		const one = path.join(dir, 'one.gz');
		fs.writeFileSync(one, gzipSync(text, {level: 1}));
		// Two members back to back (`cat a.gz b.gz`, as logrotate's copies can be): one text.
		const two = path.join(dir, 'two.gz');
		fs.writeFileSync(two, Buffer.concat([gzipSync('first line\nsecond '), gzipSync('line\n')]));
		for (const size of [64, 4096, 256 * 1024]) {
			const direct = await inflate(one, size, false);
			expect(direct).toEqual(await inflate(one, size, true));
			expect(direct.text).toBe(text);
			expect(direct.lines).toBe(12_000);
			expect(direct.position).toBe(fs.statSync(one).size);
		}
		expect((await inflate(two, 64, false)).text).toBe('first line\nsecond line\n');
		expect((await inflate(two, 64, true)).text).toBe('first line\nsecond line\n');
	});

	it('stops with a clear error at a cut or corrupt file, after yielding what it read', async () => {
		const dir = tempDir();
		const whole = gzipSync(text, {level: 1});
		const cut = path.join(dir, 'cut.gz');
		fs.writeFileSync(cut, whole.subarray(0, whole.length >> 1));
		const corrupt = path.join(dir, 'corrupt.gz');
		const bad = Buffer.from(whole);
		bad.fill(0x55, 100, 200);
		fs.writeFileSync(corrupt, bad);
		for (const stream of [false, true]) {
			for (const file of [cut, corrupt]) {
				const source = gzipSource(file, 4096, {stream});
				let read = 0;
				const error = await (async () => {
					for await (const chunk of source.chunks) read += chunk.length;
				})().catch((caught: unknown) => caught);
				expect(error).toBeInstanceOf(LogInputError);
				expect((error as Error).message).toMatch(/not a readable gzip file \(.+\)\.$/);
				if (file === cut) expect(read).toBeGreaterThan(0);
			}
		}
	});
});
