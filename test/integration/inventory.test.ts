// Discovery on a real repository in a temp folder: every kind of consumer the issue names.
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {storeAddress} from '../../src/core/inventory/address.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {discoverInventory} from '../../src/engines/inventory/index.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

const V = 'CLOUDSIGHT_API_KEY';

function fixtureRepo(key: string): string {
	const root = tempDir();
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(root, file)), {recursive: true});
		fs.writeFileSync(path.join(root, file), text);
	};
	execFileSync('git', ['init', '-q', root]);
	execFileSync('git', ['-C', root, 'remote', 'add', 'origin', 'git@github.com:acme/shop.git']);
	write('services/api/package.json', JSON.stringify({name: 'shop-api'}));
	write('services/api/src/tagger.ts', `export const key = process.env.${V};\n`);
	write('services/api/.env.production', `${V}=${key}\nOTHER=1\n`);
	write('services/worker/pyproject.toml', '[project]\nname = "shop-worker"\n');
	write('services/worker/worker.py', `import os\nKEY = os.environ["${V}"]\nOTHER = os.getenv("${V}")\n`);
	write('services/billing/go.mod', 'module github.com/acme/billing\n');
	write('services/billing/main.go', `package main\nimport "os"\nvar k = os.Getenv("${V}")\n`);
	write('services/legacy/pom.xml', '<project/>');
	write('services/legacy/App.java', `class App { String k = System.getenv("${V}"); String hard = "${key}"; }\n`);
	write('services/ruby/Gemfile', "source 'https://rubygems.org'\n");
	write('services/ruby/app.rb', `key = ENV.fetch("${V}")\n`);
	write('.github/workflows/deploy.yml', `jobs:\n  deploy:\n    environment: staging\n    steps:\n      - run: make deploy\n        env:\n          ${V}: \${{ secrets.${V} }}\n`);
	write('.gitlab-ci.yml', `test:\n  script:\n    - curl -H "Authorization: CloudSight $${V}" https://example.com\n`);
	write('Dockerfile', `FROM node:20\nARG ${V}\n`);
	write('docker-compose.yml', `services:\n  api:\n    environment:\n      - ${V}=\${${V}}\n`);
	write('k8s/prod/api.yaml', `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop-api\n  namespace: shop-prod\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: ${V}\n              valueFrom:\n                secretKeyRef:\n                  name: cloudsight\n                  key: api-key\n`);
	write('charts/api/values.yaml', `env:\n  ${V}: ""\n`);
	write('infra/secrets.tf', 'resource "aws_secretsmanager_secret" "cloudsight" {\n  name = "prod/shop/cloudsight"\n}\nresource "vault_generic_secret" "cloudsight" {\n  path = "secret/shop/cloudsight"\n  data_json = jsonencode({ CLOUDSIGHT_API_KEY = var.key })\n}\n');
	write('node_modules/dep/index.js', `process.env.${V}\n`); // never read
	write('services/api/.env.example', `${V}=\n`); // a template: evidence, never a store
	return root;
}

describe('service discovery', () => {
	it('finds every kind of consumer and proposes entries with service, environment, store and evidence', async () => {
		const key = fakeCloudSightKey();
		const root = fixtureRepo(key);
		const result = await discoverInventory([root], {envVars: [V], key});
		const summary = result.entries.map(entry => `${entry.service} [${entry.environment}] ${storeAddress(entry.store).replace(root, '<repo>')}`);
		expect(summary).toEqual(
			expect.arrayContaining([
				`shop-api [prod] <repo>/services/api/.env.production ${V}`,
				`GitHub Actions deploy.yml [staging] GitHub Actions secret ${V} (environment staging) in acme/shop`,
				'shop-api [prod] Kubernetes secret shop-prod/cloudsight key api-key',
				expect.stringMatching(/\[prod\] AWS Secrets Manager prod\/shop\/cloudsight$/),
				expect.stringMatching(/\[unknown\] Vault secret\/shop\/cloudsight field CLOUDSIGHT_API_KEY$/),
				'legacy [unknown] hard-coded in services/legacy/App.java: replace it with a secret-store lookup',
				expect.stringMatching(/^shop-worker \[unknown\] reads CLOUDSIGHT_API_KEY from its environment/),
				expect.stringMatching(/^billing \[unknown\] reads CLOUDSIGHT_API_KEY/),
				expect.stringMatching(/^ruby \[unknown\] reads CLOUDSIGHT_API_KEY/),
			]),
		);
		// A Deployment's entry proposes its rollout restart.
		expect(result.entries.find(entry => entry.store.type === 'kubernetes')?.restart).toEqual(['kubectl', '--namespace', 'shop-prod', 'rollout', 'restart', 'deployment/shop-api']);
		// Code that reads the variable is evidence for its service's store.
		const api = result.entries.find(entry => entry.store.type === 'env-file')!;
		expect(api.evidence).toEqual(expect.arrayContaining(['services/api/.env.production:1', 'services/api/src/tagger.ts:1']));
		const kinds = new Set(result.references.map(ref => ref.kind));
		for (const kind of ['code', 'env-file', 'github-actions', 'gitlab-ci', 'dockerfile', 'compose', 'kubernetes', 'helm', 'terraform', 'literal']) expect(kinds).toContain(kind);
		expect(result.references.some(ref => ref.file.startsWith('node_modules'))).toBe(false);
		expect(result.entries.some(entry => storeAddress(entry.store).includes('.env.example'))).toBe(false);
		expect(api.evidence).toContain('services/api/.env.example:1');
		expect(JSON.stringify(result.entries)).not.toContain(key);
	});

	it('never proposes writing the new key into a committed env file', async () => {
		const key = fakeCloudSightKey();
		const root = tempDir();
		execFileSync('git', ['init', '-q', root]);
		fs.writeFileSync(path.join(root, '.env'), `${V}=${key}\n`);
		execFileSync('git', ['-C', root, 'add', '.env']);
		const result = await discoverInventory([root], {envVars: [V], key});
		expect(result.entries).toHaveLength(1); // one place: not also a "hard-coded" copy
		expect(result.entries[0]!.store).toEqual({type: 'manual', text: expect.stringContaining('.env is committed to git with the key in it')});
	});

	it('leakfix inventory prints the proposals, and merging, editing and removing them are saved events', async () => {
		const key = fakeCloudSightKey();
		const root = fixtureRepo(key);
		const env = {...process.env};
		delete env.CI;
		const text = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'inventory', '--repo', root, '--provider', 'cloudsight', '--key-stdin'], {input: key, encoding: 'utf8', env});
		expect(text.status).toBe(0);
		expect(text.stdout).toContain(`Looked for CLOUDSIGHT_API_KEY, CLOUDSIGHT_KEY, CLOUDSIGHT_API_SECRET and the key itself in`);
		expect(text.stdout).toContain('shop-api [prod] — Kubernetes secret shop-prod/cloudsight key api-key');
		expect(text.stdout).not.toContain(key);
		const json = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'inventory', '--repo', root, '--env-var', 'MY_KEY', '--json'], {encoding: 'utf8', env});
		expect(JSON.parse(json.stdout)).toMatchObject({envVars: ['MY_KEY'], entries: []});
		const none = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'inventory', '--repo', root], {encoding: 'utf8', env});
		expect(none.status).toBe(2);
		expect(none.stderr).toContain('needs variable names to look for');

		const result = await discoverInventory([root], {envVars: [V]});
		const home = tempDir();
		const store = new SessionStore(sessionsDir(home), createRedactor([key]));
		let session = transition(makeSession(key), {type: 'inventory.discovered', at: '2026-11-27T12:01:00.000Z', entries: result.entries});
		session = transition(session, {type: 'inventory.discovered', at: '2026-11-27T12:02:00.000Z', entries: result.entries}); // again: nothing doubled
		expect(session.inventory).toHaveLength(result.entries.length);
		const [first, second] = session.inventory!;
		// Two places are two updates: merging them is refused. A duplicate of one place merges.
		expect(transition(session, {type: 'inventory.merged', at: '2026-11-27T12:03:00.000Z', from: second!.id, into: first!.id})).toBe(session);
		session = transition(session, {type: 'inventory.saved', at: '2026-11-27T12:03:00.000Z', entry: {...first!, id: 'svc-dup', service: 'api (again)', evidence: ['elsewhere.ts:3'], origin: 'manual'}});
		session = transition(session, {type: 'inventory.merged', at: '2026-11-27T12:03:30.000Z', from: 'svc-dup', into: first!.id});
		expect(session.inventory).toHaveLength(result.entries.length);
		expect(session.inventory![0]!.evidence).toEqual(expect.arrayContaining(['elsewhere.ts:3']));
		session = transition(session, {type: 'inventory.saved', at: '2026-11-27T12:04:00.000Z', entry: {...first!, environment: 'staging', owner: 'team-api'}});
		session = transition(session, {type: 'inventory.removed', at: '2026-11-27T12:05:00.000Z', id: session.inventory!.at(-1)!.id});
		store.save(session);
		const loaded = store.load(session.id);
		expect(loaded.inventory![0]).toMatchObject({environment: 'staging', owner: 'team-api'});
		expect(loaded.timeline.map(entry => entry.kind)).toEqual(expect.arrayContaining(['inventory.discovered', 'inventory.merged', 'inventory.saved', 'inventory.removed']));
	});

	it('leakfix status lists follow-ups due (exit 1 when one is), leakfix rotate --dry-run prints every command with the key masked', () => {
		const key = fakeCloudSightKey();
		const home = tempDir();
		const store = new SessionStore(sessionsDir(home), createRedactor([key]));
		let session = makeSession(key);
		session = transition(session, {type: 'inventory.saved', at: '2026-11-27T12:01:00.000Z', entry: {id: 'svc-1', service: 'api', environment: 'prod', store: {type: 'vault', mount: 'secret', path: 'api', field: 'key'}, restart: ['kubectl', 'rollout', 'restart', 'deployment/api'], evidence: [], origin: 'manual'}});
		session = transition(session, {type: 'inventory.saved', at: '2026-11-27T12:02:00.000Z', entry: {id: 'svc-2', service: 'web', environment: 'dev', store: {type: 'github-actions', repo: 'acme/web', name: 'K'}, health: {type: 'http', url: 'https://web.example.com/health'}, evidence: [], origin: 'manual'}});
		session = transition(session, {type: 'newkey.entered', at: '2026-11-27T12:03:00.000Z', key: {fingerprint: 'a'.repeat(64), masked: '…NEWK', length: 22}});
		const probed = {status: 'revoked' as const, reason: 'HTTP 401', request: 'GET …', provider: 'cloudsight', at: '2026-11-25T12:04:00.000Z'};
		session = transition(session, {type: 'verify.probed', at: '2026-11-25T12:04:00.000Z', which: 'old', result: probed});
		session = transition(session, {type: 'verify.probed', at: '2026-11-25T12:05:00.000Z', which: 'new', result: {...probed, status: 'live'}});
		store.save(session);
		const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
		delete env.CI;
		const status = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'status'], {encoding: 'utf8', env});
		expect(status.status).toBe(1);
		expect(status.stdout).toContain('1 follow-up(s) due now, 1 later:');
		expect(status.stdout).toMatch(/DUE +2026-11-26 12:05 UTC +20261127-abcd +Re-check the logs for the old key \(24 hours after the rotation\)/);
		const json = JSON.parse(spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'status', '--json'], {encoding: 'utf8', env}).stdout) as {followUps: Array<{overdue: boolean}>};
		expect(json.followUps.map(row => row.overdue)).toEqual([true, false]);
		const dry = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'rotate', '--dry-run'], {encoding: 'utf8', env});
		expect(dry.status).toBe(0);
		expect(dry.stdout.split('\n')[1]).toBe('0. The new key: …NEWK, probed not yet (it must probe live before any update)');
		expect(dry.stdout).toContain('3. Deactivate the old key: CloudSight dashboard → your account → API keys → deactivate the old key');
		expect(dry.stdout.split('\n').slice(2, 8)).toEqual([
			'1. web [dev] GitHub Actions secret K in acme/web',
			'     gh secret set K --repo acme/web  < …NEWK',
			'     check: GET https://web.example.com/health (2xx)',
			'2. api [prod] Vault secret/api field key',
			'     vault kv patch -mount=secret api key=-  < …NEWK',
			'     then: kubectl rollout restart deployment/api',
		]);
		const refused = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'rotate'], {encoding: 'utf8', env});
		expect(refused.status).toBe(2);
		expect(refused.stderr).toContain('--dry-run');
	});
});
