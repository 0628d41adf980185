// Safe file writing and reading: a file leakfix writes is whole or it was not written, and no
// file is ever written or read through a final symbolic link.
//
// writeFileWhole: a temp file in the same folder, created exclusive and without following links
// (O_CREAT|O_EXCL|O_NOFOLLOW), every byte written (writeSync is called until all of them are in:
// on a nearly full disk write() takes part of a buffer, then fails), its mode set on the
// descriptor, fsync, rename over the target, fsync of the folder. On any failure before the rename
// the target is untouched and the temp file removed. A target that is a symbolic link (or not a
// regular file) is refused; rename never follows a link, so a link planted after the check is
// replaced, never written through.
//
// Every call goes through a `FileSystem` (node:fs by default) so tests can inject ENOSPC, EIO,
// EACCES, EROFS or short writes at any step.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {IoError} from './errors.js';

export type FileSystem = Pick<
	typeof fs,
	'openSync' | 'writeSync' | 'readSync' | 'fsyncSync' | 'fchmodSync' | 'fstatSync' | 'closeSync' | 'renameSync' | 'unlinkSync' | 'lstatSync' | 'readdirSync' | 'mkdirSync' | 'accessSync'
>;

export const nodeFs: FileSystem = fs;

const {O_WRONLY, O_RDONLY, O_CREAT, O_EXCL} = fs.constants;
// Not defined on Windows, where links need privileges to make: no flag there.
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = fs.constants.O_DIRECTORY ?? 0;
// A FIFO planted at a path would block open() until a writer came: never wait, then refuse it.
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

export function codeOf(error: unknown): string | undefined {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return typeof code === 'string' ? code : undefined;
}

function errno(code: string, message: string): NodeJS.ErrnoException {
	return Object.assign(new Error(`${code}: ${message}`), {code});
}

/** Short words for what went wrong, with the code: "the disk is full (ENOSPC)". */
export function reasonOf(error: unknown): string {
	const code = codeOf(error);
	const words: Record<string, string> = {
		ENOSPC: 'the disk is full',
		EDQUOT: 'the disk quota is used up',
		EACCES: 'permission denied',
		EPERM: 'operation not permitted',
		EROFS: 'the file system is read-only',
		EIO: 'the disk reported an I/O error',
		ELOOP: 'it is a symbolic link',
		EISDIR: 'it is a folder',
		ENOTDIR: 'a part of the path is not a folder',
		ENOENT: 'it does not exist',
		EMFILE: 'too many open files',
		ENFILE: 'too many open files',
		ENAMETOOLONG: 'the name is too long',
		ESHORT: 'the disk took no more bytes',
		ENOTREG: 'it is not a regular file',
	};
	// ESHORT and ENOTREG are ours, not the system's: no code to look up.
	if (code === 'ESHORT' || code === 'ENOTREG') return words[code]!;
	if (code && words[code]) return `${words[code]} (${code})`;
	return code ?? (error instanceof Error ? error.message : String(error));
}

/** What to do about it. `fixDir` is the folder to hand back to the user (sessions: leakfix's home). */
export function hintFor(code: string | undefined, file: string, fixDir = path.dirname(file)): string | undefined {
	switch (code) {
		case 'ENOSPC':
		case 'EDQUOT':
		case 'ESHORT': {
			return `Free some space on the disk that holds ${fixDir}, then try again.`;
		}

		case 'EACCES':
		case 'EPERM': {
			return `If an earlier \`sudo leakfix\` left these files owned by root, give them back: sudo chown -R $USER ${fixDir}`;
		}

		case 'EROFS': {
			return `${fixDir} is on a read-only file system: set LEAKFIX_HOME to a folder you can write to.`;
		}

		case 'EIO': {
			return 'Check the disk (dmesg shows its errors) and copy your incidents somewhere safe.';
		}

		case 'ELOOP': {
			return `leakfix never writes or reads through a symbolic link. Look at where ${file} points; remove the link (rm ${file}) if you did not make it.`;
		}

		case 'ENOTREG':
		case 'EISDIR': {
			return `Move ${file} out of the way, or choose another path.`;
		}

		default: {
			return undefined;
		}
	}
}

/** An IoError for `action` ("Cannot write", "Cannot read") on `file`, with the reason and the fix. */
export function ioError(action: string, file: string, error: unknown, options: {fixDir?: string; after?: string} = {}): IoError {
	if (error instanceof IoError) return error;
	const code = codeOf(error);
	const reason = reasonOf(error);
	return new IoError(`${action} ${file}: ${reason}.${options.after ? ` ${options.after}` : ''}`, hintFor(code, file, options.fixDir), reason, code, file);
}

const TEMP = /^\.(.+)\.(\d+)\.([0-9a-f]{8})\.tmp$/;

/** The temp file's name for a target: hidden, in the same folder, with our pid. */
function tempFor(file: string): string {
	return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** A temp file left by writeFileWhole (a crash between create and rename): its target and writer. */
export function parseTempName(name: string): {target: string; pid: number} | undefined {
	const match = TEMP.exec(name);
	return match ? {target: match[1]!, pid: Number(match[2])} : undefined;
}

/** Refuses a target that is a symbolic link or not a regular file; fine when it does not exist. */
function checkTarget(file: string, fsys: FileSystem): void {
	let stat: fs.Stats;
	try {
		stat = fsys.lstatSync(file);
	} catch (error) {
		if (codeOf(error) === 'ENOENT') return;
		throw error;
	}
	if (stat.isSymbolicLink()) throw errno('ELOOP', `${file} is a symbolic link`);
	if (stat.isDirectory()) throw errno('EISDIR', `${file} is a folder`);
	if (!stat.isFile()) throw errno('ENOTREG', `${file} is not a regular file`);
}

/** Writes every byte of `data` at the descriptor's position, or throws. */
export function writeAll(fd: number, data: Uint8Array, fsys: FileSystem = nodeFs): void {
	let offset = 0;
	while (offset < data.length) {
		const written = fsys.writeSync(fd, data, offset, data.length - offset);
		if (!(written > 0)) throw errno('ESHORT', `wrote ${offset} of ${data.length} bytes`);
		offset += written;
	}
}

function closeQuietly(fd: number | undefined, fsys: FileSystem): void {
	if (fd === undefined) return;
	try {
		fsys.closeSync(fd);
	} catch {}
}

function unlinkQuietly(file: string, fsys: FileSystem): void {
	try {
		fsys.unlinkSync(file);
	} catch {}
}

/** fsync of the folder, so the rename itself survives a power cut. Where a folder cannot be opened or synced (some file systems, Windows), skipped; a disk error is not. */
function syncFolder(dir: string, fsys: FileSystem): void {
	let fd: number | undefined;
	try {
		fd = fsys.openSync(dir, O_RDONLY | O_DIRECTORY);
		fsys.fsyncSync(fd);
	} catch (error) {
		const code = codeOf(error);
		if (code === 'EIO' || code === 'ENOSPC' || code === 'EDQUOT') throw error;
	} finally {
		closeQuietly(fd, fsys);
	}
}

export type WriteOptions = {
	/** The file's mode, set on the descriptor (the umask cannot widen or narrow it). */
	mode: number;
	fs?: FileSystem;
	/** The folder named in a hint (default: the file's folder). */
	fixDir?: string;
};

/**
 * Writes `data` to `file` whole, or throws an IoError and leaves `file` as it was. Refuses a
 * symbolic link or a non-regular file at `file`.
 */
export function writeFileWhole(file: string, data: string | Uint8Array, options: WriteOptions): void {
	const fsys = options.fs ?? nodeFs;
	const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
	const fail = (error: unknown, after = 'Nothing was changed: the file holds what it held before.') => ioError('Cannot write', file, error, {...(options.fixDir === undefined ? {} : {fixDir: options.fixDir}), after});
	const temp = tempFor(file);
	let fd: number | undefined;
	let created = false;
	try {
		checkTarget(file, fsys);
		fd = fsys.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, options.mode);
		created = true;
		fsys.fchmodSync(fd, options.mode);
		writeAll(fd, bytes, fsys);
		fsys.fsyncSync(fd);
		const closing = fd;
		fd = undefined;
		fsys.closeSync(closing);
		fsys.renameSync(temp, file);
		created = false;
	} catch (error) {
		closeQuietly(fd, fsys);
		if (created) unlinkQuietly(temp, fsys);
		throw fail(error);
	}
	try {
		syncFolder(path.dirname(file), fsys);
	} catch (error) {
		throw fail(error, 'The new file is in place, but the disk did not confirm it.');
	}
}

/**
 * Reads a whole regular file without following a final symbolic link (ELOOP if it is one). Throws
 * the raw errno error: the caller decides what it means.
 */
export function readFileNoFollow(file: string, fsys: FileSystem = nodeFs): Buffer {
	const fd = fsys.openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
	try {
		if (!fsys.fstatSync(fd).isFile()) throw errno('ENOTREG', `${file} is not a regular file`);
		const chunks: Buffer[] = [];
		for (;;) {
			const chunk = Buffer.allocUnsafe(64 * 1024);
			const read = fsys.readSync(fd, chunk, 0, chunk.length, null);
			if (read === 0) break;
			chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
		}
		return Buffer.concat(chunks);
	} finally {
		closeQuietly(fd, fsys);
	}
}

/**
 * Creates `file` exclusively (never through a link) and writes all of `data`; a failed write
 * removes it again. Throws the raw errno error (EEXIST when it is there: a lock is held).
 */
export function createExclusive(file: string, data: string, mode: number, fsys: FileSystem = nodeFs): void {
	const fd = fsys.openSync(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
	try {
		writeAll(fd, Buffer.from(data, 'utf8'), fsys);
	} catch (error) {
		closeQuietly(fd, fsys);
		unlinkQuietly(file, fsys);
		throw error;
	}
	fsys.closeSync(fd);
}
