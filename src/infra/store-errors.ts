// The session store's errors: a file moved aside, a file that cannot be read, no such incident, an
// incident a newer leakfix wrote. Part of src/infra/store.ts (import from there).
import {SESSION_SCHEMA_VERSION} from '../core/model.js';
import {IoError, UserError} from './errors.js';

export type Quarantined = {id: string; file: string; movedTo: string; reason: string};
/** An incident whose file is there but could not be read: it is listed, never hidden or moved. */
export type Unreadable = {id: string; file: string; reason: string; hint?: string};

export class CorruptSessionError extends UserError {
	constructor(readonly quarantined: Quarantined) {
		super(
			`Incident ${quarantined.id} could not be read (${quarantined.reason}). The file was moved aside to ${quarantined.movedTo}; other incidents are untouched.`,
			'Look at the moved file if you need its contents; start a new incident for this leak with `leakfix`.',
		);
	}
}

/** The incident's file is there but cannot be read: an I/O error, with the fix. The file is left as it is. */
export class UnreadableSessionError extends IoError {
	constructor(
		readonly unreadable: Unreadable,
		code: string | undefined,
	) {
		super(`Incident ${unreadable.id} cannot be read: ${unreadable.reason}. The file ${unreadable.file} was left as it is.`, unreadable.hint, unreadable.reason, code, unreadable.file);
	}
}

/** No file for this incident (never made, or removed meanwhile). */
export class NoSuchIncidentError extends UserError {
	constructor(id: string) {
		super(`No incident ${id}.`, 'See `leakfix list` for the incidents on this machine.');
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
