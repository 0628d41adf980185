// Conjur without argv: the update goes to a loopback stand-in for Conjur's REST API, which checks
// the request body is the new key exactly; stub CLIs on PATH record every child process's argv
// and environment, and none holds the key.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterEach, describe, expect, it} from 'vitest';
import {planUpdate} from '../../src/core/stores.js';
import {conjurConfig, tokenHeaderValue} from '../../src/engines/conjur.js';
import {applyUpdate, previewUpdate} from '../../src/engines/rotate.js';
import {confineHelpers} from '../../src/infra/command.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey, fakeStripeKey} from '../helpers/keys.js';
import {stubBin, withPath} from '../helpers/stubs.js';

type Seen = {method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer};
type Answer = {status: number; body?: string};

const servers: Array<http.Server | https.Server> = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(server => new Promise(resolve => server.close(resolve))));
});

async function standIn(handle: (seen: Seen) => Answer, tls?: {key: Buffer; cert: Buffer}): Promise<{url: string; seen: Seen[]}> {
	const seen: Seen[] = [];
	const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const request = {method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks)};
			seen.push(request);
			const answer = handle(request);
			res.writeHead(answer.status, {'content-type': 'application/json'});
			res.end(answer.body ?? '');
		});
	};
	const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`, seen};
}

/** A JSON access token shaped like Conjur's (payload, protected, signature), made up at run time. */
const accessToken = () => JSON.stringify({protected: Buffer.from('{"alg":"conjur.org/slosilo/v2"}').toString('base64url'), payload: Buffer.from(`{"sub":"host/shop","iat":${Date.now()}}`).toString('base64url'), signature: fakeCloudSightKey()});

const redact = (secret: string) => (text: string) => text.split(secret).join('…');
const store = {type: 'conjur' as const, variableId: 'prod/shop/cloudsight api-key'};
const everyCli = {gh: {}, aws: {}, vault: {}, kubectl: {}, curl: {}};

function noArgvHolds(stubs: ReturnType<typeof stubBin>, names: string[], ...secrets: string[]) {
	for (const name of names) {
		for (const call of stubs.calls(name)) {
			for (const secret of secrets) {
				expect(call.argv.join('\u0000'), `${name} argv`).not.toContain(secret);
				expect(call.env, `${name} env`).not.toContain(secret);
				expect(call.stdin, `${name} stdin`).not.toContain(secret);
			}
		}
	}
}

describe('Conjur through its REST API', () => {
	it('sends the new key as the request body, exactly, with the token the user\'s conjur CLI gives; no child process holds the key', async () => {
		const secret = fakeStripeKey();
		const token = accessToken();
		const conjur = await standIn(() => ({status: 201}));
		const stubs = stubBin({conjur: {stdout: `${token}\n`}, ...everyCli});
		const home = tempDir();
		const outcome = await withPath(stubs.dir, () =>
			applyUpdate(planUpdate(store, '…masked'), secret, {redact: redact(secret), stamp: 'x', conjur: {env: {CONJUR_APPLIANCE_URL: conjur.url, CONJUR_ACCOUNT: 'acme corp'}, home}}),
		);
		expect(outcome).toMatchObject({status: 'done', detail: expect.stringContaining('Conjur answered 201 Created')});
		expect(outcome.detail).not.toContain(secret);
		expect(conjur.seen).toHaveLength(1);
		const [post] = conjur.seen;
		expect(post!.method).toBe('POST');
		expect(post!.url).toBe('/secrets/acme%20corp/variable/prod%2Fshop%2Fcloudsight%20api-key');
		expect(post!.body.equals(Buffer.from(secret, 'utf8'))).toBe(true); // the new key, nothing around it
		expect(post!.headers.authorization).toBe(`Token token="${Buffer.from(token).toString('base64')}"`);
		expect(post!.headers['content-type']).toBe('application/octet-stream');
		// The one child process: `conjur authenticate`, with nothing of the key.
		expect(stubs.calls('conjur').map(call => call.argv)).toEqual([['authenticate']]);
		noArgvHolds(stubs, ['conjur', ...Object.keys(everyCli)], secret);
		for (const name of Object.keys(everyCli)) expect(stubs.calls(name), name).toEqual([]);
	});

	it('reads the appliance URL and account from ~/.conjurrc and authenticates with CONJUR_AUTHN_LOGIN + CONJUR_AUTHN_API_KEY: no child process at all', async () => {
		const secret = fakeCloudSightKey();
		const apiKey = fakeCloudSightKey();
		const token = accessToken();
		const conjur = await standIn(seen => (seen.url.startsWith('/api/authn/') ? {status: 200, body: token} : {status: 201}));
		const home = tempDir();
		fs.writeFileSync(path.join(home, '.conjurrc'), `---\naccount: acme\nplugins: []\nappliance_url: ${conjur.url}/api/\n`);
		const stubs = stubBin({conjur: {}, ...everyCli});
		const outcome = await withPath(stubs.dir, () =>
			applyUpdate(planUpdate(store, '…masked'), secret, {redact: redact(secret), stamp: 'x', conjur: {env: {CONJUR_AUTHN_LOGIN: 'host/shop/worker', CONJUR_AUTHN_API_KEY: apiKey}, home}}),
		);
		expect(outcome).toMatchObject({status: 'done'});
		const [authn, post] = conjur.seen;
		expect(authn!.url).toBe('/api/authn/acme/host%2Fshop%2Fworker/authenticate');
		expect(authn!.body.toString('utf8')).toBe(apiKey);
		expect(post!.url).toBe('/api/secrets/acme/variable/prod%2Fshop%2Fcloudsight%20api-key');
		expect(post!.body.toString('utf8')).toBe(secret);
		expect(post!.headers.authorization).toBe(`Token token="${Buffer.from(token).toString('base64')}"`);
		for (const name of ['conjur', ...Object.keys(everyCli)]) expect(stubs.calls(name), name).toEqual([]);
	});

	it('uses CONJUR_AUTHN_TOKEN over HTTPS with the CA of cert_file (a throwaway CA made with openssl)', async () => {
		const openssl = await promisify(execFile)('openssl', ['version']).then(
			() => true,
			() => false,
		);
		if (!openssl) return void console.warn('openssl missing: the HTTPS case is skipped');
		const dir = tempDir();
		await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
		const conjur = await standIn(() => ({status: 201}), {key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem'))});
		const secret = fakeStripeKey();
		const token = accessToken();
		const home = tempDir();
		fs.writeFileSync(path.join(home, '.conjurrc'), `account: acme\nappliance_url: ${conjur.url}\ncert_file: ${path.join(dir, 'cert.pem')}\n`);
		const outcome = await applyUpdate(planUpdate(store, '…masked'), secret, {redact: redact(secret), stamp: 'x', conjur: {env: {CONJUR_AUTHN_TOKEN: Buffer.from(token).toString('base64')}, home}});
		expect(outcome.status).toBe('done');
		expect(conjur.seen[0]!.body.toString('utf8')).toBe(secret);
		expect(conjur.seen[0]!.headers.authorization).toBe(`Token token="${Buffer.from(token).toString('base64')}"`);
		// Without the CA the certificate is refused, and the words say how to fix it.
		fs.writeFileSync(path.join(home, '.conjurrc'), `account: acme\nappliance_url: ${conjur.url}\n`);
		const untrusted = await applyUpdate(planUpdate(store, '…masked'), secret, {redact: redact(secret), stamp: 'x', conjur: {env: {CONJUR_AUTHN_TOKEN: token}, home}});
		expect(untrusted).toMatchObject({status: 'failed', detail: expect.stringContaining('set cert_file in ~/.conjurrc or CONJUR_CERT_FILE')});
		expect(conjur.seen).toHaveLength(1);
	});

	it('says why it did not update: no config, http:// to another host, a refused token, no privilege, a failed conjur authenticate', async () => {
		const secret = fakeCloudSightKey();
		const home = tempDir();
		const run = (env: Record<string, string>, stubs = stubBin({conjur: {stdout: accessToken()}})) => withPath(stubs.dir, () => applyUpdate(planUpdate(store, '…'), secret, {redact: redact(secret), stamp: 'x', conjur: {env, home}}));
		expect(await run({})).toEqual({status: 'failed', detail: expect.stringMatching(/^not updated: no Conjur appliance URL: set CONJUR_APPLIANCE_URL, or appliance_url in ~\/\.conjurrc \(there is no ~\/\.conjurrc/)});
		expect(await run({CONJUR_APPLIANCE_URL: 'https://conjur.example'})).toMatchObject({status: 'failed', detail: expect.stringContaining('no Conjur account')});
		expect(await run({CONJUR_APPLIANCE_URL: 'http://conjur.example', CONJUR_ACCOUNT: 'a'})).toMatchObject({status: 'failed', detail: expect.stringContaining('is not https://')});
		const refusing = await standIn(seen => ({status: seen.headers.authorization?.includes('"') ? 403 : 401, body: JSON.stringify({error: {code: 'forbidden', message: 'Forbidden\u001b[2J'}})}));
		const forbidden = await run({CONJUR_APPLIANCE_URL: refusing.url, CONJUR_ACCOUNT: 'a', CONJUR_AUTHN_TOKEN: accessToken()});
		expect(forbidden).toEqual({status: 'failed', detail: expect.stringContaining('HTTP 403: this identity has no update privilege on the variable (Conjur: Forbidden\\x1b[2J)')});
		const loggedOut = await run({CONJUR_APPLIANCE_URL: refusing.url, CONJUR_ACCOUNT: 'a'}, stubBin({conjur: {exitCode: 1, stderr: 'Error: Unable to authenticate with Conjur. Please run conjur login'}}));
		expect(loggedOut.detail).toMatch(/^not updated: `conjur authenticate` failed \(exit 1: Error: Unable to authenticate with Conjur\. Please run conjur login\): log in with `conjur login`/);
		expect(await run({CONJUR_APPLIANCE_URL: refusing.url, CONJUR_ACCOUNT: 'a', CONJUR_AUTHN_TOKEN: 'not a token'})).toMatchObject({status: 'failed', detail: expect.stringContaining('CONJUR_AUTHN_TOKEN holds no Conjur access token')});
		expect(refusing.seen).toHaveLength(1); // only the forbidden update reached it
		// A demo incident reaches no real service: with the demo's rule in force, no request is made.
		confineHelpers(() => undefined);
		try {
			expect(await run({CONJUR_APPLIANCE_URL: refusing.url, CONJUR_ACCOUNT: 'a', CONJUR_AUTHN_TOKEN: accessToken()})).toMatchObject({status: 'failed', detail: expect.stringContaining('a demo incident reaches no real service')});
		} finally {
			confineHelpers(undefined);
		}
		expect(refusing.seen).toHaveLength(1);
	});

	it('shows the plan masked (dry run) and, before consent, where it goes and with which credentials, with no request and no child process', async () => {
		const plan = planUpdate(store, 'sk_l…a1b2');
		expect(plan.kind).toBe('conjur');
		expect(plan.display.join('\n')).toContain('POST <appliance_url>/secrets/<account>/variable/prod%2Fshop%2Fcloudsight%20api-key  < sk_l…a1b2 (the request body');
		const stubs = stubBin({conjur: {}});
		const home = tempDir();
		fs.writeFileSync(path.join(home, '.conjurrc'), 'appliance_url: https://conjur.acme.example\naccount: acme\n');
		const lines = await withPath(stubs.dir, () => previewUpdate(plan, {redact: text => text, conjur: {env: {CONJUR_ACCOUNT: 'other'}, home}}));
		expect(lines).toEqual(['now: Conjur at https://conjur.acme.example, account other (from appliance_url in ~/.conjurrc, CONJUR_ACCOUNT); variable prod/shop/cloudsight api-key; authenticates with your conjur CLI\'s login (`conjur authenticate`)']);
		expect(stubs.calls('conjur')).toEqual([]);
		expect(conjurConfig({env: {CONJURRC: path.join(home, 'missing')}, home})).toMatchObject({ok: false, reason: expect.stringContaining('there is no CONJURRC')});
	});

	it('reads an access token in each form the CLI and the API give it', () => {
		const token = accessToken();
		const encoded = Buffer.from(token).toString('base64');
		expect(tokenHeaderValue(token)).toBe(encoded);
		expect(tokenHeaderValue(`${encoded.slice(0, 20)}\n${encoded.slice(20)}\n`)).toBe(encoded);
		expect(tokenHeaderValue(`Authorization: Token token="${encoded}"`)).toBe(encoded);
		expect(tokenHeaderValue('Not logged in')).toBeNull();
	});
});
