// leakfix scan --tar / --image: a docker save archive built here byte by byte (512-byte tar
// headers, a gzip layer, a file deleted by a whiteout in a later layer, a long GNU name, the
// image config), searched for every form of the key; --image through a stub docker on PATH.
import {createHash} from 'node:crypto';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {mask} from '../../src/core/secrets.js';
import {scanImageTar, TarReader} from '../../src/engines/scan/image.js';
import {tempDir} from '../helpers/fs.js';
import {fakeKeys} from '../helpers/keys.js';

/** One tar entry: a ustar header (name, mode, size in octal, type, checksum), the data, padding. */
function entry(name: string, data: Buffer | string = '', type = '0'): Buffer {
	const bytes = typeof data === 'string' ? Buffer.from(data) : data;
	const header = Buffer.alloc(512);
	const field = (value: string, at: number, length: number) => header.write(value, at, length, 'utf8');
	if (Buffer.byteLength(name) > 100) {
		// A GNU long name: an 'L' entry holding the name, then the entry with a cut name.
		return Buffer.concat([entry('././@LongLink', Buffer.from(`${name}\0`), 'L'), entry(name.slice(0, 99), bytes, type)]);
	}
	field(name, 0, 100);
	field('0000644\0', 100, 8);
	field('0000000\0', 108, 8);
	field('0000000\0', 116, 8);
	field(`${bytes.length.toString(8).padStart(11, '0')}\0`, 124, 12);
	field('14712345670\0', 136, 12);
	field('        ', 148, 8);
	field(type, 156, 1);
	field('ustar\0', 257, 6);
	field('00', 263, 2);
	let sum = 0;
	for (const byte of header) sum += byte;
	field(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
	return Buffer.concat([header, bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
}
const tar = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A docker save archive (OCI layout names, manifest.json last as docker writes it). */
function archive(layers: Buffer[], config: object, tags = ['shop/api:1.4']): Buffer {
	const configBytes = Buffer.from(JSON.stringify(config));
	const blobs = layers.map(layer => ({name: `blobs/sha256/${sha(layer)}`, bytes: layer}));
	const manifest = [{Config: `blobs/sha256/${sha(configBytes)}`, RepoTags: tags, Layers: blobs.map(blob => blob.name)}];
	return tar(entry('blobs/', '', '5'), entry('blobs/sha256/', '', '5'), ...blobs.map(blob => entry(blob.name, blob.bytes)), entry(`blobs/sha256/${sha(configBytes)}`, configBytes), entry('manifest.json', JSON.stringify(manifest)));
}

function leakyImage(key: string): {file: string; longName: string} {
	// Layer 1, gzip: the .env with the key, and a 40 kB file with the key across gunzip's 16 kB output chunks.
	// The layer's stream: 3 × 1024 bytes of entries before big.txt's data, so the key starts at 3072 + 29691 = 32763, 5 bytes before the second chunk's end.
	const big = `${'x'.repeat(99)}\n`.repeat(296) + `${'y'.repeat(85)}TOKEN=${key}\n` + `${'z'.repeat(99)}\n`.repeat(200);
	const one = gzipSync(tar(entry('app/', '', '5'), entry('app/.env', `PORT=80\nAPI_KEY=${key}\n`), entry('app/main.js', 'console.log(process.env.API_KEY)\n'), entry('app/big.txt', big)));
	// Layer 2, plain: the .env deleted (a whiteout), a config with the key in a Basic header, a long name with it partly percent-encoded (ghp%5F…).
	const longName = `srv/${'deep/'.repeat(25)}settings.ini`;
	const two = tar(entry('app/', '', '5'), entry('app/.wh..env'), entry('app/config.json', `{\n  "url": "https://api.example.com",\n  "auth": "Basic ${Buffer.from(`user:${key}`).toString('base64')}"\n}\n`), entry(longName, `[api]\nkey = ${key.replace('_', '%5F')}\n`));
	// Layer 3: nothing of the key.
	const three = tar(entry('etc/motd', 'hello\n'));
	const config = {architecture: 'amd64', config: {Env: ['PATH=/usr/bin', `API_KEY=${key}`]}, history: [{created_by: `RUN |1 TOKEN=${key} /bin/sh -c make`}]};
	const file = path.join(tempDir(), 'image.tar');
	fs.writeFileSync(file, archive([one, two, three], config));
	return {file, longName};
}

describe('leakfix scan --tar', () => {
	it('searches every layer (gzip and plain) and the config, names the whiteout that hid a file, masks every line', async () => {
		const key = fakeKeys.github();
		const {file, longName} = leakyImage(key);
		const result = await scanImageTar(file, key);
		expect(result.tags).toEqual(['shop/api:1.4']);
		expect(result.layers.map(layer => [layer.index, layer.compression, layer.files, layer.searched])).toEqual([
			[1, 'gzip', 3, true],
			[2, 'none', 3, true],
			[3, 'none', 1, true],
		]);
		const places = result.hits.map(hit => [hit.layer, hit.path, hit.line, hit.form, hit.removed ?? null]);
		expect(places).toEqual([
			[0, '(image config: ENV and build history)', 1, 'raw', null],
			[0, '(image config: ENV and build history)', 1, 'raw', null],
			[1, 'app/.env', 2, 'raw', {layer: 2, how: 'whiteout'}],
			[1, 'app/big.txt', 297, 'raw', null],
			[2, 'app/config.json', 3, 'base64', null],
			[2, longName, 2, 'url-encoded', null],
		]);
		expect(result.hits[2]!.layerId).toMatch(/^sha256:[0-9a-f]{12}$/);
		expect(result.hits[2]!.text).toBe(`API_KEY=${mask(key)}`);
		for (const hit of result.hits) expect(hit.text).not.toContain(key);
		expect(result.whiteouts).toEqual([{layer: 2, path: 'app/.env'}]);
		expect(result.warnings).toEqual([]);
	});

	it('the built CLI: exit 1 with layer, path and line masked, the whiteout said; exit 0 for a clean image; exit 2 for a file that is not an archive', () => {
		const key = fakeKeys.stripeLive();
		const {file} = leakyImage(key);
		const cli = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'scan', ...args, '--key-stdin'], {input: key, encoding: 'utf8'});
		const found = cli('--tar', file);
		expect(found.status).toBe(1);
		expect(found.stdout).toMatch(/layer 1 \(sha256:[0-9a-f]{12}\): app\/\.env:2 \(raw\) — deleted in layer 2, but still in layer 1: anyone who pulls the image can read it {2}API_KEY=sk_live_…/);
		expect(found.stdout).toContain('image config: (image config: ENV and build history):1 (raw)');
		expect(found.stdout).toContain('Whiteouts (paths a layer deleted from the ones below it): 1: app/.env (layer 2)');
		expect(found.stdout).not.toContain(key);
		const json = cli('--tar', file, '--json');
		expect(json.status).toBe(1);
		expect(JSON.parse(json.stdout)).toMatchObject({found: true, image: {source: {kind: 'tar'}, hits: expect.any(Array)}});
		expect(json.stdout).not.toContain(key);
		const clean = path.join(tempDir(), 'clean.tar');
		fs.writeFileSync(clean, archive([tar(entry('a.txt', 'nothing\n'))], {config: {Env: ['PATH=/bin']}}));
		const none = cli('--tar', clean);
		expect(none.status).toBe(0);
		expect(none.stdout).toContain('The key was not found.');
		const junk = path.join(tempDir(), 'junk.tar');
		fs.writeFileSync(junk, 'not a tar at all\n'.repeat(100));
		const bad = cli('--tar', junk);
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('not a tar archive');
		expect(bad.stderr).not.toContain('    at ');
		expect(cli('--tar', file, '--repo', '.').status).toBe(2);
	});

	it('a zstd layer is said, not skipped silently; a layer missing from the archive too', async () => {
		const key = fakeKeys.github();
		const zstd = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(60)]);
		const file = path.join(tempDir(), 'z.tar');
		fs.writeFileSync(file, archive([zstd, tar(entry('k.txt', `${key}\n`))], {}));
		const result = await scanImageTar(file, key);
		expect(result.layers.map(layer => [layer.compression, layer.searched])).toEqual([
			['zstd', false],
			['none', true],
		]);
		expect(result.warnings[0]).toContain('zstd-compressed');
		expect(result.hits.map(hit => [hit.layer, hit.path])).toEqual([[2, 'k.txt']]);
	});

	it('the tar reader gives the same entries read a byte at a time', () => {
		const body = Buffer.from('a'.repeat(700));
		const bytes = tar(entry('x/one.txt', body), entry(`${'long/'.repeat(30)}two.txt`, 'two'), entry('d/', '', '5'));
		const read = (size: number) => {
			const seen: Array<[string, string]> = [];
			let current: Buffer[] = [];
			const reader = new TarReader(entry => {
				current = [];
				return {write: chunk => current.push(Buffer.from(chunk)), end: () => seen.push([entry.path, Buffer.concat(current).toString()])};
			});
			for (let at = 0; at < bytes.length; at += size) reader.write(bytes.subarray(at, at + size));
			reader.end();
			return seen;
		};
		expect(read(1)).toEqual(read(bytes.length));
		expect(read(1)).toEqual([
			['x/one.txt', 'a'.repeat(700)],
			[`${'long/'.repeat(30)}two.txt`, 'two'],
		]);
		const cut = new TarReader(() => null);
		cut.write(bytes.subarray(0, 700));
		expect(() => cut.end()).toThrow('ends in the middle of an entry');
	});
});

describe('leakfix scan --image', () => {
	it('exports the image with the docker on PATH (argv: save NAME) into a private temp file, removed afterwards; a failed save is exit 2 with docker\'s words', () => {
		const key = fakeKeys.github();
		const {file} = leakyImage(key);
		const bin = tempDir('leakfix-stubs-');
		const calls = path.join(bin, 'docker.calls');
		fs.writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\nPATH=/usr/bin:/bin\nprintf '%s\\n' "$@" >> '${calls}'\nstat -c '%a' "$TMPDIR"/leakfix-image-* "$TMPDIR"/leakfix-image-*/image.tar >> '${calls}'\nif [ "$2" = missing ]; then echo "Error response from daemon: reference does not exist" >&2; exit 1; fi\ncat '${file}'\n`, {mode: 0o755});
		const tmp = tempDir();
		const env = {...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, TMPDIR: tmp};
		const cli = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'scan', ...args, '--key-stdin'], {input: key, encoding: 'utf8', env});
		const found = cli('--image', 'shop/api:1.4');
		expect(found.status, found.stderr).toBe(1);
		expect(found.stdout).toContain('image shop/api:1.4 (exported with docker save)');
		expect(found.stdout).toContain('app/.env:2 (raw) — deleted in layer 2');
		expect(found.stdout).not.toContain(key);
		const recorded = fs.readFileSync(calls, 'utf8').split('\n');
		expect(recorded.slice(0, 2)).toEqual(['save', 'shop/api:1.4']);
		expect(recorded.slice(2, 4)).toEqual(['700', '600']); // the export: a 0600 file in a 0700 folder
		expect(fs.readdirSync(tmp)).toEqual([]); // the export is gone
		const missing = cli('--image', 'missing');
		expect(missing.status).toBe(2);
		expect(missing.stderr).toContain('docker save failed (exit 1)');
		expect(missing.stderr).toContain('reference does not exist');
		expect(fs.readdirSync(tmp)).toEqual([]);
		expect(cli('--image', '--output=/tmp/x').status).toBe(2);
	});
});
