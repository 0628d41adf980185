// What a key's own shape says about it, recorded when the incident opens: a test-mode key (no real
// money or data behind it) and a full-access one (a key type the playbook marks as unrestricted).
// Pure: the playbook's patterns come in as data.
import type {LeakedKey} from './leaked-key.js';

export type KeyPatternFacts = {regex: string; testMode?: boolean; fullAccess?: boolean};

export type KeyFacts = {scopes: 'none' | 'per-key' | 'unknown'; testMode: boolean; fullAccess: boolean};

const matchesWhole = (pattern: KeyPatternFacts, raw: string) => new RegExp(`^(?:${pattern.regex})$`).test(raw);

/** The facts of this key for this provider: a pattern marked testMode (or fullAccess) matches the whole key. */
export function keyFactsFor(provider: {scopes: KeyFacts['scopes']; keyPatterns: readonly KeyPatternFacts[]}, key: LeakedKey): KeyFacts {
	return {
		scopes: provider.scopes,
		testMode: provider.keyPatterns.some(pattern => pattern.testMode === true && matchesWhole(pattern, key.raw)),
		fullAccess: provider.keyPatterns.some(pattern => pattern.fullAccess === true && matchesWhole(pattern, key.raw)),
	};
}
