// `--since` without a zone is read in `--tz`, never in the machine's zone (TZ), and the output
// says so. The built bin runs with TZ=America/New_York and --tz Europe/Berlin.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseSince, sinceIsWallClock} from '../../src/core/logs/options.js';
import {tempDir} from '../helpers/fs.js';

const BIN = path.resolve('bin/leakfix.js');

function logs(args: string[]) {
	const env: NodeJS.ProcessEnv = {...process.env, TZ: 'America/New_York'};
	delete env.CI;
	const result = spawnSync(process.execPath, [BIN, 'logs', ...args], {env, encoding: 'utf8'});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

function usageFile(): string {
	const file = path.join(tempDir(), 'usage.jsonl');
	const lines = ['2025-10-14T10:00:00Z', '2025-10-15T23:00:00Z', '2025-10-16T10:00:00Z'].map(time => JSON.stringify({time, ip: '203.0.113.5', status: 200, path: '/v1/x'}));
	fs.writeFileSync(file, `${lines.join('\n')}\n`);
	return file;
}

describe('--since is read in --tz', () => {
	it('reads "2025-10-16 00:00" with --tz Europe/Berlin as 2025-10-15 22:00Z on a New York machine, and says so', () => {
		const file = usageFile();
		const json = logs([file, '--all-lines', '--since', '2025-10-16 00:00', '--tz', 'Europe/Berlin', '--json']);
		expect(json.stderr).toBe('');
		const answer = JSON.parse(json.stdout) as {analysis: {window: {exposureStart: string}; baselineLines: number; exposureLines: number}};
		expect(answer.analysis.window.exposureStart).toBe('2025-10-15T22:00:00.000Z');
		expect(answer.analysis).toMatchObject({baselineLines: 1, exposureLines: 2});
		const text = logs([file, '--all-lines', '--since', '2025-10-16', '--tz', 'Europe/Berlin']);
		expect(text.stdout).toContain('Exposure from 2025-10-15 22:00 UTC (--since read in Europe/Berlin)');
		// A time with its own zone means what it says, and the output does not claim otherwise.
		const zoned = logs([file, '--all-lines', '--since', '2025-10-16T00:00Z', '--tz', 'Europe/Berlin']);
		expect(zoned.stdout).toContain('Exposure from 2025-10-16 00:00 UTC');
		expect(zoned.stdout).not.toContain('--since read in');
		expect(logs(['--help']).stdout).toMatch(/a date or time without a zone is read in --tz/);
	});

	it('parses wall-clock times in the zone, across DST, and leaves zoned and relative times alone', () => {
		const now = new Date('2026-11-29T12:00:00Z');
		expect(parseSince('2025-10-16 00:00', now, 'Europe/Berlin')).toBe(Date.parse('2025-10-15T22:00:00Z')); // summer time, +2
		expect(parseSince('2025-11-16 00:00', now, 'Europe/Berlin')).toBe(Date.parse('2025-11-15T23:00:00Z')); // winter time, +1
		expect(parseSince('2025-10-26 03:30', now, 'Europe/Berlin')).toBe(Date.parse('2025-10-26T02:30:00Z')); // the hour after the change
		expect(parseSince('2025-10-16T08:00:30.5', now, 'America/New_York')).toBe(Date.parse('2025-10-16T12:00:30.500Z'));
		expect(parseSince('2025-10-16', now, 'Asia/Kolkata')).toBe(Date.parse('2025-10-15T18:30:00Z'));
		expect(parseSince('2025-10-16 00:00', now, 'UTC')).toBe(Date.parse('2025-10-16T00:00:00Z'));
		expect(parseSince('2025-10-16T00:00+05:00', now, 'Europe/Berlin')).toBe(Date.parse('2025-10-15T19:00:00Z'));
		expect(parseSince('3d ago', now, 'Europe/Berlin')).toBe(now.getTime() - 3 * 86_400_000);
		expect(() => parseSince('2025-02-30 00:00', now, 'Europe/Berlin')).toThrow(/date like/);
		expect(() => parseSince('2027-01-01', now, 'Europe/Berlin')).toThrow(/future/);
		expect(sinceIsWallClock('2025-10-16 00:00')).toBe(true);
		expect(sinceIsWallClock('2025-10-16T00:00Z')).toBe(false);
		expect(sinceIsWallClock('3d ago')).toBe(false);
	});
});
