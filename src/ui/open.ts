// Opening an existing incident: take its lock, load it, check a piped key against its
// fingerprint. One place for `leakfix resume <id>` and for a pick on the home screen.
import type {Session} from '../core/model.js';
import {leakedKey} from '../core/leaked-key.js';
import {UserError} from '../infra/errors.js';
import type {Lock, SessionStore} from '../infra/store.js';

export function openIncident(store: SessionStore, id: string, pipedKey: string | undefined): {session: Session; lock: Lock} {
	const lock = store.lock(id);
	try {
		const session = store.load(id);
		// The fingerprint is of the key as entered, whatever its format.
		if (pipedKey !== undefined && leakedKey(pipedKey).fingerprint !== session.key.fingerprint) {
			throw new UserError(`The key on stdin is not the key of incident ${id} (its fingerprint differs from ${session.key.masked}).`);
		}
		return {session, lock};
	} catch (error) {
		lock.release();
		throw error;
	}
}
