// The production wiring for the non-interactive commands.
import {createRedactor} from '../core/secrets.js';
import {leakfixHome, sessionsDir} from '../infra/paths.js';
import {SessionStore} from '../infra/store.js';

export function openStore(): SessionStore {
	return new SessionStore(sessionsDir(leakfixHome()), createRedactor());
}
