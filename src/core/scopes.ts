// What a live key can do (its blast radius), read from the provider's own answers. Pure: the
// engine (src/engines/scopes.ts) sends the read-only requests, these functions only read them.
// Most providers are data in their playbook (`analyzer`: which header or JSON path holds what);
// code here covers what data cannot say (Stripe's key prefixes, npm's token list, AWS's policies).
// Everything read here is outside text: it is stored as the provider sent it and shown through
// visible() at the sink.
import * as z from 'zod';
import type {CommandAnswer, HttpAnswer} from './probe.js';

export const POWERS = ['admin', 'write', 'read-only', 'unknown'] as const;
export type Power = (typeof POWERS)[number];

/** One fact to read: a header (a comma list when `list`) or a JSON path (`a.b`, `a[].b` maps over an array). */
export type FactRead = {label: string; header?: string; json?: string; list?: boolean; scopes?: boolean};
/** A follow-up read-only request, sent only when the probe said live. `{fact:LABEL}` in the URL is a fact read before it. */
export type AnalyzerRequest = {method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string; read: FactRead[]; why: string};
/** Regular expressions over the scopes read: any admin match is admin, else any write match is write, else all read matches is read-only. */
export type PowerRules = {admin: string[]; write: string[]; read: string[]};
export type AnalyzerCode = 'stripe' | 'npm' | 'github' | 'aws';
export type AnalyzerSpec = {
	read: FactRead[];
	requests: AnalyzerRequest[];
	code?: AnalyzerCode;
	power?: PowerRules;
	/** What the provider's API cannot tell, said plainly on the Assess step. */
	notes: string[];
	/** A kind of key whose power is fixed whatever the answer (a Datadog API key submits data). */
	fixed?: {power: Power; why: string};
};

export const blastRadiusSchema = z.strictObject({
	power: z.enum(POWERS),
	/** Why that power, in words (the scopes or role that decided it). */
	why: z.string(),
	facts: z.array(z.strictObject({label: z.string(), value: z.string()})),
	scopes: z.array(z.string()).optional(),
	/** What could not be read, and what the API does not tell. */
	notes: z.array(z.string()),
	/** AWS attached its compromised-key quarantine policy to the key's user. */
	quarantine: z.strictObject({policy: z.string()}).optional(),
});
export type BlastRadius = z.infer<typeof blastRadiusSchema>;

/** What one answer said: the facts read and the scopes among them. */
export type Reading = {facts: Array<{label: string; value: string}>; scopes: string[]; notes: string[]};

const MAX_LIST = 12;

function parseJson(body: string): unknown {
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

/** The values at a path: `a.b`, `a[].b` (each element), `a[0].b`. Scalars only, as strings. */
export function jsonValues(value: unknown, path: string): string[] {
	const parts = path.split('.').filter(Boolean);
	let current: unknown[] = [value];
	for (const part of parts) {
		const match = /^([^[\]]*)(\[(\d*)\])?$/.exec(part);
		if (!match) return [];
		const [, name = '', bracket, index] = match;
		const next: unknown[] = [];
		for (const item of current) {
			const field = name === '' ? item : item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>)[name] : undefined;
			if (bracket === undefined) next.push(field);
			else if (Array.isArray(field)) {
				if (index === '') next.push(...(field as unknown[]));
				else if (field[Number(index)] !== undefined) next.push(field[Number(index)]);
			}
		}
		current = next;
	}
	return current.flatMap(item => (typeof item === 'string' ? [item] : typeof item === 'number' || typeof item === 'boolean' ? [String(item)] : Array.isArray(item) ? item.filter(inner => typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean').map(String) : []));
}

function shortList(values: string[]): string {
	if (values.length <= MAX_LIST) return values.join(', ');
	return `${values.slice(0, MAX_LIST).join(', ')} and ${values.length - MAX_LIST} more`;
}

/** Reads the facts a playbook names from one answer. A fact that is absent is left out (said by the caller when it matters). */
export function readFacts(reads: FactRead[], answer: HttpAnswer): Reading {
	const body = parseJson(answer.body);
	const reading: Reading = {facts: [], scopes: [], notes: []};
	for (const read of reads) {
		let values: string[] = [];
		if (read.header !== undefined) {
			const raw = answer.headers[read.header.toLowerCase()];
			if (raw === undefined) continue;
			values = read.list ? raw.split(',').map(value => value.trim()).filter(Boolean) : [raw];
			if (read.list && values.length === 0) values = [];
			if (read.scopes) reading.scopes.push(...values);
			reading.facts.push({label: read.label, value: values.length > 0 ? shortList(values) : '(none)'});
			continue;
		}
		if (read.json !== undefined && body !== undefined) values = jsonValues(body, read.json);
		// A list held in one string ("global purge_select"): its words.
		if (read.list && values.length === 1 && !read.json!.includes('[]')) values = values[0]!.split(/[\s,]+/).filter(Boolean);
		if (values.length === 0) continue;
		if (read.scopes) reading.scopes.push(...values);
		reading.facts.push({label: read.label, value: read.list ? `${values.length}: ${shortList(values)}` : shortList([...new Set(values)])});
	}
	return reading;
}

/** Why a follow-up answer says nothing: its status in words (never a verdict on the key). */
export function unreadable(answer: HttpAnswer): string | null {
	if (answer.status >= 300 && answer.status < 400) return `a redirect (HTTP ${answer.status}), not followed`;
	if (answer.status === 429) return 'rate limited (HTTP 429)';
	if (answer.status >= 500) return `a server error (HTTP ${answer.status})`;
	if (/text\/html/i.test(answer.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(answer.body)) return `an HTML page (HTTP ${answer.status})`;
	if (answer.status === 401 || answer.status === 403) return `not allowed to this key (HTTP ${answer.status})`;
	if (answer.status === 404) return 'not found (HTTP 404)';
	if (answer.status < 200 || answer.status >= 300) return `HTTP ${answer.status}`;
	if (parseJson(answer.body) === undefined && answer.body.trim() !== '') return 'not JSON';
	return null;
}

const matches = (patterns: string[], scope: string) => patterns.some(pattern => new RegExp(pattern, 'i').test(scope));

/** The power of a set of scopes under a playbook's rules, with the scopes that decided it. */
export function weigh(scopes: string[], rules: PowerRules | undefined): {power: Power; why: string} {
	if (!rules) return {power: 'unknown', why: 'the playbook does not say what these scopes allow'};
	if (scopes.length === 0) return {power: 'unknown', why: 'no scopes were read'};
	const admin = scopes.filter(scope => matches(rules.admin, scope));
	if (admin.length > 0) return {power: 'admin', why: `admin: ${shortList(admin)}`};
	const write = scopes.filter(scope => matches(rules.write, scope));
	if (write.length > 0) return {power: 'write', why: `can change things: ${shortList(write)}`};
	if (scopes.every(scope => matches(rules.read, scope))) return {power: 'read-only', why: `read-only: ${shortList(scopes)}`};
	const other = scopes.filter(scope => !matches(rules.read, scope));
	return {power: 'unknown', why: `scopes leakfix cannot weigh: ${shortList(other)}`};
}

/** Stripe: the key's prefix says live or test mode and full or restricted; a 403 names the permission missing. */
export function stripeReading(key: string, answer: HttpAnswer): Reading & {fixed?: {power: Power; why: string}} {
	const mode = /^(sk|rk)_live_/.test(key) ? 'live' : /^(sk|rk)_test_/.test(key) ? 'test' : null;
	const restricted = key.startsWith('rk_');
	const reading: Reading = {facts: [], scopes: [], notes: []};
	if (mode) reading.facts.push({label: 'mode', value: mode === 'live' ? 'live (real money and customer data)' : 'test (no real money)'});
	reading.facts.push({label: 'kind', value: restricted ? 'restricted key (only the resources allowed when it was made)' : 'secret key (every resource of the account)'});
	if (restricted) {
		if (answer.status === 200) reading.facts.push({label: 'charges', value: 'readable'});
		if (answer.status === 403) {
			const message = jsonValues(parseJson(answer.body), 'error.message')[0] ?? '';
			const permission = /'(rak_[a-z_]+)'/.exec(message)?.[1];
			reading.facts.push({label: 'charges', value: permission ? `not allowed (needs ${permission})` : 'not allowed'});
		}
		reading.notes.push("Stripe's API does not list a restricted key's other permissions: see Developers → API keys → the key in the dashboard.");
		return {...reading, fixed: {power: 'unknown', why: 'a restricted key: its permissions are not listed by the API'}};
	}
	return {...reading, fixed: {power: 'admin', why: 'a secret key can do everything the account can'}};
}

/** npm: the token list holds each token's sha512 (`key`) and whether it is read-only; the match is by hash, in memory. */
export function npmTokenReading(keySha512: string, answer: HttpAnswer): Reading & {fixed?: {power: Power; why: string}} {
	const reading: Reading = {facts: [], scopes: [], notes: []};
	const objects = (parseJson(answer.body) as {objects?: unknown} | undefined)?.objects;
	const mine = Array.isArray(objects) ? (objects as Array<Record<string, unknown>>).find(token => token && token.key === keySha512) : undefined;
	if (!mine) {
		reading.notes.push('npm did not list this token among the account\'s tokens (a granular token, or listing not allowed): check npmjs.com → Access Tokens.');
		return reading;
	}
	const readonly = mine.readonly === true;
	reading.facts.push({label: 'token', value: readonly ? 'read-only' : 'publish (can publish new versions of every package the account owns)'});
	const cidr = Array.isArray(mine.cidr_whitelist) ? (mine.cidr_whitelist as unknown[]).filter(value => typeof value === 'string') : [];
	if (cidr.length > 0) reading.facts.push({label: 'allowed from', value: shortList(cidr as string[])});
	if (typeof mine.created === 'string') reading.facts.push({label: 'created', value: mine.created});
	return {...reading, fixed: readonly ? {power: 'read-only', why: 'a read-only npm token'} : {power: 'write', why: 'a publish token: it can publish packages'}};
}

/** GitHub: a classic token names its scopes in X-OAuth-Scopes; a fine-grained one does not, and its reach is the repositories it can read. */
export function githubReposReading(answer: HttpAnswer): Reading & {fixed?: {power: Power; why: string}} {
	const reading: Reading = {facts: [], scopes: [], notes: []};
	const repos = parseJson(answer.body);
	if (!Array.isArray(repos)) return reading;
	const names = jsonValues(repos, '[].full_name');
	const admin = (repos as Array<{full_name?: unknown; permissions?: {admin?: unknown; push?: unknown}}>).filter(repo => repo?.permissions?.admin === true).map(repo => String(repo.full_name));
	const push = (repos as Array<{full_name?: unknown; permissions?: {admin?: unknown; push?: unknown}}>).filter(repo => repo?.permissions?.push === true).map(repo => String(repo.full_name));
	reading.facts.push({label: 'repositories reached', value: names.length === 0 ? 'none listed' : `${names.length}${names.length >= 100 ? '+' : ''}: ${shortList(names)}`});
	if (admin.length > 0) reading.facts.push({label: 'admin on', value: shortList(admin)});
	else if (push.length > 0) reading.facts.push({label: 'can push to', value: shortList(push)});
	const fixed = admin.length > 0 ? {power: 'admin' as const, why: `admin on ${admin.length} repositor${admin.length === 1 ? 'y' : 'ies'}`} : push.length > 0 ? {power: 'write' as const, why: `can push to ${push.length} repositor${push.length === 1 ? 'y' : 'ies'}`} : names.length > 0 ? {power: 'read-only' as const, why: 'reads repositories, pushes to none'} : undefined;
	return {...reading, ...(fixed ? {fixed} : {})};
}

export const QUARANTINE_DENIES =
	'it denies launching instances (ec2:RunInstances), creating users, keys and roles, attaching policies and iam:UpdateAccessKey, and cloudtrail:LookupEvents; it does NOT disable the key: everything else the key could do, it still can';

/** AWS: the caller's identity, then what its user's attached and inline policies and groups are, where the key may read them. */
export function awsReading(answers: {identity: CommandAnswer; attached?: CommandAnswer; inline?: CommandAnswer; groups?: CommandAnswer}): BlastRadius {
	const facts: BlastRadius['facts'] = [];
	const notes: string[] = [];
	const identity = parseJson(answers.identity.stdout) as {Arn?: string; Account?: string} | undefined;
	const arn = identity?.Arn ?? '';
	if (arn) facts.push({label: 'identity', value: arn});
	const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
	if (!user) {
		notes.push(arn.includes(':root') ? 'the root user\'s key: it can do everything in the account' : 'not an IAM user\'s key: its policies were not read');
		return {power: arn.includes(':root') ? 'admin' : 'unknown', why: arn.includes(':root') ? 'the account\'s root user' : 'policies not read', facts, notes};
	}
	const denied = (answer: CommandAnswer | undefined, what: string) => {
		if (!answer) return true;
		if (answer.exitCode === 0) return false;
		notes.push(/AccessDenied|not authorized/i.test(answer.stderr) ? `the key may not read ${what} (AccessDenied): read them as another principal in the IAM console` : `${what} could not be read: ${answer.stderr.split('\n').find(Boolean) ?? `aws exited ${answer.exitCode}`}`);
		return true;
	};
	const policyNames: string[] = [];
	let quarantine: string | undefined;
	if (!denied(answers.attached, 'its attached policies')) {
		const names = jsonValues(parseJson(answers.attached!.stdout), 'AttachedPolicies[].PolicyName');
		policyNames.push(...names);
		facts.push({label: 'attached policies', value: names.length === 0 ? 'none' : shortList(names)});
		quarantine = names.find(name => /^AWSCompromisedKeyQuarantine/.test(name));
	}
	if (!denied(answers.inline, 'its inline policies')) {
		const names = jsonValues(parseJson(answers.inline!.stdout), 'PolicyNames[]');
		policyNames.push(...names);
		facts.push({label: 'inline policies', value: names.length === 0 ? 'none' : shortList(names)});
	}
	if (!denied(answers.groups, 'its groups')) {
		const names = jsonValues(parseJson(answers.groups!.stdout), 'Groups[].GroupName');
		facts.push({label: 'groups', value: names.length === 0 ? 'none' : `${shortList(names)} (their policies apply too)`});
	}
	if (quarantine) {
		notes.unshift(
			`AWS attached ${quarantine} to this user: ${QUARANTINE_DENIES}. Do not detach it until the key is rotated and deleted. It denies cloudtrail:LookupEvents, so the logs step must read CloudTrail as another principal (not this key's user).`,
		);
	}
	const others = policyNames.filter(name => !/^AWSCompromisedKeyQuarantine/.test(name));
	const power: {power: Power; why: string} = others.some(name => /^(AdministratorAccess|IAMFullAccess|PowerUserAccess)$|Admin/i.test(name))
		? {power: 'admin', why: `admin: ${shortList(others.filter(name => /^(AdministratorAccess|IAMFullAccess|PowerUserAccess)$|Admin/i.test(name)))}`}
		: others.some(name => /FullAccess|Write|PutObject/i.test(name))
			? {power: 'write', why: `can change things: ${shortList(others.filter(name => /FullAccess|Write|PutObject/i.test(name)))}`}
			: others.length > 0 && others.every(name => /ReadOnly|ViewOnly|Read$/i.test(name))
				? {power: 'read-only', why: `read-only: ${shortList(others)}`}
				: {power: 'unknown', why: others.length > 0 ? `policies leakfix cannot weigh by name: ${shortList(others)}` : 'its policies could not all be read'};
	return {...power, facts, notes, ...(quarantine ? {quarantine: {policy: quarantine}} : {})};
}

/** Puts readings together into the stored blast radius. */
export function combine(spec: AnalyzerSpec, readings: Array<Reading & {fixed?: {power: Power; why: string}}>): BlastRadius {
	const facts = readings.flatMap(reading => reading.facts);
	const scopes = [...new Set(readings.flatMap(reading => reading.scopes))];
	const notes = [...readings.flatMap(reading => reading.notes), ...spec.notes];
	const fixed = spec.fixed ?? readings.find(reading => reading.fixed)?.fixed;
	const weighed = spec.power && scopes.length > 0 ? weigh(scopes, spec.power) : fixed ?? weigh(scopes, spec.power);
	return {power: weighed.power, why: weighed.why, facts, ...(scopes.length > 0 ? {scopes} : {}), notes};
}

/** The report's and the panel's one line of it. */
export function blastRadiusLine(blast: BlastRadius): string {
	const words = {admin: 'ADMIN', write: 'WRITE', 'read-only': 'READ-ONLY', unknown: 'UNKNOWN'}[blast.power];
	return `${words} (${blast.why})`;
}
