// What a live key can do: the playbook's analyzer run after a live probe. The requests are read-only
// and never billed, like the probe, sent to the playbook's own https hosts (or the loopback
// LEAKFIX_PROBE_BASE_URL in tests), redirects not followed, the key in a header only. Reading the
// answers is pure (src/core/scopes.ts). A follow-up that fails says so in a note: it never changes
// the probe's verdict.
import {createHash} from 'node:crypto';
import type {CommandAnswer, HttpAnswer} from '../core/probe.js';
import {awsReading, blastRadiusSchema, combine, githubReposReading, npmTokenReading, readFacts, stripeReading, unreadable, type BlastRadius, type Power, type Reading} from '../core/scopes.js';
import {mask} from '../core/secrets.js';
import {runCommand, type CommandRunner} from '../infra/command.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import {PROBE_BODY_LIMIT, readCapped} from './probe-read.js';
import {fillKey, target} from './probe-request.js';

export type AnalyzeOptions = {baseUrl?: string; timeoutMs?: number; run?: CommandRunner};

/** One request; a failure is an answer-shaped reason, never thrown. */
export async function sendRequest(request: {method: string; url: string; headers: Record<string, string>; body?: string}, key: string, options: AnalyzeOptions): Promise<HttpAnswer | {error: string}> {
	const fill = (text: string) => fillKey(text, key);
	try {
		const response = await fetch(target(request.url, options.baseUrl), {
			method: request.method,
			headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, fill(value)])),
			...(request.body === undefined ? {} : {body: fill(request.body)}),
			redirect: 'manual',
			signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
		});
		const body = await readCapped(response, PROBE_BODY_LIMIT);
		return {status: response.status, headers: Object.fromEntries([...response.headers].map(([name, value]) => [name.toLowerCase(), value])), body};
	} catch (error) {
		const name = (error as Error).name;
		const cause = ((error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message).split(key).join(mask(key));
		return {error: name === 'TimeoutError' ? `no answer within ${(options.timeoutMs ?? 10_000) / 1000} s` : `network error (${cause})`};
	}
}

/** Nothing of the key survives in what is kept: every occurrence is masked. */
function scrub(blast: BlastRadius, key: string): BlastRadius {
	const clean = (text: string) => (key.length >= 8 ? text.split(key).join(mask(key)) : text);
	return blastRadiusSchema.parse({
		...blast,
		why: clean(blast.why),
		facts: blast.facts.map(fact => ({label: clean(fact.label), value: clean(fact.value)})),
		...(blast.scopes ? {scopes: blast.scopes.map(clean)} : {}),
		notes: blast.notes.map(clean),
	});
}

/** The analyzer of an HTTP-probed provider, given the probe's live answer. */
export async function analyzeHttp(provider: ProviderPlaybook, key: string, probeAnswer: HttpAnswer, options: AnalyzeOptions = {}): Promise<BlastRadius | undefined> {
	const spec = provider.analyzer;
	if (!spec) return undefined;
	const readings: Array<Reading & {fixed?: {power: Power; why: string}}> = [readFacts(spec.read, probeAnswer)];
	let last: HttpAnswer = probeAnswer;
	for (const request of spec.requests) {
		const known = new Map(readings.flatMap(reading => reading.facts).map(fact => [fact.label, fact.value]));
		const missing = (request.url.match(/\{fact:([^}]+)\}/g) ?? []).map(holder => holder.slice(6, -1)).filter(label => !known.has(label));
		if (missing.length > 0) {
			readings.push({facts: [], scopes: [], notes: [`${request.why}: not asked (${missing.join(', ')} not known)`]});
			continue;
		}
		const url = request.url.replace(/\{fact:([^}]+)\}/g, (_, label: string) => encodeURIComponent(known.get(label)!));
		const answer = await sendRequest({...request, url}, key, options);
		if ('error' in answer) {
			readings.push({facts: [], scopes: [], notes: [`${request.why}: could not be read (${answer.error})`]});
			continue;
		}
		const why = unreadable(answer);
		if (why) {
			readings.push({facts: [], scopes: [], notes: [`${request.why}: could not be read (${why})`]});
			continue;
		}
		readings.push(readFacts(request.read, answer));
		last = answer;
	}
	if (spec.code === 'stripe') readings.push(stripeReading(key, probeAnswer));
	if (spec.code === 'npm' && last !== probeAnswer) readings.push(npmTokenReading(createHash('sha512').update(key).digest('hex'), last));
	if (spec.code === 'github' && last !== probeAnswer) readings.push(githubReposReading(last));
	return scrub(combine(spec, readings), key);
}

/** AWS: the user's attached and inline policies and groups, through the user's own aws with the pair in the child's environment. */
export async function analyzeAws(identity: CommandAnswer, env: Record<string, string | undefined>, key: string, options: AnalyzeOptions = {}): Promise<BlastRadius> {
	const arn = (() => {
		try {
			return (JSON.parse(identity.stdout) as {Arn?: string}).Arn ?? '';
		} catch {
			return '';
		}
	})();
	const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
	if (!user) return scrub(awsReading({identity}), key);
	const run = options.run ?? runCommand;
	const ask = (args: string[]) =>
		run('aws', [...args, '--user-name', user, '--output', 'json'], {env: {...env, AWS_ENDPOINT_URL_IAM: options.baseUrl}}).catch((error: unknown) => ({exitCode: 127, stdout: '', stderr: error instanceof Error ? error.message : String(error)}));
	const [attached, inline, groups] = await Promise.all([ask(['iam', 'list-attached-user-policies']), ask(['iam', 'list-user-policies']), ask(['iam', 'list-groups-for-user'])]);
	return scrub(awsReading({identity, attached, inline, groups}), key);
}
