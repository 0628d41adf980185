// The session store: one JSON file per incident, mode 0600 in a 0700 folder, checked against the
// session schema on load. A save is whole or it did not happen (src/infra/files.ts). A file is
// moved aside only when its bytes were read and are not a valid session; a file that cannot be
// read (permissions, a disk error, a symbolic link) is reported with the fix and left alone. A
// lock file keeps a second process off an incident that is open.
//
// Not conf: conf (through atomically) writes the temp file with one writeSync whose count it does
// not check, then fsyncs and renames it over the good file, so on a nearly full disk a cut-off
// session replaced the whole one; it also follows a symbolic link at the file's path. Settings may
// still use conf; sessions use writeFileWhole.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {SESSION_SCHEMA_VERSION, sessionSchema, type Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import {IoError, UserError} from './errors.js';
import {codeOf, hintFor, nodeFs, parseTempName, readFileNoFollow, reasonOf, writeFileWhole, type FileSystem} from './files.js';
import {CorruptSessionError, NewerSessionError, NoSuchIncidentError, UnreadableSessionError, type Quarantined, type Unreadable} from './store-errors.js';
import {isAlive, procIdentity, takeLock, type Lock, type ProcessIdentity} from './store-lock.js';

export {CorruptSessionError, NewerSessionError, NoSuchIncidentError, UnreadableSessionError, type Quarantined, type Unreadable} from './store-errors.js';
export {procIdentity, type Lock, type ProcessIdentity} from './store-lock.js';

const FILE = /^incident-([a-z0-9-]+)\.json$/;
/** Temp files of the conf-based store that came before (atomically's names). */
const OLD_TEMP = /^incident-[a-z0-9-]+\.json\.tmp-/;
/** A temp file this old is nobody's save in progress (a save takes milliseconds). */
const TEMP_MAX_AGE_MS = 10 * 60_000;

export type StoreOptions = {
	/** The file system (tests inject failures here). */
	fs?: FileSystem;
	/** How a pid is told from a reused one (tests stand in a machine without /proc). */
	proc?: ProcessIdentity;
};

export class SessionStore {
	readonly dir: string;
	readonly #redactor: Redactor;
	readonly #now: () => Date;
	readonly #fs: FileSystem;
	readonly #proc: ProcessIdentity;
	#swept = false;

	constructor(dir: string, redactor: Redactor, now: () => Date = () => new Date(), options: StoreOptions = {}) {
		this.dir = dir;
		this.#redactor = redactor;
		this.#now = now;
		this.#fs = options.fs ?? nodeFs;
		this.#proc = options.proc ?? procIdentity;
	}

	/** The folder a `chown -R` or a disk check should name: leakfix's home, above incidents/. */
	get #fixDir(): string {
		return path.dirname(this.dir);
	}

	#ensureDir(): void {
		try {
			this.#fs.mkdirSync(this.dir, {recursive: true, mode: 0o700});
			this.#fs.accessSync(this.dir, fs.constants.W_OK);
		} catch (error) {
			const code = codeOf(error);
			throw new IoError(`Cannot keep incidents in ${this.dir}: ${reasonOf(error)}.`, hintFor(code, this.dir, this.#fixDir) ?? 'Set LEAKFIX_HOME to a folder you can write to.', reasonOf(error), code, this.dir);
		}
	}

	/** Fails early, before the user answers anything, if incidents cannot be saved here. */
	checkWritable(): void {
		this.#ensureDir();
	}

	fileOf(id: string): string {
		return path.join(this.dir, `incident-${id}.json`);
	}

	/** A new incident id: date + 4 random hex digits, unused in this store. */
	newId(): string {
		const date = this.#now().toISOString().slice(0, 10).replace(/-/g, '');
		for (;;) {
			const id = `${date}-${randomBytes(2).toString('hex')}`;
			if (!fs.existsSync(this.fileOf(id))) return id;
		}
	}

	/**
	 * Saves the whole session, or throws an IoError and leaves the file as it was. Every string
	 * passes the redactor first: the file is a sink.
	 */
	save(session: Session): void {
		const clean = this.#redactor.value(session);
		const checked = sessionSchema.parse(clean);
		this.#ensureDir();
		writeFileWhole(this.fileOf(session.id), `${JSON.stringify(checked, null, '\t')}\n`, {mode: 0o600, fs: this.#fs, fixDir: this.#fixDir});
	}

	/** Removes temp files left by a save that never reached its rename (a crash, a kill). */
	#sweep(names?: string[]): void {
		this.#swept = true;
		let entries = names;
		if (!entries) {
			try {
				entries = this.#fs.readdirSync(this.dir);
			} catch {
				return;
			}
		}
		const now = Date.now();
		for (const name of entries) {
			const temp = parseTempName(name);
			const ours = temp !== undefined && FILE.test(temp.target);
			if (!ours && !OLD_TEMP.test(name)) continue;
			const file = path.join(this.dir, name);
			try {
				const stat = this.#fs.lstatSync(file);
				const old = now - stat.mtimeMs > TEMP_MAX_AGE_MS;
				if (old || (ours && temp.pid !== process.pid && !isAlive(temp.pid))) this.#fs.unlinkSync(file);
			} catch {
				// A temp file that cannot be removed harms nothing: it is never read.
			}
		}
	}

	/** Moves a file whose bytes are not a valid session aside; if it cannot be moved, it is unreadable. */
	#corrupt(id: string, reason: string): CorruptSessionError | UnreadableSessionError {
		const file = this.fileOf(id);
		const stamp = this.#now().toISOString().replace(/[:.]/g, '-');
		const movedTo = `${file}.corrupt-${stamp}`;
		try {
			this.#fs.renameSync(file, movedTo);
		} catch (error) {
			const code = codeOf(error);
			return new UnreadableSessionError({id, file, reason: `${reason}, and it could not be moved aside: ${reasonOf(error)}`, ...optionalHint(hintFor(code, file, this.#fixDir))}, code);
		}
		return new CorruptSessionError({id, file, movedTo, reason});
	}

	/**
	 * Loads one incident. A file that was read and fails to parse or fails the schema is moved
	 * aside (CorruptSessionError); one that cannot be read is left alone (UnreadableSessionError).
	 */
	load(id: string): Session {
		if (!this.#swept) this.#sweep();
		const file = this.fileOf(id);
		let bytes: Buffer;
		try {
			bytes = readFileNoFollow(file, this.#fs);
		} catch (error) {
			const code = codeOf(error);
			if (code === 'ENOENT') throw new NoSuchIncidentError(id);
			throw new UnreadableSessionError({id, file, reason: reasonOf(error), ...optionalHint(hintFor(code, file, this.#fixDir))}, code);
		}
		let raw: unknown;
		try {
			raw = JSON.parse(bytes.toString('utf8'));
		} catch {
			throw this.#corrupt(id, 'not valid JSON');
		}
		const version = (raw as {schema?: unknown; version?: unknown} | null)?.version;
		if ((raw as {schema?: unknown} | null)?.schema === 'leakfix/session' && typeof version === 'number' && version > SESSION_SCHEMA_VERSION) {
			throw new NewerSessionError(id, version);
		}
		const parsed = sessionSchema.safeParse(raw);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
			throw this.#corrupt(id, `does not match the session schema${where}: ${issue.message}`);
		}
		if (parsed.data.id !== id) throw this.#corrupt(id, `holds incident ${parsed.data.id}, not ${id}`);
		return parsed.data;
	}

	#readDir(): string[] {
		try {
			return this.#fs.readdirSync(this.dir);
		} catch (error) {
			const code = codeOf(error);
			if (code === 'ENOENT') return [];
			throw new IoError(`Cannot read the incidents in ${this.dir}: ${reasonOf(error)}.`, hintFor(code, this.dir, this.#fixDir) ?? 'Set LEAKFIX_HOME to the folder that holds them.', reasonOf(error), code, this.dir);
		}
	}

	/**
	 * Every readable incident, newest change first; the ones that had to be moved aside; the ones
	 * that are there but cannot be read (never hidden); the ones a newer leakfix wrote.
	 */
	list(): {sessions: Session[]; quarantined: Quarantined[]; unreadable: Unreadable[]; newer: string[]} {
		const names = this.#readDir();
		this.#sweep(names);
		const sessions: Session[] = [];
		const quarantined: Quarantined[] = [];
		const unreadable: Unreadable[] = [];
		const newer: string[] = [];
		for (const name of names) {
			const match = FILE.exec(name);
			if (!match) continue;
			try {
				sessions.push(this.load(match[1]!));
			} catch (error) {
				if (error instanceof CorruptSessionError) quarantined.push(error.quarantined);
				else if (error instanceof UnreadableSessionError) unreadable.push(error.unreadable);
				else if (error instanceof NewerSessionError) newer.push(error.message);
				else if (error instanceof NoSuchIncidentError) continue; // removed while we listed
				else throw error;
			}
		}
		sessions.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
		return {sessions, quarantined, unreadable, newer};
	}

	/** Finds an incident by id or unique id prefix. */
	resolveId(idOrPrefix: string): string {
		const names = this.#readDir();
		if (names.includes(path.basename(this.fileOf(idOrPrefix)))) return idOrPrefix;
		const ids = names.map(name => FILE.exec(name)?.[1]).filter((id): id is string => id !== undefined && id.startsWith(idOrPrefix));
		if (ids.length === 1) return ids[0]!;
		if (ids.length > 1) throw new UserError(`"${idOrPrefix}" matches ${ids.length} incidents: ${ids.join(', ')}.`, 'Give more of the id.');
		throw new UserError(`No incident ${idOrPrefix}.`, 'See `leakfix list` for the incidents on this machine.');
	}

	/**
	 * Takes the incident's lock, or refuses with a message naming the process that holds it; a
	 * lock whose holder is gone is taken over (src/infra/store-lock.ts).
	 */
	lock(id: string): Lock {
		this.#ensureDir();
		if (!this.#swept) this.#sweep();
		return takeLock(id, path.join(this.dir, `incident-${id}.lock`), {files: this.#fs, proc: this.#proc, now: this.#now, fixDir: this.#fixDir});
	}
}

function optionalHint(hint: string | undefined): {hint?: string} {
	return hint === undefined ? {} : {hint};
}
