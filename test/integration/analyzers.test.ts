// Contract tests of every analyzer (what a live key can do): a loopback server replays the answers
// each provider documents — live with its scopes, revoked, valid-but-restricted, rate-limited, 5xx,
// an HTML page, a redirect, a timeout — and each case asserts the verdict, the scopes read, and
// that `unknown` is never reported as `revoked`. Probes point at loopback the way probe.test.ts does.
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Power} from '../../src/core/scopes.js';
import {providerRows} from '../../src/commands/providers.js';
import {probeKey, type ProbeResult} from '../../src/engines/probe.js';
import {runCommand} from '../../src/infra/command.js';
import {findProvider, loadPlaybooks} from '../../src/playbooks/load.js';
import {tempDir} from '../helpers/fs.js';
import {fakeKeys} from '../helpers/keys.js';
import {sampleOf} from '../helpers/regex-sample.js';

type Answer = {status: number; body?: string; type?: string; headers?: Record<string, string>; hang?: boolean};
type Seen = {method: string; url: string; headers: http.IncomingHttpHeaders; body: string};

let server: http.Server;
let base: string;
const seen: Seen[] = [];
/** Path (without the query) -> answer, set per case. */
let routes = new Map<string, Answer>();

beforeAll(async () => {
	server = http.createServer((request, response) => {
		let body = '';
		request.on('data', chunk => (body += chunk));
		request.on('end', () => {
			seen.push({method: request.method ?? '', url: request.url ?? '', headers: request.headers, body});
			const answer = routes.get((request.url ?? '').split('?')[0]!) ?? {status: 418};
			if (answer.hang) return;
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
const json = (value: unknown): Answer => ({status: 200, body: JSON.stringify(value)});

type Case = {
	/** The key (built at run time); the provider's first strong pattern when absent. */
	key?: () => string;
	/** Answers by path for a live key: the probe's and the analyzer's follow-ups. */
	live: (key: string) => Record<string, Answer>;
	power: Power;
	facts: Record<string, string | RegExp>;
	scopes?: string[];
	/** The probe's answer for a dead key. */
	revoked?: Answer;
	/** Another live answer: a valid key with fewer rights (the verdict stays live, the reach shrinks). */
	restricted?: {key?: () => string; live: (key: string) => Record<string, Answer>; power: Power; facts?: Record<string, string | RegExp>};
};

const CASES: Record<string, Case> = {
	github: {
		live: () => ({
			'/user': {status: 200, body: JSON.stringify({login: 'octo'}), headers: {'x-oauth-scopes': 'repo, read:org'}},
			'/user/repos': json([{full_name: 'octo/app', permissions: {admin: false, push: true, pull: true}}]),
		}),
		power: 'write',
		facts: {user: 'octo', scopes: 'repo, read:org', 'repositories reached': '1: octo/app', 'can push to': 'octo/app'},
		scopes: ['repo', 'read:org'],
		revoked: {status: 401, body: '{"message":"Bad credentials"}'},
		// A fine-grained token: no X-OAuth-Scopes; its reach is the repositories listed.
		restricted: {
			live: () => ({'/user': json({login: 'octo'}), '/user/repos': json([{full_name: 'octo/docs', permissions: {admin: false, push: false, pull: true}}])}),
			power: 'read-only',
			facts: {'repositories reached': '1: octo/docs'},
		},
	},
	gitlab: {
		live: () => ({
			'/api/v4/user': json({username: 'dev', is_admin: false}),
			'/api/v4/personal_access_tokens/self': json({name: 'ci', scopes: ['api', 'read_user'], expires_at: '2027-01-01', active: true}),
		}),
		power: 'write',
		facts: {user: 'dev', 'token name': 'ci', scopes: '2: api, read_user', expires: '2027-01-01'},
		scopes: ['api', 'read_user'],
		revoked: {status: 401, body: '{"message":"401 Unauthorized"}'},
		restricted: {
			live: () => ({'/api/v4/user': {status: 403, body: '{"message":"403 Forbidden"}'}, '/api/v4/personal_access_tokens/self': json({name: 'reg', scopes: ['read_registry'], expires_at: null})}),
			power: 'read-only',
			facts: {scopes: '1: read_registry'},
		},
	},
	slack: {
		live: () => ({'/api/auth.test': {status: 200, body: JSON.stringify({ok: true, team: 'Acme', user: 'bot', url: 'https://acme.slack.com/'}), headers: {'x-oauth-scopes': 'chat:write,channels:read'}}}),
		power: 'write',
		facts: {team: 'Acme', user: 'bot', workspace: 'https://acme.slack.com/', scopes: 'chat:write, channels:read'},
		scopes: ['chat:write', 'channels:read'],
		revoked: {status: 200, body: '{"ok":false,"error":"invalid_auth"}'},
		restricted: {live: () => ({'/api/auth.test': {status: 200, body: '{"ok":true,"team":"Acme"}', headers: {'x-oauth-scopes': 'channels:read,users:read'}}}), power: 'read-only'},
	},
	stripe: {
		key: fakeKeys.stripeLive,
		live: () => ({'/v1/charges': json({data: []})}),
		power: 'admin',
		facts: {mode: /^live/, kind: /^secret key/},
		revoked: {status: 401, body: '{"error":{"type":"invalid_request_error"}}'},
		restricted: {
			key: () => 'rk_' + 'live_' + fakeKeys.stripeLive().slice(8),
			live: () => ({'/v1/charges': {status: 403, body: JSON.stringify({error: {message: "The provided key does not have the required permissions for this endpoint. Having the 'rak_charge_read' permission would allow this request to continue."}})}}),
			power: 'unknown',
			facts: {charges: 'not allowed (needs rak_charge_read)'},
		},
	},
	openai: {
		live: () => ({'/v1/me': {status: 200, body: JSON.stringify({email: 'a@example.com', orgs: {data: [{title: 'Acme'}]}}), headers: {'openai-organization': 'org-acme', 'openai-project': 'proj_1'}}}),
		power: 'unknown',
		facts: {user: 'a@example.com', organisations: 'Acme', 'organisation id': 'org-acme', project: 'proj_1'},
		revoked: {status: 401},
	},
	anthropic: {
		live: () => ({'/v1/models': {status: 200, body: '{"data":[]}', headers: {'anthropic-organization-id': 'org-uuid-1'}}}),
		power: 'write',
		facts: {'organisation id': 'org-uuid-1'},
		revoked: {status: 401},
	},
	sendgrid: {
		live: () => ({'/v3/scopes': json({scopes: ['mail.send', 'alerts.read']})}),
		power: 'write',
		facts: {scopes: '2: mail.send, alerts.read'},
		scopes: ['mail.send', 'alerts.read'],
		revoked: {status: 401},
		restricted: {live: () => ({'/v3/scopes': json({scopes: ['stats.read', 'alerts.read']})}), power: 'read-only'},
	},
	npm: {
		live: key => ({
			'/-/whoami': json({username: 'pub'}),
			'/-/npm/v1/tokens': json({objects: [{key: sha512(key), readonly: false, cidr_whitelist: ['10.0.0.0/8'], created: '2026-01-01T00:00:00Z'}]}),
		}),
		power: 'write',
		facts: {user: 'pub', token: /^publish/, 'allowed from': '10.0.0.0/8'},
		revoked: {status: 401},
		restricted: {live: key => ({'/-/whoami': json({username: 'pub'}), '/-/npm/v1/tokens': json({objects: [{key: sha512(key), readonly: true}]})}), power: 'read-only', facts: {token: 'read-only'}},
	},
	huggingface: {
		live: () => ({'/api/whoami-v2': json({name: 'hf', orgs: [{name: 'lab'}], auth: {accessToken: {displayName: 'ci', role: 'write'}}})}),
		power: 'write',
		facts: {user: 'hf', role: 'write', organisations: 'lab', token: 'ci'},
		revoked: {status: 401},
		restricted: {live: () => ({'/api/whoami-v2': json({name: 'hf', auth: {accessToken: {role: 'fineGrained', fineGrained: {scoped: [{permissions: ['repo.content.read']}]}}}})}), power: 'read-only'},
	},
	digitalocean: {
		live: () => ({'/v2/account': json({account: {email: 'ops@example.com', status: 'active', team: {name: 'Ops'}}})}),
		power: 'unknown',
		facts: {account: 'ops@example.com', team: 'Ops', status: 'active'},
		revoked: {status: 401},
	},
	heroku: {live: () => ({'/account': json({email: 'h@example.com'})}), power: 'admin', facts: {account: 'h@example.com'}, revoked: {status: 401}},
	cloudflare: {
		live: () => ({
			'/client/v4/user/tokens/verify': json({success: true, result: {id: 'tok123', status: 'active', expires_on: '2027-01-01T00:00:00Z'}}),
			'/client/v4/user/tokens/tok123': json({result: {policies: [{effect: 'allow', permission_groups: [{name: 'Zone Read'}, {name: 'DNS Write'}]}]}}),
		}),
		power: 'write',
		facts: {'token id': 'tok123', status: 'active', permissions: '2: Zone Read, DNS Write', 'policy effects': 'allow'},
		scopes: ['Zone Read', 'DNS Write'],
		revoked: {status: 401},
		// Without the API Tokens Read permission the policies are not readable: said, never guessed.
		restricted: {live: () => ({'/client/v4/user/tokens/verify': json({result: {id: 'tok9', status: 'active'}}), '/client/v4/user/tokens/tok9': {status: 403, body: '{"success":false}'}}), power: 'unknown'},
	},
	datadog: {live: () => ({'/api/v1/validate': json({valid: true})}), power: 'write', facts: {valid: 'true'}},
	pagerduty: {live: () => ({'/schedules': json({schedules: [{name: 'Primary'}, {name: 'Backup'}]})}), power: 'unknown', facts: {'schedules visible': '2: Primary, Backup'}, revoked: {status: 401}},
	sentry: {
		live: () => ({'/api/0/auth/validate/': json({}), '/api/0/': json({user: {username: 'dev'}, auth: {scopes: ['org:read', 'project:write']}})}),
		power: 'write',
		facts: {user: 'dev', scopes: '2: org:read, project:write'},
		scopes: ['org:read', 'project:write'],
		revoked: {status: 401},
		restricted: {live: () => ({'/api/0/auth/validate/': json({}), '/api/0/': json({auth: {scopes: ['org:read', 'project:read']}})}), power: 'read-only'},
	},
	vercel: {
		live: () => ({'/www/user': json({user: {username: 'v', email: 'v@example.com'}}), '/v2/teams': json({teams: [{name: 'Web'}]})}),
		power: 'unknown',
		facts: {user: 'v', 'e-mail': 'v@example.com', teams: '1: Web'},
		revoked: {status: 401},
	},
	netlify: {live: () => ({'/api/v1/user': json({email: 'n@example.com'}), '/api/v1/accounts': json([{name: 'Team N'}])}), power: 'admin', facts: {user: 'n@example.com', teams: '1: Team N'}, revoked: {status: 401}},
	notion: {
		live: () => ({'/v1/users/me': json({name: 'Sync', bot: {workspace_name: 'Acme', owner: {type: 'workspace'}}})}),
		power: 'unknown',
		facts: {integration: 'Sync', workspace: 'Acme', owner: 'workspace'},
		revoked: {status: 401},
		restricted: {live: () => ({'/v1/users/me': {status: 403, body: '{"object":"error","code":"restricted_resource"}'}}), power: 'unknown'},
	},
	airtable: {
		live: () => ({'/v0/meta/whoami': json({id: 'usr1', email: 'a@example.com', scopes: ['data.records:read', 'data.records:write']})}),
		power: 'write',
		facts: {user: 'a@example.com', scopes: '2: data.records:read, data.records:write'},
		revoked: {status: 401},
		restricted: {live: () => ({'/v0/meta/whoami': json({scopes: ['data.records:read', 'schema.bases:read']})}), power: 'read-only'},
	},
	fastly: {
		live: () => ({'/tokens/self': json({name: 'deploy', scope: 'global', services: ['svc1'], expires_at: null})}),
		power: 'admin',
		facts: {token: 'deploy', scopes: '1: global', services: '1: svc1'},
		revoked: {status: 401},
		restricted: {live: () => ({'/tokens/self': json({name: 'ro', scope: 'global:read'})}), power: 'read-only'},
	},
	launchdarkly: {live: () => ({'/api/v2/caller-identity': json({tokenName: 'ci', tokenKind: 'auth', accountId: 'acc1'})}), power: 'unknown', facts: {token: 'ci', kind: 'auth', account: 'acc1'}, revoked: {status: 401}},
	doppler: {live: () => ({'/v3/me': json({name: 'ci', type: 'service', workplace: {name: 'Acme'}})}), power: 'unknown', facts: {token: 'ci', kind: 'service', workplace: 'Acme'}, revoked: {status: 401}},
	'terraform-cloud': {live: () => ({'/api/v2/account/details': json({data: {attributes: {username: 'tf', email: 't@example.com', 'is-service-account': false}}})}), power: 'unknown', facts: {user: 'tf', 'e-mail': 't@example.com', 'service account': 'false'}, revoked: {status: 401}},
	circleci: {live: () => ({'/api/v2/me': json({login: 'cc', name: 'C C'})}), power: 'write', facts: {user: 'cc'}, revoked: {status: 401}},
	replicate: {live: () => ({'/v1/account': json({username: 'r', type: 'organization'})}), power: 'write', facts: {account: 'r', kind: 'organization'}, revoked: {status: 401}},
	linear: {
		live: () => ({'/graphql': json({data: {viewer: {id: 'u1', name: 'Li', email: 'li@example.com', admin: true}, organization: {name: 'Acme', urlKey: 'acme'}}})}),
		power: 'unknown',
		facts: {user: 'li@example.com', 'workspace admin': 'true', workspace: 'Acme'},
		// Linear answers an unknown key with an AUTHENTICATION_ERROR (HTTP 400 or 200): the body decides.
		revoked: {status: 400, body: JSON.stringify({errors: [{message: 'Authentication required, not authenticated', extensions: {code: 'AUTHENTICATION_ERROR'}}]})},
	},
	mailgun: {
		live: () => ({'/v3/domains': json({total_count: 2, items: [{name: 'mg.example.com'}, {name: 'example.org'}]})}),
		power: 'admin',
		facts: {domains: '2: mg.example.com, example.org', 'domains in all': '2'},
	},
	twilio: {
		live: () => ({'/2010-04-01/Accounts.json': json({accounts: [{friendly_name: 'Main', type: 'Full', status: 'active'}, {friendly_name: 'Sub A', type: 'Full', status: 'suspended'}]})}),
		power: 'admin',
		facts: {accounts: '2: Main, Sub A', 'account types': 'Full', statuses: 'active, suspended'},
		revoked: {status: 401, body: '{"code":20003,"message":"Authenticate"}'},
	},
	postman: {live: () => ({'/me': json({user: {username: 'pm', teamName: 'QA'}})}), power: 'write', facts: {user: 'pm', team: 'QA'}, revoked: {status: 401}},
};

function sha512(key: string): string {
	return createHash('sha512').update(key).digest('hex');
}

function keyFor(id: string): string {
	const made = CASES[id]!.key?.();
	if (made) return made;
	const provider = findProvider(playbooks, id);
	const strong = provider.keyPatterns.find(pattern => pattern.strength === 'strong' && !pattern.testMode) ?? provider.keyPatterns[0];
	return strong ? sampleOf(strong.regex) : `k${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

function probePath(id: string): string {
	const probe = findProvider(playbooks, id).probe;
	if (probe?.kind !== 'http') throw new Error(`${id} has no http probe`);
	return new URL(probe.url).pathname;
}

async function run(id: string, key: string, answers: Record<string, Answer>, timeoutMs = 1500, whole = true): Promise<ProbeResult> {
	routes = new Map(Object.entries(answers));
	const from = seen.length;
	const result = await probeKey(findProvider(playbooks, id), key, {baseUrl: base, timeoutMs});
	// The key never travels in a URL, and never comes back in what is kept.
	for (const request of seen.slice(from)) expect(request.url).not.toContain(key);
	expect(JSON.stringify(whole ? result : result.blastRadius)).not.toContain(key);
	return result;
}

function expectFacts(result: ProbeResult, facts: Record<string, string | RegExp>) {
	const got = Object.fromEntries((result.blastRadius?.facts ?? []).map(fact => [fact.label, fact.value]));
	for (const [label, value] of Object.entries(facts)) {
		expect(got[label], `${label} in ${JSON.stringify(got)}`).toBeDefined();
		if (typeof value === 'string') expect(got[label]).toBe(value);
		else expect(got[label]).toMatch(value);
	}
}

describe('every analyzer against a loopback server', () => {
	it('covers at least 25 providers with an analyzer, each with a contract case here', () => {
		const analyzed = playbooks.providers.filter(provider => provider.analyzer).map(provider => provider.id);
		expect(analyzed.length).toBeGreaterThanOrEqual(25);
		// AWS is contract-tested below through a stub aws CLI.
		expect(analyzed.filter(id => id !== 'aws').sort()).toEqual(Object.keys(CASES).sort());
	});

	for (const [id, spec] of Object.entries(CASES)) {
		describe(id, () => {
			it('live: the verdict, the facts and scopes read, the power', async () => {
				const key = keyFor(id);
				const result = await run(id, key, spec.live(key));
				expect(result.status).toBe('live');
				expect(result.blastRadius, JSON.stringify(result)).toBeDefined();
				expect(result.blastRadius!.power).toBe(spec.power);
				expectFacts(result, spec.facts);
				if (spec.scopes) expect(result.blastRadius!.scopes).toEqual(spec.scopes);
			});

			if (spec.revoked) {
				it('revoked: the verdict, and nothing read of a dead key', async () => {
					const key = keyFor(id);
					const from = seen.length;
					const result = await run(id, key, {[probePath(id)]: spec.revoked!});
					expect(result.status).toBe('revoked');
					expect(result.blastRadius).toBeUndefined();
					expect(seen.length - from).toBe(1); // no follow-up request for a dead key
				});
			}

			if (spec.restricted) {
				it('valid but restricted: live, with the smaller reach', async () => {
					const key = spec.restricted!.key?.() ?? keyFor(id);
					const result = await run(id, key, spec.restricted!.live(key));
					expect(result.status).toBe('live');
					expect(result.blastRadius!.power).toBe(spec.restricted!.power);
					if (spec.restricted!.facts) expectFacts(result, spec.restricted!.facts);
				});
			}

			const unclear: Array<[string, Answer, RegExp]> = [
				['rate-limited', {status: 429, body: '{"message":"slow down"}'}, /rate limited/],
				['a 5xx', {status: 503}, /server error/],
				['an HTML page', {status: 200, type: 'text/html', body: '<!doctype html><title>Sign in</title>'}, /HTML|JSON/],
				['a redirect', {status: 302, headers: {location: 'https://evil.example/'}}, /redirect/],
				['a timeout', {status: 200, hang: true}, /no answer within/],
			];
			for (const [name, answer, reason] of unclear) {
				it(`${name}: unknown, never revoked, nothing read`, async () => {
					const key = keyFor(id);
					// Only the hanging answer is given a short deadline: a slow machine must not turn a redirect into a timeout.
					const result = await run(id, key, {[probePath(id)]: answer}, answer.hang ? 300 : 5000);
					expect(result.status).toBe('unknown');
					expect(result.reason).toMatch(reason);
					expect(result.blastRadius).toBeUndefined();
				});
			}

			const followUps = findProvider(playbooks, id).analyzer?.requests ?? [];
			if (followUps.length > 0) {
				it('a follow-up that fails (403, 5xx, HTML, timeout) leaves the verdict live and says what was not read', async () => {
					const key = keyFor(id);
					const live = spec.live(key);
					const followPaths = Object.keys(live).filter(route => route !== probePath(id));
					for (const failure of [{status: 403}, {status: 500}, {status: 200, type: 'text/html', body: '<html></html>'}, {status: 200, hang: true}] as Answer[]) {
						const result = await run(id, key, {...live, ...Object.fromEntries(followPaths.map(route => [route, failure]))}, failure.hang ? 300 : 5000);
						expect(result.status).toBe('live');
						expect(result.blastRadius!.notes.join(' ')).toMatch(/could not be read/);
						expect(result.blastRadius!.facts.map(fact => fact.label)).not.toContain('repositories reached');
					}
				});
			}
		});
	}

	it('leakfix providers --json names what each analyzer reads and which revoke leakfix can send', () => {
		const rows = providerRows(playbooks);
		expect(rows.filter(row => row.canDo !== null)).toHaveLength(playbooks.providers.filter(provider => provider.analyzer).length);
		expect(rows.find(row => row.id === 'gitlab')!.canDo).toMatchObject({reads: ['user', 'instance admin', 'token name', 'scopes', 'expires'], requests: ['GET https://gitlab.com/api/v4/personal_access_tokens/self']});
		expect(rows.find(row => row.id === 'aws')!.canDo!.reads).toContain('quarantine');
		expect(rows.filter(row => row.revoke.request).map(row => row.id).sort()).toEqual(['github', 'gitlab', 'npm', 'slack']);
	});

	it('analyze: false (the new key) sends the probe only', async () => {
		const key = keyFor('gitlab');
		routes = new Map(Object.entries(CASES.gitlab!.live(key)));
		const from = seen.length;
		const result = await probeKey(findProvider(playbooks, 'gitlab'), key, {baseUrl: base, analyze: false});
		expect(result.status).toBe('live');
		expect(result.blastRadius).toBeUndefined();
		expect(seen.length - from).toBe(1);
	});

	it('Linear (GraphQL): another error code with HTTP 200 is unknown, never revoked; the query only reads', async () => {
		const key = keyFor('linear');
		const from = seen.length;
		const result = await run('linear', key, {'/graphql': {status: 200, body: JSON.stringify({data: null, errors: [{message: 'Forbidden', extensions: {code: 'FORBIDDEN'}}]})}});
		expect(result.status).toBe('unknown');
		expect(result.reason).toContain('FORBIDDEN');
		expect(seen[from]!.method).toBe('POST');
		expect(seen[from]!.headers.authorization).toBe(key);
		expect(JSON.parse(seen[from]!.body).query).toMatch(/^\{ viewer \{/); // a query, never a mutation
	});

	it('Mailgun: HTTP Basic api:KEY in the header (masked in the consent), a 401 is unknown', async () => {
		const key = keyFor('mailgun');
		const from = seen.length;
		const live = await run('mailgun', key, CASES.mailgun!.live(key));
		expect(live.status).toBe('live');
		expect(seen[from]!.headers.authorization).toBe(`Basic ${Buffer.from(`api:${key}`).toString('base64')}`);
		expect(live.request).toMatch(/Authorization: Basic base64\(api:…[0-9a-f]{4}\)$/);
		expect(live.request).not.toContain(Buffer.from(`api:${key}`).toString('base64'));
		expect((await run('mailgun', key, {'/v3/domains': {status: 401, body: 'Forbidden', type: 'text/plain'}})).status).toBe('unknown');
	});

	it('Twilio: the pair as HTTP Basic credentials, masked in the consent; a token alone is not sent (unknown, never revoked)', async () => {
		const key = keyFor('twilio');
		const from = seen.length;
		const live = await run('twilio', key, CASES.twilio!.live(key));
		expect(live.status).toBe('live');
		expect(seen[from]!.headers.authorization).toBe(`Basic ${Buffer.from(key).toString('base64')}`);
		expect(live.request).toMatch(/Authorization: Basic base64\(…[0-9a-f]{4}\)/);
		const token = key.split(':')[1]!;
		const before = seen.length;
		const alone = await run('twilio', token, {});
		expect(alone).toMatchObject({status: 'unknown', reason: expect.stringContaining('not sent: enter the Account SID with its auth token')});
		expect(seen.length).toBe(before);
	});

	it('a provider answer holding the key is kept masked', async () => {
		const key = keyFor('slack');
		const result = await run('slack', key, {'/api/auth.test': {status: 200, body: JSON.stringify({ok: true, team: `team ${key}`}), headers: {'x-oauth-scopes': 'chat:write'}}}, 1500, false);
		expect(result.blastRadius!.facts.find(fact => fact.label === 'team')!.value).toMatch(/^team .*…/);
	});
});

describe('AWS: the user\'s policies and groups through a stub aws CLI, and the quarantine', () => {
	/** An aws stub answering per subcommand; `mode` picks a user with or without quarantine, or one that may not read IAM. */
	function stubAws(mode: 'quarantined' | 'admin' | 'denied' | 'root'): {run: typeof runCommand; log: string} {
		const dir = tempDir();
		const log = path.join(dir, 'calls.log');
		const arn = mode === 'root' ? 'arn:aws:iam::123456789012:root' : 'arn:aws:iam::123456789012:user/ci/deployer';
		const attached = mode === 'quarantined' ? '{"AttachedPolicies":[{"PolicyName":"AmazonS3FullAccess"},{"PolicyName":"AWSCompromisedKeyQuarantineV3"}]}' : '{"AttachedPolicies":[{"PolicyName":"AdministratorAccess"}]}';
		const iam =
			mode === 'denied'
				? `echo 'An error occurred (AccessDenied) when calling the $2 operation: User is not authorized' >&2; exit 254`
				: `case "$2" in list-attached-user-policies) echo '${attached}' ;; list-user-policies) echo '{"PolicyNames":["inline-deploy"]}' ;; list-groups-for-user) echo '{"Groups":[{"GroupName":"devs"}]}' ;; esac`;
		fs.writeFileSync(
			path.join(dir, 'aws'),
			`#!/bin/sh\nprintf 'argv=%s\\nsecret=%s\\n' "$*" "$AWS_SECRET_ACCESS_KEY" >> '${log}'\ncase "$1" in\n  sts) echo '{"Account":"123456789012","Arn":"${arn}"}' ;;\n  iam) ${iam} ;;\nesac\n`,
			{mode: 0o755},
		);
		const run: typeof runCommand = (bin, args, options) => runCommand(bin, args, {...options, env: {...options?.env, PATH: `${dir}${path.delimiter}${process.env.PATH}`}});
		return {run, log};
	}

	it('reads attached and inline policies and groups, with the pair in the environment only', async () => {
		const {run, log} = stubAws('admin');
		const pair = fakeKeys.awsPair();
		const result = await probeKey(findProvider(playbooks, 'aws'), pair, {run});
		expect(result.status).toBe('live');
		expect(result.blastRadius).toMatchObject({power: 'admin'});
		expectFacts(result, {identity: 'arn:aws:iam::123456789012:user/ci/deployer', 'attached policies': 'AdministratorAccess', 'inline policies': 'inline-deploy', groups: /^devs/});
		const calls = fs.readFileSync(log, 'utf8');
		expect(calls).toContain('argv=iam list-attached-user-policies --user-name deployer --output json');
		expect(calls).toContain('argv=iam list-groups-for-user --user-name deployer --output json');
		expect(calls.split('\n').filter(line => line.startsWith('argv=')).join('\n')).not.toContain(pair.split(':')[1]!);
		expect(calls).toContain(`secret=${pair.split(':')[1]!}`);
		expect(result.blastRadius!.quarantine).toBeUndefined();
	});

	it('the quarantine policy: named, what it denies, not to detach it, and the logs step needs another principal', async () => {
		const {run} = stubAws('quarantined');
		const result = await probeKey(findProvider(playbooks, 'aws'), fakeKeys.awsPair(), {run});
		expect(result.blastRadius!.quarantine).toEqual({policy: 'AWSCompromisedKeyQuarantineV3'});
		const note = result.blastRadius!.notes[0]!;
		expect(note).toContain('AWSCompromisedKeyQuarantineV3');
		expect(note).toContain('does NOT disable the key');
		expect(note).toContain('Do not detach it until the key is rotated');
		expect(note).toContain('cloudtrail:LookupEvents');
		expect(note).toMatch(/logs step must read CloudTrail as another principal/);
		// The quarantine is not what the key can do: S3 full access is.
		expect(result.blastRadius!.power).toBe('write');
	});

	it('a key that may not read its own policies says so plainly, and stays live', async () => {
		const {run} = stubAws('denied');
		const result = await probeKey(findProvider(playbooks, 'aws'), fakeKeys.awsPair(), {run});
		expect(result.status).toBe('live');
		expect(result.blastRadius!.power).toBe('unknown');
		expect(result.blastRadius!.notes.join('\n')).toMatch(/the key may not read its attached policies \(AccessDenied\)/);
	});

	it('the root user\'s key is admin, and no IAM user is asked about', async () => {
		const {run, log} = stubAws('root');
		const result = await probeKey(findProvider(playbooks, 'aws'), fakeKeys.awsPair(), {run});
		expect(result.blastRadius!.power).toBe('admin');
		expect(fs.readFileSync(log, 'utf8')).not.toContain('argv=iam');
	});
});
