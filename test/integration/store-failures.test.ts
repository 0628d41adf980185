// A store's failure names the action and shows the CLI's own error line, never its usage text,
// with the key masked and control characters made visible.
import {describe, expect, it} from 'vitest';
import type {Store} from '../../src/core/model.js';
import {planUpdate} from '../../src/core/stores.js';
import {applyUpdate, errorLine} from '../../src/engines/rotate.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {stubBin, withPath, type StubAnswer} from '../helpers/stubs.js';

const redact = (secret: string) => (text: string) => text.split(secret).join('…');

async function failing(store: Store, bin: string, answer: StubAnswer) {
	const secret = fakeCloudSightKey();
	const stubs = stubBin({[bin]: {exitCode: 1, ...answer}});
	const result = await withPath(stubs.dir, () => applyUpdate(planUpdate(store, '…masked'), secret, {redact: redact(secret), stamp: 'x', backupDir: tempDir()}));
	return {result, secret};
}

const GH_USAGE = ['specify only one of `--org`, `--env`, or `--user`', '', 'Usage:  gh secret set <secret-name> [flags]', '', 'Flags:', '      --app string   Set the application for a secret: {actions|codespaces|dependabot}', '  -b, --body string  The value for the secret (reads from standard input if not specified)'].join('\n');

describe('a store that refuses the update', () => {
	it('kubectl: names the action (patch secret NAME in NAMESPACE) and shows its error line', async () => {
		const {result} = await failing({type: 'kubernetes', context: 'prod-eu', namespace: 'prod', name: 'cloudsight', key: 'api-key'}, 'kubectl', {openDevStdin: true, stderr: 'I1129 08:00:00 some klog noise\nerror: unable to parse "/dev/stdin": yaml: line 1: did not find expected key'});
		expect(result).toEqual({status: 'failed', detail: 'kubectl patch secret cloudsight in prod (context prod-eu) failed (exit 1): error: unable to parse "/dev/stdin": yaml: line 1: did not find expected key'});
	});

	it('aws: names put-secret-value and the secret, and shows "An error occurred …" past the blank line', async () => {
		const {result} = await failing({type: 'aws-sm', secretId: 'prod/shop', region: 'eu-central-1'}, 'aws', {openDevStdin: true, stderr: '\nAn error occurred (ResourceNotFoundException) when calling the PutSecretValue operation: Secrets Manager can\'t find the specified secret.'});
		expect(result.detail).toBe('aws secretsmanager put-secret-value of prod/shop failed (exit 1): An error occurred (ResourceNotFoundException) when calling the PutSecretValue operation: Secrets Manager cant find the specified secret. (does it exist? check the entry\'s address)');
	});

	it('aws with a JSON key: a failing read is named as the read', async () => {
		const {result} = await failing({type: 'aws-sm', secretId: 'prod/shop', jsonKey: 'api_key'}, 'aws', {stderr: '\nAn error occurred (AccessDeniedException) when calling the GetSecretValue operation: denied'});
		expect(result.detail).toMatch(/^aws secretsmanager get-secret-value of prod\/shop failed \(exit 1\): An error occurred \(AccessDeniedException\)/);
	});

	it('vault: names the field and path and shows its Error line', async () => {
		const {result} = await failing({type: 'vault', mount: 'secret', path: 'shop/prod', field: 'api_key'}, 'vault', {stderr: 'Error writing data to secret/data/shop/prod: Error making API request.\n\nURL: PATCH http://127.0.0.1:8200/v1/secret/data/shop/prod\nCode: 403. Errors:\n\n* permission denied'});
		expect(result.detail).toBe('vault kv patch of api_key at secret/shop/prod failed (exit 1): Error writing data to secret/data/shop/prod: Error making API request. (are you logged in, with the rights to change it?)');
	});

	it('gh: shows the reason before its usage text, not the usage', async () => {
		const {result} = await failing({type: 'github-actions', repo: 'acme/shop', name: 'CLOUDSIGHT_API_KEY'}, 'gh', {stderr: GH_USAGE});
		expect(result.detail).toBe('gh secret set CLOUDSIGHT_API_KEY for acme/shop failed (exit 1): specify only one of `--org`, `--env`, or `--user`');
		expect(result.detail).not.toContain('Usage');
	});

	it('masks the key and makes control characters visible in what the CLI said', async () => {
		const secret = fakeCloudSightKey();
		const stubs = stubBin({vault: {exitCode: 2, stderr: `\u001b[31mError\u001b[0m: bad value ${secret}\u0007`}});
		const result = await withPath(stubs.dir, () => applyUpdate(planUpdate({type: 'vault', mount: 's', path: 'p', field: 'f'}, '…'), secret, {redact: redact(secret), stamp: 'x'}));
		expect(result.detail).toBe('vault kv patch of f at s/p failed (exit 2): Error: bad value …\\x07');
	});
});

describe('the aws CLI reads its input as a text file', () => {
	it('a value holding a carriage return is refused before aws runs (it would arrive as a line feed)', async () => {
		const stubs = stubBin({aws: {openDevStdin: true}});
		const value = `${fakeCloudSightKey()}\r`;
		const result = await withPath(stubs.dir, () => applyUpdate(planUpdate({type: 'aws-sm', secretId: 's'}, '…'), value, {redact: redact(value), stamp: 'x'}));
		expect(result).toMatchObject({status: 'failed', detail: expect.stringContaining('holds a carriage return')});
		expect(stubs.calls('aws')).toEqual([]);
	});

	it('a JSON document with CRLF line ends is sent with LF, and the result says so', async () => {
		const secret = fakeCloudSightKey();
		const current = '{\r\n  "a": 1.0,\r\n  "api_key": "old"\r\n}';
		const stubs = stubBin({aws: {openDevStdin: true, stdout: JSON.stringify(current)}});
		const result = await withPath(stubs.dir, () => applyUpdate(planUpdate({type: 'aws-sm', secretId: 's', jsonKey: 'api_key'}, '…'), secret, {redact: redact(secret), stamp: 'x'}));
		expect(result).toMatchObject({status: 'done', detail: expect.stringContaining("the document's CRLF line ends were written as LF")});
		expect(stubs.calls('aws')[1]!.stdin).toBe(`{\n  "a": 1.0,\n  "api_key": ${JSON.stringify(secret)}\n}`);
	});
});

describe('errorLine', () => {
	it('prefers an error-looking line, else the line before the usage, else the last lines', () => {
		expect(errorLine('warning: x\nfailed to fetch public key: HTTP 404\nmore')).toBe('failed to fetch public key: HTTP 404');
		expect(errorLine(GH_USAGE)).toBe('specify only one of `--org`, `--env`, or `--user`');
		expect(errorLine('Usage: tool [flags]\n  -x')).toBe('');
		expect(errorLine('one\ntwo\nthree')).toBe('two / three');
	});
});
