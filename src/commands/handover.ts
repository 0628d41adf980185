// Handing an incident over: `leakfix export` writes it to a file (the session as stored: no
// secret, only the key's fingerprint and masked form) and `leakfix import` opens it on another
// machine, where the next responder re-enters the key (checked against the fingerprint) and
// carries on. An import never silently overwrites: the same incident is fast-forwarded when the
// file holds everything this machine has and more, left alone when it holds nothing new, and
// refused when both sides changed (with a way to keep both).
import path from 'node:path';
import {sessionSchema, type Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import {safeJson, visible} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import {readFileNoFollow, writeFileWhole} from '../infra/files.js';
import {NoSuchIncidentError, type SessionStore} from '../infra/store.js';
import type {CommandIo, Values} from './options.js';

export const EXPORT_SCHEMA = 'leakfix/export';
export const EXPORT_VERSION = 1;

/** The file's text: the session, passed through the redactor once more (a sink like any other). */
export function exportText(session: Session, redactor: Redactor, at: string): string {
	return `${safeJson({schema: EXPORT_SCHEMA, version: EXPORT_VERSION, exportedAt: at, session: redactor.value(session)}, 2)}\n`;
}

export function exportIncident(store: SessionStore, id: string, out: string, redactor: Redactor, at: string): Session {
	const session = store.load(store.resolveId(id));
	redactor.addFingerprint(session.key);
	writeFileWhole(out, exportText(session, redactor, at), {mode: 0o600});
	return session;
}

/** Reads and checks an export file: a clear error for anything that is not one. */
export function readExport(file: string): Session {
	let text: string;
	try {
		text = readFileNoFollow(file).toString('utf8');
	} catch (error) {
		throw new UserError(`Cannot read ${visible(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new UserError(`${visible(file)} is not a leakfix export (not JSON).`, 'Make one with: leakfix export <id> --out FILE');
	}
	const envelope = parsed as {schema?: unknown; version?: unknown; session?: unknown};
	if (envelope?.schema !== EXPORT_SCHEMA) throw new UserError(`${visible(file)} is not a leakfix export (schema is not ${EXPORT_SCHEMA}).`, 'Make one with: leakfix export <id> --out FILE');
	if (envelope.version !== EXPORT_VERSION) throw new UserError(`${visible(file)} is export version ${visible(String(envelope.version))}; this leakfix reads version ${EXPORT_VERSION}.`, 'Update leakfix on this machine.');
	const result = sessionSchema.safeParse(envelope.session);
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new UserError(`${visible(file)} holds an incident leakfix cannot read: ${visible(issue?.path.join('.') ?? '')} ${visible(issue?.message ?? '')}.`);
	}
	return result.data;
}

const sameEvent = (a: Session['timeline'][number], b: Session['timeline'][number]) => a.at === b.at && a.kind === b.kind && a.text === b.text;

/** How the file relates to what this machine has, event by event. */
export function compareTimelines(local: Session, incoming: Session): 'same' | 'incoming-ahead' | 'local-ahead' | {diverged: number} {
	const shared = Math.min(local.timeline.length, incoming.timeline.length);
	for (let index = 0; index < shared; index++) if (!sameEvent(local.timeline[index]!, incoming.timeline[index]!)) return {diverged: index};
	if (local.timeline.length === incoming.timeline.length) return 'same';
	return incoming.timeline.length > local.timeline.length ? 'incoming-ahead' : 'local-ahead';
}

export type ImportOutcome = {id: string; what: 'new' | 'fast-forward' | 'nothing-new' | 'copy'; added: number};

export function importIncident(store: SessionStore, file: string, options: {asNew?: boolean} = {}): ImportOutcome {
	const incoming = readExport(file);
	let existing: Session | undefined;
	try {
		existing = store.load(incoming.id);
	} catch (error) {
		if (!(error instanceof NoSuchIncidentError)) throw error;
	}
	const lock = store.lock(incoming.id);
	try {
		if (!existing) {
			store.save(incoming);
			return {id: incoming.id, what: 'new', added: incoming.timeline.length};
		}
		const relation = compareTimelines(existing, incoming);
		if (relation === 'same' || relation === 'local-ahead') return {id: incoming.id, what: 'nothing-new', added: 0};
		if (relation === 'incoming-ahead') {
			store.save(incoming);
			return {id: incoming.id, what: 'fast-forward', added: incoming.timeline.length - existing.timeline.length};
		}
		if (!options.asNew) {
			const event = existing.timeline[relation.diverged]!;
			throw new UserError(
				`Incident ${incoming.id} changed on both machines since they last agreed (from ${event.at}: "${visible(event.text).slice(0, 80)}"). Nothing was imported.`,
				`Keep both: leakfix import ${file} --as-new (a copy with its own id), then carry on in one of them.`,
			);
		}
	} finally {
		lock.release();
	}
	const id = store.newId();
	const copy: Session = {...incoming, id, name: `${incoming.name} (imported copy of ${incoming.id})`};
	store.save(copy);
	return {id, what: 'copy', added: copy.timeline.length};
}

/** leakfix export [<id>] --out FILE. */
export async function runExport(values: Values, rest: string[], io: CommandIo): Promise<number> {
	if (!values.out) throw new UserError('leakfix export needs a file to write: --out FILE.', 'The file holds no secret; hand it to the next responder.');
	const [{openStore}, {createRedactor}] = await Promise.all([import('./context.js'), import('../core/secrets.js')]);
	const store = openStore();
	const id = rest[0] ?? store.list().sessions[0]?.id;
	if (id === undefined) throw new UserError('No incidents to export.');
	const session = exportIncident(store, id, values.out, createRedactor(), new Date().toISOString());
	io.stderr.write(`Wrote incident ${session.id} to ${visible(values.out)} (no secret in it). On the next machine: leakfix import ${visible(path.basename(values.out))}, then leakfix resume ${session.id}.\n`);
	return 0;
}

/** leakfix import FILE [--as-new]. */
export async function runImport(values: Values, rest: string[], io: CommandIo): Promise<number> {
	const file = rest[0];
	if (file === undefined) throw new UserError('leakfix import needs the file leakfix export wrote.', 'leakfix import FILE');
	const {openStore} = await import('./context.js');
	const outcome = importIncident(openStore(), file, {asNew: values['as-new'] === true});
	const said = {
		new: `Imported incident ${outcome.id} (${outcome.added} timeline events).`,
		'fast-forward': `Incident ${outcome.id} brought up to date: ${outcome.added} new timeline event(s) from the file.`,
		'nothing-new': `Incident ${outcome.id} here already holds everything in the file: nothing changed.`,
		copy: `Imported as a copy, incident ${outcome.id}: the one here was left as it was.`,
	}[outcome.what];
	io.stdout.write(`${said} Carry on with: leakfix resume ${outcome.id} (the key is asked again and checked against its fingerprint).\n`);
	return 0;
}
