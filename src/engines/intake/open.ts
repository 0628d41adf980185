// Picked secrets → incidents: one per secret, pre-filled with its provider, where it was found
// and the scanner's verdict, linked as one group when there are several. The key is held in
// memory by the caller; the session gets only its fingerprint and masked form.
import type {LeakPlace, Session} from '../../core/model.js';
import {fingerprint, mask, type Redactor} from '../../core/secrets.js';
import {createSession} from '../../core/session.js';
import type {SessionStore} from '../../infra/store.js';
import {checklistFor, findProvider} from '../../playbooks/load.js';
import type {Playbooks} from '../../playbooks/types.js';
import {originOf, type SecretGroup} from './group.js';

export type PickedSecret = {secret: SecretGroup; key: string};

export type OpenInput = {
	store: SessionStore;
	playbooks: Playbooks;
	redactor: Redactor;
	picked: PickedSecret[];
	/** The report's file name, or OWNER/REPO[#N]. */
	source: string;
	where: LeakPlace;
	at: string;
	cwd: string;
};

/** A short name: provider, masked key, the first place's file. */
function incidentName(picked: PickedSecret, providerName: string): string {
	const place = picked.secret.places[0];
	const where = place?.file ?? place?.repo;
	return `${providerName} ${mask(picked.key)}, found by ${picked.secret.scanner}${where ? ` in ${where}` : ''}`;
}

/** Creates and saves one incident per picked secret; returns them in order. Nothing is locked. */
export function openIncidents(input: OpenInput): Session[] {
	const {store, playbooks, redactor, picked} = input;
	for (const {key} of picked) redactor.add(key);
	const groupId = picked.length > 1 ? `group-${store.newId()}` : undefined;
	const sessions: Session[] = [];
	picked.forEach((entry, index) => {
		const provider = findProvider(playbooks, entry.secret.provider.id);
		const matches = (flag: 'testMode' | 'fullAccess') => provider.keyPatterns.some(pattern => pattern[flag] && new RegExp(`^(?:${pattern.regex})$`).test(entry.key));
		const url = entry.secret.places.find(place => place.url !== undefined)?.url;
		const session = createSession(
			redactor.value({
				id: store.newId(),
				name: incidentName(entry, provider.name),
				demo: false,
				at: input.at,
				provider: {id: provider.id, name: provider.name},
				key: {fingerprint: fingerprint(entry.key), masked: mask(entry.key), length: entry.key.length},
				leak: {where: input.where, ...(url === undefined ? {} : {url}), noticedAt: input.at},
				repoPath: input.cwd,
				steps: checklistFor(playbooks, provider),
				keyFacts: {scopes: provider.scopes, testMode: matches('testMode'), fullAccess: matches('fullAccess')},
				origin: originOf(entry.secret, input.source),
				...(groupId === undefined ? {} : {group: {id: groupId, index: index + 1, size: picked.length}}),
			}),
		);
		store.save(session);
		sessions.push(session);
	});
	return sessions;
}
