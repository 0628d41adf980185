// The pre-push guard in real repositories pushing to a local bare remote: a commit made with
// --no-verify that adds the key is refused at `git push` (the remote never gets it), a clean push
// passes; it follows the hook manager; the guard's --range mode checks each commit of a range.
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {parse} from 'yaml';
import {describe, expect, it} from 'vitest';
import {applyHardening, installGuard} from '../../src/engines/harden/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey, fakeKeys} from '../helpers/keys.js';

const ENV = {...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com'};
const git = (repo: string, ...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'commit.gpgsign=false', ...args], {encoding: 'utf8', env: ENV}).trim();
const tryGit = (repo: string, ...args: string[]) => spawnSync('git', ['-C', repo, '-c', 'commit.gpgsign=false', ...args], {encoding: 'utf8', env: ENV});
const put = (repo: string, file: string, text: string) => {
	fs.mkdirSync(path.dirname(path.join(repo, file)), {recursive: true});
	fs.writeFileSync(path.join(repo, file), text);
};
/** A clone with a bare origin, one clean commit on main pushed. */
function clone(): {repo: string; origin: string} {
	const origin = tempDir('leakfix-origin-');
	git(origin, 'init', '-q', '--bare', '-b', 'main');
	const repo = tempDir();
	git(repo, 'init', '-q', '-b', 'main');
	git(repo, 'remote', 'add', 'origin', origin);
	put(repo, 'README.md', 'hello\n');
	git(repo, 'add', 'README.md');
	git(repo, 'commit', '-q', '-m', 'first');
	return {repo, origin};
}
const remoteHead = (origin: string, branch: string) => tryGit(origin, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`).stdout.trim();

describe('the pre-push guard', () => {
	it('refuses a --no-verify commit adding the key at git push (the remote does not get it); a clean push passes', async () => {
		const key = fakeCloudSightKey();
		const {repo, origin} = clone();
		await installGuard(repo, key, true);
		const hook = fs.readFileSync(path.join(repo, '.git', 'hooks', 'pre-push'), 'utf8');
		expect(hook).toContain('leakfix-pre-push.mjs');
		for (const file of ['leakfix-pre-push.mjs', 'leakfix-guard.mjs']) expect(fs.readFileSync(path.join(repo, '.git', 'hooks', file), 'utf8')).not.toContain(key);

		// A new branch, clean: passes.
		const clean = tryGit(repo, 'push', '-q', 'origin', 'main');
		expect(clean.status, clean.stderr).toBe(0);
		const pushed = git(repo, 'rev-parse', 'HEAD');
		expect(remoteHead(origin, 'main')).toBe(pushed);

		// The key committed past the pre-commit guard, then taken out again in the next commit.
		put(repo, 'config.js', `const k = "${key}";\n`);
		git(repo, 'add', 'config.js');
		git(repo, 'commit', '-q', '--no-verify', '-m', 'leak');
		put(repo, 'config.js', 'const k = process.env.K;\n');
		git(repo, 'commit', '-q', '-a', '--no-verify', '-m', 'oops, undo');
		const refused = tryGit(repo, 'push', 'origin', 'main');
		expect(refused.status).not.toBe(0);
		expect(refused.stderr).toContain('leakfix guard: this commit adds a leaked key (in config.js)');
		expect(refused.stderr).toContain('push stopped');
		expect(refused.stderr).not.toContain(key);
		expect(remoteHead(origin, 'main')).toBe(pushed);

		// A new branch carrying the same commits: refused too (the commits on no remote are checked).
		const branch = tryGit(repo, 'push', 'origin', 'main:feature');
		expect(branch.status).not.toBe(0);
		expect(remoteHead(origin, 'feature')).toBe('');

		// Those commits dropped (in this temp clone), a clean one instead: the push passes.
		git(repo, 'reset', '-q', '--hard', pushed);
		put(repo, 'config.js', 'const k = process.env.K;\n');
		git(repo, 'add', 'config.js');
		git(repo, 'commit', '-q', '-m', 'reads the variable');
		const fine = tryGit(repo, 'push', '-q', 'origin', 'main');
		expect(fine.status, fine.stderr).toBe(0);
		expect(remoteHead(origin, 'main')).toBe(git(repo, 'rev-parse', 'HEAD'));
	});

	it('catches the key base64-encoded, in a commit message, and in a merge; the history already on the remote does not block a push', async () => {
		const key = fakeKeys.stripeLive();
		const {repo, origin} = clone();
		// The key is already in the remote's history (the incident itself): pushing on top of it is fine.
		put(repo, 'old.txt', `${key}\n`);
		git(repo, 'add', 'old.txt');
		git(repo, 'commit', '-q', '-m', 'the old leak');
		git(repo, 'push', '-q', 'origin', 'main');
		await installGuard(repo, key, true);
		git(repo, 'commit', '-q', '--allow-empty', '-m', 'later work');
		expect(tryGit(repo, 'push', '-q', 'origin', 'main').status).toBe(0);

		const base = git(repo, 'rev-parse', 'HEAD');
		put(repo, '.npmrc', `_auth=${Buffer.from(`user:${key}`).toString('base64')}\n`);
		git(repo, 'add', '.npmrc');
		git(repo, 'commit', '-q', '--no-verify', '-m', 'npm auth');
		const encoded = tryGit(repo, 'push', 'origin', 'main');
		expect(encoded.status).not.toBe(0);
		expect(encoded.stderr).toContain('(in .npmrc)');
		git(repo, 'reset', '-q', '--hard', base);

		git(repo, 'commit', '-q', '--allow-empty', '--no-verify', '-m', `use ${key} for now`);
		const message = tryGit(repo, 'push', 'origin', 'main');
		expect(message.status).not.toBe(0);
		expect(message.stderr).toContain('in (a commit message)');
		expect(message.stderr).not.toContain(key);
		git(repo, 'reset', '-q', '--hard', base);

		// A merge whose resolution adds the key (an evil merge): its combined diff is read.
		git(repo, 'checkout', '-q', '-b', 'side');
		put(repo, 'a.txt', 'side\n');
		git(repo, 'add', 'a.txt');
		git(repo, 'commit', '-q', '-m', 'side');
		git(repo, 'checkout', '-q', 'main');
		put(repo, 'a.txt', 'main\n');
		git(repo, 'add', 'a.txt');
		git(repo, 'commit', '-q', '-m', 'main');
		tryGit(repo, 'merge', '-q', 'side', '-m', 'merge');
		put(repo, 'a.txt', `main\nside\nkey=${key}\n`);
		git(repo, 'add', 'a.txt');
		git(repo, 'commit', '-q', '--no-verify', '-m', 'merge side');
		expect(git(repo, 'rev-list', '--parents', '-n', '1', 'HEAD').split(' ')).toHaveLength(3);
		const merge = tryGit(repo, 'push', 'origin', 'main');
		expect(merge.status).not.toBe(0);
		expect(merge.stderr).toContain('(in a.txt)');
		expect(remoteHead(origin, 'main')).toBe(base);
	});

	it('follows husky, pre-commit and lefthook; never overwrites a pre-push hook it did not write', async () => {
		const key = fakeCloudSightKey();
		const husky = clone();
		fs.mkdirSync(path.join(husky.repo, '.husky'));
		fs.writeFileSync(path.join(husky.repo, '.husky', 'pre-push'), '#!/bin/sh\nnpm test --if-present\n', {mode: 0o755});
		await installGuard(husky.repo, key, true);
		expect(fs.readFileSync(path.join(husky.repo, '.husky', 'pre-push'), 'utf8')).toBe('#!/bin/sh\nnpm test --if-present\nnode .leakfix/pre-push.mjs\n');
		expect(fs.readFileSync(path.join(husky.repo, '.leakfix', 'pre-push.mjs'), 'utf8')).toContain("new URL(\"./guard.mjs\"");
		// Run as husky would (its folder as the hooks path): a --no-verify leak is refused at push.
		git(husky.repo, 'config', 'core.hooksPath', '.husky');
		put(husky.repo, 'k.txt', `${key}\n`);
		git(husky.repo, 'add', 'k.txt');
		git(husky.repo, 'commit', '-q', '--no-verify', '-m', 'leak');
		const refused = tryGit(husky.repo, 'push', 'origin', 'main');
		expect(refused.status).not.toBe(0);
		expect(refused.stderr).toContain('(in k.txt)');
		expect(remoteHead(husky.origin, 'main')).toBe('');

		const preCommit = clone();
		fs.writeFileSync(path.join(preCommit.repo, '.pre-commit-config.yaml'), 'repos:\n- repo: local\n  hooks:\n  - id: lint\n    name: lint\n    entry: make lint\n    language: system\n');
		await installGuard(preCommit.repo, key, true);
		const config = parse(fs.readFileSync(path.join(preCommit.repo, '.pre-commit-config.yaml'), 'utf8')) as {repos: Array<{repo: string; hooks: Array<Record<string, unknown>>}>};
		expect(config.repos.flatMap(entry => entry.hooks.map(hook => hook.id))).toEqual(['lint', 'leakfix-guard', 'leakfix-guard-push']);
		expect(config.repos.map(entry => entry.repo)).toEqual(['local', 'local']);
		expect(config.repos[1]!.hooks[1]).toMatchObject({entry: 'node .leakfix/pre-push.mjs', stages: ['pre-push'], pass_filenames: false, always_run: true});
		// pre-commit hands the range in PRE_COMMIT_FROM_REF/TO_REF: the script reads them.
		put(preCommit.repo, 'k.txt', `${key}\n`);
		git(preCommit.repo, 'add', 'k.txt');
		git(preCommit.repo, 'commit', '-q', '--no-verify', '-m', 'leak');
		const viaEnv = spawnSync(process.execPath, ['.leakfix/pre-push.mjs'], {cwd: preCommit.repo, encoding: 'utf8', env: {...ENV, PRE_COMMIT_FROM_REF: git(preCommit.repo, 'rev-parse', 'HEAD~1'), PRE_COMMIT_TO_REF: git(preCommit.repo, 'rev-parse', 'HEAD')}});
		expect(viaEnv.status).toBe(1);
		expect(viaEnv.stderr).toContain('(in k.txt)');

		const lefthook = clone();
		fs.writeFileSync(path.join(lefthook.repo, 'lefthook.yml'), 'pre-push:\n  commands:\n    t:\n      run: npm test\n');
		await installGuard(lefthook.repo, key, true);
		const left = parse(fs.readFileSync(path.join(lefthook.repo, 'lefthook.yml'), 'utf8')) as Record<string, {commands: Record<string, Record<string, unknown>>}>;
		expect(left['pre-push']!.commands).toEqual({t: {run: 'npm test'}, 'leakfix-guard': {run: 'node .leakfix/pre-push.mjs', use_stdin: true}});
		expect(left['pre-commit']!.commands['leakfix-guard']).toEqual({run: 'node .leakfix/guard.mjs'});

		const own = clone();
		fs.writeFileSync(path.join(own.repo, '.git', 'hooks', 'pre-push'), '#!/bin/sh\nmake check\n', {mode: 0o755});
		const outcome = await applyHardening({repo: own.repo, variable: 'K', key, changes: [], extras: true});
		expect(fs.readFileSync(path.join(own.repo, '.git', 'hooks', 'pre-push'), 'utf8')).toBe('#!/bin/sh\nmake check\n');
		expect(outcome.guard).toMatchObject({where: path.join('.git', 'hooks', 'pre-commit'), proven: true});
		expect(outcome.prePush).toBeNull();
		expect(outcome.guardByHand).toMatch(/pre-push exists and is not leakfix's: add node ".*leakfix-pre-push\.mjs" to it by hand/);
		expect(fs.existsSync(path.join(own.repo, '.git', 'hooks', 'leakfix-pre-push.mjs'))).toBe(true);
	});

	it('is installed and proven with the pre-commit guard by applyHardening', async () => {
		const key = fakeCloudSightKey();
		const {repo} = clone();
		const outcome = await applyHardening({repo, variable: 'K', key, changes: [], extras: true});
		expect(outcome.guard).toMatchObject({where: `${path.join('.git', 'hooks', 'pre-commit')} and ${path.join('.git', 'hooks', 'pre-push')}`, proven: true});
		expect(outcome.prePush).toMatchObject({proven: true, how: expect.stringContaining('proven: it refused a diff adding the key and let a clean one through, and read a push range through git')});
		expect(outcome.guardByHand).toBeNull();
	});
});

describe("the guard's --range mode", () => {
	it('refuses a range whose commits add the key (even one removed again), passes a clean range, refuses an option as a range', async () => {
		const key = fakeCloudSightKey();
		const {repo} = clone();
		await installGuard(repo, key, true);
		const guard = path.join(repo, '.git', 'hooks', 'leakfix-guard.mjs');
		const base = git(repo, 'rev-parse', 'HEAD');
		put(repo, 'a.txt', `${key}\n`);
		git(repo, 'add', 'a.txt');
		git(repo, 'commit', '-q', '--no-verify', '-m', 'add');
		git(repo, 'rm', '-q', 'a.txt');
		git(repo, 'commit', '-q', '--no-verify', '-m', 'remove');
		const range = (...args: string[]) => spawnSync(process.execPath, [guard, '--range', ...args], {cwd: repo, encoding: 'utf8'});
		const refused = range(`${base}..HEAD`);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('(in a.txt)');
		expect(range('HEAD~1..HEAD').status).toBe(0); // the removal alone adds nothing
		put(repo, 'b.txt', 'clean\n');
		git(repo, 'add', 'b.txt');
		git(repo, 'commit', '-q', '-m', 'clean');
		expect(range('HEAD~1..HEAD').status).toBe(0);
		expect(range('HEAD', '--not', `${base}`).status).toBe(1);
		const option = range('--output=/tmp/x');
		expect(option.status).toBe(2);
		expect(option.stderr).toContain('--range takes A..B');
		const unknown = range('0000000000000000000000000000000000000000..HEAD');
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toContain('git could not read the commits');
	});
});
