// The store on a hostile machine (issue 12): a nearly full disk, files it cannot read, a read-only
// home, planted symbolic links, a lock whose pid now belongs to another process. Real small file
// systems (tmpfs, mounted as root; skipped with a message where mounting is refused), real users
// (setpriv to nobody), and an injected fs for the failures a real disk will not stage on demand.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {IoError} from '../../src/infra/errors.js';
import type {FileSystem} from '../../src/infra/files.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {procIdentity, SessionStore, UnreadableSessionError, type ProcessIdentity} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

const BIN = path.resolve('bin/leakfix.js');
const NOBODY = 65_534;

const mounted: string[] = [];
const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => {
	for (const dir of mounted.splice(0)) {
		try {
			execFileSync('umount', [dir], {stdio: 'pipe'});
		} catch {}
	}
	for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A fresh tmpfs of `sizeK` KiB, or the reason it could not be mounted. */
function tmpfs(sizeK: number): {dir: string} | {skip: string} {
	const dir = tempDir('leakfix-tmpfs-');
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeK}k,mode=0755`, 'tmpfs', dir], {stdio: 'pipe'});
	} catch (error) {
		return {skip: `mounting a tmpfs was refused here (${String((error as {stderr?: Buffer}).stderr ?? (error as Error).message).trim()})`};
	}
	mounted.push(dir);
	return {dir};
}

/** Fills the file system that holds `dir` until about `leaveBytes` are free. */
function fill(dir: string, leaveBytes: number): number {
	const {bavail, bsize} = fs.statfsSync(dir);
	const free = Number(bavail) * Number(bsize);
	if (free > leaveBytes) fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(free - leaveBytes, 1));
	const after = fs.statfsSync(dir);
	return Number(after.bavail) * Number(after.bsize);
}

const NOW = () => new Date('2026-11-27T12:00:00Z');
function storeIn(dir: string, options: ConstructorParameters<typeof SessionStore>[3] = {}, secrets: string[] = []) {
	return new SessionStore(dir, createRedactor(secrets), NOW, options);
}

function errnoError(code: string): NodeJS.ErrnoException {
	return Object.assign(new Error(`${code}: injected`), {code});
}

/** node:fs with some calls replaced. */
function injected(overrides: Partial<Record<keyof FileSystem, (...args: never[]) => unknown>>): FileSystem {
	return {...fs, ...overrides} as unknown as FileSystem;
}

const isTemp = (file: unknown) => typeof file === 'string' && path.basename(file).endsWith('.tmp');

function caught(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	throw new Error('expected a throw');
}

/** The session after a long note: bigger than what a nearly full disk has left. */
function withLongNote(session: ReturnType<typeof makeSession>, bytes: number) {
	return transition(session, {type: 'item.noted', step: 'assess', item: 'confirm-key', note: 'n'.repeat(bytes), at: '2026-11-27T12:05:00.000Z'});
}

function leakfixAs(uid: number | undefined, args: string[], home: string) {
	const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
	delete env.CI;
	const command = uid === undefined ? [process.execPath, BIN, ...args] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, BIN, ...args];
	const result = spawnSync(command[0]!, command.slice(1), {env, encoding: 'utf8', cwd: '/'});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** Why running as another user cannot be tested here, or undefined when it can. */
function cannotSwitchUser(): string | undefined {
	if (process.getuid?.() !== 0) return 'not root: cannot run a command as another user';
	const probe = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'true']);
	return probe.status === 0 ? undefined : 'setpriv is missing or refused here';
}

const expectNoStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('a save is whole or it did not happen (break 1)', () => {
	it('on a real 300 KB tmpfs with ~14 KB free: ENOSPC, the old file byte for byte as it was, no temp left; saved once there is room', ctx => {
		const fsys = tmpfs(300);
		if ('skip' in fsys) return ctx.skip(fsys.skip);
		const store = storeIn(path.join(fsys.dir, 'incidents'));
		const session = makeSession(fakeCloudSightKey());
		store.save(session);
		const before = fs.readFileSync(store.fileOf(session.id));
		const free = fill(fsys.dir, 14 * 1024);
		expect(free).toBeGreaterThanOrEqual(12 * 1024);
		expect(free).toBeLessThanOrEqual(16 * 1024);
		const bigger = withLongNote(session, 40 * 1024);

		const error = caught(() => store.save(bigger));
		expect(error).toBeInstanceOf(IoError);
		expect(error).toMatchObject({code: 'ENOSPC', reason: 'the disk is full (ENOSPC)'});
		expect((error as IoError).message).toContain('Nothing was changed');
		expect((error as IoError).hint).toContain('Free some space');
		expect(fs.readFileSync(store.fileOf(session.id)).equals(before)).toBe(true);
		expect(fs.readdirSync(store.dir)).toEqual([path.basename(store.fileOf(session.id))]);
		expect(store.list()).toMatchObject({sessions: [session], quarantined: [], unreadable: []});

		fs.rmSync(path.join(fsys.dir, 'filler'));
		store.save(bigger);
		expect(store.load(session.id)).toEqual(bigger);
	});

	it.each([
		['ENOSPC after a short write', 'writeSync', 'ENOSPC', 'the disk is full (ENOSPC)', /Free some space/],
		['EIO at fsync', 'fsyncSync', 'EIO', 'the disk reported an I/O error (EIO)', /dmesg/],
		['EACCES at open', 'openSync', 'EACCES', 'permission denied (EACCES)', /sudo chown -R \$USER /],
		['EROFS at rename', 'renameSync', 'EROFS', 'the file system is read-only (EROFS)', /LEAKFIX_HOME/],
	] as const)('%s: an IoError with the reason and the fix; the old file untouched; the temp file removed', (_name, call, code, reason, hint) => {
		const dir = path.join(tempDir(), 'incidents');
		const session = makeSession(fakeCloudSightKey());
		storeIn(dir).save(session);
		const before = fs.readFileSync(path.join(dir, `incident-${session.id}.json`));
		let writes = 0;
		const faults = {
			writeSync: (fd: number, data: Uint8Array, offset: number, length: number) => {
				// Like a nearly full disk: part of the buffer is taken, then nothing more.
				if (writes++ === 0) return fs.writeSync(fd, data, offset, Math.min(length, 100));
				throw errnoError(code);
			},
			fsyncSync: () => {
				throw errnoError(code);
			},
			openSync: (file: string, ...rest: unknown[]) => {
				if (isTemp(file)) throw errnoError(code);
				return (fs.openSync as (...args: unknown[]) => number)(file, ...rest);
			},
			renameSync: () => {
				throw errnoError(code);
			},
		};
		const store = storeIn(dir, {fs: injected({[call]: faults[call]})});
		const error = caught(() => store.save(withLongNote(session, 1000)));
		expect(error).toBeInstanceOf(IoError);
		expect(error).toMatchObject({code, reason});
		expect((error as IoError).message).toContain(`Cannot write ${path.join(dir, `incident-${session.id}.json`)}: ${reason}. Nothing was changed`);
		expect((error as IoError).hint).toMatch(hint);
		expect(fs.readFileSync(path.join(dir, `incident-${session.id}.json`)).equals(before)).toBe(true);
		expect(fs.readdirSync(dir)).toEqual([`incident-${session.id}.json`]);
	});

	it('a disk that takes a few bytes per write still gets the whole file (every byte is checked)', () => {
		const dir = path.join(tempDir(), 'incidents');
		const store = storeIn(dir, {fs: injected({writeSync: (fd: number, data: Uint8Array, offset: number, length: number) => fs.writeSync(fd, data, offset, Math.min(length, 7))})});
		const session = withLongNote(makeSession(fakeCloudSightKey()), 5000);
		store.save(session);
		expect(storeIn(dir).load(session.id)).toEqual(session);
		expect(fs.statSync(store.fileOf(session.id)).mode & 0o777).toBe(0o600);
	});

	it('removes temp files a crash left behind on list and load, and keeps a live writer\'s', async () => {
		const dir = path.join(tempDir(), 'incidents');
		const session = makeSession(fakeCloudSightKey());
		storeIn(dir).save(session);
		const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'});
		const deadPid = Number(dead.stdout.trim());
		const crashed = `.incident-${session.id}.json.${deadPid}.0badc0de.tmp`;
		const inFlight = `.incident-${session.id}.json.${process.ppid}.0000beef.tmp`;
		const oldConf = `incident-${session.id}.json.tmp-1234567890abc`;
		for (const name of [crashed, inFlight, oldConf]) fs.writeFileSync(path.join(dir, name), '{"partial');
		const old = new Date(Date.now() - 3_600_000);
		fs.utimesSync(path.join(dir, oldConf), old, old);
		expect(storeIn(dir).list().sessions).toEqual([session]);
		expect(fs.readdirSync(dir).sort()).toEqual([inFlight, `incident-${session.id}.json`].sort());

		fs.writeFileSync(path.join(dir, crashed), '{"partial');
		expect(storeIn(dir).load(session.id)).toEqual(session);
		expect(fs.readdirSync(dir)).not.toContain(crashed);
	});
});

describe('I/O errors are reported as I/O errors, never as corruption (break 5)', () => {
	it('a session file owned by root (after a sudo leakfix) is listed by a user as unreadable with the chown fix, exit 2, never moved aside', ctx => {
		const why = cannotSwitchUser();
		if (why) return ctx.skip(why);
		const home = tempDir();
		const store = storeIn(sessionsDir(home));
		const mine = makeSession(fakeCloudSightKey());
		const roots = {...makeSession(fakeCloudSightKey()), id: '20261126-0000', name: 'made with sudo'};
		store.save(mine);
		store.save(roots);
		fs.chmodSync(home, 0o755);
		for (const entry of [home, store.dir, store.fileOf(mine.id)]) fs.chownSync(entry, NOBODY, NOBODY);

		const listed = leakfixAs(NOBODY, ['list'], home);
		expect(listed.code).toBe(2);
		expectNoStack(listed.stdout + listed.stderr);
		expect(listed.stdout).toContain(`! incident ${roots.id} cannot be read: permission denied (EACCES); the file ${store.fileOf(roots.id)} was left as it is.`);
		expect(listed.stdout).toContain(`sudo chown -R $USER ${home}`);
		expect(listed.stdout).toMatch(new RegExp(`^${mine.id} +open`, 'm'));
		expect(fs.readdirSync(store.dir).sort()).toEqual([`incident-${roots.id}.json`, `incident-${mine.id}.json`].sort());

		const json = JSON.parse(leakfixAs(NOBODY, ['list', '--json'], home).stdout);
		expect(json.unreadable).toEqual([expect.objectContaining({id: roots.id, reason: 'permission denied (EACCES)'})]);
		expect(json.quarantined).toEqual([]);

		const report = leakfixAs(NOBODY, ['report', roots.id], home);
		expect(report.code).toBe(2);
		expect(report.stderr).toContain(`leakfix: Incident ${roots.id} cannot be read: permission denied (EACCES).`);
		expect(report.stderr).toContain('sudo chown -R $USER');
		expectNoStack(report.stderr);
	});

	it('the same with an injected EACCES (runs as any user): unreadable, left in place, not quarantined', () => {
		const dir = path.join(tempDir(), 'incidents');
		const session = makeSession(fakeCloudSightKey());
		storeIn(dir).save(session);
		const store = storeIn(dir, {
			fs: injected({
				openSync: (file: string, ...rest: unknown[]) => {
					if (path.basename(file) === `incident-${session.id}.json`) throw errnoError('EACCES');
					return (fs.openSync as (...args: unknown[]) => number)(file, ...rest);
				},
			}),
		});
		expect(store.list()).toMatchObject({sessions: [], quarantined: [], unreadable: [{id: session.id, reason: 'permission denied (EACCES)', hint: expect.stringContaining('sudo chown -R $USER')}]});
		const error = caught(() => store.load(session.id));
		expect(error).toBeInstanceOf(UnreadableSessionError);
		expect(fs.readdirSync(dir)).toEqual([`incident-${session.id}.json`]);
	});

	it('a read-only home: list and report work for its user (read-only), report --out says why with exit 2, no stack', ctx => {
		const why = cannotSwitchUser();
		if (why) return ctx.skip(why);
		const home = tempDir();
		const store = storeIn(sessionsDir(home));
		const session = makeSession(fakeCloudSightKey());
		store.save(session);
		fs.chmodSync(home, 0o755);
		fs.chmodSync(store.dir, 0o755);
		fs.chmodSync(store.fileOf(session.id), 0o644);
		// A crash's temp file the user cannot remove: harmless, never read.
		fs.writeFileSync(path.join(store.dir, `.incident-${session.id}.json.999999999.0badc0de.tmp`), '{');

		const listed = leakfixAs(NOBODY, ['list'], home);
		expect(listed).toMatchObject({code: 0, stderr: ''});
		expect(listed.stdout).toMatch(new RegExp(`^${session.id} +open`, 'm'));
		const report = leakfixAs(NOBODY, ['report'], home);
		expect(report.code).toBe(0);
		expect(report.stdout).toContain(session.name);
		const out = leakfixAs(NOBODY, ['report', '--out', path.join(home, 'report.md')], home);
		expect(out.code).toBe(2);
		expect(out.stderr).toContain(`Cannot write ${path.join(home, 'report.md')}: permission denied (EACCES)`);
		expectNoStack(out.stderr);
	});

	it('a read-only file system: list reads, a save and a lock say "read-only" with the fix', ctx => {
		const fsys = tmpfs(300);
		if ('skip' in fsys) return ctx.skip(fsys.skip);
		const store = storeIn(path.join(fsys.dir, 'incidents'));
		const session = makeSession(fakeCloudSightKey());
		store.save(session);
		execFileSync('mount', ['-o', 'remount,ro', fsys.dir], {stdio: 'pipe'});
		expect(store.list()).toMatchObject({sessions: [session], unreadable: []});
		const saving = caught(() => store.save(withLongNote(session, 10)));
		expect(saving).toBeInstanceOf(IoError);
		expect((saving as IoError).reason).toBe('the file system is read-only (EROFS)');
		const locking = caught(() => store.lock(session.id));
		expect(locking).toBeInstanceOf(IoError);
		expect((locking as IoError).hint).toMatch(/read-only file system: set LEAKFIX_HOME/);
	});

	it('a full disk: taking the lock (what resume does first) says the disk is full, and leaves no lock file', ctx => {
		const fsys = tmpfs(300);
		if ('skip' in fsys) return ctx.skip(fsys.skip);
		const store = storeIn(path.join(fsys.dir, 'incidents'));
		const session = makeSession(fakeCloudSightKey());
		store.save(session);
		fill(fsys.dir, 0);
		const error = caught(() => store.lock(session.id));
		expect(error).toBeInstanceOf(IoError);
		expect(error).toMatchObject({code: 'ENOSPC'});
		expect((error as IoError).message).toMatch(/^Cannot take the lock for incident 20261127-abcd at .*incident-20261127-abcd\.lock: the disk is full \(ENOSPC\)\. Nothing was opened\.$/);
		expect(fs.readdirSync(store.dir)).toEqual([`incident-${session.id}.json`]);
	});

	it('a file that is not a session and cannot be moved aside is listed as unreadable, not lost', () => {
		const dir = path.join(tempDir(), 'incidents');
		fs.mkdirSync(dir, {recursive: true});
		fs.writeFileSync(path.join(dir, 'incident-20261126-dead.json'), '{"trunc');
		const store = storeIn(dir, {
			fs: injected({
				renameSync: () => {
					throw errnoError('EACCES');
				},
			}),
		});
		expect(store.list()).toMatchObject({quarantined: [], unreadable: [{id: '20261126-dead', reason: 'not valid JSON, and it could not be moved aside: permission denied (EACCES)'}]});
	});
});

describe('symbolic links are never followed (break 6)', () => {
	it('a link planted at an incident\'s file: the save is refused and the file it points to is untouched', () => {
		const dir = path.join(tempDir(), 'incidents');
		const store = storeIn(dir);
		const session = makeSession(fakeCloudSightKey());
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		const outside = path.join(tempDir(), 'elsewhere.json');
		fs.writeFileSync(outside, 'precious', {mode: 0o644});
		fs.symlinkSync(outside, store.fileOf(session.id));
		const error = caught(() => store.save(session));
		expect(error).toBeInstanceOf(IoError);
		expect((error as IoError).message).toBe(`Cannot write ${store.fileOf(session.id)}: it is a symbolic link (ELOOP). Nothing was changed: the file holds what it held before.`);
		expect((error as IoError).hint).toContain('never writes or reads through a symbolic link');
		expect(fs.readFileSync(outside, 'utf8')).toBe('precious');
		expect(fs.statSync(outside).mode & 0o777).toBe(0o644);
		expect(fs.lstatSync(store.fileOf(session.id)).isSymbolicLink()).toBe(true);
	});

	it('a link at an incident\'s file is listed as unreadable; neither the link nor its target is moved', () => {
		const dir = path.join(tempDir(), 'incidents');
		const store = storeIn(dir);
		const session = makeSession(fakeCloudSightKey());
		store.save(session);
		const outside = path.join(tempDir(), 'copy.json');
		fs.renameSync(store.fileOf(session.id), outside);
		fs.symlinkSync(outside, store.fileOf(session.id));
		expect(store.list()).toMatchObject({sessions: [], quarantined: [], unreadable: [{id: session.id, reason: 'it is a symbolic link (ELOOP)'}]});
		expect(fs.lstatSync(store.fileOf(session.id)).isSymbolicLink()).toBe(true);
		expect(fs.existsSync(outside)).toBe(true);
	});

	it('a FIFO planted at an incident\'s file is listed as unreadable at once (open never waits for a writer)', () => {
		const dir = path.join(tempDir(), 'incidents');
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		execFileSync('mkfifo', [path.join(dir, 'incident-20261127-f1f0.json')]);
		expect(storeIn(dir).list()).toMatchObject({sessions: [], quarantined: [], unreadable: [{id: '20261127-f1f0', reason: 'it is not a regular file'}]});
	});

	it('a link at the lock file is refused with a message, and its target untouched', () => {
		const dir = path.join(tempDir(), 'incidents');
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		const outside = path.join(tempDir(), 'target');
		fs.writeFileSync(outside, 'precious');
		fs.symlinkSync(outside, path.join(dir, 'incident-20261127-abcd.lock'));
		const error = caught(() => storeIn(dir).lock('20261127-abcd'));
		expect(error).toBeInstanceOf(IoError);
		expect((error as IoError).message).toContain('is a symbolic link, not a lock leakfix wrote');
		expect(fs.readFileSync(outside, 'utf8')).toBe('precious');
	});

	it('the temp file and the lock are created exclusive and without following a link (O_EXCL|O_NOFOLLOW)', () => {
		const flags: Array<{file: string; flags: number}> = [];
		const dir = path.join(tempDir(), 'incidents');
		const store = storeIn(dir, {
			fs: injected({
				openSync: (file: string, flag: number, ...rest: unknown[]) => {
					flags.push({file: path.basename(file), flags: flag});
					return (fs.openSync as (...args: unknown[]) => number)(file, flag, ...rest);
				},
			}),
		});
		store.save(makeSession(fakeCloudSightKey()));
		store.lock('20261127-abcd').release();
		const {O_CREAT, O_EXCL, O_NOFOLLOW} = fs.constants;
		const wanted = O_CREAT | O_EXCL | O_NOFOLLOW;
		const temp = flags.find(entry => entry.file.endsWith('.tmp'));
		const lock = flags.find(entry => entry.file.endsWith('.lock'));
		expect(temp && (temp.flags & wanted) === wanted).toBe(true);
		expect(lock && (lock.flags & wanted) === wanted).toBe(true);
	});

	it('list and status name an incident whose file is a link (with the reason), and list exits 2', () => {
		const home = tempDir();
		const store = storeIn(sessionsDir(home));
		const session = makeSession(fakeCloudSightKey());
		store.save(session);
		const outside = path.join(tempDir(), 'moved.json');
		fs.renameSync(store.fileOf(session.id), outside);
		fs.symlinkSync(outside, store.fileOf(session.id));
		const listed = leakfixAs(undefined, ['list'], home);
		expect(listed.code).toBe(2);
		expect(listed.stdout).toContain(`! incident ${session.id} cannot be read: it is a symbolic link (ELOOP)`);
		expect(listed.stdout).toContain('No readable incidents.');
		const status = leakfixAs(undefined, ['status'], home);
		expect(status.stderr).toContain(`leakfix: note: incident ${session.id} cannot be read (it is a symbolic link (ELOOP)); its follow-ups are not counted.`);
		expectNoStack(status.stderr);
	});

	it('report --out through a planted link is refused (exit 2), the target keeps its bytes and mode', () => {
		const home = tempDir();
		const store = storeIn(sessionsDir(home));
		store.save(makeSession(fakeCloudSightKey()));
		const target = path.join(tempDir(), 'victim.txt');
		fs.writeFileSync(target, 'precious', {mode: 0o644});
		const link = path.join(tempDir(), 'report.md');
		fs.symlinkSync(target, link);
		const result = leakfixAs(undefined, ['report', '--out', link], home);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain(`Cannot write ${link}: it is a symbolic link (ELOOP)`);
		expectNoStack(result.stderr);
		expect(fs.readFileSync(target, 'utf8')).toBe('precious');
		expect(fs.statSync(target).mode & 0o777).toBe(0o644);
	});
});

describe('a lock whose pid now belongs to another process is stale (break 7)', () => {
	const lockOf = (dir: string) => path.join(dir, 'incident-20261127-abcd.lock');
	function planted(info: Record<string, unknown>) {
		const dir = path.join(tempDir(), 'incidents');
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		fs.writeFileSync(lockOf(dir), JSON.stringify({host: os.hostname(), since: '2026-11-27T11:00:00Z', ...info}));
		return dir;
	}
	const haveProc = procIdentity.startTime(1) !== undefined && procIdentity.bootId() !== undefined;

	it('records the holder\'s start time and boot id', ctx => {
		if (!haveProc) return ctx.skip('no /proc here');
		const dir = path.join(tempDir(), 'incidents');
		const lock = storeIn(dir).lock('20261127-abcd');
		expect(JSON.parse(fs.readFileSync(lockOf(dir), 'utf8'))).toMatchObject({pid: process.pid, start: procIdentity.startTime(process.pid), boot: procIdentity.bootId()});
		lock.release();
	});

	it('pid 1 (alive, unrelated) with another start time: taken over', ctx => {
		if (!haveProc) return ctx.skip('no /proc here');
		const dir = planted({pid: 1, start: String(Number(procIdentity.startTime(1)) + 12_345), boot: procIdentity.bootId()});
		const lock = storeIn(dir).lock('20261127-abcd');
		expect(JSON.parse(fs.readFileSync(lockOf(dir), 'utf8')).pid).toBe(process.pid);
		lock.release();
	});

	it('a live pid from before the last boot: taken over', ctx => {
		if (!haveProc) return ctx.skip('no /proc here');
		const dir = planted({pid: 1, start: procIdentity.startTime(1), boot: '00000000-0000-4000-8000-000000000000'});
		storeIn(dir).lock('20261127-abcd').release();
	});

	it('a live holder with its own start time is refused; the same pid with another start time is not', async ctx => {
		if (!haveProc) return ctx.skip('no /proc here');
		const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'});
		children.push(child);
		await new Promise(resolve => child.once('spawn', resolve));
		const start = procIdentity.startTime(child.pid!);
		const dir = planted({pid: child.pid, start, boot: procIdentity.bootId()});
		expect(() => storeIn(dir).lock('20261127-abcd')).toThrow(new RegExp(`open in another leakfix process \\(pid ${child.pid}`));
		fs.writeFileSync(lockOf(dir), JSON.stringify({pid: child.pid, host: os.hostname(), since: 'x', start: `${start}9`, boot: procIdentity.bootId()}));
		storeIn(dir).lock('20261127-abcd').release();
	});

	it('where /proc is missing, a live pid still holds the lock (today\'s behaviour)', () => {
		const noProc: ProcessIdentity = {startTime: () => undefined, bootId: () => undefined};
		const dir = planted({pid: 1, start: '1', boot: 'another-boot'});
		expect(() => storeIn(dir, {proc: noProc}).lock('20261127-abcd')).toThrow(/open in another leakfix process \(pid 1 /);
		const oldFormat = planted({pid: 1});
		expect(() => storeIn(oldFormat).lock('20261127-abcd')).toThrow(/pid 1 /);
	});
});
