// Findings → secrets: the same key (same sha256) is one secret however many places it was
// found in. Each secret gets its provider (from the scanner's rule id, then leakfix's own
// recognisers), the scanner's verdict and its places. The secret itself stays in memory: the
// public view (`secretView`) holds only its fingerprint and masked form.
import type {Origin, OriginPlace, ScannerValidity} from '../../core/model.js';
import {fingerprint, mask} from '../../core/secrets.js';
import {identifyKey, strongCandidate} from '../../playbooks/recognise.js';
import type {Playbooks} from '../../playbooks/types.js';
import type {Finding, ParsedReport} from './parse.js';

/** Rule ids and detector names, lower-cased with everything but letters and digits removed. */
const RULE_WORDS: Array<[RegExp, string]> = [
	[/slack.*webhook|slackwebhook|incomingwebhook/, 'slack-webhook'],
	[/slack/, 'slack'],
	[/github|^ghp|^gho|^ghs/, 'github'],
	[/gitlab/, 'gitlab'],
	[/^aws|aws|amazon/, 'aws'],
	[/stripe/, 'stripe'],
	[/openai/, 'openai'],
	[/anthropic|claude/, 'anthropic'],
	[/sendgrid/, 'sendgrid'],
	[/^npm|npmtoken|npmaccess/, 'npm'],
	[/heroku/, 'heroku'],
	[/twilio/, 'twilio'],
	[/mailgun/, 'mailgun'],
	[/shopify/, 'shopify'],
	[/square/, 'square'],
	[/gcpapikey|googleapikey|googleapi|gcpapi|googlecloudapikey/, 'google-api-key'],
	[/datadog/, 'datadog'],
	[/cloudflare/, 'cloudflare'],
	[/pagerduty/, 'pagerduty'],
	[/azure.*(?:clientsecret|serviceprincipal|entra|adapp)|azureclient/, 'azure-service-principal'],
	[/cloudsight/, 'cloudsight'],
];

/**
 * A playbook named in the rule: its whole id (`discord-webhook` in "discordwebhookurl"), else the
 * id's first word when only one playbook starts with it (`mongodb` for mongodb-url).
 */
function byProviderId(playbooks: Playbooks, words: string) {
	const providers = playbooks.providers.filter(provider => provider.id !== 'generic');
	const whole = providers.filter(provider => words.includes(provider.id.replace(/[^a-z0-9]/g, ''))).sort((a, b) => b.id.length - a.id.length)[0];
	if (whole) return whole;
	const first = (id: string) => id.split('-')[0]!;
	const matches = providers.filter(provider => first(provider.id).length >= 4 && words.includes(first(provider.id)));
	const heads = new Set(matches.map(provider => first(provider.id)));
	return heads.size === 1 && providers.filter(provider => heads.has(first(provider.id))).length === 1 ? matches[0] : undefined;
}

export type ProviderGuess = {id: string; name: string; why: string};

/** The provider of a secret: the scanner's rule first, then the key's own shape, else generic. */
export function providerFor(playbooks: Playbooks, rules: string[], secret: string | null): ProviderGuess {
	const known = (id: string) => playbooks.providers.find(provider => provider.id === id);
	for (const rule of rules) {
		const words = rule.toLowerCase().replace(/[^a-z0-9]/g, '');
		const hit = RULE_WORDS.find(([pattern]) => pattern.test(words));
		const provider = hit ? known(hit[1]) : undefined;
		if (provider) return {id: provider.id, name: provider.name, why: `the scanner's rule "${rule}"`};
		const named = byProviderId(playbooks, words);
		if (named) return {id: named.id, name: named.name, why: `the scanner's rule "${rule}"`};
	}
	if (secret !== null) {
		const candidates = identifyKey(playbooks, secret, rules);
		const best = strongCandidate(candidates) ?? candidates.find(candidate => candidate.confidence === 'high');
		if (best) return {id: best.provider.id, name: best.provider.name, why: `leakfix's recogniser (${best.reasons[0]})`};
	}
	const generic = known('generic');
	return {id: 'generic', name: generic?.name ?? 'Generic API key', why: rules.length > 0 ? `no provider known for rule "${rules[0]}"` : 'no rule named'};
}

export type SecretGroup = {
	/** 1-based, in the order the report first lists each secret. */
	index: number;
	/** Memory only: never printed, never saved. Null: the scanner redacted it. */
	secret: string | null;
	fingerprint: string | null;
	masked: string | null;
	length: number | null;
	scanner: string;
	rules: string[];
	provider: ProviderGuess;
	/** The strongest verdict of any finding: valid over unknown over invalid over not checked. */
	validity: ScannerValidity;
	validityText?: string;
	places: OriginPlace[];
	findings: number;
};

const VERDICT_RANK: Record<ScannerValidity, number> = {valid: 0, unknown: 1, invalid: 2, 'not-checked': 3};

/** The earliest place first (by the scanner's date where it parses), else the report's order. */
function byDate(a: OriginPlace, b: OriginPlace): number {
	const ta = a.date === undefined ? Number.NaN : Date.parse(a.date);
	const tb = b.date === undefined ? Number.NaN : Date.parse(b.date);
	if (Number.isNaN(ta) || Number.isNaN(tb)) return 0;
	return ta - tb;
}

const placeKey = (place: OriginPlace) => JSON.stringify([place.repo, place.file, place.line, place.commit, place.url]);

export function groupFindings(report: ParsedReport, playbooks: Playbooks): SecretGroup[] {
	const groups = new Map<string, {secret: string | null; findings: Finding[]}>();
	report.findings.forEach((finding, at) => {
		// A redacted finding is grouped by the scanner's own hash if it gives one, else stands alone.
		const key = finding.secret !== null ? `sha:${fingerprint(finding.secret)}` : finding.scannerHash ? `scanner:${finding.scannerHash}` : `redacted:${at}`;
		const group = groups.get(key) ?? {secret: finding.secret, findings: []};
		group.findings.push(finding);
		groups.set(key, group);
	});
	return [...groups.values()].map((group, index) => {
		const rules = [...new Set(group.findings.map(finding => finding.rule).filter(rule => rule !== ''))];
		const best = [...group.findings].sort((a, b) => VERDICT_RANK[a.validity] - VERDICT_RANK[b.validity])[0]!;
		const seen = new Set<string>();
		const places = group.findings.map(finding => finding.place).filter(place => {
			const key = placeKey(place);
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		});
		places.sort(byDate);
		return {
			index: index + 1,
			secret: group.secret,
			fingerprint: group.secret === null ? null : fingerprint(group.secret),
			masked: group.secret === null ? null : mask(group.secret),
			length: group.secret === null ? null : group.secret.length,
			scanner: group.findings[0]!.scanner,
			rules,
			provider: providerFor(playbooks, rules, group.secret),
			validity: best.validity,
			...(best.validityText === undefined ? {} : {validityText: best.validityText}),
			places,
			findings: group.findings.length,
		};
	});
}

/** What may be printed or saved of a secret: no secret, no fragment beyond the masked form. */
export function secretView(group: SecretGroup) {
	return {
		index: group.index,
		masked: group.masked,
		fingerprint: group.fingerprint,
		length: group.length,
		redacted: group.secret === null,
		...(group.secret === null ? {note: 'the scanner redacted the secret: the key must be typed'} : {}),
		scanner: group.scanner,
		rules: group.rules,
		provider: group.provider,
		validity: group.validity,
		...(group.validityText === undefined ? {} : {validityText: group.validityText}),
		findings: group.findings,
		places: group.places,
	};
}

/** The session's record of where the secret came from (the first 50 places). */
export function originOf(group: SecretGroup, source: string): Origin {
	return {
		scanner: group.scanner,
		rule: group.rules.join(', '),
		validity: group.validity,
		...(group.validityText === undefined ? {} : {validityText: group.validityText}),
		source,
		places: group.places.slice(0, 50),
		placesTotal: group.places.length,
		...(group.secret === null ? {redacted: true} : {}),
	};
}
