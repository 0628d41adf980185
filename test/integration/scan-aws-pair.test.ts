// An AWS key is entered as a pair (AKIA…:secret) but sits in files as its halves: the scan, the
// wizard's re-scan and the purge look for the secret half (core/leaked-key.ts), which every copy holds.
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {leakedKey} from '../../src/core/leaked-key.js';
import {tempDir} from '../helpers/fs.js';
import {fakeKeys} from '../helpers/keys.js';
import {commit, gitIn, write} from '../helpers/repo.js';

describe('an AWS pair', () => {
	it('leakfix scan finds the secret half where a file holds it alone, and the whole pair where it is whole', () => {
		const pair = fakeKeys.awsPair();
		const [id, secret] = pair.split(':') as [string, string];
		const repo = tempDir();
		gitIn(repo, ['init', '-q']);
		write(repo, '.env', `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\n`);
		write(repo, 'notes.txt', `pasted: ${pair}\n`);
		commit(repo, 'config', '2026-11-20T10:00:00Z');
		const run = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'scan', '--repo', repo, '--key-stdin', '--json'], {input: pair, encoding: 'utf8'});
		expect(run.status, run.stderr).toBe(1);
		expect(run.stdout).not.toContain(secret);
		const result = JSON.parse(run.stdout) as {repos: Array<{worktree: Array<{path: string}>}>};
		expect(result.repos[0]!.worktree.map(hit => hit.path).sort()).toEqual(['.env', 'notes.txt']);
	});

	it('the value every search uses is the secret half; a single key is itself', () => {
		const pair = fakeKeys.awsPair();
		expect(leakedKey(pair, 'aws-pair').secret).toBe(pair.split(':')[1]);
		const single = 'sk_' + 'live_' + 'a'.repeat(24);
		expect(leakedKey(single).secret).toBe(single);
	});
});
