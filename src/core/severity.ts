// Severity: the facts in, a level with its reasons in words out. Pure.
import type {LeakPlace} from './model.js';
import type {Liveness} from './probe.js';
import type {Power} from './scopes.js';

export type SeverityLevel = 'low' | 'medium' | 'high' | 'critical';
export type Severity = {level: SeverityLevel; reasons: string[]; containFirst: string | null};

export type SeverityFacts = {
	/** null: not probed yet. */
	liveness: Liveness | null;
	where: LeakPlace;
	/** From the scan: the first exposure is on a remote-tracking branch; null if not scanned. */
	pushed: boolean | null;
	/** A remote points at a public forge (the user confirms public or private at intake). */
	publicForge: boolean;
	/** How long the key has been exposed, in days (first exposure, or when it was noticed). */
	exposedDays: number;
	/** none: all-or-nothing (CloudSight); per-key: the key's own scopes; unknown. */
	scopes: 'none' | 'per-key' | 'unknown';
	/** This kind of key can do everything regardless of scopes (Stripe sk_live_). */
	fullAccess?: boolean;
	testMode: boolean;
	/** Findings marked suspicious in the log step. */
	suspicious: number;
	/** What the key can do, read from the provider after a live probe (src/core/scopes.ts). */
	power?: {level: Power; why: string};
};

const LEVELS: SeverityLevel[] = ['low', 'medium', 'high', 'critical'];
const raise = (level: SeverityLevel, by = 1): SeverityLevel => LEVELS[Math.min(LEVELS.length - 1, LEVELS.indexOf(level) + by)]!;

export function assessSeverity(facts: SeverityFacts): Severity {
	const reasons: string[] = [];
	if (facts.testMode) {
		return facts.suspicious > 0
			? {level: 'medium', reasons: ['a test-mode key: no real money or customer data behind it', `${facts.suspicious} suspicious finding(s) in the logs`], containFirst: null}
			: {level: 'low', reasons: ['a test-mode key: no real money or customer data behind it'], containFirst: null};
	}
	let level: SeverityLevel;
	if (facts.liveness === 'revoked') {
		level = 'low';
		reasons.push('the key answers as revoked');
	} else {
		level = 'medium';
		reasons.push(facts.liveness === 'live' ? 'the key is live' : facts.liveness === 'unknown' ? 'liveness unknown: assume the key is live' : 'not probed yet: assume the key is live');
	}
	const isPublic = facts.where === 'public-repo';
	if (isPublic) {
		level = raise(level);
		reasons.push(facts.pushed === false ? 'said to be in a public repository (the scan found it not pushed: check)' : 'exposed in a public repository: bots scrape new keys within minutes');
	} else if (facts.publicForge && facts.pushed) {
		reasons.push('pushed to a repository on a public forge: confirm it is private');
	} else {
		reasons.push(`exposed in ${facts.where === 'private-repo' ? 'a private repository' : facts.where === 'chat' ? 'a chat' : facts.where === 'logs' ? 'logs' : facts.where === 'ticket' ? 'a ticket' : 'a limited place'}`);
	}
	const power = facts.liveness === 'revoked' || !facts.power || facts.power.level === 'unknown' ? null : facts.power;
	if (power && (power.level === 'admin' || power.level === 'write')) {
		level = raise(level);
		reasons.push(`the provider says it can ${power.level === 'admin' ? 'administer' : 'change things'}: ${power.why}`);
	} else if (power?.level === 'read-only') {
		level = LEVELS[Math.max(0, LEVELS.indexOf(level) - 1)]!;
		reasons.push(`the provider says it can only read: ${power.why}`);
	} else if ((facts.scopes !== 'per-key' || facts.fullAccess) && facts.liveness !== 'revoked') {
		level = raise(level);
		reasons.push(
			facts.fullAccess ? 'a full-access key: it can do everything the account can' : facts.scopes === 'none' ? 'the key has no scopes: it can do everything the account can' : 'what the key can do is unknown: assume everything',
		);
	}
	if (facts.exposedDays >= 7) {
		level = raise(level);
		reasons.push(`exposed for ${Math.floor(facts.exposedDays)} days`);
	}
	if (facts.suspicious > 0) {
		level = 'critical';
		reasons.push(`${facts.suspicious} suspicious finding(s) in the logs: misuse is likely`);
	} else if (facts.liveness === 'revoked' && LEVELS.indexOf(level) > LEVELS.indexOf('medium')) {
		// Dead now: what remains is what was done with it before; the logs say whether that is much.
		level = 'medium';
	}
	const containFirst =
		level === 'critical' && facts.liveness !== 'revoked'
			? 'Contain first: deactivate or restrict the old key now, before the full rotation, and accept the downtime; every minute it stays live it can be used. Deactivate rather than delete, so evidence survives.'
			: null;
	return {level, reasons, containFirst};
}
