// The log engine and `leakfix logs` on real files: the demo's day of nginx traffic, gzip, JSON
// lines, CloudTrail (a Records document and lookup-events output), a CSV export, broken lines.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {DEFAULT_FIELDS} from '../../src/core/logs/formats.js';
import {keyNeedles} from '../../src/core/needles.js';
import {analyzeLogs, expandInputs, type LogsOptions} from '../../src/engines/logs/index.js';
import {fetchProviderLogs, providerLogsCommand} from '../../src/engines/logs/provider.js';
import {DEMO_FOREIGN_IPS, demoAccessLog, demoCloudTrail} from '../../src/infra/demo-logs.js';
import {ExternalError} from '../../src/infra/errors.js';
import {findProvider, loadPlaybooks} from '../../src/playbooks/load.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey, fakeKeys} from '../helpers/keys.js';

const EXPOSURE = Date.parse('2026-11-25T14:00:00Z');
const BIN = path.resolve('bin/leakfix.js');

function options(match: LogsOptions['match'], extra: Partial<LogsOptions> = {}): LogsOptions {
	return {match, fields: DEFAULT_FIELDS, analysis: {exposureStart: EXPOSURE, allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC'}, ...extra};
}

function write(dir: string, name: string, content: string | Buffer): string {
	const file = path.join(dir, name);
	fs.writeFileSync(file, content);
	return file;
}

function expectNoKey(text: string, key: string) {
	for (const needle of keyNeedles(key)) expect(text).not.toContain(needle.bytes.toString('utf8'));
}

describe('the log engine', () => {
	it('finds the foreign addresses at 3 a.m. in a day of nginx traffic, counts broken lines, never outputs the key', async () => {
		const key = fakeCloudSightKey();
		const file = write(tempDir(), 'access.log', demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined', broken: true}));
		const result = await analyzeLogs([file], options({kind: 'key', key}));
		const a = result.analysis;
		expect(result.files[0]).toMatchObject({format: 'combined', gzip: false, malformed: 3});
		expect(result.lines).toBe(fs.readFileSync(file, 'utf8').split('\n').length - 1);
		expect(a.malformed.count).toBe(3);
		const ids = a.findings.map(finding => finding.id.replace(/:\d{4}-\d{2}-\d{2}T\d{2}$/, ''));
		for (const ip of DEMO_FOREIGN_IPS) expect(ids).toContain(`ip:${ip}`);
		expect(ids).toEqual(expect.arrayContaining(['odd-hours', 'spike', 'errors:401']));
		// The team's nightly job at 02:00 predates the exposure: not an odd-hours finding.
		expect(a.findings.find(finding => finding.kind === 'odd-hours')?.detail).toContain('left out');
		expect(a.ips.find(row => row.ip === '203.0.113.10')?.flags).not.toContain('new');
		expectNoKey(JSON.stringify(result), key);
	});

	it('reads every line that straddles a read, whatever the read size (down to 1 byte), plain and gzip', async () => {
		const key = fakeCloudSightKey();
		const text = demoAccessLog({key, exposureAt: EXPOSURE, format: 'jsonl'}).split('\n').slice(0, 200).join('\n'); // no final newline
		const dir = tempDir();
		const plain = write(dir, 'a.jsonl', text);
		const gz = write(dir, 'a.jsonl.gz', gzipSync(text));
		const reference = await analyzeLogs([plain], options({kind: 'key', key}));
		expect(reference.analysis.keyLines).toBeGreaterThan(50);
		expect(reference.lines).toBe(200);
		for (const chunkSize of [1, 2, 7, 64, 1000]) {
			for (const file of [plain, gz]) {
				const result = await analyzeLogs([file], options({kind: 'key', key}, {chunkSize}));
				expect({chunkSize, file, lines: result.lines, analysis: result.analysis}).toEqual({chunkSize, file, lines: 200, analysis: reference.analysis});
			}
		}
	});

	it('reads CloudTrail as a gzipped Records document and as lookup-events output, by access key id', async () => {
		const pair = fakeKeys.awsPair();
		const keyId = pair.split(':')[0]!;
		const dir = tempDir();
		const records = write(dir, 'trail.json.gz', gzipSync(demoCloudTrail(keyId, EXPOSURE)));
		const result = await analyzeLogs([records], options({kind: 'key-id', id: keyId}));
		expect(result.files[0]).toMatchObject({format: 'cloudtrail', gzip: true, lines: 61, keyLines: 60}); // one record is another key's
		expect(result.analysis.findings.map(finding => finding.id.replace(/:\d{4}-\d{2}-\d{2}T\d{2}$/, ''))).toEqual(expect.arrayContaining(['ip:185.220.101.7', 'errors:403']));
		const events = {Events: (JSON.parse(demoCloudTrail(keyId, EXPOSURE)) as {Records: object[]}).Records.map((record, index) => ({EventId: `e${index}`, EventName: 'x', CloudTrailEvent: JSON.stringify(record)}))};
		const lookup = write(dir, 'lookup.json', JSON.stringify(events, null, 2));
		const fromCli = await analyzeLogs([lookup], options({kind: 'key-id', id: keyId}));
		expect(fromCli.analysis.keyLines).toBe(60);
		expect(fromCli.analysis.findings.map(finding => finding.id)).toEqual(result.analysis.findings.map(finding => finding.id));
	});

	it('treats every line of a CSV export as the key\'s with --all-lines', async () => {
		const rows = ['created,ip_address,status,user_agent', ...Array.from({length: 30}, (_, i) => `2026-11-${i < 15 ? 24 : 26}T10:${String(i).padStart(2, '0')}:00Z,${i < 15 ? '203.0.113.1' : '198.51.100.66'},200,"curl/8, x"`)];
		const file = write(tempDir(), 'export.csv', `${rows.join('\n')}\n`);
		const result = await analyzeLogs([file], options({kind: 'all'}));
		expect(result.files[0]).toMatchObject({format: 'csv', lines: 31, keyLines: 30});
		expect(result.analysis.findings[0]?.id).toBe('ip:198.51.100.66');
	});

	it('says clearly what is wrong with an input: empty, binary, unknown format, a folder, no match; skips a bad file among good ones', async () => {
		const key = fakeCloudSightKey();
		const dir = tempDir();
		const good = write(dir, 'access.log', demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined'}));
		const empty = write(dir, 'empty.log', '');
		const binary = write(dir, 'image.log', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
		const prose = write(dir, 'notes.log', 'hello\nworld\n');
		await expect(analyzeLogs([empty], options({kind: 'key', key}))).rejects.toThrow(/is empty/);
		await expect(analyzeLogs([binary], options({kind: 'key', key}))).rejects.toThrow(/looks binary/);
		await expect(analyzeLogs([prose], options({kind: 'key', key}))).rejects.toThrow(/not a log format leakfix knows/);
		await expect(analyzeLogs([dir], options({kind: 'key', key}))).rejects.toThrow(/is a folder/);
		await expect(analyzeLogs([path.join(dir, '*.gz')], options({kind: 'key', key}))).rejects.toThrow(/no file matches/);
		const mixed = await analyzeLogs([path.join(dir, '*.log')], options({kind: 'key', key}));
		expect(mixed.files.map(file => file.path)).toEqual([good]);
		expect(mixed.skipped.map(entry => entry.reason)).toEqual([expect.stringContaining('is empty'), expect.stringContaining('looks binary'), expect.stringContaining('not a log format')]);
		expect(await expandInputs(['*.log'], dir)).toEqual([good, path.join(dir, 'empty.log'), binary, prose].sort());
	});

	it('never lets the key out through an example: a line over 1 MiB, partial or double URL-encoding, terminal escapes', async () => {
		const key = 'Ab/' + 'cd+ef' + fakeCloudSightKey();
		const dir = tempDir();
		const line = (ip: string, query: string, ua = 'curl/8') => `${ip} - - [26/Nov/2026:03:00:00 +0000] "GET /v1/${encodeURIComponent(encodeURIComponent(key))}/x?${query} HTTP/1.1" 200 5 "-" "${ua}"`;
		const text = [
			line('198.51.100.1', `k=${key.replace('/', '%2F')}`),
			line('198.51.100.2', `k=${encodeURIComponent(key)}`, 'evil\u001b[2J\u001b[31mHACKED'),
			`${'x'.repeat(1024 * 1024 + 10)}${key}`,
			`broken ${encodeURIComponent(key)} line`,
		].join('\n');
		const file = write(dir, 'tricky.log', `${text}\n`);
		const result = await analyzeLogs([file], options({kind: 'key', key}, {analysis: {exposureStart: null, allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC'}}));
		const out = JSON.stringify(result);
		expectNoKey(out, key);
		expect(out).not.toContain(key.slice(3)); // the key without its first characters
		expect(out).not.toContain(encodeURIComponent(encodeURIComponent(key)));
		expect(out).not.toContain('\u001b');
		expect(result.analysis.malformed.examples.join(' ')).toContain('a line longer than 1 MiB: (');
	});

	it('matches a key id only as a whole word, and keeps what a truncated gzip held before the cut', async () => {
		const dir = tempDir();
		const lines = [
			'203.0.113.1 alice - [26/Nov/2026:03:00:00 +0000] "GET /?id=kid_123 HTTP/1.1" 200 5 "-" "a"',
			'203.0.113.2 - - [26/Nov/2026:03:00:00 +0000] "GET /?id=kid_1234 HTTP/1.1" 200 5 "-" "a"',
		];
		const ids = await analyzeLogs([write(dir, 'ids.log', `${lines.join('\n')}\n`)], options({kind: 'key-id', id: 'kid_123'}));
		expect(ids.analysis.keyLines).toBe(1);
		const key = fakeCloudSightKey();
		const whole = gzipSync(demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined'}));
		const cut = write(dir, 'cut.log.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
		const partial = await analyzeLogs([cut], options({kind: 'key', key}));
		expect(partial.files[0]?.error).toMatch(/not a readable gzip file/);
		expect(partial.analysis.keyLines).toBeGreaterThan(100);
		expect(partial.lines).toBeGreaterThan(partial.analysis.keyLines);
		expect(partial.analysis.notes.join(' ')).toMatch(/was read only up to an error/);
	});

	it('says when nothing can be judged: every line of the key unreadable in the forced format is an error; no line for the key is a note', async () => {
		const key = fakeCloudSightKey();
		const file = write(tempDir(), 'access.log', demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined'}));
		await expect(analyzeLogs([file], options({kind: 'key', key}, {format: 'jsonl'}))).rejects.toThrow(/was unreadable as jsonl.*Is --format right\?/);
		const none = await analyzeLogs([file], options({kind: 'key', key: fakeCloudSightKey()}));
		expect(none.analysis.notes.join(' ')).toMatch(/No line holds the key/);
	});

	it('a big plain file is searched by grep (the key on its stdin) with the same answer as the Node search', async () => {
		const key = fakeCloudSightKey();
		const day = demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined', broken: true});
		const file = write(tempDir(), 'big.log', day.repeat(Math.ceil((9 * 1024 * 1024) / day.length)));
		const byGrep = await analyzeLogs([file], options({kind: 'key', key}));
		const byNode = await analyzeLogs([file], options({kind: 'key', key}, {chunkSize: 4 * 1024 * 1024}));
		expect(byGrep.files[0]?.searchedBy).toBe('grep');
		expect(byNode.files[0]?.searchedBy).toBeUndefined();
		expect(byGrep.lines).toBe(byNode.lines);
		expect(byGrep.analysis).toEqual(byNode.analysis);
		expect(byGrep.analysis.keyLines).toBeGreaterThan(5000);
		expectNoKey(JSON.stringify(byGrep), key);
	});

	it('stops when cancelled', async () => {
		const key = fakeCloudSightKey();
		const file = write(tempDir(), 'access.log', demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined'}));
		const controller = new AbortController();
		const result = await analyzeLogs([file], options({kind: 'key', key}, {chunkSize: 1024, signal: controller.signal, onProgress: () => controller.abort()}));
		expect(result.cancelled).toBe(true);
		expect(result.bytes).toBeLessThan(fs.statSync(file).size / 10);
	});
});

describe('the provider\'s own logs through a stub aws CLI', () => {
	it('runs lookup-events with the key id only (never the secret) into a 0600 file, and reports a failure with a hint', async () => {
		const playbooks = await loadPlaybooks();
		const aws = findProvider(playbooks, 'aws');
		const pair = fakeKeys.awsPair();
		const [keyId, secret] = pair.split(':') as [string, string];
		const dir = tempDir();
		const log = path.join(dir, 'calls.log');
		const answer = write(dir, 'answer.json', JSON.stringify({Events: [{EventId: '1', CloudTrailEvent: JSON.stringify({eventTime: '2026-11-26T03:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', sourceIPAddress: '185.220.101.7', userIdentity: {accessKeyId: keyId}})}]}));
		fs.writeFileSync(path.join(dir, 'aws'), `#!/bin/sh\nprintf 'argv=%s\\n' "$*" >> '${log}'\nif [ -n "$AWS_FAIL" ]; then echo 'Unable to locate credentials. You can configure credentials by running "aws configure".' >&2; exit 253; fi\ncat '${answer}'\n`, {mode: 0o755});
		const command = providerLogsCommand(aws, keyId, new Date('2026-11-18T14:00:00Z'))!;
		expect(command.display).toBe(`aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=${keyId} --start-time 2026-11-18T14:00:00Z --max-items 5000 --output json`);
		const savedPath = process.env.PATH;
		process.env.PATH = `${dir}${path.delimiter}${savedPath}`;
		try {
			const file = await fetchProviderLogs(command, {redact: text => text.split(secret).join('…')});
			expect(fs.statSync(file).mode & 0o777).toBe(0o600);
			const result = await analyzeLogs([file], options({kind: 'key-id', id: keyId}));
			expect(result.analysis.findings[0]?.id).toBe('ip:185.220.101.7');
			expect(fs.readFileSync(log, 'utf8')).not.toContain(secret);
			process.env.AWS_FAIL = '1';
			const failure = await fetchProviderLogs(command, {redact: text => text}).catch((error: unknown) => error);
			expect(failure).toBeInstanceOf(ExternalError);
			expect((failure as ExternalError).message).toBe('aws exited with 253 (are you logged in with your own credentials?)');
		} finally {
			process.env.PATH = savedPath;
			delete process.env.AWS_FAIL;
		}
		expect(providerLogsCommand(aws, null, new Date())).toBeNull(); // needs the key id
		const {keyIdOf} = await import('../../src/engines/logs/provider.js');
		expect(keyIdOf(aws, secret)).toBeNull(); // a secret pasted alone is never taken for an id (it would reach argv)
		expect(keyIdOf(aws, pair)).toBe(keyId);
		expect(providerLogsCommand(findProvider(playbooks, 'cloudsight'), null, new Date())).toBeNull(); // no logs command
	});
});

describe('leakfix logs (built bin)', () => {
	function logs(args: string[], input = '') {
		const env: NodeJS.ProcessEnv = {...process.env};
		delete env.CI;
		const result = spawnSync(process.execPath, [BIN, 'logs', ...args], {env, input, encoding: 'utf8'});
		return {code: result.status, stdout: result.stdout, stderr: result.stderr};
	}

	it('exits 1 with findings, 0 without, and prints JSON the way the screen reads it', () => {
		const key = fakeCloudSightKey();
		const dir = tempDir();
		const file = write(dir, 'access.log.gz', gzipSync(demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined'})));
		const found = logs([file, '--key-stdin', '--since', '2026-11-25T14:00:00Z', '--tz', 'UTC', '--allow', '203.0.113.0/24', '--json'], key);
		expect(found.code).toBe(1);
		const json = JSON.parse(found.stdout) as {suspicious: boolean; files: Array<{format: string; gzip: boolean}>; analysis: {findings: Array<{id: string}>}};
		expect(json.suspicious).toBe(true);
		expect(json.files[0]).toMatchObject({format: 'combined', gzip: true});
		expect(json.analysis.findings.map(finding => finding.id)).toContain('ip:185.220.101.7');
		expectNoKey(found.stdout + found.stderr, key);
		const text = logs([file, '--key-stdin', '--since', '2026-11-25T14:00:00Z', '--tz', 'UTC'], key);
		expect(text.stdout).toContain('Unfamiliar address 185.220.101.7');
		expect(text.stdout).toContain('^ exposure');
		expectNoKey(text.stdout, key);
		// Only the team's traffic, before and after: nothing suspicious.
		const quiet = write(dir, 'quiet.log', demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined'}).split('\n').filter(line => !DEMO_FOREIGN_IPS.some(ip => line.startsWith(ip))).join('\n'));
		const none = logs([quiet, '--key-stdin', '--since', '2026-11-25T14:00:00Z', '--tz', 'UTC'], key);
		expect(none.stdout).toContain('No findings');
		expect(none.code).toBe(0);
	});

	it('refuses bad input with exit 2, a message and no stack', () => {
		const key = fakeCloudSightKey();
		const file = write(tempDir(), 'access.log', demoAccessLog({key, exposureAt: EXPOSURE, format: 'combined'}));
		const cases: Array<[string[], RegExp]> = [
			[[file], /exactly one of --key-stdin/],
			[['--all-lines'], /at least one log file/],
			[[file, '--all-lines', '--allow', '10.0.0.0/40'], /--allow: "10.0.0.0\/40": the prefix length must be 0–32/],
			[[file, '--all-lines', '--tz', 'Mars/Base'], /--tz: unknown time zone "Mars\/Base"/],
			[[file, '--all-lines', '--since', 'yesterday-ish'], /--since yesterday-ish/],
			[[file, '--all-lines', '--format', 'syslog'], /Unknown log format "syslog"/],
			[[path.join(path.dirname(file), 'missing.log'), '--all-lines'], /missing.log: no such file/],
		];
		for (const [args, message] of cases) {
			const result = logs(args, key);
			expect({args, code: result.code}).toEqual({args, code: 2});
			expect(result.stderr).toMatch(message);
			expect(result.stderr).not.toMatch(/^\s+at /m);
		}
	});
});
