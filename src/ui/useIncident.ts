// The incident in memory, for the App: the session and its lock, the one place that saves it
// (a refused save stays on screen and is tried again with the next action; a quit asks twice),
// and the one place that ends the app.
import {useApp} from 'ink';
import {useCallback, useRef, useState} from 'react';
import type {Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import {incidentStatus, stamp, transition, type SessionEvent, type UnstampedEvent} from '../core/session.js';
import type {Clock} from '../infra/clock.js';
import {IoError, UserError} from '../infra/errors.js';
import type {Lock, SessionStore} from '../infra/store.js';

export type Outcome = {
	sessionId?: string;
	complete?: boolean;
	/** Ended by an error the CLI reports. */ error?: unknown;
	/** Quit with a change the disk refused: why it was not saved. */ unsaved?: string;
};

type Options = {store: SessionStore; redactor: Redactor; clock: Clock; actor: string | undefined; opened?: {session: Session; lock: Lock}; onDone(outcome: Outcome): void};

export function useIncident({store, redactor, clock, actor, opened, onDone}: Options) {
	const {exit} = useApp();
	const lockRef = useRef<Lock | undefined>(opened?.lock);
	const sessionRef = useRef<Session | undefined>(opened?.session);
	const [session, setSession] = useState<Session | undefined>(sessionRef.current);
	const [saveError, setSaveError] = useState<string | undefined>();
	// A change the disk refused (full, read-only, an I/O error): why, while it is only in memory.
	const unsavedRef = useRef<string | undefined>(undefined);
	const quitArmedRef = useRef(false);

	const finish = useCallback(
		(error?: unknown) => {
			lockRef.current?.release();
			const current = sessionRef.current;
			const unsaved = unsavedRef.current;
			onDone({
				...(current ? {sessionId: current.id, complete: incidentStatus(current) === 'complete'} : {}),
				...(error === undefined ? {} : {error}),
				...(unsaved === undefined || !current ? {} : {unsaved}),
			});
			exit();
		},
		[exit, onDone],
	);

	/** Saves the session in memory; on failure, says why on the banner and keeps it for the next try. */
	const save = useCallback(
		(next: Session): boolean => {
			try {
				store.save(next);
			} catch (error) {
				const reason = error instanceof IoError ? error.reason : error instanceof Error ? error.message : String(error);
				const hint = error instanceof UserError && error.hint ? ` ${error.hint}` : '';
				unsavedRef.current = reason;
				setSaveError(`${reason}. Your change is kept on screen and saved again with your next action.${hint}`);
				return false;
			}
			unsavedRef.current = undefined;
			quitArmedRef.current = false;
			setSaveError(undefined);
			return true;
		},
		[store],
	);

	/** Quits, unless the last change is only in memory: one more try, then a warning; a second q quits anyway. */
	const quit = (stopJobs: () => void) => {
		const current = sessionRef.current;
		if (current && unsavedRef.current !== undefined && !quitArmedRef.current && !save(current)) {
			quitArmedRef.current = true;
			setSaveError(`${unsavedRef.current}. Your last change is only on screen: press q again to quit without it.`);
			return;
		}
		stopJobs();
		finish();
	};

	const apply = useCallback(
		(event: SessionEvent) => {
			const current = sessionRef.current;
			if (!current) return;
			// User text (notes, reasons) passes the redactor before it enters the session, so the
			// screen, the file and the report all hold only the masked form.
			const next = transition(current, redactor.value(event), actor);
			if (next === current && unsavedRef.current === undefined) return;
			sessionRef.current = next;
			setSession(next);
			save(next);
		},
		[redactor, save, actor],
	);

	const dispatch = useCallback((event: UnstampedEvent) => apply(stamp(event, clock.now().toISOString())), [apply, clock]);

	/** The incident this app now holds (opened from the list, or just created), with its lock. */
	const hold = (next: Session, lock: Lock) => {
		lockRef.current = lock;
		sessionRef.current = next;
		setSession(next);
	};

	return {session, getSession: () => sessionRef.current, saveError, finish, quit, apply, dispatch, hold};
}
