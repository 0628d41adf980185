// The guard in CI: the GitHub Actions workflow, the GitLab CI jobs and the shell step are valid
// YAML (or sh) with the expected structure, and their scripts, run in a real repository with a
// bare origin as the CI would run them, fail on pushed commits that add the key and pass clean ones.
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {parse} from 'yaml';
import {describe, expect, it} from 'vitest';
import {ciPlan} from '../../src/engines/harden/ci.js';
import {applyHardening, committedGuard, WriteJournal} from '../../src/engines/harden/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {stubBin} from '../helpers/stubs.js';

const ENV = {...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com'};
const git = (repo: string, ...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {encoding: 'utf8', env: ENV}).trim();
const put = (repo: string, file: string, text: string) => {
	fs.mkdirSync(path.dirname(path.join(repo, file)), {recursive: true});
	fs.writeFileSync(path.join(repo, file), text);
};
const ZERO = '0'.repeat(40);

/** A CI checkout: main pushed to a bare origin (refs/remotes/origin/main), then a clean and a leaking commit on top. */
function checkout(key: string): {repo: string; pushed: string; clean: string; leak: string} {
	const origin = tempDir('leakfix-origin-');
	git(origin, 'init', '-q', '--bare', '-b', 'main');
	const repo = tempDir();
	git(repo, 'init', '-q', '-b', 'main');
	git(repo, 'remote', 'add', 'origin', origin);
	put(repo, 'README.md', 'hello\n');
	git(repo, 'add', 'README.md');
	git(repo, 'commit', '-q', '-m', 'first');
	git(repo, 'push', '-q', 'origin', 'main');
	const pushed = git(repo, 'rev-parse', 'HEAD');
	put(repo, 'a.txt', 'clean\n');
	git(repo, 'add', 'a.txt');
	git(repo, 'commit', '-q', '-m', 'clean');
	const clean = git(repo, 'rev-parse', 'HEAD');
	put(repo, 'config.js', `const k = "${key}";\n`);
	git(repo, 'add', 'config.js');
	git(repo, 'commit', '-q', '-m', 'leak');
	const leak = git(repo, 'rev-parse', 'HEAD');
	return {repo, pushed, clean, leak};
}
const sh = (repo: string, script: string, env: Record<string, string>, args: string[] = []) => spawnSync('sh', ['-c', script, 'ci', ...args], {cwd: repo, encoding: 'utf8', env: {...ENV, ...env}});

describe('the CI job', () => {
	it('GitHub Actions: a valid workflow with the expected job; its step fails on a pushed commit adding the key, passes a clean push, and compares a new branch with the default one', () => {
		const key = fakeCloudSightKey();
		const {repo, pushed, clean, leak} = checkout(key);
		put(repo, '.github/workflows/test.yml', 'name: test\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npx gitleaks version\n');
		const plan = ciPlan(repo, 'github', committedGuard(repo, key));
		expect(plan).toMatchObject({kind: 'github', file: '.github/workflows/leakfix-guard.yml', unchanged: false, scanners: ['gitleaks']});
		expect(plan.refused).toBeUndefined();
		expect(plan.diff.split('\n').slice(0, 3)).toEqual(['--- /dev/null', '+++ b/.github/workflows/leakfix-guard.yml', expect.stringMatching(/^@@ -0,0 \+1,\d+ @@$/)]);
		plan.write(new WriteJournal());
		const text = fs.readFileSync(path.join(repo, plan.file), 'utf8');
		expect(plan.diff.split('\n').slice(3).map(line => line.slice(1))).toEqual(text.replace(/\n$/, '').split('\n'));
		expect(text).not.toContain(key);
		expect(fs.readFileSync(path.join(repo, '.leakfix', 'guard.mjs'), 'utf8')).not.toContain(key);
		const workflow = parse(text) as {on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, {'runs-on': string; steps: Array<Record<string, unknown> & {env?: Record<string, string>; with?: Record<string, unknown>}>}>};
		expect(Object.keys(workflow.on)).toEqual(['push', 'pull_request']);
		expect(workflow.permissions).toEqual({contents: 'read'});
		const steps = workflow.jobs['leakfix-guard']!.steps;
		expect(steps[0]).toMatchObject({uses: 'actions/checkout@v4', with: {'fetch-depth': 0}});
		expect(steps[1]!.env).toEqual({
			LEAKFIX_BASE: '${{ github.event.pull_request.base.sha || github.event.before }}',
			LEAKFIX_HEAD: '${{ github.event.pull_request.head.sha || github.sha }}',
			LEAKFIX_DEFAULT_BRANCH: '${{ github.event.repository.default_branch }}',
		});
		const run = steps[1]!.run as string;
		// No expression inside the script itself: event values reach it through env only.
		expect(run).not.toContain('${{');
		expect(run).toContain('node .leakfix/guard.mjs --range "$base..$head"');
		expect(steps[2]).toMatchObject({name: 'gitleaks', uses: 'gitleaks/gitleaks-action@v2'});

		// The step as the runner runs it, in this checkout.
		const refused = sh(repo, run, {LEAKFIX_BASE: pushed, LEAKFIX_HEAD: leak, LEAKFIX_DEFAULT_BRANCH: 'main'});
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('leakfix guard: this commit adds a leaked key (in config.js)');
		expect(refused.stderr + refused.stdout).not.toContain(key);
		expect(sh(repo, run, {LEAKFIX_BASE: pushed, LEAKFIX_HEAD: clean, LEAKFIX_DEFAULT_BRANCH: 'main'}).status).toBe(0);
		// A new branch (before = zeros): what it adds to origin/main.
		expect(sh(repo, run, {LEAKFIX_BASE: ZERO, LEAKFIX_HEAD: leak, LEAKFIX_DEFAULT_BRANCH: 'main'}).status).toBe(1);
		expect(sh(repo, run, {LEAKFIX_BASE: ZERO, LEAKFIX_HEAD: clean, LEAKFIX_DEFAULT_BRANCH: 'main'}).status).toBe(0);
		// A force push (before unknown here) falls back to the default branch and says so.
		const forced = sh(repo, run, {LEAKFIX_BASE: 'f'.repeat(40), LEAKFIX_HEAD: leak, LEAKFIX_DEFAULT_BRANCH: 'main'});
		expect(forced.status).toBe(1);
		expect(forced.stderr).toContain('is not in this clone');
		// No default branch to compare with: refused as unchecked (exit 2), never passed.
		const lost = sh(repo, run, {LEAKFIX_BASE: '', LEAKFIX_HEAD: clean, LEAKFIX_DEFAULT_BRANCH: 'nosuch'});
		expect(lost.status).toBe(2);
		expect(lost.stderr).toContain('origin/nosuch cannot be fetched');

		// Planned again: already in place.
		expect(ciPlan(repo, 'github', committedGuard(repo, key))).toMatchObject({unchanged: true, diff: ''});
	});

	it('GitLab CI: jobs appended through the Document API, the rest kept (comments too); the job fails on a pushed commit adding the key', () => {
		const key = fakeCloudSightKey();
		const {repo, pushed, clean, leak} = checkout(key);
		const original = '# my pipeline\nstages:\n  - build\n  - deploy\n\nbuild:\n  stage: build\n  script:\n    - make   # the build\n\ndeploy:\n  stage: deploy\n  script: [./deploy.sh]\n';
		put(repo, '.gitlab-ci.yml', original);
		put(repo, '.gitguardian.yaml', 'version: 2\n');
		const plan = ciPlan(repo, 'gitlab', committedGuard(repo, key));
		expect(plan).toMatchObject({kind: 'gitlab', file: '.gitlab-ci.yml', unchanged: false, scanners: ['ggshield']});
		// Only added lines: the file's own lines are untouched.
		const body = plan.diff.split('\n').slice(2);
		expect(body.filter(line => line.startsWith('-'))).toEqual([]);
		// The diff shown is the change made: git applies it to the file as it is.
		const patch = path.join(tempDir(), 'ci.diff');
		fs.writeFileSync(patch, `${plan.diff}\n`);
		expect(spawnSync('git', ['-C', repo, 'apply', '--check', patch], {encoding: 'utf8'}).stderr).toBe('');
		plan.write(new WriteJournal());
		const text = fs.readFileSync(path.join(repo, '.gitlab-ci.yml'), 'utf8');
		expect(text.startsWith(original)).toBe(true);
		const config = parse(text) as Record<string, {stage?: string; image?: unknown; variables?: Record<string, string>; script?: string[]}>;
		expect(Object.keys(config)).toEqual(['stages', 'build', 'deploy', 'leakfix-guard', 'leakfix-guard-ggshield']);
		expect(config.build).toEqual({stage: 'build', script: ['make']});
		const job = config['leakfix-guard']!;
		expect(job).toMatchObject({stage: 'build', image: 'node:20', variables: {GIT_DEPTH: '0'}});
		expect(job.script).toHaveLength(1);
		expect(config['leakfix-guard-ggshield']).toMatchObject({image: {name: 'gitguardian/ggshield:latest', entrypoint: ['']}, script: ['ggshield secret scan ci']});

		const ci = (env: Record<string, string>) => sh(repo, job.script![0]!, {CI_DEFAULT_BRANCH: 'main', ...env});
		expect(ci({CI_COMMIT_BEFORE_SHA: pushed, CI_COMMIT_SHA: leak}).status).toBe(1);
		expect(ci({CI_COMMIT_BEFORE_SHA: pushed, CI_COMMIT_SHA: clean}).status).toBe(0);
		// A merge request pipeline: its diff base comes first (before is zeros there).
		expect(ci({CI_MERGE_REQUEST_DIFF_BASE_SHA: clean, CI_COMMIT_BEFORE_SHA: ZERO, CI_COMMIT_SHA: leak}).status).toBe(1);
		expect(ci({CI_MERGE_REQUEST_DIFF_BASE_SHA: pushed, CI_COMMIT_BEFORE_SHA: ZERO, CI_COMMIT_SHA: clean}).status).toBe(0);

		expect(ciPlan(repo, 'gitlab', committedGuard(repo, key))).toMatchObject({unchanged: true, diff: ''});
		put(repo, '.gitlab-ci.yml', '- not\n- a mapping\n');
		expect(ciPlan(repo, 'gitlab', committedGuard(repo, key)).refused).toContain('not a YAML mapping');
	});

	it('a shell step for any CI: refuses a range adding the key, runs the scanner the repository uses on the same commits', () => {
		const key = fakeCloudSightKey();
		const {repo, pushed, clean, leak} = checkout(key);
		put(repo, '.gitleaksignore', '');
		const plan = ciPlan(repo, 'shell', committedGuard(repo, key));
		expect(plan.how).toContain('sh scripts/leakfix-guard.sh "$BEFORE_SHA" "$COMMIT_SHA"');
		plan.write(new WriteJournal());
		const script = path.join(repo, 'scripts', 'leakfix-guard.sh');
		expect(fs.statSync(script).mode & 0o777).toBe(0o755);
		expect(spawnSync('sh', ['-n', script]).status).toBe(0);
		const gitleaks = stubBin({gitleaks: {exitCode: 0}});
		const env = {...ENV, PATH: `${gitleaks.dir}${path.delimiter}${process.env.PATH}`};
		const run = (...args: string[]) => spawnSync('sh', [script, ...args], {cwd: repo, encoding: 'utf8', env});
		const refused = run(pushed, leak);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('(in config.js)');
		expect(gitleaks.calls('gitleaks')).toEqual([]); // the guard failed first
		expect(run(pushed, clean).status).toBe(0);
		expect(gitleaks.calls('gitleaks').map(call => call.argv)).toEqual([['git', '--redact', `--log-opts=${pushed}..${clean}`, '.']]);
		expect(run('', clean).status).toBe(0); // a new branch: against origin/main
		expect(gitleaks.calls('gitleaks').at(-1)!.argv).toEqual(['git', '--redact', `--log-opts=origin/main..${clean}`, '.']);
	});

	it('applyHardening writes the job with the guards in one journal; a workflow leakfix did not write is never overwritten', async () => {
		const key = fakeCloudSightKey();
		const {repo} = checkout(key);
		const outcome = await applyHardening({repo, variable: 'K', key, changes: [], extras: true, ci: 'github'});
		expect(outcome.ci).toEqual({kind: 'github', file: '.github/workflows/leakfix-guard.yml', written: true});
		expect(outcome.config).toContainEqual(expect.stringContaining('.github/workflows/leakfix-guard.yml: a GitHub Actions job'));
		expect(fs.existsSync(path.join(repo, '.leakfix', 'guard.mjs'))).toBe(true);
		expect(outcome.guard?.proven).toBe(true);

		const other = checkout(key).repo;
		put(other, '.github/workflows/leakfix-guard.yml', 'name: mine\n');
		const refused = await applyHardening({repo: other, variable: 'K', key, changes: [], extras: true, ci: 'github'});
		expect(refused.ci).toMatchObject({written: false, refused: expect.stringContaining("exists and is not leakfix's")});
		expect(fs.readFileSync(path.join(other, '.github/workflows/leakfix-guard.yml'), 'utf8')).toBe('name: mine\n');
	});

	it('leakfix harden --ci: the job shown as a diff with --dry-run (nothing written), written without it; an unknown CI is a usage error', () => {
		const key = fakeCloudSightKey();
		const {repo} = checkout(key);
		put(repo, '.gitlab-ci.yml', 'test:\n  script: [npm test]\n');
		git(repo, 'add', '.gitlab-ci.yml');
		git(repo, 'commit', '-q', '-m', 'ci');
		const env: NodeJS.ProcessEnv = {...ENV};
		delete env.CI;
		const cli = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'harden', '--repo', repo, '--key-stdin', '--env-var', 'K', ...args], {input: key, encoding: 'utf8', env});
		const dry = cli('--ci', 'gitlab', '--dry-run');
		expect(dry.status, dry.stderr).toBe(0);
		expect(dry.stdout).toContain('.gitlab-ci.yml: would be written');
		expect(dry.stdout).toContain('+leakfix-guard:');
		expect(dry.stdout).toContain('pre-push guard would go in .git/hooks/pre-push');
		expect(dry.stdout).not.toContain(key);
		expect(git(repo, 'status', '--porcelain')).toBe('');
		const applied = cli('--ci', 'gitlab', '--json');
		expect(applied.status, applied.stderr).toBe(0);
		const report = JSON.parse(applied.stdout) as {ci: Array<{file: string; status: string; diff: string}>};
		expect(report.ci).toEqual([expect.objectContaining({file: '.gitlab-ci.yml', status: 'written', diff: expect.stringContaining('+leakfix-guard:')})]);
		expect((parse(fs.readFileSync(path.join(repo, '.gitlab-ci.yml'), 'utf8')) as Record<string, unknown>)['leakfix-guard']).toBeDefined();
		expect(fs.readFileSync(path.join(repo, '.leakfix', 'guard.mjs'), 'utf8')).not.toContain(key);
		const bad = cli('--ci', 'jenkins');
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('Unknown CI "jenkins"');
	});
});
