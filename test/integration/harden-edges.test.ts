// De-hard-coding's hard cases, and the guard's reach.
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {planFile} from '../../src/core/harden.js';
import {installGuard, WriteJournal} from '../../src/engines/harden/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';

const git = (repo: string, ...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {encoding: 'utf8'});
const commit = (repo: string) => spawnSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'x'], {encoding: 'utf8'});
const Q3 = '"'.repeat(3);

describe('de-hard-coding, line by line', () => {
	it('keeps Python compiling with a docstring and __future__ imports; refuses a comment and a multi-line string', () => {
		const key = fakeCloudSightKey();
		const source = ['#!/usr/bin/env python3', `${Q3}Doc.${Q3}`, 'from __future__ import annotations', 'import json', `KEY = "${key}"`, `# old: ${key}`, `TEMPLATE = ${Q3}`, `key: ${key}`, Q3, ''].join('\n');
		const py = planFile('w.py', source, key, 'K', 'env');
		if ('unsupported' in py) throw new Error(py.unsupported);
		expect(py.text.split('\n').slice(0, 6)).toEqual(['#!/usr/bin/env python3', `${Q3}Doc.${Q3}`, 'from __future__ import annotations', 'import os', 'import json', expect.stringContaining('# K comes from the environment')]);
		expect(py.refused).toEqual([
			{line: 6, reason: 'the key is in a comment: delete it there'},
			{line: 8, reason: 'the key is inside a multi-line string or template'},
		]);
		const file = path.join(tempDir(), 'w.py');
		fs.writeFileSync(file, py.text);
		expect(spawnSync('python3', ['-m', 'py_compile', file]).status).toBe(0);
	});

	it('refuses a Go const block and a Java annotation, types TypeScript, keeps CRLF, refuses mixed line endings', () => {
		const key = fakeCloudSightKey();
		const go = planFile('main.go', `package main\n\nconst (\n\tk = "${key}"\n)\nconst single = "${key}"\n`, key, 'K', 'env');
		if ('unsupported' in go) throw new Error(go.unsupported);
		expect(go.refused).toEqual([{line: 4, reason: 'the key is in a Go const block: move it to a var'}]);
		expect(go.text).toContain('var single = os.Getenv("K")');
		expect(go.text).toContain('package main\n\nimport "os"\n');
		const java = planFile('A.java', `class A {\n  @SuppressWarnings("${key}")\n  String k = "${key}";\n}\n`, key, 'K', 'env');
		if ('unsupported' in java) throw new Error(java.unsupported);
		expect(java.refused).toEqual([{line: 2, reason: 'the key is in an annotation, which cannot read the environment'}]);
		expect(java.text).toContain('String k = System.getenv("K");');
		const ts = planFile('a.ts', `const k: string = "${key}";\nconst t = \`\n${key}\n\`;\n`, key, 'K', 'env');
		if ('unsupported' in ts) throw new Error(ts.unsupported);
		expect(ts.text).toContain('const k: string = process.env.K!;');
		expect(ts.refused).toEqual([{line: 3, reason: 'the key is inside a multi-line string or template'}]);
		expect(planFile('m.js', `a = "${key}";\r\nb = 1;\n`, key, 'K', 'env')).toEqual({unsupported: 'the file mixes line endings'});
		const crlf = planFile('c.js', `// x\r\nconst k = "${key}";\r\n`, key, 'K', 'env');
		if ('unsupported' in crlf) throw new Error(crlf.unsupported);
		expect(crlf.text).toBe(`// x\r\n// K comes from the environment (an ignored .env locally, the platform's settings in production); never commit it\r\nconst k = process.env.K;\r\n`);
		expect(crlf.diff).toBe(`--- a/c.js\n+++ b/c.js\n@@ -1,2 +1,3 @@\n // x\n-const k = "${key}";\n+// K comes from the environment (an ignored .env locally, the platform's settings in production); never commit it\n+const k = process.env.K;`);
	});
});

describe('the guard', () => {
	it('refuses the key base64-encoded too, keeps earlier incidents\' keys, and honours core.hooksPath', async () => {
		const first = fakeCloudSightKey();
		const second = fakeCloudSightKey();
		const repo = tempDir();
		git(repo, 'init', '-q');
		git(repo, 'config', 'core.hooksPath', '.githooks');
		expect((await installGuard(repo, first, true)).where).toBe('.githooks/pre-commit');
		await installGuard(repo, second, true);
		const guard = fs.readFileSync(path.join(repo, '.githooks', 'leakfix-guard.mjs'), 'utf8');
		expect(guard).not.toContain(first);
		expect(guard).not.toContain(second);
		for (const text of [first, second, `Authorization: Basic ${Buffer.from(`ci-user:${first}`).toString('base64')}`, `url=${encodeURIComponent('a/' + second)}`]) {
			fs.writeFileSync(path.join(repo, 'x.txt'), `${text}\n`);
			git(repo, 'add', 'x.txt');
			expect(commit(repo).status).not.toBe(0);
			git(repo, 'reset', '-q');
		}
		fs.writeFileSync(path.join(repo, 'x.txt'), 'fine\n');
		git(repo, 'add', 'x.txt');
		expect(commit(repo).status).toBe(0);
	});

	it('adds itself to a pre-commit config as a YAML item, whatever the indentation', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		git(repo, 'init', '-q');
		fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), 'repos:\n- repo: https://github.com/pre-commit/pre-commit-hooks\n  rev: v4.6.0\n  hooks:\n  - id: trailing-whitespace\n');
		await installGuard(repo, key, true);
		const {parse} = await import('yaml');
		const config = parse(fs.readFileSync(path.join(repo, '.pre-commit-config.yaml'), 'utf8')) as {repos: Array<{repo: string; hooks: Array<{id: string; entry?: string}>}>};
		expect(config.repos.map(entry => entry.repo)).toEqual(['https://github.com/pre-commit/pre-commit-hooks', 'local']);
		expect(config.repos[1]!.hooks[0]).toMatchObject({id: 'leakfix-guard', entry: 'node .leakfix/guard.mjs'});
	});
});

describe('the lookup fits the libraries the project already uses', () => {
	it('reads through boto3, hvac or the Ruby AWS SDK when the project has them and the address is known, else the environment', async () => {
		const {projectLibraries, planChanges, findHardcoded} = await import('../../src/engines/harden/index.js');
		const key = fakeCloudSightKey();
		const repo = tempDir();
		git(repo, 'init', '-q');
		fs.writeFileSync(path.join(repo, 'requirements.txt'), 'boto3==1.34.0\nhvac>=2\n');
		fs.writeFileSync(path.join(repo, 'Gemfile'), "gem 'aws-sdk-secretsmanager'\n");
		fs.writeFileSync(path.join(repo, 'worker.py'), `"""Worker."""\nKEY = "${key}"\n`);
		fs.writeFileSync(path.join(repo, 'app.rb'), `# frozen_string_literal: true\nKEY = '${key}'\n`);
		fs.writeFileSync(path.join(repo, 'web.js'), `const KEY = "${key}";\n`);
		git(repo, 'add', '-A');
		git(repo, 'commit', '-q', '-m', 'x');
		const libraries = projectLibraries(repo);
		expect(libraries).toEqual({python: {boto3: true, hvac: true}, ruby: {awsSecretsManager: true}});
		const places = await findHardcoded([repo], key);
		const aws = planChanges(places, key, 'CLOUDSIGHT_API_KEY', 'aws-sm', {secretId: 'prod/worker', jsonKey: 'api_key'}, libraries);
		for (const change of aws) change.apply?.(new WriteJournal());
		const python = fs.readFileSync(path.join(repo, 'worker.py'), 'utf8');
		expect(python).toBe(`"""Worker."""\nimport boto3\nimport json\n# read from AWS Secrets Manager (secret prod/worker, key api_key) with the client this project already uses; CLOUDSIGHT_API_KEY is no longer in the code\nKEY = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId="prod/worker")["SecretString"])["api_key"]\n`);
		expect(spawnSync('python3', ['-m', 'py_compile', path.join(repo, 'worker.py')]).status).toBe(0);
		expect(fs.readFileSync(path.join(repo, 'app.rb'), 'utf8')).toBe(`# frozen_string_literal: true\nrequire "aws-sdk-secretsmanager"\nrequire "json"\n# read from AWS Secrets Manager (secret prod/worker, key api_key) with the client this project already uses; CLOUDSIGHT_API_KEY is no longer in the code\nKEY = JSON.parse(Aws::SecretsManager::Client.new.get_secret_value(secret_id: "prod/worker").secret_string).fetch("api_key")\n`);
		// JavaScript's SDK is asynchronous: a constant cannot await it, so it reads the variable the deploy sets.
		expect(fs.readFileSync(path.join(repo, 'web.js'), 'utf8')).toContain('const KEY = process.env.CLOUDSIGHT_API_KEY;');
		expect(python + fs.readFileSync(path.join(repo, 'app.rb'), 'utf8')).not.toContain(key);
	});
});

describe('leakfix harden, per file', () => {
	it('takes a store per file (--store FILE=STORE) besides the default one', () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		git(repo, 'init', '-q');
		fs.writeFileSync(path.join(repo, 'w.py'), `KEY = "${key}"\n`);
		fs.writeFileSync(path.join(repo, 'a.js'), `const K = "${key}";\n`);
		git(repo, 'add', '-A');
		git(repo, 'commit', '-q', '-m', 'x');
		const env: NodeJS.ProcessEnv = {...process.env};
		delete env.CI;
		const result = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'harden', '--repo', repo, '--key-stdin', '--provider', 'cloudsight', '--store', 'aws-sm', '--store', 'w.py=vault', '--json'], {input: key, encoding: 'utf8', env});
		expect(result.status).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({store: 'aws-sm', stores: {'w.py': 'vault'}, applied: true});
		expect(fs.readFileSync(path.join(repo, 'w.py'), 'utf8')).toContain('# CLOUDSIGHT_API_KEY is set from HashiCorp Vault KV v2');
		expect(fs.readFileSync(path.join(repo, 'a.js'), 'utf8')).toContain('// CLOUDSIGHT_API_KEY is set from AWS Secrets Manager');
		const bad = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'harden', '--repo', repo, '--key-stdin', '--provider', 'cloudsight', '--store', 'w.py=redis'], {input: key, encoding: 'utf8', env});
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('Unknown store "redis"');
	});
});

describe('the guard holds no secret, and fits every setup', () => {
	it('never writes the key, even one with no repeated character, and lets its own file be committed', async () => {
		const key = 'Xk3vQ9pL2mN7rT5wY8zA1b'.split('').reverse().join('') + ''; // built here; a fake
		const repo = tempDir();
		git(repo, 'init', '-q');
		fs.mkdirSync(path.join(repo, '.husky'));
		await installGuard(repo, key, true);
		const script = fs.readFileSync(path.join(repo, '.leakfix', 'guard.mjs'), 'utf8');
		expect(script).not.toContain(key);
		for (let start = 0; start + 8 <= key.length; start++) expect(script).not.toContain(key.slice(start, start + 8));
		git(repo, 'add', '-A');
		expect(commit(repo).status).toBe(0); // husky is not installed here, so only the file is checked by the loop above
	});

	it('in a linked worktree the guard sits beside the shared hook; a global hooksPath is left to the user; a refused hook still gets the script', async () => {
		const key = fakeCloudSightKey();
		const main = tempDir();
		git(main, 'init', '-q');
		fs.writeFileSync(path.join(main, 'a.txt'), 'a\n');
		git(main, 'add', 'a.txt');
		expect(commit(main).status).toBe(0);
		const linked = path.join(tempDir(), 'wt');
		git(main, 'worktree', 'add', '-q', linked);
		await installGuard(linked, key, true);
		for (const repo of [main, linked]) {
			fs.writeFileSync(path.join(repo, 'k.txt'), `${key}\n`);
			git(repo, 'add', 'k.txt');
			expect(commit(repo).status).not.toBe(0);
			git(repo, 'reset', '-q');
			fs.rmSync(path.join(repo, 'k.txt'));
			fs.writeFileSync(path.join(repo, 'ok.txt'), `${repo}\n`);
			git(repo, 'add', 'ok.txt');
			expect(commit(repo).status).toBe(0);
		}
		const {guardPlan} = await import('../../src/engines/harden/index.js');
		const own = tempDir();
		git(own, 'init', '-q');
		fs.writeFileSync(path.join(own, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nmake lint\n', {mode: 0o755});
		const plan = await guardPlan(own, key);
		expect(plan.refused).toMatch(/add node ".*leakfix-guard\.mjs" to it by hand/);
		plan.writeGuard(new WriteJournal());
		expect(fs.existsSync(path.join(own, '.git', 'hooks', 'leakfix-guard.mjs'))).toBe(true);
		expect(fs.readFileSync(path.join(own, '.git', 'hooks', 'pre-commit'), 'utf8')).toBe('#!/bin/sh\nmake lint\n');
	});

	it('its diffs apply with git apply, and the built CLI edits a pre-commit config', () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		git(repo, 'init', '-q');
		fs.writeFileSync(path.join(repo, 'k.ts'), `const a: string = "${key}";\nconst b = {k: "${key}"};\nexport {a, b};\n`);
		fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), 'repos:\n- repo: local\n  hooks:\n  - id: lint\n    name: lint\n    entry: make lint\n    language: system\n');
		git(repo, 'add', '-A');
		expect(commit(repo).status).toBe(0);
		const plan = planFile('k.ts', fs.readFileSync(path.join(repo, 'k.ts'), 'utf8'), key, 'K', 'env');
		if ('unsupported' in plan) throw new Error(plan.unsupported);
		const patch = path.join(tempDir(), 'p.diff');
		fs.writeFileSync(patch, `${plan.diff}\n`);
		expect(spawnSync('git', ['-C', repo, 'apply', '--check', patch], {encoding: 'utf8'}).stderr).toBe('');
		const env: NodeJS.ProcessEnv = {...process.env};
		delete env.CI;
		const result = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'harden', '--repo', repo, '--key-stdin', '--provider', 'cloudsight'], {input: key, encoding: 'utf8', env});
		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('guard installed in .pre-commit-config.yaml (pre-commit)');
		expect(fs.readFileSync(path.join(repo, '.pre-commit-config.yaml'), 'utf8')).toContain('leakfix-guard');
	});
});
