// The tar format as `docker save` writes it: a streaming reader for a layer's entries (GNU long
// names and PAX paths applied), and the outer archive's index (headers read, data skipped), read
// from the file where each part lies.
import fs from 'node:fs';

/** One tar header: the entry's path (long names and PAX paths applied by the reader), size and type. */
export type TarEntry = {path: string; size: number; type: string; linkname: string};

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

export type OuterIndex = Map<string, {offset: number; size: number}>;

/** The outer archive's entries and where their bytes are (it is a file: headers read, data skipped). */
export function indexArchive(file: string): OuterIndex {
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

export function readPart(file: string, part: {offset: number; size: number}): Buffer {
	const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
	try {
		const bytes = Buffer.alloc(part.size);
		fs.readSync(fd, bytes, 0, part.size, part.offset);
		return bytes;
	} finally {
		fs.closeSync(fd);
	}
}
