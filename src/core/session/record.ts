// The one way a reducer branch records what happened: the patch applied, `updatedAt` set to the
// event's time and the timeline entries appended, each stamped with that time.
import {type Session, type TimelineEntry} from '../model.js';

/** A timeline entry as a branch writes it: the time comes from `recorded`. */
export type Entry = Omit<TimelineEntry, 'at'>;

/**
 * The next session: `session` with `patch` applied, `updatedAt` set to `at`, and `entries`
 * (one, several in order, or none) appended to the timeline at `at`. Keys already in the session
 * keep their place, so the saved file reads as before.
 */
export function recorded(session: Session, patch: Partial<Session>, entries: Entry | readonly Entry[], at: string): Session {
	const added = (Array.isArray(entries) ? entries : [entries]) as readonly Entry[];
	return {...session, ...patch, updatedAt: at, timeline: [...session.timeline, ...added.map(entry => ({at, ...entry}))]};
}

/** `by` (who acted) on every entry `next` added to `before`'s timeline that names no one yet. */
export function actedBy(before: Session, next: Session, by?: string): Session {
	if (by === undefined || next === before || next.timeline.length <= before.timeline.length) return next;
	const known = before.timeline.length;
	return {...next, timeline: next.timeline.map((entry, index) => (index >= known && entry.by === undefined ? {...entry, by} : entry))};
}
