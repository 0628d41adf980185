// Prevent recurrence on real repositories: hard-coded copies rewritten per language (checked
// by the toolchains on this machine), .env.example and .gitignore, and the guard proven on commits.
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {rewriteFile} from '../../src/core/harden.js';
import {findHardcoded, installGuard, planChanges, WriteJournal} from '../../src/engines/harden/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';

const has = (tool: string, args: string[]) => spawnSync(tool, args, {stdio: 'ignore'}).status === 0;
const git = (repo: string, ...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {encoding: 'utf8'});

function project(key: string): string {
	const repo = tempDir();
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(repo, file)), {recursive: true});
		fs.writeFileSync(path.join(repo, file), text);
	};
	git(repo, 'init', '-q');
	write('api/package.json', JSON.stringify({name: 'api', type: 'module', scripts: {test: 'node --test'}}));
	write('api/test/client.test.js', "import {test} from 'node:test';\nimport assert from 'node:assert';\nimport {config, headers} from '../src/client.js';\ntest('uses the key', () => {\n  assert.ok(config.apiKey.length > 10);\n  assert.match(headers().Authorization, /^CloudSight /);\n});\n");
	write('worker/test_worker.py', 'import unittest\nimport worker\n\nclass T(unittest.TestCase):\n    def test_key(self):\n        self.assertTrue(len(worker.API_KEY) > 10)\n\nif __name__ == "__main__":\n    unittest.main()\n');
	write('api/src/client.js', `// the tagger\nconst CLOUDSIGHT_API_KEY = '${key}';\nexport function headers(key = "${key}") {\n  return {Authorization: \`CloudSight \${key}\`};\n}\nexport const config = {apiKey: '${key}', timeout: 5};\nexport {CLOUDSIGHT_API_KEY};\n`);
	write('worker/worker.py', `#!/usr/bin/env python3\n"""The worker."""\nimport json\n\nAPI_KEY = "${key}"\n\ndef headers(key='${key}'):\n    return {"Authorization": "CloudSight " + key}\n`);
	write('worker/config.yaml', `cloudsight:\n  key: ${key}\n`);
	write('billing/main.go', `package main\n\nimport (\n\t"fmt"\n)\n\nconst apiKey = "${key}"\n\nfunc main() { fmt.Println(len(apiKey)) }\n`);
	write('legacy/App.java', `public class App {\n    static final String KEY = "${key}";\n    public static void main(String[] a) { System.out.println(KEY.length()); }\n}\n`);
	write('ruby/app.rb', `KEY = '${key}'\nputs KEY.length\n`);
	write('web/banner.js', `const header = \`Bearer ${key}\`;\n`);
	git(repo, 'add', '-A');
	git(repo, 'commit', '-q', '-m', 'with the key');
	return repo;
}

describe('de-hard-coding', () => {
	it('rewrites each language to read the variable, touching only the key\'s lines and needed imports; the result still parses', async () => {
		const key = fakeCloudSightKey();
		const repo = project(key);
		const places = await findHardcoded([repo], key);
		expect(new Set(places.map(place => place.file))).toEqual(new Set(['api/src/client.js', 'worker/worker.py', 'worker/config.yaml', 'billing/main.go', 'legacy/App.java', 'ruby/app.rb', 'web/banner.js']));
		const changes = planChanges(places, key, 'CLOUDSIGHT_API_KEY', 'vault', {mount: 'secret', path: 'api', field: 'key'});
		const byFile = new Map(changes.map(change => [change.file, change]));
		expect(byFile.get('worker/config.yaml')).toMatchObject({diff: null, refused: [{line: 2, reason: expect.stringContaining('not a language leakfix rewrites')}], snippet: expect.stringContaining('${CLOUDSIGHT_API_KEY}')});
		expect(byFile.get('web/banner.js')).toMatchObject({diff: null, refused: [{line: 1, reason: expect.stringContaining('inside a larger string or template')}]});
		for (const change of changes) change.apply?.(new WriteJournal());

		const read = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8');
		expect(read('api/src/client.js')).toBe(
			`// the tagger\n// CLOUDSIGHT_API_KEY is set from HashiCorp Vault KV v2 (secret/api field key) by the Vault Agent or the deploy\nconst CLOUDSIGHT_API_KEY = process.env.CLOUDSIGHT_API_KEY;\n// CLOUDSIGHT_API_KEY is set from HashiCorp Vault KV v2 (secret/api field key) by the Vault Agent or the deploy\nexport function headers(key = process.env.CLOUDSIGHT_API_KEY) {\n  return {Authorization: \`CloudSight \${key}\`};\n}\n// CLOUDSIGHT_API_KEY is set from HashiCorp Vault KV v2 (secret/api field key) by the Vault Agent or the deploy\nexport const config = {apiKey: process.env.CLOUDSIGHT_API_KEY, timeout: 5};\nexport {CLOUDSIGHT_API_KEY};\n`,
		);
		expect(read('worker/worker.py')).toContain('import os\nimport json');
		expect(read('worker/worker.py')).toContain('API_KEY = os.environ["CLOUDSIGHT_API_KEY"]');
		expect(read('worker/worker.py')).toContain(`def headers(key=os.environ["CLOUDSIGHT_API_KEY"]):`);
		expect(read('billing/main.go')).toContain('import (\n\t"os"\n\t"fmt"\n)');
		expect(read('billing/main.go')).toContain('var apiKey = os.Getenv("CLOUDSIGHT_API_KEY")');
		expect(read('legacy/App.java')).toContain('static final String KEY = System.getenv("CLOUDSIGHT_API_KEY");');
		expect(read('ruby/app.rb')).toContain('KEY = ENV.fetch("CLOUDSIGHT_API_KEY")');
		for (const file of ['api/src/client.js', 'worker/worker.py', 'billing/main.go', 'legacy/App.java', 'ruby/app.rb']) expect(read(file)).not.toContain(key);
		// The diff touches only the key's lines (each with its comment) and imports.
		const diff = git(repo, 'diff', '--numstat');
		expect(diff).toMatch(/^6\t3\tapi\/src\/client\.js$/m); // 3 lines changed, each with its comment
		expect(diff).toMatch(/^5\t2\tworker\/worker\.py$/m);

		// The services' own tests pass, with the key now coming from the environment.
		const withKey = {...process.env, CLOUDSIGHT_API_KEY: fakeCloudSightKey()};
		expect(spawnSync(process.execPath, ['--test'], {cwd: path.join(repo, 'api'), env: withKey, encoding: 'utf8'}).status).toBe(0);
		expect(spawnSync('python3', ['-m', 'unittest', '-q'], {cwd: path.join(repo, 'worker'), env: withKey, encoding: 'utf8'}).status).toBe(0);
		// The toolchains on this machine agree the files still parse (or compile).
		expect(spawnSync(process.execPath, ['--check', path.join(repo, 'api/src/client.js')]).status).toBe(0);
		expect(spawnSync('python3', ['-m', 'py_compile', path.join(repo, 'worker/worker.py')]).status).toBe(0);
		if (has('javac', ['-version'])) expect(spawnSync('javac', ['-d', tempDir(), path.join(repo, 'legacy/App.java')]).status).toBe(0);
		if (has('gofmt', ['-h'])) expect(spawnSync('gofmt', ['-e', path.join(repo, 'billing/main.go')]).status).toBe(0);
		if (has('ruby', ['-v'])) expect(spawnSync('ruby', ['-c', path.join(repo, 'ruby/app.rb')]).status).toBe(0);
	});

	it('refuses minified lines, keys inside strings, and shows the snippet instead', () => {
		const key = fakeCloudSightKey();
		expect(rewriteFile(`x=${'a'.repeat(500)}"${key}"`, 0, key, 'javascript', 'K', 'env')).toMatchObject({ok: false, reason: 'the line looks minified or generated'});
		expect(rewriteFile(`const h = "Bearer ${key}";`, 0, key, 'javascript', 'K', 'env')).toMatchObject({ok: false, snippet: expect.stringContaining('process.env.K')});
		expect(rewriteFile(`KEY = f"${key}"`, 0, key, 'python', 'K', 'env')).toMatchObject({ok: true});
	});
});

describe('the guard', () => {
	it('refuses a commit that adds the key (found by its sha256; the hook holds no secret) and lets others through', async () => {
		const key = fakeCloudSightKey();
		const repo = tempDir();
		git(repo, 'init', '-q');
		await installGuard(repo, key, true);
		expect(fs.readFileSync(path.join(repo, '.git', 'hooks', 'leakfix-guard.mjs'), 'utf8')).not.toContain(key);
		fs.writeFileSync(path.join(repo, 'ok.txt'), 'nothing secret here\n');
		git(repo, 'add', 'ok.txt');
		git(repo, 'commit', '-q', '-m', 'fine');
		fs.writeFileSync(path.join(repo, 'config.js'), `const k = "${key}";\n`);
		git(repo, 'add', 'config.js');
		const refused = spawnSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'leak'], {encoding: 'utf8'});
		expect(refused.status).not.toBe(0);
		expect(refused.stderr).toContain('leakfix guard: this commit adds a leaked key (in config.js)');
		expect(git(repo, 'log', '--oneline')).not.toContain('leak');
	});

	it('wires into husky, pre-commit or lefthook instead of .git/hooks, and never overwrites a hook it did not write', async () => {
		const key = fakeCloudSightKey();
		const husky = tempDir();
		git(husky, 'init', '-q');
		fs.mkdirSync(path.join(husky, '.husky'));
		fs.writeFileSync(path.join(husky, '.husky', 'pre-commit'), 'npm test\n');
		expect((await installGuard(husky, key, true)).where).toBe('.husky/pre-commit (husky)');
		expect(fs.readFileSync(path.join(husky, '.husky', 'pre-commit'), 'utf8')).toBe('npm test\nnode .leakfix/guard.mjs\n');
		const lefthook = tempDir();
		git(lefthook, 'init', '-q');
		fs.writeFileSync(path.join(lefthook, 'lefthook.yml'), 'pre-push:\n  commands:\n    t:\n      run: npm test\n');
		await installGuard(lefthook, key, true);
		expect(fs.readFileSync(path.join(lefthook, 'lefthook.yml'), 'utf8')).toContain('pre-commit:\n  commands:\n    leakfix-guard:\n      run: node .leakfix/guard.mjs');
		const own = tempDir();
		git(own, 'init', '-q');
		fs.writeFileSync(path.join(own, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nmake lint\n', {mode: 0o755});
		await expect(installGuard(own, key, true)).rejects.toThrow(/never overwrites a hook/);
	});

	it('leakfix harden --dry-run changes nothing; without it, it rewrites, adds .env.example and .gitignore, and installs the guard', () => {
		const key = fakeCloudSightKey();
		const repo = project(key);
		const env: NodeJS.ProcessEnv = {...process.env};
		delete env.CI;
		const run = (...args: string[]) => spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'harden', '--repo', repo, '--key-stdin', '--provider', 'cloudsight', ...args], {input: key, encoding: 'utf8', env});
		const dry = run('--dry-run');
		expect(dry.status).toBe(0);
		expect(dry.stdout).toContain('Dry run: nothing is changed.');
		expect(dry.stdout).toContain("-const CLOUDSIGHT_API_KEY = '…");
		expect(dry.stdout).not.toContain(key);
		expect(git(repo, 'status', '--porcelain')).toBe('');
		const applied = run();
		expect(applied.status).toBe(0);
		expect(applied.stdout).toContain('done: .env.example: add CLOUDSIGHT_API_KEY=');
		expect(applied.stdout).toContain('guard installed in .git/hooks/pre-commit');
		expect(fs.readFileSync(path.join(repo, '.env.example'), 'utf8')).toBe('CLOUDSIGHT_API_KEY=\n');
		expect(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8')).toBe('.env\n');
		expect(fs.readFileSync(path.join(repo, 'ruby/app.rb'), 'utf8')).not.toContain(key);
	});

	it('leakfix harden with no variable to name refuses clearly (the reason core gives the wizard too), and writes nothing', () => {
		const key = fakeCloudSightKey();
		const repo = project(key);
		const result = spawnSync(process.execPath, [path.resolve('bin/leakfix.js'), 'harden', '--repo', repo, '--key-stdin'], {input: key, encoding: 'utf8'});
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('needs the variable name the services will read: no provider is known, so no variable name is');
		expect(result.stderr).toContain('--env-var NAME');
		expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
		expect(git(repo, 'status', '--porcelain')).toBe('');
	});
});
