// Who can read it: the access readers against recording stub CLIs that answer as each CLI
// documents (aws get-resource-policy JSON, vault policy list/read, gh api with --jq, kubectl -o
// json), a real file's mode, and a loopback Conjur; then the findings in the session.
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {sessionSchema} from '../../src/core/model.js';
import {transition} from '../../src/core/session.js';
import {RAW_CONTROL} from '../../src/core/text.js';
import {renderAccessText} from '../../src/commands/access.js';
import {accessPlan, readAccess} from '../../src/engines/access/index.js';
import {parseVaultPolicy} from '../../src/engines/access/parse.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {withPath} from '../helpers/stubs.js';
import {makeSession} from '../unit/session-fixture.js';

type Answer = {stdout?: string; stderr?: string; exitCode?: number};

/** A stub CLI answering by its whole argv (joined with spaces), recording every call's argv. */
function dispatchStub(name: string, answers: Record<string, Answer>, dir = tempDir('leakfix-stubs-')) {
	const log = path.join(dir, `${name}.calls`);
	const cases = Object.entries(answers).map(([argv, answer], index) => {
		const out = path.join(dir, `${name}.${index}.out`);
		fs.writeFileSync(out, answer.stdout ?? '');
		const err = path.join(dir, `${name}.${index}.err`);
		fs.writeFileSync(err, answer.stderr ?? '');
		return `  '${argv.replace(/'/g, `'\\''`)}') cat '${out}'; cat '${err}' >&2; exit ${answer.exitCode ?? 0};;`;
	});
	fs.writeFileSync(path.join(dir, name), ['#!/bin/sh', 'PATH=/usr/bin:/bin', `printf '%s\\n' "$*" >> '${log}'`, 'case "$*" in', ...cases, `  *) echo "unexpected: $*" >&2; exit 64;;`, 'esac', ''].join('\n'), {mode: 0o755});
	return {dir, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])};
}

const servers: http.Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(server => new Promise(resolve => server.close(resolve))));
});

describe('who can read it', () => {
	it('AWS: the principals the secret\'s resource policy allows GetSecretValue, with conditions; what is not read is said', async () => {
		const arn = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:prod/shop/cloudsight-AbCdEf';
		const policy = {
			Version: '2012-10-17',
			Statement: [
				{Sid: 'App', Effect: 'Allow', Principal: {AWS: ['arn:aws:iam::111122223333:role/shop-api', 'arn:aws:iam::444455556666:root']}, Action: 'secretsmanager:GetSecretValue', Resource: '*'},
				{Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'secretsmanager:*', Resource: arn, Condition: {StringEquals: {'aws:PrincipalOrgID': 'o-abc'}}},
				{Sid: 'Writers', Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::111122223333:role/ci'}, Action: ['secretsmanager:PutSecretValue'], Resource: '*'},
				{Sid: 'NoIntern', Effect: 'Deny', Principal: {AWS: 'arn:aws:iam::111122223333:user/intern'}, Action: 'secretsmanager:GetSecretValue', Resource: '*'},
				{Sid: 'Odd', Effect: 'Allow', NotPrincipal: {AWS: 'x'}, Action: 'secretsmanager:GetSecretValue', Resource: '*'},
			],
		};
		const aws = dispatchStub('aws', {
			'secretsmanager get-resource-policy --secret-id prod/shop/cloudsight --region eu-central-1 --output json': {stdout: JSON.stringify({ARN: arn, Name: 'prod/shop/cloudsight', ResourcePolicy: JSON.stringify(policy, null, 2)})},
			'secretsmanager get-resource-policy --secret-id bare --output json': {stdout: JSON.stringify({ARN: arn, Name: 'bare'})},
			'secretsmanager get-resource-policy --secret-id gone --output json': {exitCode: 254, stderr: 'An error occurred (ResourceNotFoundException) when calling the GetResourcePolicy operation: Secrets Manager can\'t find the specified secret.'},
		});
		const store = {type: 'aws-sm' as const, secretId: 'prod/shop/cloudsight', region: 'eu-central-1'};
		expect(accessPlan(store)).toEqual(['aws secretsmanager get-resource-policy --secret-id prod/shop/cloudsight --region eu-central-1 --output json']);
		const reading = await withPath(aws.dir, () => readAccess(store));
		expect(reading.readers).toEqual([
			{kind: 'principal', who: 'arn:aws:iam::111122223333:role/shop-api', how: 'the secret\'s resource policy (statement App) allows secretsmanager:GetSecretValue'},
			{kind: 'principal', who: 'arn:aws:iam::444455556666:root', how: 'the secret\'s resource policy (statement App) allows secretsmanager:GetSecretValue'},
			{kind: 'principal', who: 'anyone (Principal "*")', how: 'the secret\'s resource policy (statement Everyone) allows secretsmanager:GetSecretValue when {"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}'},
		]);
		expect(reading.unread).toEqual([
			expect.stringContaining('IAM users and roles whose own identity policies allow secretsmanager:GetSecretValue'),
			'statement NoIntern denies arn:aws:iam::111122223333:user/intern GetSecretValue',
			'statement Odd uses NotPrincipal: read it in full (aws secretsmanager get-resource-policy)',
		]);
		expect(reading.commands).toEqual(accessPlan(store)); // what ran is what was shown
		const bare = await withPath(aws.dir, () => readAccess({type: 'aws-sm', secretId: 'bare'}));
		expect(bare).toMatchObject({readers: [], unread: [expect.stringContaining('no resource policy is attached'), expect.any(String)]});
		const gone = await withPath(aws.dir, () => readAccess({type: 'aws-sm', secretId: 'gone'}));
		expect(gone.unread[0]).toBe('the secret\'s resource policy: aws exited 254: An error occurred (ResourceNotFoundException) when calling the GetResourcePolicy operation: Secrets Manager can\'t find the specified secret.');
	});

	it('Vault: the policies whose most specific matching path grants read on the KV path (v2 data/ path), root, and a deny', async () => {
		const vault = dispatchStub('vault', {
			'policy list -format=json': {stdout: JSON.stringify(['default', 'root', 'shop-read', 'shop-deny', 'ops', 'broken'])},
			'policy read default': {stdout: 'path "auth/token/lookup-self" {\n  capabilities = ["read"]\n}\n'},
			'policy read shop-read': {stdout: '# shop services\npath "secret/data/shop/*" {\n  capabilities = ["read", "list"]\n}\n'},
			'policy read shop-deny': {stdout: 'path "secret/data/shop/*" {\n  capabilities = ["read"]\n}\npath "secret/data/shop/prod" {\n  capabilities = ["deny"]\n}\n'},
			'policy read ops': {stdout: 'path "secret/+/shop/prod" {\n  capabilities = ["create", "update", "read"]\n}\n'},
			'policy read broken': {exitCode: 2, stderr: 'Error reading policy named broken: Code: 403. Errors:\n* permission denied'},
		});
		const reading = await withPath(vault.dir, () => readAccess({type: 'vault', mount: 'secret', path: 'shop/prod', field: 'cloudsight'}));
		expect(reading.readers).toEqual([
			{kind: 'policy', who: 'Vault policy root', how: 'every capability on every path (root tokens)'},
			{kind: 'policy', who: 'Vault policy shop-read', how: 'path "secret/data/shop/*" grants read, list on secret/data/shop/prod (every token and identity with this policy)'},
			{kind: 'policy', who: 'Vault policy ops', how: 'path "secret/+/shop/prod" grants create, update, read on secret/data/shop/prod (every token and identity with this policy)'},
		]);
		expect(reading.unread).toEqual(['policy shop-deny denies secret/data/shop/prod (path "secret/data/shop/prod")', 'policy broken: vault exited 2: Error reading policy named broken: Code: 403. Errors:', expect.stringContaining('which tokens, entities and auth roles hold these policies')]);
		expect(vault.calls()).toEqual(['policy list -format=json', 'policy read default', 'policy read shop-read', 'policy read shop-deny', 'policy read ops', 'policy read broken']);
		expect(parseVaultPolicy('kv1', 'path "kv/shop/prod" { capabilities = ["read"] }', ['kv/data/shop/prod', 'kv/shop/prod'])).toMatchObject({who: 'Vault policy kv1'});
		expect(parseVaultPolicy('other', 'path "secret/data/billing/*" { capabilities = ["read"] }', ['secret/data/shop/prod'])).toBeNull();
	});

	it('GitHub: an organisation secret\'s selected repositories, all/private visibility, and a repository\'s admins', async () => {
		const gh = dispatchStub('gh', {
			'api orgs/acme/actions/secrets/CLOUDSIGHT_API_KEY --jq .visibility': {stdout: 'selected\n'},
			'api --paginate orgs/acme/actions/secrets/CLOUDSIGHT_API_KEY/repositories --jq .repositories[].full_name': {stdout: 'acme/shop\nacme/worker\n'},
			'api orgs/wide/actions/secrets/K --jq .visibility': {stdout: 'all\n'},
			'api --paginate repos/acme/shop/collaborators?permission=admin --jq .[].login': {stdout: 'octocat\nhubot\n'},
			'api --paginate repos/acme/private/collaborators?permission=admin --jq .[].login': {exitCode: 1, stderr: 'gh: Must have push access to view repository collaborators. (HTTP 403)'},
		});
		const org = await withPath(gh.dir, () => readAccess({type: 'github-actions', org: 'acme', name: 'CLOUDSIGHT_API_KEY'}));
		expect(org.readers.map(reader => [reader.kind, reader.who])).toEqual([['repository', 'acme/shop'], ['repository', 'acme/worker']]);
		const wide = await withPath(gh.dir, () => readAccess({type: 'github-actions', org: 'wide', name: 'K'}));
		expect(wide.readers).toEqual([{kind: 'repository', who: 'every repository of wide', how: 'visibility all: any workflow in any of them can read it'}]);
		const repo = await withPath(gh.dir, () => readAccess({type: 'github-actions', repo: 'acme/shop', name: 'CLOUDSIGHT_API_KEY', environment: 'production'}));
		expect(repo.readers).toEqual([
			{kind: 'admin', who: 'octocat', how: 'admin of acme/shop: can change the secret and run a workflow that reads it'},
			{kind: 'admin', who: 'hubot', how: 'admin of acme/shop: can change the secret and run a workflow that reads it'},
		]);
		expect(repo.unread).toEqual([expect.stringContaining('anyone with write access to acme/shop can push a workflow that uses the secret (unless the environment production has required reviewers')]);
		const refused = await withPath(gh.dir, () => readAccess({type: 'github-actions', repo: 'acme/private', name: 'X'}));
		expect(refused).toMatchObject({readers: [], unread: ['the repository\'s admins: gh exited 1: gh: Must have push access to view repository collaborators. (HTTP 403)']});
		expect(await readAccess({type: 'github-actions', name: 'X'})).toMatchObject({commands: [], unread: [expect.stringContaining('names no repository')]});
	});

	it('Kubernetes: subjects bound to Roles and ClusterRoles that get (or list) the Secret, honouring resourceNames', async () => {
		const list = (items: unknown[]) => JSON.stringify({apiVersion: 'v1', kind: 'List', items});
		const namespaced = list([
			{kind: 'Role', metadata: {name: 'read-cloudsight', namespace: 'shop'}, rules: [{apiGroups: [''], resources: ['secrets'], resourceNames: ['cloudsight'], verbs: ['get']}]},
			{kind: 'Role', metadata: {name: 'read-other', namespace: 'shop'}, rules: [{apiGroups: [''], resources: ['secrets'], resourceNames: ['db'], verbs: ['get']}]},
			{kind: 'Role', metadata: {name: 'pods', namespace: 'shop'}, rules: [{apiGroups: [''], resources: ['pods'], verbs: ['get', 'list']}]},
			{kind: 'RoleBinding', metadata: {name: 'api', namespace: 'shop'}, roleRef: {kind: 'Role', name: 'read-cloudsight'}, subjects: [{kind: 'ServiceAccount', name: 'shop-api', namespace: 'shop'}]},
			{kind: 'RoleBinding', metadata: {name: 'db', namespace: 'shop'}, roleRef: {kind: 'Role', name: 'read-other'}, subjects: [{kind: 'ServiceAccount', name: 'db'}]},
			{kind: 'RoleBinding', metadata: {name: 'devs', namespace: 'shop'}, roleRef: {kind: 'ClusterRole', name: 'secret-lister'}, subjects: [{kind: 'Group', name: 'developers'}]},
		]);
		const cluster = list([
			{kind: 'ClusterRole', metadata: {name: 'secret-lister'}, rules: [{apiGroups: [''], resources: ['secrets'], resourceNames: ['db'], verbs: ['list', 'get']}]},
			{kind: 'ClusterRole', metadata: {name: 'cluster-admin'}, rules: [{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]},
			{kind: 'ClusterRoleBinding', metadata: {name: 'cluster-admin'}, roleRef: {kind: 'ClusterRole', name: 'cluster-admin'}, subjects: [{kind: 'Group', name: 'system:masters'}]},
		]);
		const kubectl = dispatchStub('kubectl', {
			'--context prod-eu --namespace shop get roles,rolebindings --output json': {stdout: namespaced},
			'--context prod-eu get clusterroles,clusterrolebindings --output json': {stdout: cluster},
			'--namespace locked get roles,rolebindings --output json': {stdout: list([])},
			'get clusterroles,clusterrolebindings --output json': {exitCode: 1, stderr: 'Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io is forbidden: User "dev" cannot list resource "clusterroles"'},
		});
		const store = {type: 'kubernetes' as const, context: 'prod-eu', namespace: 'shop', name: 'cloudsight', key: 'api-key'};
		const reading = await withPath(kubectl.dir, () => readAccess(store));
		expect(reading.readers).toEqual([
			{kind: 'subject', who: 'ServiceAccount shop/shop-api', how: 'RoleBinding api → Role/read-cloudsight: get on secrets in shop'},
			{kind: 'subject', who: 'Group developers', how: 'RoleBinding devs → ClusterRole/secret-lister: list on secrets in shop (list and watch return the values too)'},
			{kind: 'subject', who: 'Group system:masters', how: 'ClusterRoleBinding cluster-admin → ClusterRole/cluster-admin: * on secrets in every namespace (list and watch return the values too)'},
		]);
		expect(reading.commands).toEqual(accessPlan(store));
		const locked = await withPath(kubectl.dir, () => readAccess({type: 'kubernetes', namespace: 'locked', name: 'x', key: 'y'}));
		expect(locked.unread[0]).toMatch(/^ClusterRoles and ClusterRoleBindings: kubectl exited 1: Error from server \(Forbidden\)/);
	});

	it('an env file: its mode says who can read it; Conjur: the roles with execute, through its REST API', async () => {
		const dir = tempDir();
		const file = path.join(dir, '.env');
		fs.writeFileSync(file, 'CLOUDSIGHT_API_KEY=x\n', {mode: 0o644});
		fs.chmodSync(file, 0o644);
		const reading = await readAccess({type: 'env-file', path: file, variable: 'CLOUDSIGHT_API_KEY'});
		expect(reading.readers.map(reader => reader.who)).toEqual([expect.stringMatching(/^the file's owner \(uid \d+\)$/), expect.stringMatching(/^group \d+$/), 'every user of this machine']);
		expect(reading.readers[2]!.how).toBe(`${file} is mode 0644: world-readable (chmod 600 to restrict)`);

		const seen: string[] = [];
		const server = http.createServer((req, res) => {
			seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
			res.writeHead(200, {'content-type': 'application/json'});
			res.end(JSON.stringify(['acme:host:shop/api', 'acme:user:alice']));
		});
		servers.push(server);
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const token = JSON.stringify({payload: 'x', signature: fakeCloudSightKey()});
		const conjur = await readAccess({type: 'conjur', variableId: 'shop/prod/key'}, {conjur: {env: {CONJUR_APPLIANCE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, CONJUR_ACCOUNT: 'acme', CONJUR_AUTHN_TOKEN: token}, home: dir}});
		expect(conjur.readers).toEqual([
			{kind: 'principal', who: 'acme:host:shop/api', how: 'holds execute on variable:shop/prod/key (can fetch its value)'},
			{kind: 'principal', who: 'acme:user:alice', how: 'holds execute on variable:shop/prod/key (can fetch its value)'},
		]);
		expect(seen).toEqual([`GET /resources/acme/variable/shop%2Fprod%2Fkey?permitted_roles=true&privilege=execute Token token="${Buffer.from(token).toString('base64')}"`]);
	});

	it('keeps the findings in the session: each marked expected or to fix, kept across a re-read; old sessions load', () => {
		const key = fakeCloudSightKey();
		let session = makeSession(key);
		session = transition(session, {type: 'inventory.saved', at: '2026-11-27T12:10:00.000Z', entry: {id: 'svc-1', service: 'shop-api', environment: 'prod', store: {type: 'vault', mount: 'secret', path: 'shop/prod', field: 'k'}, evidence: [], origin: 'manual'}});
		expect(sessionSchema.parse(session).inventory![0]!.access).toBeUndefined();
		const readers = [
			{kind: 'policy' as const, who: 'Vault policy shop-read', how: 'path "secret/data/shop/*" grants read'},
			{kind: 'policy' as const, who: 'Vault policy ops', how: 'path "secret/+/shop/prod" grants read'},
		];
		session = transition(session, {type: 'access.read', at: '2026-11-27T12:11:00.000Z', id: 'svc-1', commands: ['vault policy list -format=json'], readers, unread: ['which tokens hold these policies']});
		expect(session.timeline.at(-1)!.text).toBe('Who can read shop-api (Vault secret/shop/prod field k): 2 readers (2 not reviewed); 1 thing not read');
		session = transition(session, {type: 'access.marked', at: '2026-11-27T12:12:00.000Z', id: 'svc-1', finding: 'policy:Vault policy shop-read', verdict: 'expected'});
		session = transition(session, {type: 'access.marked', at: '2026-11-27T12:13:00.000Z', id: 'svc-1', finding: 'policy:Vault policy ops', verdict: 'to-fix', note: 'ops needs no read'});
		expect(session.timeline.at(-1)!.text).toBe('Reader of shop-api judged to fix: Vault policy ops: path "secret/+/shop/prod" grants read [to fix] — ops needs no read');
		// A re-read keeps the verdicts; a judged reader no longer found stays, marked as such.
		session = transition(session, {type: 'access.read', at: '2026-11-28T09:00:00.000Z', id: 'svc-1', commands: [], readers: [readers[0]!], unread: []});
		const access = sessionSchema.parse(session).inventory![0]!.access!;
		expect(access.findings.map(finding => [finding.who, finding.verdict, finding.how])).toEqual([
			['Vault policy shop-read', 'expected', 'path "secret/data/shop/*" grants read'],
			['Vault policy ops', 'to-fix', 'path "secret/+/shop/prod" grants read (not found by the latest reading)'],
		]);
		expect(access.checkedAt).toBe('2026-11-28T09:00:00.000Z');
		expect(transition(session, {type: 'access.marked', at: '2026-11-28T09:01:00.000Z', id: 'svc-1', finding: 'nope', verdict: 'expected'})).toBe(session);
		// Outside text (a login, a policy's words) is shown with its controls visible, never raw.
		const hostile = transition(session, {type: 'access.read', at: '2026-11-28T09:02:00.000Z', id: 'svc-1', commands: [], readers: [{kind: 'admin', who: 'evil\u001b]52;c;aGk=\u0007', how: 'admin\nFAKE LINE'}], unread: ['\u001b[2Jcleared']});
		const text = renderAccessText(hostile, () => []);
		expect(text).not.toMatch(RAW_CONTROL);
		expect(text).toContain('evil\\x1b]52;c;aGk=\\x07: admin\\nFAKE LINE');
		expect(text).toContain('not read: \\x1b[2Jcleared');
	});
});

describe('leakfix access (built bin)', () => {
	it('shows the commands first, reads with --read (recording stubs on PATH), marks with --mark, and the report shows it', async () => {
		const {spawnSync} = await import('node:child_process');
		const {SessionStore} = await import('../../src/infra/store.js');
		const {sessionsDir} = await import('../../src/infra/paths.js');
		const {createRedactor} = await import('../../src/core/secrets.js');
		const key = fakeCloudSightKey();
		const home = tempDir();
		const store = new SessionStore(sessionsDir(home), createRedactor([key]));
		let session = makeSession(key);
		session = transition(session, {type: 'inventory.saved', at: '2026-11-27T12:10:00.000Z', entry: {id: 'svc-1', service: 'shop-api', environment: 'prod', store: {type: 'vault', mount: 'secret', path: 'shop/prod', field: 'k'}, evidence: [], origin: 'manual'}});
		store.save(session);
		const vault = dispatchStub('vault', {
			'policy list -format=json': {stdout: '["shop-read"]'},
			'policy read shop-read': {stdout: 'path "secret/data/shop/*" {\n  capabilities = ["read"]\n}\n'},
		});
		const leakfix = (args: string[]) => {
			const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home, PATH: `${vault.dir}${path.delimiter}${process.env.PATH}`};
			delete env.CI;
			const result = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), ...args], {env, input: '', encoding: 'utf8', cwd: tempDir()});
			return {code: result.status, stdout: result.stdout, stderr: result.stderr};
		};
		const before = leakfix(['access', session.id]);
		expect(before).toMatchObject({code: 0});
		expect(before.stdout).toContain('svc-1  shop-api [prod] Vault secret/shop/prod field k\n  not read yet; --read runs (read-only):\n    vault policy list -format=json');
		expect(vault.calls()).toEqual([]); // nothing runs without --read

		const read = leakfix(['access', session.id, '--read']);
		expect(read.code).toBe(0);
		expect(read.stderr).toContain('svc-1 shop-api: vault policy list -format=json; vault policy read <each policy>');
		expect(read.stdout).toContain('svc-1#1  [not reviewed]  Vault policy shop-read: path "secret/data/shop/*" grants read on secret/data/shop/prod');
		expect(vault.calls()).toEqual(['policy list -format=json', 'policy read shop-read']);

		expect(leakfix(['access', session.id, '--mark', 'svc-1#1=to-fix']).stdout).toContain('svc-1#1  [to fix]  Vault policy shop-read');
		expect(leakfix(['access', session.id, '--mark', 'svc-1#9=expected'])).toMatchObject({code: 2, stderr: expect.stringContaining('--mark svc-1#9: no such reader (svc-1 has 1)')});
		expect(leakfix(['access', session.id, '--mark', 'svc-1#1=maybe'])).toMatchObject({code: 2, stderr: expect.stringContaining('expected ENTRY#N=expected, ENTRY#N=to-fix or ENTRY#N=open')});
		const report = leakfix(['report', session.id]);
		expect(report.stdout).toContain('## Who can read it');
		expect(report.stdout).toMatch(/\| shop-api \| Vault policy shop-read \| path .*secret\/data\/shop\/.* grants read on secret\/data\/shop\/prod .*\| to fix \|/); // markdown escapes the quotes and *
		expect(report.stdout).toContain('Not read');
		const json = JSON.parse(leakfix(['report', session.id, '--format', 'json']).stdout) as {inventory: Array<{access: {findings: Array<{verdict: string}>}}>};
		expect(json.inventory[0]!.access.findings[0]!.verdict).toBe('to-fix');
	});
});
