// The exposure scan finds the key however a client percent-encoded it, in history, in commit
// messages and in the working tree: one character escaped (ghp%5F…), Python's quote() (/ kept,
// + as %2B, = as %3D), every character escaped in upper or lower hex. A fragment of the key, or
// another key spelled the same way, is no copy. Every line shown is masked over the whole span.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {keyNeedles} from '../../src/core/needles.js';
import {mask} from '../../src/core/secrets.js';
import {scanRepo} from '../../src/engines/scan/index.js';
import {tempDir} from '../helpers/fs.js';
import {commit, gitIn, write} from '../helpers/repo.js';
import {fakeKeys} from '../helpers/keys.js';

const hex = (byte: number, upper: boolean) => (upper ? byte.toString(16).toUpperCase() : byte.toString(16)).padStart(2, '0');
const everyChar = (key: string, upper: boolean) => [...Buffer.from(key)].map(byte => `%${hex(byte, upper)}`).join('');
const pythonQuote = (key: string) => [...Buffer.from(key)].map(byte => (/[A-Za-z0-9_.\-~/]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${hex(byte, true)}`)).join('');
const alnum = (length: number) => randomBytes(length * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, length);

function expectMasked(text: string, key: string) {
	for (const needle of keyNeedles(key, {partial: true})) expect(text).not.toContain(needle.bytes.toString('latin1'));
}

describe('scanRepo and encoded keys', () => {
	it('finds ghp%5F…, %5f, every character escaped (upper and lower hex) in history, a message and the working tree; not a fragment or another key', async () => {
		const key = fakeKeys.github();
		const other = fakeKeys.github();
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'old.sh', `# setup\ncurl "https://api.example.com/?token=ghp%5F${key.slice(4)}"\n`);
		commit(repo, 'the call', '2026-01-10T00:00:00Z');
		fs.rmSync(path.join(repo, 'old.sh'));
		write(repo, 'decoys.txt', `ghp%5F${other.slice(4)}\n${key.slice(4)}\nghp%5F${key.slice(4, -3)}\n`);
		write(repo, 'encoded.txt', `a=${everyChar(key, true)}\nb=${everyChar(key, false)}\nc=ghp%5f${key.slice(4)}&x=1\n`);
		commit(repo, `rotate\n\nthe old one was ghp%5F${key.slice(4)}`, '2026-02-01T00:00:00Z');
		const result = await scanRepo(repo, key);
		const blobs = result.history.filter(place => place.kind === 'blob');
		expect(blobs.map(place => [place.path, place.line, place.form]).sort()).toEqual([
			['encoded.txt', 1, 'url-encoded'],
			['encoded.txt', 2, 'url-encoded'],
			['encoded.txt', 3, 'url-encoded'],
			['old.sh', 2, 'url-encoded'],
		]);
		expect(blobs.find(place => place.path === 'old.sh')).toMatchObject({text: `curl "https://api.example.com/?token=${mask(key)}"`});
		expect(blobs.find(place => place.line === 3)).toMatchObject({text: `c=${mask(key)}&x=1`});
		expect(result.history.filter(place => place.kind === 'commit-message')).toEqual([expect.objectContaining({form: 'url-encoded', line: 3, text: `the old one was ${mask(key)}`})]);
		expect(result.worktree.map(place => [place.path, place.line]).sort()).toEqual([
			['encoded.txt', 1],
			['encoded.txt', 2],
			['encoded.txt', 3],
		]);
		expectMasked(JSON.stringify(result), key);
	});

	it("finds Python quote()'s spelling of a key holding / + and =, and a raw copy once (not again as a partial match)", async () => {
		const key = `${alnum(12)}+${alnum(10)}/${alnum(12)}=`;
		const repo = tempDir();
		gitIn(repo, ['init', '-q', '-b', 'main']);
		write(repo, 'fetch.py', `URL = "https://x.example/v1?secret=${pythonQuote(key)}&n=1"\n`);
		write(repo, 'raw.txt', `${key}\n`);
		commit(repo, 'add', '2026-02-01T00:00:00Z');
		const result = await scanRepo(repo, key);
		expect(result.history.map(place => [place.kind === 'blob' ? place.path : place.kind, place.form]).sort()).toEqual([
			['fetch.py', 'url-encoded'],
			['raw.txt', 'raw'],
		]);
		expect(result.worktree.map(place => [place.path, place.form]).sort()).toEqual([
			['fetch.py', 'url-encoded'],
			['raw.txt', 'raw'],
		]);
		expect(result.worktree.find(place => place.path === 'fetch.py')).toMatchObject({text: `URL = "https://x.example/v1?secret=${mask(key)}&n=1"`});
		expectMasked(JSON.stringify(result), key);
	});
});
