// `leakfix inventory --org ORG`: gh search code, src search and the org's secret-scanning alerts
// through recording stubs on PATH that answer like the real ones. The secret never goes into an
// argv; the alerts are compared by sha256; limits and failures are said.
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {main, type Io} from '../../src/cli.js';
import {keyNeedles} from '../../src/core/needles.js';
import {searchOrg} from '../../src/engines/inventory/org.js';
import {UserError} from '../../src/infra/errors.js';
import {ghApiStub} from '../helpers/gh-api-stub.js';
import {fakeKeys} from '../helpers/keys.js';

async function leakfix(args: string[], input = ''): Promise<{code: number; stdout: string; stderr: string}> {
	let stdout = '';
	let stderr = '';
	const stdin = new PassThrough() as PassThrough & {isTTY?: boolean};
	stdin.end(input);
	const io: Io = {stdout: {write: (text: string) => (stdout += text)}, stderr: {write: (text: string) => (stderr += text)}, stdin};
	const code = await main(args, io);
	return {code, stdout, stderr};
}

async function withEnv<T>(env: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
	const saved = Object.fromEntries(Object.keys(env).map(name => [name, process.env[name]]));
	for (const [name, value] of Object.entries(env)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	try {
		return await work();
	} finally {
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	}
}

const search = (term: string) => `argv:search code ${term} --owner acme --json path,repository,url --limit 100`;
const repoOf = (name: string) => ({nameWithOwner: `acme/${name}`, isPrivate: true, isFork: false, url: `https://github.com/acme/${name}`});
const hit = (name: string, file: string) => ({path: file, repository: repoOf(name), url: `https://github.com/acme/${name}/blob/abc/${file}`});
const alertsPath = 'orgs/acme/secret-scanning/alerts?state=open&per_page=100';

describe('leakfix inventory --org ORG', () => {
	it('searches GitHub code for the variable names, compares the org\'s alerts by sha256, says what it skipped; no secret in any argv', async () => {
		const key = fakeKeys.stripeLive();
		const other = fakeKeys.stripeLive();
		const gh = ghApiStub({
			[search('STRIPE_SECRET_KEY')]: {body: JSON.stringify([hit('billing', 'config/prod.env'), hit('checkout', '.github/workflows/deploy.yml')])},
			[search('STRIPE_API_KEY')]: {body: '[]'},
			// Two pages; one alert is this key's, one another key's, one came without its secret.
			[alertsPath]: {
				body:
					JSON.stringify([{number: 7, secret_type: 'stripe_api_key', secret: key, html_url: 'https://github.com/acme/legacy/security/secret-scanning/7', repository: {full_name: 'acme/legacy'}}]) +
					JSON.stringify([{number: 8, secret_type: 'stripe_api_key', secret: other, repository: {full_name: 'acme/other'}}, {number: 9, secret_type: 'stripe_api_key', repository: {full_name: 'acme/x'}}]),
			},
		});
		const result = await withEnv({PATH: `${gh.dir}:${process.env.PATH}`, SRC_ENDPOINT: undefined}, () => leakfix(['inventory', '--org', 'acme', '--env-var', 'STRIPE_SECRET_KEY', '--env-var', 'STRIPE_API_KEY', '--key-stdin', '--json'], key));
		expect(result.code).toBe(0);
		const found = JSON.parse(result.stdout) as {terms: string[]; candidates: Array<Record<string, unknown>>; engines: Array<Record<string, string>>};
		expect(found.terms).toEqual(['STRIPE_SECRET_KEY', 'STRIPE_API_KEY']);
		expect(found.candidates).toEqual([
			{engine: 'github-code-search', repo: 'acme/billing', file: 'config/prod.env', url: 'https://github.com/acme/billing/blob/abc/config/prod.env', matched: 'STRIPE_SECRET_KEY'},
			{engine: 'github-code-search', repo: 'acme/checkout', file: '.github/workflows/deploy.yml', url: 'https://github.com/acme/checkout/blob/abc/.github/workflows/deploy.yml', matched: 'STRIPE_SECRET_KEY'},
			{engine: 'github-secret-scanning', repo: 'acme/legacy', url: 'https://github.com/acme/legacy/security/secret-scanning/7', matched: 'the same secret (sha256), alert #7'},
		]);
		expect(found.engines).toEqual([
			{engine: 'github-code-search', status: 'complete', detail: '2 results for 2 terms'},
			{engine: 'sourcegraph', status: 'skipped', detail: 'SRC_ENDPOINT is not set (set it, and SRC_ACCESS_TOKEN, to search a Sourcegraph instance with src)'},
			{engine: 'github-secret-scanning', status: 'partial', detail: '3 open alerts read, 1 for this key; 1 came without their secret and could not be compared'},
		]);
		const argv = JSON.stringify(gh.calls());
		expect(gh.calls().map(call => call.slice(0, 3))).toEqual([
			['search', 'code', 'STRIPE_SECRET_KEY'],
			['search', 'code', 'STRIPE_API_KEY'],
			['api', '--paginate', '-H'],
		]);
		for (const secret of [key, other]) for (const needle of keyNeedles(secret)) expect(argv + result.stdout).not.toContain(needle.bytes.toString('latin1'));
	});

	it('says a rate limit plainly: the terms not searched, the result partial; Sourcegraph where SRC_ENDPOINT is set', async () => {
		const key = fakeKeys.awsPair();
		const keyId = key.split(':')[0]!;
		const gh = ghApiStub({
			[search('AWS_ACCESS_KEY_ID')]: {body: JSON.stringify(Array.from({length: 100}, (_, index) => hit(`svc-${index}`, '.env')))},
			[search('AWS_SECRET_ACCESS_KEY')]: {error: 'HTTP 403: API rate limit exceeded for user ID 1234. If you reach out to GitHub Support for help, please include the request ID'},
			[alertsPath]: {error: 'gh: Must have admin rights to Repository. (HTTP 403)'},
		});
		const src = ghApiStub(
			{
				[`argv:search -json repo:^github\\.com/acme/ "${keyId}" count:500`]: {
					body: JSON.stringify({Results: [{__typename: 'FileMatch', repository: {name: 'github.com/acme/infra'}, file: {name: 'main.tf', path: 'aws/main.tf', url: '/github.com/acme/infra/-/blob/aws/main.tf'}, lineMatches: [{lineNumber: 11, preview: 'access_key = var.key_id'}]}], LimitHit: false}),
				},
				[`argv:search -json repo:^github\\.com/acme/ "AWS_ACCESS_KEY_ID" count:500`]: {body: JSON.stringify({Results: [], LimitHit: true})},
			},
			'src',
		);
		const found = await withEnv({PATH: `${gh.dir}:${src.dir}:${process.env.PATH}`, SRC_ENDPOINT: 'https://sourcegraph.example.com/'}, () =>
			searchOrg('acme', {envVars: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], keyId, key}),
		);
		expect(found.terms).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', keyId]);
		expect(found.engines[0]).toEqual({
			engine: 'github-code-search',
			status: 'partial',
			detail: `100 results for 3 terms; 1 term hit GitHub's 100-result cap, so there may be more; failed: "AWS_SECRET_ACCESS_KEY": HTTP 403: API rate limit exceeded for user ID 1234. If you reach out to GitHub Support for help, please include the request ID; rate-limited: 1 term was not searched; run again after the limit resets`,
		});
		expect(gh.calls().filter(call => call[0] === 'search').map(call => call[2])).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
		expect(found.engines[1]).toMatchObject({engine: 'sourcegraph', status: 'partial'});
		expect(found.engines[1]!.detail).toMatch(/^1 result for 3 terms on https:\/\/sourcegraph\.example\.com\/; 1 search hit Sourcegraph's result limit, so there may be more; failed: "AWS_SECRET_ACCESS_KEY": src: Not Found/);
		expect(found.candidates.find(candidate => candidate.engine === 'sourcegraph')).toEqual({engine: 'sourcegraph', repo: 'acme/infra', file: 'aws/main.tf', line: 12, url: 'https://sourcegraph.example.com/github.com/acme/infra/-/blob/aws/main.tf', matched: keyId});
		expect(found.engines[2]).toEqual({engine: 'github-secret-scanning', status: 'failed', detail: 'gh: Must have admin rights to Repository. (HTTP 403) (only organisation owners and security managers can list them; gh auth refresh -s security_events,read:org)'});
		// The key id is searched, the secret half never.
		const secretHalf = key.split(':')[1]!;
		expect(JSON.stringify([...gh.calls(), ...src.calls()])).not.toContain(secretHalf);
	});

	it('prints the candidates as places to confirm, and refuses a bad --org or --org with --repo', async () => {
		const gh = ghApiStub({[search('SENDGRID_API_KEY')]: {body: JSON.stringify([hit('mailer', 'src/\u001B[31mmail.ts')])}});
		const result = await withEnv({PATH: `${gh.dir}:${process.env.PATH}`, SRC_ENDPOINT: undefined}, () => leakfix(['inventory', '--org', 'acme', '--env-var', 'SENDGRID_API_KEY']));
		expect(result.stdout).toContain('Searched the acme organisation for SENDGRID_API_KEY (names and the key\'s id, never the key itself).');
		expect(result.stdout).toContain('GitHub secret-scanning alerts (gh api): skipped — needs the key (--key-stdin)');
		expect(result.stdout).toContain('1 candidate in 1 repository — each one a place to confirm, not a proven consumer:');
		expect(result.stdout).toContain('src/\\x1b[31mmail.ts');
		expect(result.stdout).not.toContain('\u001B');
		expect(result.stdout).toContain('Partial: not every search ran to the end');
		const refused = async (args: string[]) => (await leakfix(args).catch((error: unknown) => error)) as UserError;
		expect((await refused(['inventory', '--org', 'ac/me', '--env-var', 'X'])).message).toMatch(/not a GitHub organisation name/);
		expect((await refused(['inventory', '--org', 'acme', '--repo', '.', '--env-var', 'X'])).message).toMatch(/Run them one at a time/);
	});
});
