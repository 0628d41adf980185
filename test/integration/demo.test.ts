import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createDemoRepo} from '../../src/infra/demo.js';

const repos: string[] = [];
afterEach(() => {
	for (const repo of repos.splice(0)) fs.rmSync(repo, {recursive: true, force: true});
});

describe('createDemoRepo', () => {
	it('plants a fresh fake CloudSight key in history and in an ignored .env', async () => {
		const demo = await createDemoRepo(new Date());
		repos.push(demo.folder);
		expect(fs.statSync(demo.folder).mode & 0o777).toBe(0o700);
		expect(demo.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
		const git = (...args: string[]) => execFileSync('git', args, {cwd: demo.repoPath, encoding: 'utf8'});
		expect(git('log', '--format=%s').trim().split('\n')).toHaveLength(3);
		expect(git('show', `${demo.leakCommit}:src/cloudsight.js`)).toContain(demo.key);
		expect(fs.readFileSync(path.join(demo.repoPath, 'src/cloudsight.js'), 'utf8')).not.toContain(demo.key);
		expect(fs.readFileSync(path.join(demo.repoPath, '.env'), 'utf8')).toContain(demo.key);
		expect(git('check-ignore', '.env').trim()).toBe('.env');
		expect(git('branch', '-r', '--contains', demo.leakCommit).trim()).toBe('origin/main'); // the leak was pushed

		const second = await createDemoRepo(new Date());
		repos.push(second.folder);
		expect(second.key).not.toBe(demo.key);
	});
});
