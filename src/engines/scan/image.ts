// The key in a container image: every layer of a `docker save` archive (a tar of layer tarballs,
// plain or gzip-compressed, a manifest.json and the image's config) searched for every form of
// the key, file by file, streamed (no layer is held in memory). A file deleted by a later layer
// (a whiteout, `.wh.NAME`) is still in its own layer's tar: anyone who pulls the image can read it,
// so such hits are named with the layer that hid them. The image's config is searched too (ENV
// values, and build ARGs recorded in its history). `--image NAME` exports the image through the
// user's own docker or podman into a 0600 file in a private temp folder, removed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {createGunzip} from 'node:zlib';
import {findKey, keyNeedles, type KeyForm, maskedLine} from '../../core/needles.js';
import {mask} from '../../core/secrets.js';
import {resolveBinary, runToFile} from '../../infra/command.js';
import {ExternalError, UserError} from '../../infra/errors.js';

export type ImageHit = {
	/** 1-based layer number in the image's order; 0 for the image's config. */
	layer: number;
	/** The layer's digest or folder (short), or "config". */
	layerId: string;
	path: string;
	/** 1-based line, or null for a binary file (then `offset`). */
	line: number | null;
	offset: number;
	form: KeyForm;
	/** The line with every copy of the key masked. */
	text: string;
	/** A later layer deleted (whiteout) or replaced the file: hidden from the running container, still in this layer. */
	removed?: {layer: number; how: 'whiteout' | 'replaced'};
};

export type ImageLayer = {index: number; id: string; compression: 'none' | 'gzip' | 'zstd' | 'unknown'; files: number; bytes: number; searched: boolean};

export type ImageScan = {
	source: {kind: 'image' | 'tar'; name: string; engine?: string};
	tags: string[];
	layers: ImageLayer[];
	hits: ImageHit[];
	/** Paths deleted by a later layer (`.wh.` files), the first 200. */
	whiteouts: Array<{layer: number; path: string}>;
	whiteoutCount: number;
	warnings: string[];
	durationMs: number;
};

/** One tar header: the entry's path (long names and PAX paths applied by the reader), size and type. */
type TarEntry = {path: string; size: number; type: string; linkname: string};

const BLOCK = 512;

function text(block: Buffer, from: number, length: number): string {
	const field = block.subarray(from, from + length);
	const end = field.indexOf(0);
	return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** A numeric field: octal text, or GNU base-256 (the high bit of the first byte set). */
function number(block: Buffer, from: number, length: number): number {
	const field = block.subarray(from, from + length);
	if (field[0]! & 0x80) {
		let value = field[0]! & 0x7f;
		for (let index = 1; index < field.length; index++) value = value * 256 + field[index]!;
		return value;
	}
	const digits = text(block, from, length).trim();
	return digits === '' ? 0 : parseInt(digits, 8);
}

/** Reads a 512-byte header; null for an end-of-archive block (all zeros). Throws on a bad checksum. */
export function parseTarHeader(block: Buffer): {name: string; size: number; type: string; linkname: string} | null {
	if (block.every(byte => byte === 0)) return null;
	let sum = 0;
	for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 32 : block[index]!;
	const stored = number(block, 148, 8);
	if (Number.isNaN(stored) || stored !== sum) throw new Error('not a tar archive (a header checksum does not match)');
	const name = text(block, 0, 100);
	const ustar = block.subarray(257, 262).toString('latin1') === 'ustar';
	const prefix = ustar ? text(block, 345, 155) : '';
	const size = number(block, 124, 12);
	if (!Number.isFinite(size) || size < 0) throw new Error('not a tar archive (a size field is not a number)');
	return {name: prefix ? `${prefix}/${name}` : name, size, type: String.fromCharCode(block[156]!) === '\0' ? '0' : String.fromCharCode(block[156]!), linkname: text(block, 157, 100)};
}

/** PAX extended header records ("LEN key=value\n"): the path, if given. */
function paxPath(data: Buffer): string | undefined {
	let at = 0;
	let found: string | undefined;
	while (at < data.length) {
		const space = data.indexOf(32, at);
		if (space === -1) break;
		const length = parseInt(data.toString('latin1', at, space), 10);
		if (!Number.isFinite(length) || length <= 0) break;
		const record = data.toString('utf8', space + 1, at + length - 1);
		const equals = record.indexOf('=');
		if (record.slice(0, equals) === 'path') found = record.slice(equals + 1);
		at += length;
	}
	return found;
}

/** What receives one regular file's bytes as they stream by. */
export type EntrySink = {write(chunk: Buffer): void; end(): void};

/**
 * A streaming tar reader: bytes in any chunk sizes, each regular file's content handed to the
 * sink `onFile` returns for it (or skipped), other entries reported to `onEntry`. GNU long names
 * ('L') and PAX paths ('x') are applied to the entry that follows.
 */
export class TarReader {
	private pending: Buffer[] = [];
	private pendingLength = 0;
	private state: 'header' | 'data' | 'meta' | 'pad' | 'done' = 'header';
	private remaining = 0;
	private padding = 0;
	private sink: EntrySink | null = null;
	private meta: Buffer[] = [];
	private metaType = '';
	private nextPath: string | undefined;

	constructor(
		private readonly onFile: (entry: TarEntry) => EntrySink | null,
		private readonly onEntry: (entry: TarEntry) => void = () => undefined,
	) {}

	write(chunk: Buffer): void {
		let at = 0;
		while (at < chunk.length && this.state !== 'done') {
			if (this.state === 'header') {
				const take = Math.min(BLOCK - this.pendingLength, chunk.length - at);
				this.pending.push(chunk.subarray(at, at + take));
				this.pendingLength += take;
				at += take;
				if (this.pendingLength < BLOCK) continue;
				const block = Buffer.concat(this.pending, BLOCK);
				this.pending = [];
				this.pendingLength = 0;
				this.header(block);
				continue;
			}
			if (this.state === 'pad') {
				const take = Math.min(this.padding, chunk.length - at);
				this.padding -= take;
				at += take;
				if (this.padding === 0) this.state = 'header';
				continue;
			}
			const take = Math.min(this.remaining, chunk.length - at);
			const piece = chunk.subarray(at, at + take);
			if (this.state === 'data') this.sink?.write(piece);
			else this.meta.push(Buffer.from(piece));
			this.remaining -= take;
			at += take;
			if (this.remaining === 0) this.finishEntry();
		}
	}

	/** The archive's end: an entry cut short is an error. */
	end(): void {
		if (this.state === 'data' || this.state === 'meta' || (this.state === 'header' && this.pendingLength > 0)) throw new Error('the tar archive ends in the middle of an entry');
	}

	private header(block: Buffer): void {
		const header = parseTarHeader(block);
		if (header === null) {
			// Two zero blocks end the archive; one is enough to stop reading.
			this.state = 'done';
			return;
		}
		this.remaining = header.size;
		this.padding = (BLOCK - (header.size % BLOCK)) % BLOCK;
		if (header.type === 'L' || header.type === 'x' || header.type === 'g' || header.type === 'K') {
			this.state = 'meta';
			this.metaType = header.type;
			this.meta = [];
			if (this.remaining === 0) this.finishEntry();
			return;
		}
		const entry: TarEntry = {path: (this.nextPath ?? header.name).replace(/^\.\//, ''), size: header.size, type: header.type, linkname: header.linkname};
		this.nextPath = undefined;
		this.onEntry(entry);
		this.sink = header.type === '0' || header.type === '7' ? this.onFile(entry) : null;
		this.state = 'data';
		if (this.remaining === 0) this.finishEntry();
	}

	private finishEntry(): void {
		if (this.state === 'meta') {
			const data = Buffer.concat(this.meta);
			if (this.metaType === 'L') this.nextPath = text(data, 0, data.length);
			else if (this.metaType === 'x') this.nextPath = paxPath(data) ?? this.nextPath;
			this.meta = [];
		} else {
			this.sink?.end();
			this.sink = null;
		}
		this.state = this.padding > 0 ? 'pad' : 'header';
	}
}

/**
 * Searches a file's bytes as they stream by for every needle: a window of the last bytes is kept
 * so a copy across two chunks is found once; lines are counted as it goes.
 */
function fileSearcher(needles: ReturnType<typeof keyNeedles>, masked: string, found: (hit: {line: number | null; offset: number; form: KeyForm; text: string}) => void): EntrySink {
	const overlap = Math.max(...needles.map(needle => needle.bytes.length + (needle.reach ? needle.reach.before + needle.reach.after : 0))) - 1;
	let carry = Buffer.alloc(0);
	let consumed = 0; // bytes of the file before `carry`
	let lines = 0; // newlines before `carry`
	let binary: boolean | null = null;
	return {
		write(chunk) {
			const window = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
			binary ??= window.subarray(0, 8000).includes(0);
			for (const match of findKey(window, needles)) {
				// A copy wholly inside the carried bytes was found with the previous chunk.
				if (match.end <= carry.length) continue;
				let line = lines + 1;
				for (let at = window.indexOf(10); at !== -1 && at < match.start; at = window.indexOf(10, at + 1)) line++;
				found({line: binary ? null : line, offset: consumed + match.start, form: needles[match.needle]!.form, text: binary ? '' : maskedLine(window, match.start, needles, masked)});
			}
			const keep = Math.min(overlap, window.length);
			const passed = window.subarray(0, window.length - keep);
			for (let at = passed.indexOf(10); at !== -1; at = passed.indexOf(10, at + 1)) lines++;
			consumed += passed.length;
			carry = Buffer.from(window.subarray(window.length - keep));
		},
		end() {},
	};
}

type OuterIndex = Map<string, {offset: number; size: number}>;

/** The outer archive's entries and where their bytes are (it is a file: headers read, data skipped). */
function indexArchive(file: string): OuterIndex {
	const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
	try {
		const size = fs.fstatSync(fd).size;
		const entries: OuterIndex = new Map();
		const block = Buffer.alloc(BLOCK);
		let at = 0;
		let nextPath: string | undefined;
		while (at + BLOCK <= size) {
			fs.readSync(fd, block, 0, BLOCK, at);
			const header = parseTarHeader(block);
			if (header === null) break;
			const data = at + BLOCK;
			if (data + header.size > size) throw new Error('the tar archive is cut short');
			if (header.type === 'L' || header.type === 'x') {
				const meta = Buffer.alloc(header.size);
				fs.readSync(fd, meta, 0, header.size, data);
				nextPath = header.type === 'L' ? text(meta, 0, meta.length) : (paxPath(meta) ?? nextPath);
			} else {
				if (header.type === '0' || header.type === '7') entries.set((nextPath ?? header.name).replace(/^\.\//, ''), {offset: data, size: header.size});
				nextPath = undefined;
			}
			at = data + Math.ceil(header.size / BLOCK) * BLOCK;
		}
		return entries;
	} finally {
		fs.closeSync(fd);
	}
}

function readPart(file: string, part: {offset: number; size: number}): Buffer {
	const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
	try {
		const bytes = Buffer.alloc(part.size);
		fs.readSync(fd, bytes, 0, part.size, part.offset);
		return bytes;
	} finally {
		fs.closeSync(fd);
	}
}

/** A layer's short name: its digest (OCI layout, blobs/sha256/…) or its folder (classic layout, …/layer.tar). */
function layerId(name: string): string {
	const blob = /(?:^|\/)blobs\/sha256\/([0-9a-f]{12})[0-9a-f]*$/.exec(name);
	if (blob) return `sha256:${blob[1]}`;
	const folder = /^([0-9a-f]{12})[0-9a-f]*\/layer\.tar$/.exec(name);
	return folder ? folder[1]! : name;
}

/** Searches a `docker save` archive (a file) for every form of the key. */
export async function scanImageTar(file: string, key: string, source: ImageScan['source'] = {kind: 'tar', name: file}): Promise<ImageScan> {
	const started = Date.now();
	if (key.length < 8) throw new UserError('That is too short for an API key (8 characters at least): a short string matches everywhere.');
	let stat: fs.Stats;
	try {
		stat = fs.lstatSync(file);
	} catch {
		throw new UserError(`${file}: no such file.`, 'Point --tar at the output of `docker save IMAGE -o FILE`.');
	}
	if (!stat.isFile()) throw new UserError(`${file}: not a regular file.`, 'Point --tar at the output of `docker save IMAGE -o FILE`.');
	let outer: OuterIndex;
	try {
		outer = indexArchive(file);
	} catch (error) {
		throw new UserError(`${file}: ${(error as Error).message}.`, 'Point --tar at the output of `docker save IMAGE -o FILE` (a gzip-compressed archive: gunzip it first).');
	}
	const manifestPart = outer.get('manifest.json');
	if (!manifestPart) throw new UserError(`${file} has no manifest.json: it is not a docker save archive.`, 'Save the image with `docker save IMAGE -o FILE` or `podman save --format docker-archive IMAGE -o FILE`.');
	let manifest: Array<{Config?: unknown; RepoTags?: unknown; Layers?: unknown}>;
	try {
		manifest = JSON.parse(readPart(file, manifestPart).toString('utf8')) as typeof manifest;
		if (!Array.isArray(manifest)) throw new Error('not a list');
	} catch (error) {
		throw new UserError(`${file}: manifest.json cannot be read (${(error as Error).message}).`);
	}
	const needles = keyNeedles(key, {partial: true});
	const masked = mask(key);
	const warnings: string[] = [];
	if (manifest.length > 1) warnings.push(`The archive holds ${manifest.length} images: every layer of each is searched; "deleted in" follows each image's own layer order.`);
	const tags = manifest.flatMap(image => (Array.isArray(image.RepoTags) ? image.RepoTags.filter((tag): tag is string => typeof tag === 'string') : []));
	const hits: ImageHit[] = [];
	const whiteouts: ImageScan['whiteouts'] = [];
	let whiteoutCount = 0;
	const layers: ImageLayer[] = [];
	const done = new Map<string, ImageLayer>();

	for (const image of manifest) {
		// The config: ENV values, and each history entry's created_by (a RUN line records the build ARGs it used).
		if (typeof image.Config === 'string' && outer.has(image.Config) && !done.has(image.Config)) {
			const bytes = readPart(file, outer.get(image.Config)!);
			const sink = fileSearcher(needles, masked, hit => hits.push({layer: 0, layerId: 'config', path: '(image config: ENV and build history)', ...hit}));
			sink.write(bytes);
			sink.end();
			done.set(image.Config, {index: 0, id: 'config', compression: 'none', files: 1, bytes: bytes.length, searched: true});
		}
		const names = Array.isArray(image.Layers) ? image.Layers.filter((name): name is string => typeof name === 'string') : [];
		// Paths of hits so far in this image, and the later layer that deleted or replaced each.
		const hitsHere: ImageHit[] = [];
		for (const [position, name] of names.entries()) {
			const index = position + 1;
			const part = outer.get(name);
			if (!part) {
				warnings.push(`Layer ${index} (${layerId(name)}) is listed in manifest.json but not in the archive: not searched.`);
				layers.push({index, id: layerId(name), compression: 'unknown', files: 0, bytes: 0, searched: false});
				continue;
			}
			const head = readPart(file, {offset: part.offset, size: Math.min(4, part.size)});
			const compression: ImageLayer['compression'] = head[0] === 0x1f && head[1] === 0x8b ? 'gzip' : head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd ? 'zstd' : 'none';
			const layer: ImageLayer = {index, id: layerId(name), compression, files: 0, bytes: part.size, searched: false};
			layers.push(layer);
			if (compression === 'zstd') {
				warnings.push(`Layer ${index} (${layer.id}) is zstd-compressed, which this Node cannot read: not searched. Save the image again with gzip or no compression layers.`);
				continue;
			}
			const inLayer: ImageHit[] = [];
			// Whiteouts and files in this layer that remove or replace what an earlier layer held.
			// A whiteout removes the path and everything below it (an opaque one: everything below its
			// folder); an entry at the very path replaces it (a folder's own entry replaces nothing below).
			const removes = (target: string, how: 'whiteout' | 'replaced', opaque = false) => {
				for (const hit of hitsHere) {
					if (hit.removed) continue;
					const below = hit.path.startsWith(`${target}/`);
					if (how === 'replaced' ? hit.path === target : opaque ? below : hit.path === target || below) hit.removed = {layer: index, how};
				}
			};
			const reader = new TarReader(
				entry => {
					layer.files++;
					return fileSearcher(needles, masked, hit => inLayer.push({layer: index, layerId: layer.id, path: entry.path, ...hit}));
				},
				entry => {
					const base = path.posix.basename(entry.path);
					if (!base.startsWith('.wh.')) {
						removes(entry.path.replace(/\/+$/, ''), 'replaced');
						return;
					}
					const folder = path.posix.dirname(entry.path);
					const opaque = base === '.wh..wh..opq';
					const target = opaque ? folder : path.posix.join(folder, base.slice(4));
					whiteoutCount++;
					if (whiteouts.length < 200) whiteouts.push({layer: index, path: opaque ? `${target}/ (opaque: everything below it)` : target});
					removes(target, 'whiteout', opaque);
				},
			);
			const stream = fs.createReadStream(file, {start: part.offset, end: part.offset + part.size - 1});
			try {
				const source = compression === 'gzip' ? stream.pipe(createGunzip()) : stream;
				if (compression === 'gzip') stream.on('error', error => source.destroy(error));
				for await (const chunk of source) reader.write(chunk as Buffer);
				reader.end();
				layer.searched = true;
			} catch (error) {
				stream.destroy();
				warnings.push(`Layer ${index} (${layer.id}) could not be read whole (${(error as Error).message}): what it held before that point is reported.`);
			}
			// The file a whiteout names is the `.wh.` entry itself, never a hit; a hit's own layer never removes it.
			hitsHere.push(...inLayer);
			hits.push(...inLayer);
		}
	}
	return {source, tags, layers, hits, whiteouts, whiteoutCount, warnings, durationMs: Date.now() - started};
}

/** The container engine on PATH: docker, else podman (never from the current folder). */
export function containerEngine(): string {
	for (const name of ['docker', 'podman']) {
		try {
			resolveBinary(name);
			return name;
		} catch {}
	}
	throw new UserError('Neither docker nor podman was found on PATH: leakfix exports the image with one of them.', 'Install one, or save the image elsewhere (docker save IMAGE -o FILE) and run leakfix scan --tar FILE.');
}

/**
 * Exports `image` with the user's docker (or podman) into a 0600 file in a private temp folder
 * (`docker save IMAGE`, its output straight to that file), searches it, and removes it.
 */
export async function scanImage(image: string, key: string, options: {signal?: AbortSignal} = {}): Promise<ImageScan> {
	if (image === '' || image.startsWith('-') || /[\s\u0000-\u001f]/.test(image)) throw new UserError(`--image ${JSON.stringify(image)}: not an image name.`, 'Example: leakfix scan --image registry.example.com/shop/api:1.4 --key-stdin');
	const engine = containerEngine();
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'leakfix-image-'));
	fs.chmodSync(folder, 0o700);
	const file = path.join(folder, 'image.tar');
	try {
		fs.closeSync(fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600));
		const saved = await runToFile(engine, ['save', image], file, options.signal ? {signal: options.signal} : {});
		if (options.signal?.aborted) throw new UserError('Scan cancelled.');
		if (saved.exitCode !== 0) throw new ExternalError(`${engine} save failed (exit ${saved.exitCode}): the image could not be exported`, `${engine} save ${image}`, saved.stderr.slice(-2000));
		return await scanImageTar(file, key, {kind: 'image', name: image, engine});
	} finally {
		fs.rmSync(folder, {recursive: true, force: true});
	}
}
