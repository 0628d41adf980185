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
import {type EntrySink, indexArchive, type OuterIndex, readPart, TarReader} from './tar.js';

export {parseTarHeader, TarReader, type EntrySink} from './tar.js';

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
