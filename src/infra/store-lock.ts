// An incident's lock: a file made exclusively beside the session, naming the process that holds
// it; a lock whose holder is gone (dead, before the last boot, its pid reused) is taken over. One
// exit handler releases what this process still holds. Part of src/infra/store.ts.
import fs, {type Stats} from 'node:fs';
import os from 'node:os';
import {IoError, UserError} from './errors.js';
import {codeOf, createExclusive, hintFor, ioError, readFileNoFollow, reasonOf, type FileSystem} from './files.js';

export type Lock = {release(): void};

// One exit handler releases every lock this process still holds (a killed terminal, an error).
const heldLocks = new Set<() => void>();
let exitHookInstalled = false;
function onExitRelease(release: () => void): void {
	heldLocks.add(release);
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const held of heldLocks) held();
		});
	}
}

/** Who holds a lock. `start` and `boot` tell a live pid that was reused from the holder (Linux). */
type LockInfo = {pid: number; host: string; since: string; start?: string; boot?: string};

/** Which process a pid is now: its start time (clock ticks since boot) and the boot it belongs to. */
export type ProcessIdentity = {
	/** Field 22 of /proc/<pid>/stat; undefined where /proc is missing or the pid is gone. */
	startTime(pid: number): string | undefined;
	/** /proc/sys/kernel/random/boot_id; undefined where it is missing. */
	bootId(): string | undefined;
};

export const procIdentity: ProcessIdentity = {
	startTime(pid) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			// "pid (comm) state ppid …": comm may hold spaces and parentheses; fields count from after its last ')'.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const start = fields[22 - 3];
			return start && /^\d+$/.test(start) ? start : undefined;
		} catch {
			return undefined;
		}
	},
	bootId() {
		try {
			return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
		} catch {
			return undefined;
		}
	},
};

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Where a lock is taken: the file system, how a pid is told from a reused one, the clock, the folder a fix names. */
export type LockPlace = {files: FileSystem; proc: ProcessIdentity; now: () => Date; fixDir: string};

function readLock(lockFile: string, files: FileSystem, fixDir: string): LockInfo | undefined | 'gone' {
	let bytes: Buffer;
	try {
		bytes = readFileNoFollow(lockFile, files);
	} catch (error) {
		const code = codeOf(error);
		if (code === 'ENOENT') return 'gone';
		throw ioError('Cannot read the lock', lockFile, error, {fixDir});
	}
	try {
		const held = JSON.parse(bytes.toString('utf8')) as LockInfo;
		return typeof held?.pid === 'number' && typeof held.host === 'string' ? held : undefined;
	} catch {
		return undefined; // half-written (a full disk, a crash): nobody holds it
	}
}

/** A lock whose holder is gone: dead, from before the last boot, or its pid now another process's. */
function isStale(held: LockInfo | undefined, mine: LockInfo, proc: ProcessIdentity): boolean {
	if (!held) return true;
	if (held.host !== mine.host) return false;
	if (held.boot !== undefined && mine.boot !== undefined && held.boot !== mine.boot) return true;
	if (!isAlive(held.pid)) return true;
	if (held.start !== undefined) {
		const now = proc.startTime(held.pid);
		if (now !== undefined && now !== held.start) return true;
	}
	return false;
}

/**
 * Takes the incident's lock, or refuses with a message naming the process that holds it.
 * A lock left by a process that no longer runs (a killed terminal, a reboot, a pid now used by
 * another process) is taken over.
 */
export function takeLock(id: string, lockFile: string, {files, proc, now, fixDir}: LockPlace): Lock {
	const start = proc.startTime(process.pid);
	const boot = proc.bootId();
	const mine: LockInfo = {pid: process.pid, host: os.hostname(), since: now().toISOString(), ...(start === undefined ? {} : {start}), ...(boot === undefined ? {} : {boot})};
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			createExclusive(lockFile, JSON.stringify(mine), 0o600, files);
			let released = false;
			const release = (): void => {
				if (released) return;
				released = true;
				heldLocks.delete(release);
				try {
					const held = readLock(lockFile, files, fixDir);
					if (typeof held === 'object' && held.pid === mine.pid && held.host === mine.host) files.unlinkSync(lockFile);
				} catch {}
			};
			onExitRelease(release);
			return {release};
		} catch (error) {
			if (codeOf(error) !== 'EEXIST') throw ioError(`Cannot take the lock for incident ${id} at`, lockFile, error, {fixDir, after: 'Nothing was opened.'});
		}
		let stat: Stats | undefined;
		try {
			stat = files.lstatSync(lockFile);
		} catch {}
		if (stat?.isSymbolicLink()) {
			throw new IoError(`The lock of incident ${id} (${lockFile}) is a symbolic link, not a lock leakfix wrote.`, hintFor('ELOOP', lockFile), reasonOf({code: 'ELOOP'}), 'ELOOP', lockFile);
		}
		const held = readLock(lockFile, files, fixDir);
		if (held === 'gone') continue;
		if (!isStale(held, mine, proc)) {
			throw new UserError(
				`Incident ${id} is open in another leakfix process (pid ${held!.pid} on ${held!.host}, since ${held!.since}).`,
				'Finish or quit it there first. If that process is gone from another machine, delete ' + lockFile + '.',
			);
		}
		try {
			files.unlinkSync(lockFile);
		} catch (error) {
			if (codeOf(error) !== 'ENOENT') throw ioError(`Cannot remove the stale lock of incident ${id} at`, lockFile, error, {fixDir});
		}
	}
	throw new UserError(`Could not take the lock for incident ${id}.`, `Try again; if it persists, delete ${lockFile}.`);
}
