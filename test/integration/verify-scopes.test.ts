// leakfix verify --json reports what the key can do (blastRadius with its scopes), through the
// built bin against a loopback server, and the text form shows it with controls made visible.
import {spawn} from 'node:child_process';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {findProvider, loadPlaybooks} from '../../src/playbooks/load.js';
import {sampleOf} from '../helpers/regex-sample.js';

let server: http.Server;
let base: string;
const urls: string[] = [];

beforeAll(async () => {
	server = http.createServer((request, response) => {
		urls.push(request.url ?? '');
		const answers: Record<string, unknown> = {
			'/api/v4/user': {username: 'dev\u001b[31m'},
			'/api/v4/personal_access_tokens/self': {name: 'ci', scopes: ['api', 'read_user'], expires_at: '2027-01-01'},
		};
		const body = answers[(request.url ?? '').split('?')[0]!];
		response.writeHead(body ? 200 : 404, {'content-type': 'application/json'});
		response.end(JSON.stringify(body ?? {}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
	server.closeAllConnections();
	server.close();
});

function verify(args: string[], input: string): Promise<{code: number | null; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [path.resolve('bin/leakfix.js'), 'verify', ...args], {env: {...process.env, LEAKFIX_PROBE_BASE_URL: base}});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		child.on('close', code => resolve({code, stdout, stderr}));
		child.stdin.end(input);
	});
}

describe('leakfix verify reports what the key can do', () => {
	it('--json: blastRadius with the scopes read; text: the same, controls visible; the key nowhere', async () => {
		const playbooks = await loadPlaybooks();
		const key = sampleOf(findProvider(playbooks, 'gitlab').keyPatterns.find(pattern => pattern.strength === 'strong')!.regex);
		const json = await verify(['--provider', 'gitlab', '--key-stdin', '--json'], `${key}\n`);
		expect(json.code).toBe(0);
		const result = JSON.parse(json.stdout) as {status: string; blastRadius: {power: string; scopes: string[]; facts: Array<{label: string; value: string}>}};
		expect(result.status).toBe('live');
		expect(result.blastRadius.scopes).toEqual(['api', 'read_user']);
		expect(result.blastRadius.power).toBe('write');
		expect(result.blastRadius.facts).toContainEqual({label: 'expires', value: '2027-01-01'});
		expect(json.stdout).not.toContain(key);
		const text = await verify(['--provider', 'gitlab', '--key-stdin'], `${key}\n`);
		expect(text.stdout).toContain('can do: WRITE (can change things: api)');
		expect(text.stdout).toContain('scopes: 2: api, read_user');
		expect(text.stdout).toContain('user: dev\\x1b[31m');
		expect(text.stdout).not.toContain('\u001b');
		expect(text.stdout).not.toContain(key);
		expect(urls.every(url => !url.includes(key))).toBe(true);
	});
});
