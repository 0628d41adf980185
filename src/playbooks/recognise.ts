// Which provider issued a key: the playbooks' recognisers (strong prefix, weak shape) and context
// (the variable the key was stored under, words near it). Pure and fast: every regex is compiled
// once per playbook set, and nothing here ever returns or prints the key.
import type {ProviderPlaybook} from './schema.js';
import type {Playbooks} from './types.js';

export type Confidence = 'high' | 'medium' | 'low';

export type Candidate = {
	provider: ProviderPlaybook;
	confidence: Confidence;
	/** The strongest pattern that matched, if any. */
	strength?: 'strong' | 'weak';
	/** Why, in words that never hold the key: "prefix: …", "shape: …", "context: …". */
	reasons: string[];
	/** The matched pattern's flags (Stripe test keys, full-access keys). */
	testMode: boolean;
	fullAccess: boolean;
};

type Compiled = {provider: ProviderPlaybook; patterns: Array<{regex: RegExp; pattern: ProviderPlaybook['keyPatterns'][number]}>};

const cache = new WeakMap<Playbooks, Compiled[]>();

function compiled(playbooks: Playbooks): Compiled[] {
	let list = cache.get(playbooks);
	if (!list) {
		list = playbooks.providers.map(provider => ({provider, patterns: provider.keyPatterns.map(pattern => ({pattern, regex: new RegExp(`^(?:${pattern.regex})$`)}))}));
		cache.set(playbooks, list);
	}
	return list;
}

/** The largest key leakfix tries to recognise: a PEM or a service-account JSON fits easily. */
export const MAX_KEY_LENGTH = 64 * 1024;

/** Context that matches a provider: an exact variable name it uses, or one of its words. */
function contextReason(provider: ProviderPlaybook, context: readonly string[]): string | undefined {
	for (const text of context) {
		const upper = text.toUpperCase();
		if (provider.envVars.includes(upper)) return `context: the variable name is one ${provider.name} keys are stored under`;
		const word = provider.context.find(candidate => upper.includes(candidate.toUpperCase()));
		if (word !== undefined) return `context: "${word}" in the name or text given`;
	}
	return undefined;
}

const RANK: Record<Confidence, number> = {high: 0, medium: 1, low: 2};

/**
 * Every provider the key may belong to, most likely first. `context`: variable names or words
 * seen with the key (e.g. the NAME of NAME=value). A strong pattern is `high`; a shape with
 * context `medium`; a bare shape `low`; context alone is `medium` only for a provider without a
 * strong pattern (a signing secret, a webhook), else `low`. A shape marked `needsContext` (32 hex,
 * a UUID) counts only with context. The generic fallback is never a candidate.
 */
export function identifyKey(playbooks: Playbooks, key: string, context: readonly string[] = []): Candidate[] {
	const candidates: Candidate[] = [];
	const text = key.length > MAX_KEY_LENGTH ? '' : key.trim();
	for (const {provider, patterns} of compiled(playbooks)) {
		if (provider.id === 'generic') continue;
		const fromContext = contextReason(provider, context);
		const strong = patterns.find(({regex, pattern}) => pattern.strength === 'strong' && regex.test(text));
		const weak = strong ? undefined : patterns.find(({regex, pattern}) => pattern.strength === 'weak' && (!pattern.needsContext || fromContext !== undefined) && regex.test(text));
		const matched = strong ?? weak;
		if (matched) {
			const confidence: Confidence = strong ? 'high' : fromContext ? 'medium' : 'low';
			candidates.push({
				provider,
				confidence,
				strength: matched.pattern.strength,
				reasons: [`${strong ? 'prefix' : 'shape'}: ${matched.pattern.description}`, ...(fromContext ? [fromContext] : [])],
				testMode: matched.pattern.testMode,
				fullAccess: matched.pattern.fullAccess,
			});
		} else if (fromContext) {
			const hasStrong = provider.keyPatterns.some(pattern => pattern.strength === 'strong');
			candidates.push({
				provider,
				confidence: hasStrong ? 'low' : 'medium',
				reasons: [fromContext, ...(hasStrong ? [`but the key has none of ${provider.name}'s known prefixes`] : [])],
				testMode: false,
				fullAccess: false,
			});
		}
	}
	// Stable: equal confidence keeps the playbooks' order (shape matches before context alone).
	return candidates
		.map((candidate, index) => ({candidate, index}))
		.sort((a, b) => RANK[a.candidate.confidence] - RANK[b.candidate.confidence] || Number(a.candidate.strength === undefined) - Number(b.candidate.strength === undefined) || a.index - b.index)
		.map(({candidate}) => candidate);
}

/**
 * The provider a strong pattern names, if exactly one does: what intake preselects and what a
 * contradicting choice is warned against.
 */
export function strongCandidate(candidates: Candidate[]): Candidate | undefined {
	const strong = candidates.filter(candidate => candidate.strength === 'strong');
	return strong.length === 1 ? strong[0] : undefined;
}

/** Splits piped text "NAME=value" (a .env line, optionally `export`ed and quoted) into the name as context and the value as key. */
export function splitAssignment(text: string): {key: string; context: string[]} {
	const trimmed = text.trim();
	const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(["']?)(\S(?:.*\S)?)\2$/.exec(trimmed);
	if (match && !trimmed.includes('\n') && match[3]!.length >= 8) return {key: match[3]!, context: [match[1]!]};
	return {key: trimmed, context: []};
}
