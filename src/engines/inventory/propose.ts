// From references to proposed inventory entries: one per place the secret lives, with the
// service that reads it, a guessed environment and the evidence. Pure.
import {storeAddress} from '../../core/inventory/address.js';
import type {Environment, InventoryEntry} from '../../core/model.js';
import type {Reference} from './detect.js';

export {storeAddress};

export type LocatedReference = Reference & {/** The service the file belongs to (package name, folder). */ serviceHint: string};

const rank: Record<Environment, number> = {prod: 3, staging: 2, dev: 1, unknown: 0};
const pick = (a: Environment, b: Environment | undefined): Environment => (b && rank[b] > rank[a] ? b : a);

export function proposeEntries(refs: LocatedReference[], makeId: (index: number) => string): InventoryEntry[] {
	const entries = new Map<string, InventoryEntry>();
	const add = (key: string, make: () => InventoryEntry, evidence: string, environment?: Environment) => {
		const existing = entries.get(key);
		if (existing) {
			if (!existing.evidence.includes(evidence)) existing.evidence.push(evidence);
			existing.environment = pick(existing.environment, environment);
			return;
		}
		entries.set(key, make());
	};
	const where = (ref: Reference) => `${ref.file}:${ref.line}`;

	// Places that hold the secret: one entry each. A Conjur policy declares the variable a Summon
	// file (or an entry by hand) reads: evidence for that entry, an entry of its own only when alone.
	const declarations = refs.filter(ref => ref.kind === 'conjur-policy');
	for (const ref of refs) {
		if (!ref.store || ref.kind === 'conjur-policy') continue;
		const service = ref.service ?? ref.serviceHint;
		add(`${service}\u0000${storeAddress(ref.store)}`, () => ({id: '', service, environment: ref.environment ?? 'unknown', store: ref.store!, ...(ref.restart ? {restart: ref.restart} : {}), evidence: [where(ref)], origin: 'discovered'}), where(ref), ref.environment);
	}
	for (const ref of declarations) {
		const holders = [...entries.values()].filter(entry => storeAddress(entry.store) === storeAddress(ref.store!));
		if (holders.length > 0) {
			for (const entry of holders) if (!entry.evidence.includes(where(ref))) entry.evidence.push(where(ref));
			continue;
		}
		const service = ref.service ?? ref.serviceHint;
		add(`${service}\u0000${storeAddress(ref.store!)}`, () => ({id: '', service, environment: ref.environment ?? 'unknown', store: ref.store!, evidence: [where(ref)], origin: 'discovered'}), where(ref), ref.environment);
	}
	// Hard-coded copies: the store is the file itself until it is de-hard-coded.
	// (A line of an env file that assigns the variable is that store, not a hard-coded copy.)
	const storeLines = new Set(refs.filter(ref => ref.kind === 'env-file').map(where));
	for (const ref of refs) {
		if (ref.kind !== 'literal' || storeLines.has(where(ref))) continue;
		add(`literal\u0000${ref.file}`, () => ({
			id: '',
			service: ref.serviceHint,
			environment: ref.environment ?? 'unknown',
			store: {type: 'manual', text: `hard-coded in ${ref.file}: replace it with a secret-store lookup`},
			evidence: [where(ref)],
			origin: 'discovered',
		}), where(ref));
	}
	// Code and config that read a variable: evidence for the service's entries, or an entry of its
	// own ("where is it set?") when nothing in the repo says where the value comes from.
	for (const ref of refs) {
		if (ref.store || ref.kind === 'literal') continue;
		const service = ref.service ?? ref.serviceHint;
		const own = [...entries.values()].filter(entry => entry.service === service && entry.store.type !== 'manual');
		if (own.length > 0) {
			for (const entry of own) if (!entry.evidence.includes(where(ref))) entry.evidence.push(where(ref));
			continue;
		}
		const variable = ref.envVar ?? 'the key';
		add(`${service}\u0000env\u0000${variable}`, () => ({
			id: '',
			service,
			environment: ref.environment ?? 'unknown',
			store: {type: 'manual', text: `reads ${variable} from its environment: say where it is set (an env file, a secret store, the CI or platform settings)`},
			evidence: [where(ref)],
			origin: 'discovered',
		}), where(ref), ref.environment);
	}
	return [...entries.values()].map((entry, index) => ({...entry, id: makeId(index), evidence: entry.evidence.slice(0, 20)}));
}
