// The next regular rotation of a key: what it counts from, when it is due, and the rows of
// `leakfix status`. Pure: time comes in as an argument.
import type {Session} from './model.js';

/** The interval when the provider's playbook names none (rotation.intervalDays). */
export const DEFAULT_ROTATION_DAYS = 90;

/**
 * What the next rotation counts from: the rotation's end (the old key deactivated, else verified
 * dead), else the moment it is set (the rotation is not over yet), with the words that say which.
 */
export function scheduleBase(session: Session, now: string): {from: string; why: string} {
	if (session.rotation?.deactivatedAt) return {from: session.rotation.deactivatedAt, why: `the old key was deactivated (${session.rotation.deactivatedAt.slice(0, 10)})`};
	if (session.verification?.verifiedAt) return {from: session.verification.verifiedAt, why: `the rotation was verified (${session.verification.verifiedAt.slice(0, 10)})`};
	return {from: now, why: `${now.slice(0, 10)}, when it was set (the rotation has not ended yet)`};
}

/** `masked`: the key in use now (the new key once entered, else the leaked one). */
export type RotationRow = {incident: string; name: string; masked: string; provider: string; due: string; days: number; overdue: boolean};

/** Every incident's next rotation, soonest first; demo incidents are left out. */
export function rotationRows(sessions: Session[], now: Date): RotationRow[] {
	return sessions
		.filter(session => session.schedule && !session.demo)
		.map(session => ({
			incident: session.id,
			name: session.name,
			masked: session.rotation?.newKey?.masked ?? session.key.masked,
			provider: session.provider.name,
			due: session.schedule!.nextRotation,
			days: session.schedule!.days,
			overdue: Date.parse(session.schedule!.nextRotation) <= now.getTime(),
		}))
		.sort((a, b) => a.due.localeCompare(b.due));
}
