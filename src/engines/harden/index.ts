// Prevent recurrence: every copy of the key hard-coded in a committed file, rewritten to read
// the environment variable (file by file, as a diff first), the variable's name in
// .env.example, .env ignored, and a pre-commit guard that refuses the key by its fingerprint.
import fs from 'node:fs';
import path from 'node:path';
import {type HardenStore, languageOf, rewriteFile, unifiedDiff} from '../../core/harden.js';
import {fingerprint} from '../../core/secrets.js';
import {runCommand} from '../../infra/command.js';
import {UserError} from '../../infra/errors.js';

export type HardenPlace = {repo: string; file: string; line: number; language: string | null};
export type HardenChange =
	| {repo: string; file: string; language: string | null; diff: string; lines: number[]; apply: () => void}
	| {repo: string; file: string; language: string | null; refused: string; snippet: string; lines: number[]};

async function trackedFiles(repo: string): Promise<string[]> {
	const listed = await runCommand('git', ['-C', repo, 'ls-files', '-z'], {cwd: repo});
	if (listed.exitCode !== 0) throw new UserError(`${repo} is not a git repository (leakfix harden works on committed files).`);
	return listed.stdout.split('\0').filter(Boolean);
}

/** Committed text files that hold the key, line by line. */
export async function findHardcoded(repos: string[], key: string): Promise<HardenPlace[]> {
	const places: HardenPlace[] = [];
	for (const repo of repos) {
		const root = path.resolve(repo);
		for (const file of await trackedFiles(root)) {
			const absolute = path.join(root, file);
			let content: Buffer;
			try {
				if (fs.statSync(absolute).size > 2 * 1024 * 1024) continue;
				content = fs.readFileSync(absolute);
			} catch {
				continue;
			}
			if (content.subarray(0, 8000).includes(0) || !content.includes(key)) continue;
			content
				.toString('utf8')
				.split('\n')
				.forEach((text, index) => {
					if (text.includes(key)) places.push({repo: root, file, line: index + 1, language: languageOf(file)});
				});
		}
	}
	return places;
}

/** The change for each file: a diff to apply, or the reason it cannot be rewritten and a snippet to paste. */
export function planChanges(places: HardenPlace[], key: string, variable: string, store: HardenStore, address?: string): HardenChange[] {
	const files = [...new Set(places.map(place => `${place.repo}\u0000${place.file}`))];
	return files.map(id => {
		const [repo, file] = id.split('\u0000') as [string, string];
		const absolute = path.join(repo, file);
		const before = fs.readFileSync(absolute, 'utf8');
		const lines = places.filter(place => place.repo === repo && place.file === file).map(place => place.line);
		let text = before;
		for (let guard = 0; guard < 50; guard++) {
			const eol = text.includes('\r\n') ? '\r\n' : '\n';
			const index = text.split(eol).findIndex(line => line.includes(key));
			if (index === -1) break;
			const result = rewriteFile(text, index, key, languageOf(file), variable, store, address);
			if (!result.ok) return {repo, file, language: languageOf(file), refused: result.reason, snippet: result.snippet, lines};
			text = result.text;
		}
		const after = text;
		return {
			repo,
			file,
			language: languageOf(file),
			lines,
			diff: unifiedDiff(file, before, after),
			apply: () => {
				// Only if the file is still what the diff was made from.
				if (fs.readFileSync(absolute, 'utf8') !== before) throw new UserError(`${file} changed since the diff was shown; run harden again.`);
				const mode = fs.statSync(absolute).mode & 0o777;
				const temporary = `${absolute}.leakfix-harden.tmp`;
				fs.writeFileSync(temporary, after, {mode});
				fs.renameSync(temporary, absolute);
			},
		};
	});
}

/** `.env.example` gains the variable without a value; `.env` is ignored. Returns what changed. */
export async function configHygiene(repo: string, variable: string, apply: boolean): Promise<string[]> {
	const done: string[] = [];
	const example = path.join(repo, '.env.example');
	const current = fs.existsSync(example) ? fs.readFileSync(example, 'utf8') : '';
	if (!new RegExp(`^\\s*${variable}\\s*=`, 'm').test(current)) {
		done.push(`.env.example: add ${variable}= (the name, never a value)`);
		if (apply) fs.writeFileSync(example, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${variable}=\n`);
	}
	// .env, and .env.<anything> files present (not templates), that git does not ignore yet.
	const present = fs.readdirSync(repo).filter(name => /^\.env(\..+)?$/.test(name) && !/\.(example|sample|template|dist)$/.test(name));
	const candidates = [...new Set(['.env', ...present])];
	const unignored: string[] = [];
	for (const name of candidates) {
		const ignored = await runCommand('git', ['-C', repo, 'check-ignore', '-q', '--no-index', name], {cwd: repo});
		if (ignored.exitCode !== 0) unignored.push(name);
	}
	if (unignored.length > 0) {
		const lines = [...(unignored.includes('.env') ? ['.env'] : []), ...(unignored.some(name => name !== '.env') ? ['.env.*', '!.env.example'] : [])];
		done.push(`.gitignore: add ${lines.join(' ')}${unignored.some(name => present.includes(name) && name !== '.env') ? ` (${unignored.filter(name => name !== '.env').join(', ')} would be committed otherwise)` : ''}`);
		if (apply) {
			const file = path.join(repo, '.gitignore');
			const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
			fs.writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${lines.join('\n')}\n`);
		}
	}
	return done;
}

/**
 * The guard: a Node script that reads the staged diff and refuses a commit whose added lines
 * hold the key, found by its sha256 (the script holds no secret). Wired into the repository's
 * hook manager if it has one (husky, pre-commit, lefthook), else .git/hooks/pre-commit.
 */
export function guardScript(print: string, length: number): string {
	return `#!/usr/bin/env node
// leakfix guard: refuses a commit that adds a leaked key. It knows the key only by its sha256.
import {createHash} from 'node:crypto';
import {execFileSync} from 'node:child_process';
const FINGERPRINTS = new Map([[${JSON.stringify(print)}, ${length}]]);
const diff = execFileSync('git', ['diff', '--cached', '-U0', '--no-color'], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
let file = '';
for (const line of diff.split('\\n')) {
\tif (line.startsWith('+++ ')) file = line.slice(6);
\tif (!line.startsWith('+') || line.startsWith('+++')) continue;
\tfor (const run of line.slice(1).match(/[A-Za-z0-9+/=_\\-.:~]{8,}/g) ?? []) {
\t\tfor (const [print, length] of FINGERPRINTS) {
\t\t\tfor (let at = 0; at + length <= run.length; at++) {
\t\t\t\tif (createHash('sha256').update(run.slice(at, at + length)).digest('hex') === print) {
\t\t\t\t\tprocess.stderr.write('leakfix guard: this commit adds a leaked key (in ' + file + '). Remove it and read it from a secret store instead.\\n');
\t\t\t\t\tprocess.exit(1);
\t\t\t\t}
\t\t\t}
\t\t}
\t}
}
`;
}

export function installGuard(repo: string, key: string, apply: boolean): {where: string; how: string} {
	const script = guardScript(fingerprint(key), key.length);
	const guardFile = path.join(repo, '.leakfix', 'guard.mjs');
	const write = () => {
		fs.mkdirSync(path.dirname(guardFile), {recursive: true});
		fs.writeFileSync(guardFile, script, {mode: 0o755});
	};
	const run = 'node .leakfix/guard.mjs';
	if (fs.existsSync(path.join(repo, '.husky'))) {
		const hook = path.join(repo, '.husky', 'pre-commit');
		if (apply) {
			write();
			const text = fs.existsSync(hook) ? fs.readFileSync(hook, 'utf8') : '';
			if (!text.includes(run)) fs.writeFileSync(hook, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${run}\n`, {mode: 0o755});
		}
		return {where: '.husky/pre-commit (husky)', how: `a line "${run}" in .husky/pre-commit; .leakfix/guard.mjs holds only the key's sha256: commit both`};
	}
	for (const [config, manager] of [['.pre-commit-config.yaml', 'pre-commit'], ['lefthook.yml', 'lefthook']] as const) {
		const file = path.join(repo, config);
		if (!fs.existsSync(file)) continue;
		const entry =
			manager === 'pre-commit'
				? `- repo: local\n  hooks:\n    - id: leakfix-guard\n      name: leakfix guard (a leaked key by its sha256)\n      entry: ${run}\n      language: system\n      pass_filenames: false\n`
				: `pre-commit:\n  commands:\n    leakfix-guard:\n      run: ${run}\n`;
		if (apply) {
			write();
			const text = fs.readFileSync(file, 'utf8');
			if (!text.includes('leakfix-guard')) {
				if (manager === 'pre-commit' && /^repos:\s*$/m.test(text)) fs.writeFileSync(file, text.replace(/^repos:\s*$/m, `repos:\n${entry.replace(/^/gm, '  ').trimEnd()}`));
				else if (manager === 'lefthook' && !/^pre-commit:/m.test(text)) fs.writeFileSync(file, `${text}${text.endsWith('\n') ? '' : '\n'}${entry}`);
				else throw new UserError(`${config} already has a layout leakfix will not edit; add this by hand:\n${entry}`);
			}
		}
		return {where: `${config} (${manager})`, how: `a ${manager} hook running "${run}"; commit ${config} and .leakfix/guard.mjs`};
	}
	const hooks = path.join(repo, '.git', 'hooks');
	const hook = path.join(hooks, 'pre-commit');
	if (apply) {
		write();
		if (fs.existsSync(hook) && !fs.readFileSync(hook, 'utf8').includes(run)) {
			throw new UserError(`${hook} exists and is not leakfix's: add "${run}" to it by hand (leakfix never overwrites a hook).`);
		}
		fs.writeFileSync(hook, `#!/bin/sh\nexec ${run}\n`, {mode: 0o755});
	}
	return {where: '.git/hooks/pre-commit', how: `runs "${run}" (not shared through git: each clone installs it with leakfix harden)`};
}

/** Secret scanners on PATH, and how to wire each instead (or as well). */
export async function scannersOnPath(): Promise<string[]> {
	const { resolveBinary } = await import('../../infra/command.js');
	const advice: Record<string, string> = {
		gitleaks: 'gitleaks: pre-commit hook `gitleaks protect --staged`; in CI the gitleaks/gitleaks-action',
		ggshield: 'ggshield: pre-commit hook `ggshield secret scan pre-commit`; in CI `ggshield secret scan ci`',
		trufflehog: 'trufflehog: pre-commit hook `trufflehog git file://. --since-commit HEAD --fail`; in CI trufflesecurity/trufflehog action',
	};
	const found: string[] = [];
	for (const [name, text] of Object.entries(advice)) {
		try {
			resolveBinary(name);
			found.push(text);
		} catch {}
	}
	return found;
}
