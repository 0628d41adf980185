// Where the App starts: which screen is up first, and the home list of incidents with what could
// not be read (said, never hidden). Read before the first frame, so nothing flashes.
import type {Session} from '../core/model.js';
import {incidentStatus} from '../core/session.js';
import type {Lock, SessionStore} from '../infra/store.js';
import type {IntakeDefaults} from './Intake.js';

export type AppStart =
	/** `leakfix`: offer unfinished incidents, or go straight to intake when there are none. */
	| {kind: 'auto'}
	/** `leakfix resume`: every incident, to pick one. */
	| {kind: 'pick'}
	| {kind: 'new'; defaults?: IntakeDefaults; demo?: {repoPath: string}}
	/** `leakfix resume <id>`: already loaded and locked by the caller. */
	| {kind: 'open'; session: Session; lock: Lock; key?: string};

export type Phase =
	| {kind: 'home'; allowNew: boolean}
	| {kind: 'intake'; defaults: IntakeDefaults; demo?: {repoPath: string}}
	| {kind: 'key'}
	/** A demo picked from the list: its fake services are starting. */
	| {kind: 'opening'; allowNew: boolean}
	| {kind: 'wizard'};

/** The home list: read when home opens, and again after a failed pick. */
export function homeList(store: SessionStore, onlyOpen: boolean): {shown: Session[]; notices: string[]} {
	const {sessions, quarantined, unreadable, newer} = store.list();
	return {
		// `leakfix` offers only real unfinished incidents; demo ones are under `leakfix resume`.
		shown: onlyOpen ? sessions.filter(candidate => incidentStatus(candidate) === 'open' && !candidate.demo) : sessions,
		notices: [...unreadable.map(u => `Incident ${u.id} cannot be read: ${u.reason}. The file was left as it is.${u.hint ? ` ${u.hint}` : ''}`), ...quarantined.map(q => `Incident ${q.id} could not be read (${q.reason}); moved aside to ${q.movedTo}. Other incidents are untouched.`), ...newer],
	};
}

/** The first screen: `leakfix` with nothing to resume goes straight to intake. */
export function firstScreen(start: AppStart, store: SessionStore): {phase: Phase; listed: Session[]; notices: string[]} {
	switch (start.kind) {
		case 'open': {
			return {phase: start.key === undefined ? {kind: 'key'} : {kind: 'wizard'}, listed: [], notices: []};
		}

		case 'new': {
			return {phase: {kind: 'intake', defaults: start.defaults ?? {}, ...(start.demo ? {demo: start.demo} : {})}, listed: [], notices: []};
		}

		case 'auto':
		case 'pick': {
			const {shown, notices} = homeList(store, start.kind === 'auto');
			const phase: Phase = start.kind === 'auto' && shown.length === 0 ? {kind: 'intake', defaults: {}} : {kind: 'home', allowNew: start.kind === 'auto'};
			return {phase, listed: shown, notices};
		}
	}
}
