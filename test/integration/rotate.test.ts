// Updating every kind of store through stub CLIs on PATH (the secret on stdin, never in argv),
// env files on real files, health checks against a loopback server.
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Store} from '../../src/core/model.js';
import {planUpdate, updateOrder} from '../../src/core/stores.js';
import {applyUpdate, deactivationCommand, rewriteEnvFile, runHealthCheck} from '../../src/engines/rotate.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {stubBin, withPath} from '../helpers/stubs.js';

const redact = (secret: string) => (text: string) => text.split(secret).join('…');

async function update(store: Store, secret: string, stubs: ReturnType<typeof stubBin>) {
	return withPath(stubs.dir, () => applyUpdate(planUpdate(store, '…masked'), secret, {redact: redact(secret), stamp: '2026-11-27T12:00:00.000Z', backupDir: tempDir()}));
}

describe('store updates through the user\'s CLIs', () => {
	it('gives each store the new key on stdin and never in argv', async () => {
		const secret = fakeCloudSightKey();
		const stubs = stubBin({gh: {}, vault: {}, kubectl: {openDevStdin: true}, aws: {openDevStdin: true}});
		expect(await update({type: 'github-actions', repo: 'acme/shop', name: 'CLOUDSIGHT_API_KEY', environment: 'production'}, secret, stubs)).toMatchObject({status: 'done'});
		expect(await update({type: 'vault', mount: 'secret', path: 'shop/prod', field: 'cloudsight'}, secret, stubs)).toMatchObject({status: 'done'});
		expect(await update({type: 'kubernetes', context: 'prod-eu', namespace: 'shop', name: 'cloudsight', key: 'api-key'}, secret, stubs)).toMatchObject({status: 'done'});
		expect(await update({type: 'aws-sm', secretId: 'prod/shop/cloudsight', region: 'eu-central-1'}, secret, stubs)).toMatchObject({status: 'done'});

		expect(stubs.calls('gh')).toEqual([{argv: ['secret', 'set', 'CLOUDSIGHT_API_KEY', '--repo', 'acme/shop', '--env', 'production'], stdin: secret, env: expect.any(String)}]);
		expect(stubs.calls('vault')[0]).toMatchObject({argv: ['kv', 'patch', '-mount=secret', 'shop/prod', 'cloudsight=-'], stdin: secret});
		const kube = stubs.calls('kubectl')[0]!;
		expect(kube.argv).toEqual(['--context', 'prod-eu', '--namespace', 'shop', 'patch', 'secret', 'cloudsight', '--type', 'merge', '--patch-file', '/dev/stdin']);
		expect(JSON.parse(kube.stdin)).toEqual({data: {'api-key': Buffer.from(secret).toString('base64')}}); // read by opening /dev/stdin: a real pipe
		expect(stubs.calls('aws')[0]).toMatchObject({argv: ['secretsmanager', 'put-secret-value', '--secret-id', 'prod/shop/cloudsight', '--region', 'eu-central-1', '--secret-string', 'file:///dev/stdin'], stdin: secret});
		for (const name of ['gh', 'vault', 'kubectl', 'aws']) {
			for (const call of stubs.calls(name)) {
				expect(call.argv.join(' ')).not.toContain(secret);
				expect(call.env).not.toContain(secret);
			}
		}
	});

	it('changes one key of a JSON secret in AWS Secrets Manager and keeps the others', async () => {
		const secret = fakeCloudSightKey();
		const current = '{\n  "db_password": "unchanged",\n  "id": 123456789012345678901,\n  "api_key": "old"\n}';
		const stubs = stubBin({aws: {openDevStdin: true, stdout: `${JSON.stringify(current)}\n`}});
		expect(await update({type: 'aws-sm', secretId: 'prod/shop', jsonKey: 'api_key'}, secret, stubs)).toMatchObject({status: 'done'});
		const [get, put] = stubs.calls('aws');
		expect(get!.argv).toEqual(['secretsmanager', 'get-secret-value', '--secret-id', 'prod/shop', '--query', 'SecretString', '--output', 'json']);
		expect(put!.stdin).toBe(current.replace('"old"', JSON.stringify(secret))); // byte for byte, the big number too
		expect(put!.argv.join(' ')).not.toContain(secret);
	});

	it('marks free-text stores as by hand, with the reason (Conjur goes through its REST API: test/integration/conjur.test.ts)', async () => {
		const secret = fakeCloudSightKey();
		const stubs = stubBin({conjur: {}});
		expect(planUpdate({type: 'conjur', variableId: 'prod/shop/cloudsight'}, '…masked').kind).toBe('conjur');
		expect(await update({type: 'manual', text: 'Heroku config var of app shop'}, secret, stubs)).toEqual({status: 'manual', detail: 'by hand: Heroku config var of app shop'});
	});

	it('reports a CLI that is missing, not logged in, or cannot find the secret, with the key masked in its output', async () => {
		const secret = fakeCloudSightKey();
		// PATH holds only an empty stub folder: gh is missing even where the real one is installed.
		const saved = process.env.PATH;
		process.env.PATH = stubBin({}).dir;
		const missing = await applyUpdate(planUpdate({type: 'github-actions', name: 'X'}, '…masked'), secret, {redact: redact(secret), stamp: 'x'}).finally(() => (process.env.PATH = saved));
		expect(missing).toMatchObject({status: 'failed', detail: expect.stringContaining('"gh" was not found on PATH')});
		const loggedOut = await update({type: 'github-actions', name: 'X'}, secret, stubBin({gh: {exitCode: 4, stderr: 'To get started with GitHub CLI, please run:  gh auth login'}}));
		expect(loggedOut.detail).toMatch(/^gh secret set X failed \(exit 4\): To get started with GitHub CLI.* \(are you logged in, with the rights to change it\?\)$/);
		const notFound = await update({type: 'kubernetes', namespace: 'x', name: 'y', key: 'z'}, secret, stubBin({kubectl: {exitCode: 1, openDevStdin: true, stderr: `Error from server (NotFound): secrets "y" not found ${secret}`}}));
		expect(notFound.detail).toMatch(/^kubectl patch secret y in x failed \(exit 1\): Error from server \(NotFound\): secrets "y" not found … \(does it exist\? check the entry's address\)$/);
		expect(notFound.detail).not.toContain(secret);
	});

	it('gives each half of an AWS key pair to the store named for it, and refuses a store that does not say', async () => {
		const {storeValue} = await import('../../src/core/stores.js');
		const pair = `${'AK' + 'IA'}ABCDEFGHIJKLMNOP:${'s'.repeat(40)}`;
		const [id, secret] = pair.split(':') as [string, string];
		expect(storeValue({type: 'env-file', path: '/x/.env', variable: 'AWS_ACCESS_KEY_ID'}, pair, true)).toEqual({ok: true, value: id});
		expect(storeValue({type: 'github-actions', name: 'AWS_SECRET_ACCESS_KEY'}, pair, true)).toEqual({ok: true, value: secret});
		expect(storeValue({type: 'aws-sm', secretId: 'x', jsonKey: 'aws_secret_access_key'}, pair, true)).toEqual({ok: true, value: secret});
		expect(storeValue({type: 'kubernetes', namespace: 'n', name: 's', key: 'credentials'}, pair, true)).toMatchObject({ok: false, reason: expect.stringContaining('does not say which half')});
		expect(storeValue({type: 'kubernetes', namespace: 'n', name: 's', key: 'credentials'}, 'single-key-value', false)).toEqual({ok: true, value: 'single-key-value'});
	});

	it('never runs a cat from the repository for the stdin pipe', async () => {
		const secret = fakeCloudSightKey();
		const repo = tempDir();
		const stolen = path.join(repo, 'stolen');
		fs.writeFileSync(path.join(repo, 'cat'), `#!/bin/sh\n/bin/cat > '${stolen}'\n`, {mode: 0o755});
		const stubs = stubBin({kubectl: {openDevStdin: true}});
		const saved = process.env.PATH;
		process.env.PATH = `${stubs.dir}${path.delimiter}${path.delimiter}.${path.delimiter}${saved}`; // an empty and a relative entry, both the repo
		try {
			const result = await applyUpdate(planUpdate({type: 'kubernetes', namespace: 'n', name: 's', key: 'k'}, '…'), secret, {redact: redact(secret), stamp: 'x', cwd: repo});
			expect(result.status).toBe('done');
		} finally {
			process.env.PATH = saved;
		}
		expect(fs.existsSync(stolen)).toBe(false);
		expect(JSON.parse(stubs.calls('kubectl')[0]!.stdin)).toEqual({data: {k: Buffer.from(secret).toString('base64')}});
	});

	it('orders the work dev, staging, unknown, then production', () => {
		const entry = (id: string, environment: 'prod' | 'staging' | 'dev' | 'unknown') => ({id, service: id, environment, store: {type: 'manual' as const, text: id}, evidence: [], origin: 'manual' as const});
		expect(updateOrder([entry('a', 'prod'), entry('b', 'unknown'), entry('c', 'dev'), entry('d', 'staging')]).map(e => e.id)).toEqual(['c', 'd', 'b', 'a']);
	});

	it('fills the deactivation command from the key id and the probed user, and drops the user flag when unknown', () => {
		const spec = {bin: 'aws', args: ['iam', 'update-access-key', '--access-key-id', '{keyId}', '--status', 'Inactive', '--user-name', '{userName}']};
		const id = 'AK' + 'IA' + 'EXAMPLEEXAMPLE12'; // built at run time
		expect(deactivationCommand(spec, id, 'ci')?.args).toEqual(['iam', 'update-access-key', '--access-key-id', id, '--status', 'Inactive', '--user-name', 'ci']);
		expect(deactivationCommand(spec, id, null)?.args).toEqual(['iam', 'update-access-key', '--access-key-id', id, '--status', 'Inactive']);
		expect(deactivationCommand(spec, null, null)).toBeNull();
	});
});

describe('env files', () => {
	it('rewrites only the variable\'s lines, keeps quotes, export, comments, CRLF and the mode, and keeps a 0600 backup outside the repo', () => {
		const dir = tempDir();
		const backups = path.join(tempDir(), 'backups');
		const file = path.join(dir, '.env');
		const old = fakeCloudSightKey();
		const original = `# payments\r\nexport CLOUDSIGHT_API_KEY="${old}"\r\nOTHER=1 # keep\r\nCLOUDSIGHT_API_KEY=${old} # again\r\nCLOUDSIGHT_API_KEY_OLD=untouched\r\n`;
		fs.writeFileSync(file, original, {mode: 0o640});
		fs.chmodSync(file, 0o640);
		const secret = fakeCloudSightKey();
		const {backup, lines} = rewriteEnvFile(file, 'CLOUDSIGHT_API_KEY', secret, '2026-11-27T12:00:00.000Z', backups);
		expect(lines).toBe(2);
		expect(fs.readFileSync(file, 'utf8')).toBe(`# payments\r\nexport CLOUDSIGHT_API_KEY="${secret}"\r\nOTHER=1 # keep\r\nCLOUDSIGHT_API_KEY=${secret} # again\r\nCLOUDSIGHT_API_KEY_OLD=untouched\r\n`);
		expect(fs.statSync(file).mode & 0o777).toBe(0o640);
		expect(fs.readFileSync(backup, 'utf8')).toBe(original);
		expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
		expect(path.dirname(backup)).toBe(backups);
		expect(fs.readdirSync(dir)).toEqual(['.env']); // no temporary or backup file left in the repo
		expect(() => rewriteEnvFile(file, 'MISSING_VAR', secret, '2026-11-27T12:01:00.000Z', backups)).toThrow(/MISSING_VAR is not set in/);
	});
});

describe('health checks', () => {
	let server: http.Server;
	let base = '';
	beforeAll(async () => {
		server = http.createServer((request, response) => {
			const status = Number((request.url ?? '/200').slice(1)) || 200;
			response.writeHead(status, status === 302 ? {location: '/login'} : {});
			response.end('ok');
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(() => server.close());

	it('passes on 2xx or exit 0, fails on anything else (redirects are not followed)', async () => {
		const options = {redact: (text: string) => text};
		expect(await runHealthCheck({type: 'http', url: `${base}/204`}, options)).toEqual({status: 'done', detail: `GET ${base}/204: HTTP 204`});
		expect(await runHealthCheck({type: 'http', url: `${base}/503`}, options)).toMatchObject({status: 'failed', detail: expect.stringContaining('HTTP 503 (expected 2xx)')});
		expect(await runHealthCheck({type: 'http', url: `${base}/302`}, options)).toMatchObject({status: 'failed'});
		const closed = http.createServer();
		await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>(resolve => closed.close(() => resolve()));
		expect(await runHealthCheck({type: 'http', url: `http://127.0.0.1:${port}/`}, options)).toMatchObject({status: 'failed', detail: expect.stringContaining('ECONNREFUSED')});
		expect(await runHealthCheck({type: 'command', argv: ['true']}, options)).toMatchObject({status: 'done'});
		expect(await runHealthCheck({type: 'command', argv: ['false']}, options)).toMatchObject({status: 'failed'});
	});
});

describe('the clean-up after revocation', () => {
	it('purges the key from history with git filter-repo through a 0600 file removed after, and ignores it in ggshield by sha256', async () => {
		const {purgeHistory, ignoreInGgshield} = await import('../../src/engines/cleanup.js');
		const {fingerprint} = await import('../../src/core/secrets.js');
		const key = fakeCloudSightKey();
		const repo = tempDir();
		// A stub git: filter-repo --version answers; the purge records its replacement file's mode and content.
		const stubs = stubBin({});
		fs.writeFileSync(
			path.join(stubs.dir, 'git'),
			`#!/bin/sh\nif [ "$2" = "--version" ]; then echo a40bce548d2c; exit 0; fi\nstat -c '%a' "$3" > '${stubs.dir}/mode'\ncat "$3" > '${stubs.dir}/content'\necho "$@" > '${stubs.dir}/argv'\n`,
			{mode: 0o755},
		);
		const said = await withPath(stubs.dir, () => purgeHistory(repo, key, {redact: redact(key)}));
		expect(said).toMatch(/History rewritten/);
		expect(fs.readFileSync(path.join(stubs.dir, 'mode'), 'utf8').trim()).toBe('600');
		expect(fs.readFileSync(path.join(stubs.dir, 'content'), 'utf8')).toBe(`${key}==>REMOVED-LEAKED-KEY\n`);
		const argv = fs.readFileSync(path.join(stubs.dir, 'argv'), 'utf8');
		expect(argv).toMatch(/^filter-repo --replace-text \S+ --force/);
		expect(argv).not.toContain(key);
		expect(fs.existsSync(argv.split(' ')[2]!)).toBe(false); // removed after

		fs.writeFileSync(path.join(repo, '.gitguardian.yaml'), 'version: 2\nexit_zero: false\n');
		expect(ignoreInGgshield(repo, fingerprint(key), 'leakfix test')).toMatch(/ggshield now ignores/);
		expect(ignoreInGgshield(repo, fingerprint(key), 'leakfix test')).toMatch(/already ignores/);
		const yaml = fs.readFileSync(path.join(repo, '.gitguardian.yaml'), 'utf8');
		expect(yaml).toContain('exit_zero: false');
		expect(yaml).toContain(`match: ${fingerprint(key)}`);
		expect(yaml).not.toContain(key);
	});
});
