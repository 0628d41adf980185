// The session store: one conf file per incident, mode 0600, written atomically, checked against
// the session schema on load. A file that fails is moved aside and the user is told; other
// incidents are untouched. A lock file keeps a second process off an incident that is open.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import {SESSION_SCHEMA_VERSION, sessionSchema, type Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import {UserError} from './errors.js';

const FILE = /^incident-([a-z0-9-]+)\.json$/;

export type Quarantined = {id: string; file: string; movedTo: string; reason: string};

export class CorruptSessionError extends UserError {
	constructor(readonly quarantined: Quarantined) {
		super(
			`Incident ${quarantined.id} could not be read (${quarantined.reason}). The file was moved aside to ${quarantined.movedTo}; other incidents are untouched.`,
			'Look at the moved file if you need its contents; start a new incident for this leak with `leakfix`.',
		);
	}
}

/** A session written by a newer leakfix: left alone, and the user is told to upgrade. */
export class NewerSessionError extends UserError {
	constructor(
		readonly id: string,
		version: number,
	) {
		super(`Incident ${id} was saved by a newer leakfix (session version ${version}; this one reads ${SESSION_SCHEMA_VERSION}).`, 'Upgrade leakfix (npx leakfix@latest) to open it. The file was not changed.');
	}
}

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

type LockInfo = {pid: number; host: string; since: string};

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export class SessionStore {
	readonly dir: string;
	readonly #redactor: Redactor;
	readonly #confs = new Map<string, Conf<Record<string, unknown>>>();
	readonly #now: () => Date;

	constructor(dir: string, redactor: Redactor, now: () => Date = () => new Date()) {
		this.dir = dir;
		this.#redactor = redactor;
		this.#now = now;
	}

	#ensureDir(): void {
		try {
			fs.mkdirSync(this.dir, {recursive: true, mode: 0o700});
			fs.accessSync(this.dir, fs.constants.W_OK);
		} catch (error) {
			throw new UserError(
				`Cannot keep incidents in ${this.dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
				'Set LEAKFIX_HOME to a folder you can write to.',
			);
		}
	}

	/** Fails early, before the user answers anything, if incidents cannot be saved here. */
	checkWritable(): void {
		this.#ensureDir();
	}

	fileOf(id: string): string {
		return path.join(this.dir, `incident-${id}.json`);
	}

	#conf(id: string): Conf<Record<string, unknown>> {
		let conf = this.#confs.get(id);
		if (!conf) {
			this.#ensureDir();
			conf = new Conf<Record<string, unknown>>({
				cwd: this.dir,
				configName: `incident-${id}`,
				configFileMode: 0o600,
				clearInvalidConfig: false,
				accessPropertiesByDotNotation: false,
				watch: false,
			});
			this.#confs.set(id, conf);
		}
		return conf;
	}

	/** A new incident id: date + 4 random hex digits, unused in this store. */
	newId(): string {
		const date = this.#now().toISOString().slice(0, 10).replace(/-/g, '');
		for (;;) {
			const id = `${date}-${randomBytes(2).toString('hex')}`;
			if (!fs.existsSync(this.fileOf(id))) return id;
		}
	}

	/** Saves the whole session. Every string passes the redactor first: the file is a sink. */
	save(session: Session): void {
		const clean = this.#redactor.value(session);
		const checked = sessionSchema.parse(clean);
		this.#conf(session.id).store = checked as unknown as Record<string, unknown>;
	}

	#quarantine(id: string, reason: string): Quarantined {
		const file = this.fileOf(id);
		const stamp = this.#now().toISOString().replace(/[:.]/g, '-');
		const movedTo = `${file}.corrupt-${stamp}`;
		fs.renameSync(file, movedTo);
		this.#confs.delete(id);
		return {id, file, movedTo, reason};
	}

	/** Loads one incident; a file that fails to parse or fails the schema is moved aside. */
	load(id: string): Session {
		const file = this.fileOf(id);
		if (!fs.existsSync(file)) throw new UserError(`No incident ${id}.`, 'See `leakfix list` for the incidents on this machine.');
		let raw: unknown;
		try {
			raw = this.#conf(id).store;
		} catch (error) {
			const reason = error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message;
			throw new CorruptSessionError(this.#quarantine(id, reason));
		}
		const version = (raw as {schema?: unknown; version?: unknown} | null)?.version;
		if ((raw as {schema?: unknown} | null)?.schema === 'leakfix/session' && typeof version === 'number' && version > SESSION_SCHEMA_VERSION) {
			throw new NewerSessionError(id, version);
		}
		const parsed = sessionSchema.safeParse(raw);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
			throw new CorruptSessionError(this.#quarantine(id, `does not match the session schema${where}: ${issue.message}`));
		}
		if (parsed.data.id !== id) throw new CorruptSessionError(this.#quarantine(id, `holds incident ${parsed.data.id}, not ${id}`));
		return parsed.data;
	}

	/** Every readable incident, newest change first, and the ones that had to be moved aside. */
	list(): {sessions: Session[]; quarantined: Quarantined[]; newer: string[]} {
		let names: string[] = [];
		try {
			names = fs.readdirSync(this.dir);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {sessions: [], quarantined: [], newer: []};
			throw new UserError(`Cannot read the incidents in ${this.dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, 'Set LEAKFIX_HOME to the folder that holds them.');
		}
		const sessions: Session[] = [];
		const quarantined: Quarantined[] = [];
		const newer: string[] = [];
		for (const name of names) {
			const match = FILE.exec(name);
			if (!match) continue;
			try {
				sessions.push(this.load(match[1]!));
			} catch (error) {
				if (error instanceof CorruptSessionError) quarantined.push(error.quarantined);
				else if (error instanceof NewerSessionError) newer.push(error.message);
				else throw error;
			}
		}
		sessions.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
		return {sessions, quarantined, newer};
	}

	/** Finds an incident by id or unique id prefix. */
	resolveId(idOrPrefix: string): string {
		if (fs.existsSync(this.fileOf(idOrPrefix))) return idOrPrefix;
		let names: string[] = [];
		try {
			names = fs.readdirSync(this.dir);
		} catch {}
		const ids = names.map(name => FILE.exec(name)?.[1]).filter((id): id is string => id !== undefined && id.startsWith(idOrPrefix));
		if (ids.length === 1) return ids[0]!;
		if (ids.length > 1) throw new UserError(`"${idOrPrefix}" matches ${ids.length} incidents: ${ids.join(', ')}.`, 'Give more of the id.');
		throw new UserError(`No incident ${idOrPrefix}.`, 'See `leakfix list` for the incidents on this machine.');
	}

	/**
	 * Takes the incident's lock, or refuses with a message naming the process that holds it.
	 * A lock left by a process that no longer runs (a killed terminal) is taken over.
	 */
	lock(id: string): Lock {
		this.#ensureDir();
		const lockFile = path.join(this.dir, `incident-${id}.lock`);
		const mine: LockInfo = {pid: process.pid, host: os.hostname(), since: this.#now().toISOString()};
		for (let attempt = 0; attempt < 3; attempt++) {
			try {
				fs.writeFileSync(lockFile, JSON.stringify(mine), {flag: 'wx', mode: 0o600});
				let released = false;
				const release = (): void => {
					if (released) return;
					released = true;
					heldLocks.delete(release);
					try {
						const held = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockInfo;
						if (held.pid === mine.pid && held.host === mine.host) fs.unlinkSync(lockFile);
					} catch {}
				};
				onExitRelease(release);
				return {release};
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
			let held: LockInfo | undefined;
			try {
				held = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockInfo;
			} catch {
				// Unreadable or half-written lock: treat as stale.
			}
			const stale = !held || (held.host === mine.host && !isAlive(held.pid));
			if (!stale) {
				throw new UserError(
					`Incident ${id} is open in another leakfix process (pid ${held!.pid} on ${held!.host}, since ${held!.since}).`,
					'Finish or quit it there first. If that process is gone from another machine, delete ' + lockFile + '.',
				);
			}
			try {
				fs.unlinkSync(lockFile);
			} catch {}
		}
		throw new UserError(`Could not take the lock for incident ${id}.`, `Try again; if it persists, delete ${lockFile}.`);
	}
}
