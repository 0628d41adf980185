// The liveness probe: one read-only, never-billed request from the provider's playbook, sent only
// to the provider's own https endpoint (or, through the one documented setting
// LEAKFIX_PROBE_BASE_URL, to a loopback server for tests and the demo). Redirects are not
// followed: the key never travels to a host the playbook did not name.
import {awsAccountFromKeyId, classifyCommand, classifyHttp, type HttpAnswer, type ProbeVerdict} from '../core/probe.js';
import {mask} from '../core/secrets.js';
import type {BlastRadius} from '../core/scopes.js';
import {runCommand, type CommandRunner} from '../infra/command.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import {PROBE_BODY_LIMIT, readCapped} from './probe-read.js';
import {awsPair, describeProbe, fillKey, target} from './probe-request.js';

export {awsPair, describeProbe, probeBaseUrl} from './probe-request.js';
export {PROBE_BODY_LIMIT, readCapped} from './probe-read.js';

/** `blastRadius`: what a live key can do, from the playbook's analyzer (src/engines/scopes.ts). */
export type ProbeResult = ProbeVerdict & {provider: string; request: string; at: string; blastRadius?: BlastRadius};

export type ProbeOptions = {
	/** LEAKFIX_PROBE_BASE_URL: a loopback origin that replaces the playbook's (tests, the demo). */
	baseUrl?: string;
	timeoutMs?: number;
	run?: CommandRunner;
	now?: () => Date;
	/** false: liveness only (the new key's probe); else a live key's analyzer runs too. */
	analyze?: boolean;
};

export async function probeKey(provider: ProviderPlaybook, key: string, options: ProbeOptions = {}): Promise<ProbeResult> {
	const probe = provider.probe;
	const at = (options.now?.() ?? new Date()).toISOString();
	const base = {provider: provider.id, request: describeProbe(provider, key, options.baseUrl), at};
	if (!probe) return {...base, status: 'unknown', reason: `${provider.name} has no safe probe: check the key in the provider's dashboard`};

	if (probe.kind === 'aws-cli') {
		const {id, secret} = awsPair(key);
		const env = {
			AWS_ACCESS_KEY_ID: id,
			AWS_SECRET_ACCESS_KEY: secret,
			AWS_SESSION_TOKEN: undefined,
			AWS_SECURITY_TOKEN: undefined,
			AWS_PROFILE: undefined,
			AWS_ENDPOINT_URL: undefined,
			AWS_ENDPOINT_URL_STS: options.baseUrl,
			AWS_PAGER: '',
		};
		// The pair goes in the child's environment, never in argv (visible to everyone via ps);
		// no profile, session token or endpoint override may change what is tested.
		const result = await (options.run ?? runCommand)('aws', ['sts', 'get-caller-identity', '--output', 'json'], {env}).catch((error: unknown) => ({exitCode: 127, stdout: '', stderr: error instanceof Error ? error.message : String(error)}));
		const verdict = classifyCommand(probe.classify, result);
		const account = awsAccountFromKeyId(id);
		const blastRadius = verdict.status === 'live' && provider.analyzer && options.analyze !== false ? await (await import('./scopes.js')).analyzeAws(result, env, key, options) : undefined;
		return {
			...base,
			...verdict,
			...(blastRadius ? {blastRadius} : {}),
			reason: verdict.reason.split(secret).join(mask(secret)),
			...(account ? {details: {'account (from the key id)': account, ...verdict.details}} : verdict.details ? {details: verdict.details} : {}),
		};
	}

	if (probe.keyShape && !new RegExp(`^(?:${probe.keyShape.regex})$`).test(key)) return {...base, status: 'unknown', reason: `not sent: ${probe.keyShape.hint}`};
	const fill = (text: string) => fillKey(text, key);
	const url = target(probe.url, options.baseUrl);
	let answer: HttpAnswer;
	try {
		const response = await fetch(url, {
			method: probe.method,
			headers: Object.fromEntries(Object.entries(probe.headers).map(([name, value]) => [name, fill(value)])),
			...(probe.body === undefined ? {} : {body: fill(probe.body)}),
			redirect: 'manual',
			signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
		});
		const body = await readCapped(response, PROBE_BODY_LIMIT);
		answer = {status: response.status, headers: Object.fromEntries([...response.headers].map(([name, value]) => [name.toLowerCase(), value])), body};
	} catch (error) {
		const name = (error as Error).name;
		const cause = ((error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message).split(key).join(mask(key));
		return {...base, status: 'unknown', reason: name === 'TimeoutError' ? `no answer within ${(options.timeoutMs ?? 10_000) / 1000} s` : `network error (${cause})`};
	}
	const verdict = classifyHttp(probe.classify, answer);
	const scopes = answer.headers['x-oauth-scopes'];
	const blastRadius = verdict.status === 'live' && provider.analyzer && options.analyze !== false ? await (await import('./scopes.js')).analyzeHttp(provider, key, answer, options) : undefined;
	return {...base, ...verdict, ...(scopes !== undefined && verdict.status === 'live' ? {details: {...verdict.details, scopes: scopes || '(none)'}} : {}), ...(blastRadius ? {blastRadius} : {})};
}
