import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {spawn} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mask} from '../../src/core/secrets.js';
import {probeBaseUrl, probeKey} from '../../src/engines/probe.js';
import {runCommand} from '../../src/infra/command.js';
import {findProvider, loadPlaybooks} from '../../src/playbooks/load.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey, fakeKeys} from '../helpers/keys.js';

type Seen = {method: string; url: string; headers: http.IncomingHttpHeaders; body: string};
type Answer = {status: number; body?: string; type?: string; headers?: Record<string, string>; hang?: boolean};

/** A loopback server that answers as each provider would, per key (the key picks the answer). */
let server: http.Server;
let base: string;
const seen: Seen[] = [];
const answers = new Map<string, Answer>(); // key -> answer

beforeAll(async () => {
	server = http.createServer((request, response) => {
		let body = '';
		request.on('data', chunk => (body += chunk));
		request.on('end', () => {
			seen.push({method: request.method ?? '', url: request.url ?? '', headers: request.headers, body});
			const auth = String(request.headers.authorization ?? '');
			const key = [...answers.keys()].find(candidate => auth.includes(candidate));
			const answer = key ? answers.get(key)! : {status: 418};
			if (answer.hang) return; // never answers: the probe must time out
			response.writeHead(answer.status, {'content-type': answer.type ?? 'application/json', ...answer.headers});
			response.end(answer.body ?? '{}');
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
	server.closeAllConnections();
	server.close();
});

const playbooks = await loadPlaybooks();

async function probe(providerId: string, key: string, answer: Answer, timeoutMs = 2000) {
	answers.set(key, answer);
	return probeKey(findProvider(playbooks, providerId), key, {baseUrl: base, timeoutMs});
}

describe('liveness probes against a loopback server', () => {
	it('CloudSight: 404 on a random image is live, 401 revoked, 403/5xx/HTML unknown; only a GET, the key only in the header', async () => {
		const key = fakeCloudSightKey();
		expect(await probe('cloudsight', key, {status: 404})).toMatchObject({status: 'live', reason: 'HTTP 404: the key was accepted'});
		const request = seen.at(-1)!;
		expect(request.method).toBe('GET');
		expect(request.url).toMatch(/^\/v1\/images\/[0-9a-f]{24}$/);
		expect(request.headers.authorization).toBe(`CloudSight ${key}`);
		expect(request.url).not.toContain(key);
		expect(await probe('cloudsight', key, {status: 401})).toMatchObject({status: 'revoked'});
		expect(await probe('cloudsight', key, {status: 403})).toMatchObject({status: 'unknown'});
		expect(await probe('cloudsight', key, {status: 503})).toMatchObject({status: 'unknown', reason: expect.stringContaining('server error')});
		expect(await probe('cloudsight', key, {status: 401, type: 'text/html', body: '<html>login</html>'})).toMatchObject({status: 'unknown', reason: expect.stringContaining('HTML')});
		expect(seen.every(entry => entry.method === 'GET')).toBe(true); // never POST /images: it spends a credit
	});

	it('an HTML page is never a verdict, even with HTTP 200 (a captive portal, a proxy)', async () => {
		const key = fakeKeys.github();
		expect(await probe('github', key, {status: 200, type: 'text/html', body: '<!doctype html><title>Sign in</title>'})).toMatchObject({status: 'unknown', reason: expect.stringContaining('HTML')});
	});

	it('GitHub: live with its scopes, revoked on 401', async () => {
		const key = fakeKeys.github();
		expect(await probe('github', key, {status: 200, headers: {'x-oauth-scopes': 'repo, workflow'}})).toMatchObject({status: 'live', details: {scopes: 'repo, workflow'}});
		expect(seen.at(-2)!.url).toBe('/user'); // then the analyzer's /user/repos (test/integration/analyzers.test.ts)
		expect(await probe('github', key, {status: 401})).toMatchObject({status: 'revoked'});
	});

	it('Stripe: 200 live, 403 a valid restricted key, 401 revoked; test keys are recognised as test mode', async () => {
		const key = fakeKeys.stripeLive();
		expect(await probe('stripe', key, {status: 200})).toMatchObject({status: 'live'});
		expect(await probe('stripe', key, {status: 403})).toMatchObject({status: 'live', reason: expect.stringContaining('restricted key')});
		expect(await probe('stripe', key, {status: 401})).toMatchObject({status: 'revoked'});
		const stripe = findProvider(playbooks, 'stripe');
		const testPattern = stripe.keyPatterns.find(pattern => new RegExp(`^(?:${pattern.regex})$`).test(fakeKeys.stripeTest()));
		expect(testPattern).toMatchObject({testMode: true});
	});

	it('Slack: HTTP 200 with ok:false is revoked, ok:true live, anything else unknown', async () => {
		const key = fakeKeys.slack();
		expect(await probe('slack', key, {status: 200, body: JSON.stringify({ok: true, team: 'Acme', user: 'deploybot'})})).toMatchObject({status: 'live', details: {team: 'Acme'}});
		expect(seen.at(-1)).toMatchObject({method: 'POST', url: '/api/auth.test'});
		expect(await probe('slack', key, {status: 200, body: JSON.stringify({ok: false, error: 'invalid_auth'})})).toMatchObject({status: 'revoked'});
		expect(await probe('slack', key, {status: 200, body: JSON.stringify({ok: false, error: 'ratelimited'})})).toMatchObject({status: 'unknown'});
	});

	it('OpenAI: 200 live, 401 revoked', async () => {
		const key = fakeKeys.openai();
		expect(await probe('openai', key, {status: 200})).toMatchObject({status: 'live'});
		expect(seen.at(-1)!.url).toBe('/v1/me');
		expect(await probe('openai', key, {status: 401})).toMatchObject({status: 'revoked'});
	});

	it('never follows a redirect, and a timeout or a closed port is unknown', async () => {
		const key = fakeKeys.openai();
		const before = seen.length;
		expect(await probe('openai', key, {status: 302, headers: {location: `${base}/elsewhere`}})).toMatchObject({status: 'unknown', reason: expect.stringContaining('redirect')});
		expect(seen.length - before).toBe(1); // /elsewhere was never asked
		expect(await probe('openai', key, {status: 200, hang: true}, 300)).toMatchObject({status: 'unknown', reason: 'no answer within 0.3 s'});
		const closed = await probeKey(findProvider(playbooks, 'openai'), key, {baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000});
		expect(closed).toMatchObject({status: 'unknown', reason: expect.stringContaining('network error')});
		expect(JSON.stringify(closed)).not.toContain(key);
	});

	it('the generic fallback has no probe and says so', async () => {
		expect(await probeKey(findProvider(playbooks, 'generic'), fakeCloudSightKey())).toMatchObject({status: 'unknown', reason: expect.stringContaining('no safe probe')});
	});

	it('accepts only a loopback LEAKFIX_PROBE_BASE_URL', () => {
		expect(probeBaseUrl({LEAKFIX_PROBE_BASE_URL: 'http://127.0.0.1:8080'})).toBe('http://127.0.0.1:8080');
		expect(() => probeBaseUrl({LEAKFIX_PROBE_BASE_URL: 'https://evil.example.com'})).toThrow(/loopback origin/);
		expect(probeBaseUrl({})).toBeUndefined();
	});
});

describe('the AWS probe through a stub aws CLI', () => {
	function stubAws(): {dir: string; log: string} {
		const dir = tempDir();
		const log = path.join(dir, 'calls.log');
		// Records argv and the key variables; answers live for one key id, revoked for others.
		fs.writeFileSync(
			path.join(dir, 'aws'),
			`#!/bin/sh\nprintf 'argv=%s\\nid=%s\\nsecret=%s\\nprofile=%s\\nendpoint=%s\\n' "$*" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "\${AWS_PROFILE-unset}" "\${AWS_ENDPOINT_URL_STS-unset}" >> '${log}'\ncase "$AWS_ACCESS_KEY_ID" in\n  *LIVE*|A[KS]IA*Q) echo '{"UserId":"AIDA","Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/ci"}' ;;\n  *) echo 'An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.' >&2; exit 254 ;;\nesac\n`,
			{mode: 0o755},
		);
		return {dir, log};
	}

	it('sends the pair in the environment only, and reads live and revoked', async () => {
		const {dir, log} = stubAws();
		const aws = findProvider(playbooks, 'aws');
		const run: typeof runCommand = (bin, args, options) => runCommand(bin, args, {...options, env: {...options?.env, PATH: `${dir}${path.delimiter}${process.env.PATH}`}});
		let pair = fakeKeys.awsPair();
		while (pair.split(':')[0]!.endsWith('Q')) pair = fakeKeys.awsPair();
		const secret = pair.split(':')[1]!;
		// A key id whose account is known (a published research example), built at run time.
		const livePair = `${'AS' + 'IA' + 'Y34FZKBOKMUTVV7Q'}:${secret}`;
		const live = await probeKey(aws, livePair, {run, baseUrl: 'http://127.0.0.1:9'});
		expect(live).toMatchObject({status: 'live', details: {account: '123456789012', 'account (from the key id)': '609629065308'}});
		expect(await probeKey(aws, pair, {run})).toMatchObject({status: 'revoked', reason: expect.stringContaining('InvalidClientTokenId')});
		const calls = fs.readFileSync(log, 'utf8');
		expect(calls).toContain('argv=sts get-caller-identity --output json');
		expect(calls).toContain(`secret=${secret}`); // in the environment…
		expect(calls.split('\n').filter(line => line.startsWith('argv=')).join('\n')).not.toContain(secret); // …never in argv
		expect(calls).toContain('profile=unset');
		expect(calls).toContain('endpoint=http://127.0.0.1:9'); // the loopback setting reaches the AWS probe too
		expect(calls).toContain('endpoint=unset');
	});
});

describe('leakfix verify (built bin)', () => {
	/** The bin runs as a child; the loopback server in this process answers it. */
	function verify(args: string[], input: string, env: Record<string, string> = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
		return new Promise(resolve => {
			const child = spawn(process.execPath, [path.resolve('bin/leakfix.js'), 'verify', ...args], {env: {...process.env, LEAKFIX_PROBE_BASE_URL: base, ...env}});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', chunk => (stdout += chunk));
			child.stderr.on('data', chunk => (stderr += chunk));
			child.on('close', code => resolve({code, stdout, stderr}));
			child.stdin.end(input);
		});
	}

	it('exits 0 live, 3 revoked, 4 unknown, 2 for a bad setting; the key is never printed', async () => {
		const key = fakeKeys.github();
		answers.set(key, {status: 200, headers: {'x-oauth-scopes': 'repo'}});
		const live = await verify(['--provider', 'github', '--key-stdin'], key);
		expect(live.code).toBe(0);
		expect(live.stdout).toContain('live: HTTP 200: the key was accepted');
		expect(live.stdout).toContain(`Authorization: token ${mask(key)}`);
		expect(live.stdout).toContain('scopes: repo');
		answers.set(key, {status: 401});
		const revoked = await verify(['--provider', 'github', '--key-stdin', '--json'], key);
		expect(revoked.code).toBe(3);
		expect(JSON.parse(revoked.stdout)).toMatchObject({status: 'revoked', provider: 'github'});
		answers.set(key, {status: 500});
		expect((await verify(['--provider', 'github', '--key-stdin'], key)).code).toBe(4);
		const bad = await verify(['--provider', 'github', '--key-stdin'], key, {LEAKFIX_PROBE_BASE_URL: 'https://example.com'});
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('must be a loopback origin');
		const unknownProvider = await verify(['--provider', 'nope', '--key-stdin'], key);
		expect(unknownProvider).toMatchObject({code: 2, stderr: expect.stringContaining('Unknown provider "nope"')});
		for (const result of [live, revoked, bad, unknownProvider]) expect(result.stdout + result.stderr).not.toContain(key);
	});
});
