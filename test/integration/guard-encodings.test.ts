// The pre-commit guard reads the staged diff by its structure and sees the key however it is
// spelled: "+++i" inside a hunk is an added line, a file's name, base64 wrapped at 64 or 76
// columns, every character percent-encoded, \x and \u escapes. Each crafted diff goes to the
// installed guard with --self-test, as proveGuard does (nothing is staged).
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {installGuard} from '../../src/engines/harden/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey, fakeKeys} from '../helpers/keys.js';

async function guardFor(key: string): Promise<(diff: string) => {status: number | null; stderr: string}> {
	const repo = tempDir();
	execFileSync('git', ['-C', repo, 'init', '-q']);
	await installGuard(repo, key, true);
	const script = path.join(repo, '.git', 'hooks', 'leakfix-guard.mjs');
	expect(fs.readFileSync(script, 'utf8')).not.toContain(key);
	return diff => {
		const result = spawnSync('node', [script, '--self-test'], {input: diff, encoding: 'utf8'});
		return {status: result.status, stderr: result.stderr};
	};
}

/** A staged diff adding `lines` to `file` (a new file). */
const added = (lines: string[], file = 'notes.txt') => `diff --git a/${file} b/${file}\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/${file}\n@@ -0,0 +1,${lines.length} @@\n${lines.map(line => `+${line}`).join('\n')}\n`;
const hex = (code: number) => code.toString(16).padStart(2, '0');
const wrap = (text: string, width: number, indent = '') => (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).map(line => indent + line);

describe('the guard reads the diff by its structure', () => {
	it('refuses "++i; // KEY" (the diff line reads "+++i…") and a key on a line starting "++" or "+++"; lets the clean ones through', async () => {
		const key = fakeKeys.github();
		const guard = await guardFor(key);
		expect(guard(added([`++i; // ${key}`])).status).toBe(1);
		expect(guard(added([`++ ${key}`, 'x'])).status).toBe(1);
		expect(guard(added(['ok', `++++ b/${key}`])).status).toBe(1);
		// A second hunk of the same file, after another file.
		const two = added(['fine']) + `diff --git a/b.c b/b.c\nindex 1..2 100644\n--- a/b.c\n+++ b/b.c\n@@ -1,0 +2 @@\n+int x;\n@@ -9,0 +11 @@\n+++i; /* ${key} */\n`;
		const refused = guard(two);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain('(in b.c)');
		expect(refused.stderr).not.toContain(key);
		expect(guard(added(['++i; // nothing here', '+++ b/also-nothing'])).status).toBe(0);
	});

	it("refuses the key in a new, renamed or copied file's name, and never prints that name", async () => {
		const key = fakeCloudSightKey();
		const guard = await guardFor(key);
		const empty = `diff --git a/${key}.txt b/${key}.txt\nnew file mode 100644\nindex 0000000..e69de29\n`;
		const rename = `diff --git a/old.txt b/keys/${key}\nsimilarity index 100%\nrename from old.txt\nrename to keys/${key}\n`;
		const copy = `diff --git a/old.txt b/new.txt\ncopy from old.txt\ncopy to ${key}\n`;
		for (const diff of [empty, rename, copy, added(['hello'], `conf/${key}.json`)]) {
			const result = guard(diff);
			expect(result.status, diff).toBe(1);
			expect(result.stderr).toContain("in a file's name");
			expect(result.stderr).not.toContain(key);
		}
		expect(guard(added(['hello'], 'conf/app.json')).status).toBe(0);
	});
});

describe('the guard on a real commit', () => {
	it('refuses committing "++i; // KEY", a file named after the key, and ghp%5F…; commits a clean file', async () => {
		const key = fakeKeys.github();
		const repo = tempDir();
		const git = (...args: string[]) => spawnSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {encoding: 'utf8'});
		git('init', '-q');
		await installGuard(repo, key, true);
		const attempt = (file: string, text: string) => {
			fs.writeFileSync(path.join(repo, file), text);
			git('add', '--', file);
			const result = git('commit', '-q', '-m', 'change');
			git('reset', '-q', '--', file);
			fs.rmSync(path.join(repo, file));
			return result;
		};
		for (const [file, text] of [['loop.c', `int i = 0;\n++i; // ${key}\n`], [`${key}.txt`, 'hello\n'], ['call.sh', `curl "https://x.example/?t=ghp%5F${key.slice(4)}"\n`]] as const) {
			const refused = attempt(file, text);
			expect(refused.status, file).not.toBe(0);
			expect(refused.stderr).toContain('leakfix guard: this commit adds a leaked key');
			expect(refused.stderr).not.toContain(key);
		}
		fs.writeFileSync(path.join(repo, 'ok.c'), 'int main() {\n  int i = 0;\n  ++i; // fine\n}\n');
		git('add', 'ok.c');
		expect(git('commit', '-q', '-m', 'fine').status).toBe(0);
		expect(git('log', '--oneline').stdout.trim().split('\n')).toHaveLength(1);
	});
});

describe('the guard sees the key however it is spelled', () => {
	it('base64 wrapped across lines (PEM at 64 columns, MIME at 76, indented in YAML), at every alignment', async () => {
		const key = fakeKeys.stripeLive();
		const guard = await guardFor(key);
		for (const width of [64, 76]) {
			for (let pad = 30; pad < 36; pad++) {
				const encoded = Buffer.from(`${'p'.repeat(pad)}user:${key}\nmore text after the key, long enough to wrap`).toString('base64');
				expect(guard(added(['-----BEGIN BLOB-----', ...wrap(encoded, width), '-----END BLOB-----'])).status, `${width}/${pad}`).toBe(1);
				expect(guard(added(['secret: |', ...wrap(encoded, width, '  ')])).status, `${width}/${pad} indented`).toBe(1);
			}
		}
		const clean = Buffer.from('p'.repeat(200)).toString('base64');
		expect(guard(added(['-----BEGIN BLOB-----', ...wrap(clean, 64), '-----END BLOB-----'])).status).toBe(0);
	});

	it('percent-encoded: every character (upper and lower hex), one character (%5F), Python quote()', async () => {
		const key = fakeKeys.github();
		const aws = fakeKeys.awsPair().split(':')[1]! + '+/';
		const guard = await guardFor(key);
		const awsGuard = await guardFor(aws);
		const every = (text: string) => [...Buffer.from(text)].map(byte => `%${hex(byte)}`).join('');
		for (const spelled of [every(key), every(key).toUpperCase(), `ghp%5F${key.slice(4)}`, `ghp%5f${key.slice(4)}`, `%67hp_${key.slice(4)}`]) {
			expect(guard(added([`GET /?token=${spelled}&x=1`])).status, spelled).toBe(1);
		}
		const quoted = aws.replace(/\+/g, '%2B').replace(/=/g, '%3D');
		expect(awsGuard(added([`curl "https://x.example/?s=${quoted}"`])).status).toBe(1);
		expect(guard(added(['100% sure, %41%42%43 is ABC'])).status).toBe(0);
	});

	it('\\x escapes (upper and lower hex) and JSON \\u escapes (every character or only some)', async () => {
		const key = fakeKeys.github();
		const guard = await guardFor(key);
		const codes = [...key].map(char => char.charCodeAt(0));
		const spellings = [
			codes.map(code => `\\x${hex(code)}`).join(''),
			codes.map(code => `\\x${hex(code).toUpperCase()}`).join(''),
			codes.map(code => `\\u00${hex(code)}`).join(''),
			codes.map(code => `\\u00${hex(code).toUpperCase()}`).join(''),
			`\\u0067hp\\u005F${key.slice(4)}`,
		];
		for (const spelled of spellings) expect(guard(added([`{"token": "${spelled}"}`])).status, spelled).toBe(1);
		expect(guard(added(['{"text": "caf\\u00e9 \\x41"}'])).status).toBe(0);
	});
});
