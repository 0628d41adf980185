// A session built from the real playbooks, for core and report tests.
import {createSession} from '../../src/core/session.js';
import {fingerprint, mask} from '../../src/core/secrets.js';
import {checklistFor, findProvider, loadPlaybooks} from '../../src/playbooks/load.js';

export const playbooks = await loadPlaybooks();

export function makeSession(key: string, at = '2026-11-27T12:00:00.000Z') {
	const provider = findProvider(playbooks, 'cloudsight');
	return createSession({
		id: '20261127-abcd',
		name: 'Key in public repo',
		demo: false,
		at,
		provider: {id: provider.id, name: provider.name},
		key: {fingerprint: fingerprint(key), masked: mask(key), length: key.length},
		leak: {where: 'public-repo', url: 'https://example.com/commit/1', noticedAt: '2026-11-27T10:00:00.000Z'},
		steps: checklistFor(playbooks, provider),
	});
}
