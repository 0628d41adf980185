// Every file a multi-change action writes goes through one journal: it keeps the bytes (and mode)
// each file had before its first write, or that it did not exist, so a cancel or a failure part
// way restores every file byte for byte. Each write is a temp file in the same folder, renamed
// over the target (a reader never sees half a file).
import fs from 'node:fs';
import path from 'node:path';
import {writeAll} from '../../infra/files.js';

/** A new file (never an existing one, never through a link), every byte written and synced. */
function writeNew(file: string, bytes: Buffer, mode: number): void {
	const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode);
	try {
		writeAll(fd, bytes);
		fs.fsyncSync(fd);
	} catch (error) {
		fs.closeSync(fd);
		fs.rmSync(file, {force: true});
		throw error;
	}
	fs.closeSync(fd);
}

type Before = {file: string; bytes: Buffer | null; mode: number | null; createdDirs: string[]};

export class WriteJournal {
	private readonly before = new Map<string, Before>();
	/** Files written, in order (a file written twice is listed once). */
	readonly written: string[] = [];

	write(file: string, content: string, mode?: number): void {
		const absolute = path.resolve(file);
		if (!this.before.has(absolute)) {
			let bytes: Buffer | null = null;
			let previousMode: number | null = null;
			try {
				const stat = fs.lstatSync(absolute);
				if (stat.isSymbolicLink()) throw new Error(`${file} is a symbolic link: leakfix does not write through it`);
				bytes = fs.readFileSync(absolute);
				previousMode = stat.mode & 0o7777;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
			}
			const createdDirs: string[] = [];
			for (let dir = path.dirname(absolute); !fs.existsSync(dir); dir = path.dirname(dir)) createdDirs.push(dir);
			this.before.set(absolute, {file: absolute, bytes, mode: previousMode, createdDirs});
			this.written.push(absolute);
		}
		fs.mkdirSync(path.dirname(absolute), {recursive: true});
		const keep = this.before.get(absolute)!.mode;
		const temporary = `${absolute}.leakfix-${process.pid}.tmp`;
		writeNew(temporary, Buffer.from(content, 'utf8'), mode ?? keep ?? 0o644);
		try {
			if (mode !== undefined || keep !== null) fs.chmodSync(temporary, mode ?? keep!);
			fs.renameSync(temporary, absolute);
		} catch (error) {
			fs.rmSync(temporary, {force: true});
			throw error;
		}
	}

	/** Puts every file back as it was, newest first. Returns the files it could not restore. */
	rollback(): string[] {
		const failed: string[] = [];
		for (const entry of [...this.before.values()].reverse()) {
			try {
				if (entry.bytes === null) {
					fs.rmSync(entry.file, {force: true});
					for (const dir of entry.createdDirs) {
						try {
							fs.rmdirSync(dir);
						} catch {} // still holds another file this action wrote (removed later) or the user's
					}
				} else {
					const temporary = `${entry.file}.leakfix-${process.pid}.tmp`;
					fs.rmSync(temporary, {force: true});
					writeNew(temporary, entry.bytes, entry.mode ?? 0o644);
					fs.chmodSync(temporary, entry.mode ?? 0o644);
					fs.renameSync(temporary, entry.file);
				}
			} catch {
				failed.push(entry.file);
			}
		}
		this.before.clear();
		this.written.length = 0;
		return failed;
	}
}
