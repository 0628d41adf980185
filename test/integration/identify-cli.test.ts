// `leakfix identify` and `leakfix providers` through the built bin, as a script would run them.
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../helpers/fs.js';
import {fakeKeys} from '../helpers/keys.js';

const BIN = path.resolve('bin/leakfix.js');

function leakfix(args: string[], input = '') {
	const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: tempDir()};
	delete env.CI;
	const result = spawnSync(process.execPath, [BIN, ...args], {env, input, encoding: 'utf8', cwd: tempDir()});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

describe('leakfix identify', () => {
	it('names the provider with confidence and reason, and never prints the key', () => {
		const key = fakeKeys.github();
		const result = leakfix(['identify', '--key-stdin', '--json'], `${key}\n`);
		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain(key);
		const out = JSON.parse(result.stdout);
		expect(out.best).toBe('github');
		expect(out.candidates[0]).toMatchObject({id: 'github', confidence: 'high'});
		expect(out.candidates[0].reasons[0]).toMatch(/^prefix: /);
		expect(out.key).toEqual({masked: expect.stringMatching(/…/), length: key.length});

		const text = leakfix(['identify', '--key-stdin'], key);
		expect(text.stdout).toMatch(/high\s+github/);
		expect(text.stdout).toContain('Most likely: github');
		expect(text.stdout).not.toContain(key);
	});

	it('reads a NAME=value line or --env-var as context, and a multi-line private key', () => {
		const secret = randomBytes(16).toString('hex');
		const fromLine = JSON.parse(leakfix(['identify', '--key-stdin', '--json'], `TWILIO_AUTH_TOKEN=${secret}\n`).stdout);
		expect(fromLine.candidates[0]).toMatchObject({id: 'twilio', confidence: 'medium'});
		expect(fromLine.context).toEqual(['TWILIO_AUTH_TOKEN']);
		const fromOption = JSON.parse(leakfix(['identify', '--key-stdin', '--json', '--env-var', 'DD_API_KEY'], secret).stdout);
		expect(fromOption.candidates[0]).toMatchObject({id: 'datadog', confidence: 'medium'});
		const pem = ['-----BEGIN ' + 'OPENSSH PRIVATE KEY-----', randomBytes(60).toString('base64'), randomBytes(30).toString('base64'), '-----END ' + 'OPENSSH PRIVATE KEY-----', ''].join('\n');
		const fromPem = leakfix(['identify', '--key-stdin', '--json'], pem);
		expect(JSON.parse(fromPem.stdout).best).toBe('openssh-private-key');
		expect(fromPem.stdout).not.toContain(pem.split('\n')[1]);
	});

	it('exits 1 with advice when nothing matches, and 2 without --key-stdin', () => {
		const none = leakfix(['identify', '--key-stdin'], `tok!${randomBytes(8).toString('hex')}#`);
		expect(none.code).toBe(1);
		expect(none.stdout).toContain('No provider recognises this key');
		const usage = leakfix(['identify']);
		expect(usage.code).toBe(2);
		expect(usage.stderr).toContain('leakfix identify needs the key on stdin');
		expect(usage.stderr).not.toMatch(/^\s+at /m);
	});
});

describe('leakfix providers --json', () => {
	it('lists at least 70 providers, the kinds and generic, each with recognisers, probe or reason, rotation and revoke steps', () => {
		const result = leakfix(['providers', '--json']);
		expect(result.code).toBe(0);
		type Row = {id: string; kind: string; recognisers: {patterns: unknown[]; envVars: string[]; context: string[]}; probe: {request: string} | null; noProbe: string | null; rotation: {pattern: string}; revoke: {steps: string; api?: string}};
		const rows = JSON.parse(result.stdout) as Row[];
		expect(rows.filter(row => row.kind === 'provider').length).toBeGreaterThanOrEqual(70);
		expect(rows.at(-1)!.id).toBe('generic');
		for (const kind of ['database-url', 'private-key', 'signing-secret', 'service-account', 'connection-string', 'webhook']) expect(rows.some(row => row.kind === kind), kind).toBe(true);
		for (const row of rows) {
			if (row.id !== 'generic') expect(row.recognisers.patterns.length + row.recognisers.envVars.length + row.recognisers.context.length, row.id).toBeGreaterThan(0);
			expect(row.probe !== null || typeof row.noProbe === 'string', row.id).toBe(true);
			expect(row.rotation.pattern, row.id).toMatch(/^(create-then-revoke|regenerate|promote-secondary|deactivate-only|unknown)$/);
			expect(row.revoke.steps.length, row.id).toBeGreaterThan(0);
		}
		const github = rows.find(row => row.id === 'github')!;
		expect(github.probe!.request).toBe('GET https://api.github.com/user with Authorization: token …; if live, what the key can do: GET https://api.github.com/user/repos?per_page=100 (same key, read-only)');
		expect(github.revoke.api).toContain('credentials/revoke');
	});
});
