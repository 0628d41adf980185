// Contract tests: leakfix's own store updates run through the real `aws` and `gh` CLIs (Debian's
// awscli and gh, which CI installs), against loopback HTTPS stand-ins for Secrets Manager and the
// GitHub API reached through a CONNECT proxy (test/helpers/https-proxy.ts). They prove what the
// CLIs really send: the stored value is exactly the new key, and nothing else in the store changed.
// Where a CLI is missing, its tests are skipped with a message naming it.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Store} from '../../src/core/model.js';
import {planUpdate} from '../../src/core/stores.js';
import {applyUpdate} from '../../src/engines/rotate.js';
import {resolveBinary} from '../../src/infra/command.js';
import {tempDir} from '../helpers/fs.js';
import {hasOpenssl, startStandIn, withEnv, type StandIn, type StandInRequest, type StandInResponse} from '../helpers/https-proxy.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {sealKeyPair, sealOpen} from '../helpers/sealed-box.js';
import {withPath} from '../helpers/stubs.js';

/** The CLI CI has (Debian's package in /usr/bin) first, else whatever PATH gives; null when none. */
function findCli(name: string): string | null {
	if (fs.existsSync(`/usr/bin/${name}`)) return `/usr/bin/${name}`;
	try {
		return resolveBinary(name, tempDir());
	} catch {
		return null;
	}
}

const openssl = await hasOpenssl();
const awsCli = findCli('aws');
const ghCli = findCli('gh');
for (const [name, found] of [['aws (apt-get install awscli)', awsCli], ['gh (apt-get install gh)', ghCli], ['openssl', openssl ? 'yes' : null]] as const) {
	if (!found) console.warn(`store-contract: ${name} is not installed here: its contract tests are skipped.`);
}

// Folders that live for a whole suite (tempDir() ones go after each test); removed at the end.
const scratch: string[] = [];
function suiteDir(prefix: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	scratch.push(dir);
	return dir;
}
afterAll(() => {
	for (const dir of scratch.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
});

/** A folder holding only the chosen CLI, put first on PATH. */
function binDir(name: string, file: string): string {
	const dir = suiteDir('leakfix-cli-');
	fs.symlinkSync(file, path.join(dir, name));
	return dir;
}

const redact = (secret: string) => (text: string) => text.split(secret).join('…');
const json = (status: number, body: unknown, headers: Record<string, string> = {}): StandInResponse => ({status, headers, body: JSON.stringify(body)});

// A pretty JSON document with what a parse-and-stringify round trip would rewrite: a number past
// 2^53, 1.0, 1e2, \u escapes, \/, non-ASCII, tabs, and the same key in a nested object.
const DOCUMENT = [
	'{',
	'    "db_password": "p\\u00e4ss\\/w\\"rd",',
	'    "account": 123456789012345678901,',
	'    "ratio": 1.0,',
	'    "scale": 1e2,',
	'    "city": "Zürich",',
	'    "nested": {"api_key": "nested-stays", "list": [1, 2.50, {}]},',
	'    "api_key": "OLD-VALUE-TO-REPLACE",',
	'\t"empty": ""',
	'}',
	'',
].join('\n');

describe.skipIf(!awsCli || !openssl)(`aws secretsmanager through the real CLI (${awsCli ?? 'aws missing'})`, () => {
	const secrets = new Map<string, string>();
	let standIn: StandIn;
	let env: Record<string, string | undefined>;
	let bin: string;

	beforeAll(async () => {
		standIn = await startStandIn(['secretsmanager.eu-central-1.amazonaws.com'], (request: StandInRequest) => {
			const target = String(request.headers['x-amz-target'] ?? '');
			const body = JSON.parse(request.body.toString('utf8') || '{}') as {SecretId?: string; SecretString?: string};
			if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) return json(403, {__type: 'MissingAuthenticationTokenException', message: 'unsigned'});
			const id = body.SecretId ?? '';
			if (!secrets.has(id)) return json(400, {__type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret."}, {'content-type': 'application/x-amz-json-1.1'});
			const arn = `arn:aws:secretsmanager:eu-central-1:111122223333:secret:${id}-AbCdEf`;
			if (target === 'secretsmanager.GetSecretValue') return json(200, {ARN: arn, Name: id, VersionId: 'v1', SecretString: secrets.get(id), VersionStages: ['AWSCURRENT'], CreatedDate: 1_764_000_000}, {'content-type': 'application/x-amz-json-1.1'});
			if (target === 'secretsmanager.PutSecretValue') {
				secrets.set(id, body.SecretString ?? '');
				return json(200, {ARN: arn, Name: id, VersionId: 'v2', VersionStages: ['AWSCURRENT']}, {'content-type': 'application/x-amz-json-1.1'});
			}
			return json(400, {__type: 'UnknownOperationException', message: target});
		});
		const home = suiteDir('leakfix-aws-home-');
		bin = binDir('aws', awsCli!);
		env = {
			HTTPS_PROXY: standIn.proxyUrl,
			https_proxy: standIn.proxyUrl,
			HTTP_PROXY: undefined,
			http_proxy: undefined,
			NO_PROXY: undefined,
			no_proxy: undefined,
			AWS_CA_BUNDLE: standIn.caFile,
			AWS_ACCESS_KEY_ID: 'AK' + 'IA' + 'STANDIN0STANDIN0',
			AWS_SECRET_ACCESS_KEY: randomBytes(30).toString('base64'),
			AWS_SESSION_TOKEN: undefined,
			AWS_PROFILE: undefined,
			AWS_CONFIG_FILE: path.join(home, 'config'),
			AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
			AWS_EC2_METADATA_DISABLED: 'true',
			AWS_ENDPOINT_URL: undefined,
			AWS_PAGER: '',
			AWS_DEFAULT_REGION: 'eu-central-1',
			// The C locale: leakfix must still read and write UTF-8 text exactly.
			LC_ALL: 'C',
			LANG: 'C',
		};
	});
	afterAll(async () => standIn?.close());

	const update = (store: Store, secret: string) => withEnv(env, () => withPath(bin, () => applyUpdate(planUpdate(store, '…masked'), secret, {redact: redact(secret), stamp: 'x'})));

	it('a JSON key: the new SecretString is the old text with only that member\'s value replaced, byte for byte', async () => {
		const secret = fakeCloudSightKey();
		secrets.set('prod/shop', DOCUMENT);
		secrets.set('prod/other', '{"api_key":"untouched"}');
		const before = standIn.requests.length;
		const result = await update({type: 'aws-sm', secretId: 'prod/shop', jsonKey: 'api_key', region: 'eu-central-1'}, secret);
		expect(result).toMatchObject({status: 'done'});
		expect(secrets.get('prod/shop')).toBe(DOCUMENT.replace('"OLD-VALUE-TO-REPLACE"', JSON.stringify(secret)));
		expect(secrets.get('prod/other')).toBe('{"api_key":"untouched"}');
		expect(standIn.requests.slice(before).map(request => request.headers['x-amz-target'])).toEqual(['secretsmanager.GetSecretValue', 'secretsmanager.PutSecretValue']);
		expect(standIn.refused).toEqual([]);
	});

	it('a document with CRLF line ends: sent with LF (the CLI reads its input as text), and the result says so', async () => {
		const secret = fakeCloudSightKey();
		const crlf = DOCUMENT.replace(/\n/g, '\r\n');
		secrets.set('prod/crlf', crlf);
		const result = await update({type: 'aws-sm', secretId: 'prod/crlf', jsonKey: 'api_key', region: 'eu-central-1'}, secret);
		expect(result).toMatchObject({status: 'done', detail: expect.stringContaining("the document's CRLF line ends were written as LF")});
		expect(secrets.get('prod/crlf')).toBe(DOCUMENT.replace('"OLD-VALUE-TO-REPLACE"', JSON.stringify(secret)));
	});

	it('no JSON key: the SecretString is exactly the new key', async () => {
		const secret = fakeCloudSightKey();
		secrets.set('prod/plain', 'old-value');
		expect(await update({type: 'aws-sm', secretId: 'prod/plain', region: 'eu-central-1'}, secret)).toMatchObject({status: 'done'});
		expect(secrets.get('prod/plain')).toBe(secret);
	});

	it('a member that is missing: nothing is written, and it says why', async () => {
		const secret = fakeCloudSightKey();
		secrets.set('prod/nokey', '{"other": 1.0}');
		const before = standIn.requests.length;
		expect(await update({type: 'aws-sm', secretId: 'prod/nokey', jsonKey: 'api_key', region: 'eu-central-1'}, secret)).toMatchObject({status: 'failed', detail: expect.stringContaining('has no key "api_key"')});
		expect(secrets.get('prod/nokey')).toBe('{"other": 1.0}');
		expect(standIn.requests.slice(before).map(request => request.headers['x-amz-target'])).toEqual(['secretsmanager.GetSecretValue']);
	});

	it('a secret that does not exist: the action is named and the CLI\'s own error line shown', async () => {
		const secret = fakeCloudSightKey();
		const result = await update({type: 'aws-sm', secretId: 'prod/missing', region: 'eu-central-1'}, secret);
		expect(result.status).toBe('failed');
		expect(result.detail).toMatch(/^aws secretsmanager put-secret-value of prod\/missing failed \(exit \d+\): An error occurred \(ResourceNotFoundException\) when calling the PutSecretValue operation: Secrets Manager can't find the specified secret\. \(does it exist\?/);
	});
});

type OrgSecret = {visibility: 'all' | 'private' | 'selected'; repos: number[]; value: string; updated: number};

describe.skipIf(!ghCli || !openssl)(`gh secret set through the real CLI (${ghCli ?? 'gh missing'})`, () => {
	const keys = sealKeyPair();
	const KEY_ID = '3380204578043523366';
	const repos = [
		{id: 1001, full_name: 'acme/web', name: 'web'},
		{id: 1002, full_name: 'acme/api', name: 'api'},
		{id: 1003, full_name: 'acme/docs', name: 'docs'},
	];
	const org = new Map<string, OrgSecret>();
	const repoSecrets = new Map<string, string>();
	const unknown: string[] = [];
	let standIn: StandIn;
	let env: Record<string, string | undefined>;
	let bin: string;

	const open = (body: Buffer) => {
		const payload = JSON.parse(body.toString('utf8')) as {encrypted_value: string; key_id: string; visibility?: string; selected_repository_ids?: number[]};
		if (payload.key_id !== KEY_ID) throw new Error(`wrong key id ${payload.key_id}`);
		return {payload, value: sealOpen(Buffer.from(payload.encrypted_value, 'base64'), keys).toString('utf8')};
	};

	beforeAll(async () => {
		standIn = await startStandIn(['api.github.com'], (request: StandInRequest) => {
			if (request.headers.authorization !== `token ${env.GH_TOKEN}`) return json(401, {message: 'Bad credentials'});
			const url = new URL(request.path, 'https://api.github.com');
			const route = `${request.method} ${url.pathname}`;
			let match: RegExpExecArray | null;
			if (/^GET \/(orgs\/acme|repos\/acme\/web(\/environments\/[^/]+)?)(\/actions)?\/secrets\/public-key$/.test(route)) return json(200, {key_id: KEY_ID, key: keys.publicKey.toString('base64')});
			if ((match = /^GET \/orgs\/acme\/actions\/secrets\/([^/]+)$/.exec(route))) {
				const secret = org.get(match[1]!);
				return secret ? json(200, {name: match[1], created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', visibility: secret.visibility, ...(secret.visibility === 'selected' ? {selected_repositories_url: `https://api.github.com/orgs/acme/actions/secrets/${match[1]}/repositories`} : {})}) : json(404, {message: 'Not Found'});
			}
			if ((match = /^GET \/orgs\/acme\/actions\/secrets\/([^/]+)\/repositories$/.exec(route))) {
				// Two per page: --paginate must follow the Link header.
				const secret = org.get(match[1]!);
				if (!secret) return json(404, {message: 'Not Found'});
				const page = Number(url.searchParams.get('page') ?? '1');
				const selected = repos.filter(repo => secret.repos.includes(repo.id));
				const more = page * 2 < selected.length;
				return json(200, {total_count: selected.length, repositories: selected.slice((page - 1) * 2, page * 2)}, more ? {link: `<https://api.github.com/orgs/acme/actions/secrets/${match[1]}/repositories?page=${page + 1}>; rel="next"`} : {});
			}
			if ((match = /^PUT \/orgs\/acme\/actions\/secrets\/([^/]+)$/.exec(route))) {
				const {payload, value} = open(request.body);
				if (!['all', 'private', 'selected'].includes(payload.visibility ?? '')) return json(422, {message: 'visibility'});
				const previous = org.get(match[1]!);
				org.set(match[1]!, {visibility: payload.visibility as OrgSecret['visibility'], repos: payload.visibility === 'selected' ? (payload.selected_repository_ids ?? []) : [], value, updated: (previous?.updated ?? 0) + 1});
				return {status: 204};
			}
			if ((match = /^PUT \/repos\/acme\/web(?:\/environments\/([^/]+))?\/actions\/secrets\/([^/]+)$|^PUT \/repos\/acme\/web\/environments\/([^/]+)\/secrets\/([^/]+)$/.exec(route))) {
				const environment = match[1] ?? match[3];
				const name = match[2] ?? match[4];
				repoSecrets.set(`${environment ?? ''}:${name}`, open(request.body).value);
				return {status: 201, body: '{}'};
			}
			if (route === 'POST /graphql') {
				const query = (JSON.parse(request.body.toString('utf8')) as {query: string}).query;
				const data: Record<string, {databaseId: number} | null> = {};
				for (const [, alias, owner, name] of query.matchAll(/(repo_\d+): repository\(owner: "([^"]+)", name: "([^"]+)"\)/g)) {
					data[alias!] = repos.find(repo => repo.full_name === `${owner}/${name}`) ? {databaseId: repos.find(repo => repo.full_name === `${owner}/${name}`)!.id} : null;
				}
				return json(200, {data});
			}
			unknown.push(route);
			return json(404, {message: 'Not Found'});
		});
		bin = binDir('gh', ghCli!);
		env = {
			HTTPS_PROXY: standIn.proxyUrl,
			https_proxy: standIn.proxyUrl,
			HTTP_PROXY: undefined,
			http_proxy: undefined,
			NO_PROXY: undefined,
			no_proxy: undefined,
			SSL_CERT_FILE: standIn.caFile,
			SSL_CERT_DIR: suiteDir('leakfix-no-certs-'), // only the throwaway CA is trusted
			GH_TOKEN: 'gh' + 'o_' + randomBytes(18).toString('hex'),
			GITHUB_TOKEN: undefined,
			GH_ENTERPRISE_TOKEN: undefined,
			GH_HOST: undefined,
			GH_REPO: undefined,
			GH_CONFIG_DIR: suiteDir('leakfix-gh-config-'),
			GH_NO_UPDATE_NOTIFIER: '1',
			GH_PROMPT_DISABLED: '1',
		};
	});
	afterAll(async () => standIn?.close());

	const update = (store: Store, secret: string) => withEnv(env, () => withPath(bin, () => applyUpdate(planUpdate(store, '…masked'), secret, {redact: redact(secret), stamp: 'x', cwd: tempDir()})));

	for (const [visibility, selected] of [
		['all', []],
		['private', []],
		['selected', [1001, 1002, 1003]],
	] as const) {
		it(`an organisation secret shared with ${visibility === 'selected' ? 'three selected repositories' : visibility}: the value is exactly the new key and the visibility${visibility === 'selected' ? ' and repositories are' : ' is'} kept`, async () => {
			const secret = fakeCloudSightKey();
			org.set('CLOUDSIGHT_API_KEY', {visibility, repos: [...selected], value: 'old', updated: 0});
			org.set('OTHER', {visibility: 'all', repos: [], value: 'other-stays', updated: 0});
			const result = await update({type: 'github-actions', org: 'acme', name: 'CLOUDSIGHT_API_KEY'}, secret);
			expect(result).toMatchObject({status: 'done', detail: expect.stringContaining(`visibility kept: ${visibility}`)});
			expect(org.get('CLOUDSIGHT_API_KEY')).toEqual({visibility, repos: [...selected], value: secret, updated: 1});
			expect(org.get('OTHER')).toEqual({visibility: 'all', repos: [], value: 'other-stays', updated: 0});
			expect(unknown).toEqual([]);
			expect(standIn.refused).toEqual([]);
		});
	}

	it('a repository secret and a repository environment\'s secret: the value is exactly the new key', async () => {
		const secret = fakeCloudSightKey();
		expect(await update({type: 'github-actions', repo: 'acme/web', name: 'K'}, secret)).toMatchObject({status: 'done'});
		expect(repoSecrets.get(':K')).toBe(secret);
		const second = fakeCloudSightKey();
		expect(await update({type: 'github-actions', repo: 'acme/web', name: 'K', environment: 'production'}, second)).toMatchObject({status: 'done'});
		expect(repoSecrets.get('production:K')).toBe(second);
		expect(repoSecrets.get(':K')).toBe(secret);
		expect(unknown).toEqual([]);
	});

	it('an organisation secret that does not exist: gh\'s own error line, the read named, nothing set', async () => {
		const secret = fakeCloudSightKey();
		const result = await update({type: 'github-actions', org: 'acme', name: 'NOPE'}, secret);
		expect(result.status).toBe('failed');
		expect(result.detail).toMatch(/^gh api orgs\/acme\/actions\/secrets\/NOPE \(reading its visibility\) failed \(exit 1\): .*404/);
		expect(org.has('NOPE')).toBe(false);
	});
});
