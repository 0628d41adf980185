// The pre-push guard: before a push leaves, the commits it carries are checked with the
// pre-commit guard's own fingerprint check (`guard.mjs --range`), so a commit made with
// `git commit --no-verify` is still caught before it reaches the remote. Installed beside the
// pre-commit guard, with the same hook manager, through the same journal.
import fs from 'node:fs';
import path from 'node:path';
import {isMap, isSeq, parseDocument, type YAMLSeq} from 'yaml';
import {runCommand} from '../../infra/command.js';
import type {WriteJournal} from './journal.js';

/** How the pre-commit guard was wired: the pre-push guard follows the same manager. */
export type GuardManager = {kind: 'husky' | 'pre-commit' | 'lefthook'} | {kind: 'hooks'; /** git's hooks folder for this clone, or null when only a global core.hooksPath is set. */ hooks: string | null};

export type PrePushPlan = {
	/** The hook (or config) that runs it. */
	where: string;
	how: string;
	/** Why its hook line is the responder's to add (the script is still written). */
	refused?: string;
	/** The pre-push script's path once written. */
	script: string;
	write: (journal: WriteJournal) => void;
	writeScript: (journal: WriteJournal) => void;
};

/**
 * The pre-push script: reads git's pre-push lines (`<local ref> <local sha> <remote ref> <remote
 * sha>`, or pre-commit's PRE_COMMIT_FROM_REF/TO_REF) and hands each push's new commits to the
 * guard beside it: `remote..local` on no remote-tracking branch yet, or for a new branch every
 * commit not on any remote. Commit messages are checked too. It holds no secret: the guard knows
 * the key only by its sha256. A git failure refuses the push (it could not be checked).
 */
export function prePushScript(guardName: string): string {
	return String.raw`#!/usr/bin/env node
// leakfix pre-push guard: the commits a push carries are checked for a leaked key by the guard
// beside this file (which knows the key only by its sha256), so a commit made with --no-verify
// is still caught before it leaves.
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
const GUARD = fileURLToPath(new URL(${JSON.stringify(`./${guardName}`)}, import.meta.url));
const guard = (args, input) => spawnSync(process.execPath, [GUARD, ...args], {input: input ?? '', stdio: ['pipe', 'inherit', 'inherit'], maxBuffer: 512 * 1024 * 1024}).status ?? 2;
const git = args => spawnSync('git', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 512 * 1024 * 1024});
const refuse = why => {
	process.stderr.write('leakfix guard: push stopped: ' + why + ' The commits stay here; nothing was sent.\n');
	process.exit(1);
};
// --self-test: a diff on stdin goes to the guard as it is (leakfix proves the hook that way).
if (process.argv.includes('--self-test')) process.exit(guard(['--self-test'], readFileSync(0)));
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const ZERO = /^0+$/;
const pushes = [];
if (process.env.PRE_COMMIT_TO_REF) pushes.push([process.env.PRE_COMMIT_FROM_REF ?? '', process.env.PRE_COMMIT_TO_REF]);
else
	for (const line of readFileSync(0, 'utf8').split('\n')) {
		const [, local, , remote] = line.trim().split(/\s+/);
		// A deleted ref carries no commits.
		if (local && SHA.test(local) && !ZERO.test(local)) pushes.push([remote ?? '', local]);
	}
for (const [remote, local] of pushes) {
	if (!/^[0-9A-Za-z_./@^~-]+$/.test(local) || local.startsWith('-')) refuse('an unexpected pre-push line.');
	const known = SHA.test(remote) && !ZERO.test(remote) && git(['cat-file', '-e', remote + '^{commit}']).status === 0;
	// The commits that leave with this push: not on the remote's ref, and on no remote-tracking branch yet.
	const range = known ? [remote + '..' + local, '--not', '--remotes'] : [local, '--not', '--remotes'];
	const status = guard(['--range', ...range]);
	if (status === 1) refuse('a commit in it adds a leaked key. Take the key out of those commits (git rebase -i, or git commit --amend), then push again.');
	if (status !== 0) refuse('its commits could not be checked (see above).');
	const messages = git(['log', '--format=%B', ...range]);
	if (messages.status !== 0) refuse('its commit messages could not be read: ' + String(messages.stderr).trim());
	const body = messages.stdout.split('\n').map(text => '+' + text).join('\n');
	if (guard(['--self-test'], 'diff --git a/(a commit message) b/(a commit message)\n@@ -0,0 +1 @@\n' + body + '\n') !== 0) refuse('a commit message in it holds a leaked key. Reword it (git rebase -i), then push again.');
}
`;
}

const RUN = 'node .leakfix/pre-push.mjs';

/**
 * Where the pre-push guard goes, following the pre-commit guard's manager: husky's
 * `.husky/pre-push`, a pre-commit `pre-push` stage hook, a lefthook `pre-push` command (with
 * git's lines on its stdin), or git's own hooks folder (never over a hook leakfix did not write).
 */
export async function prePushPlan(repo: string, manager: GuardManager, guardScript: string): Promise<PrePushPlan> {
	if (manager.kind !== 'hooks') {
		const script = path.join(repo, '.leakfix', 'pre-push.mjs');
		const writeScript = (journal: WriteJournal) => journal.write(script, prePushScript(path.basename(guardScript)), 0o755);
		if (manager.kind === 'husky') {
			const hook = path.join(repo, '.husky', 'pre-push');
			return {
				where: '.husky/pre-push (husky)',
				how: `a line "${RUN}" in .husky/pre-push: commit it with .leakfix/`,
				script,
				writeScript,
				write: journal => {
					writeScript(journal);
					const text = fs.existsSync(hook) ? fs.readFileSync(hook, 'utf8') : '';
					if (!text.includes(RUN)) journal.write(hook, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${RUN}\n`, 0o755);
				},
			};
		}
		if (manager.kind === 'pre-commit') {
			const config = path.join(repo, '.pre-commit-config.yaml');
			const checked = parseDocument(fs.readFileSync(config, 'utf8'));
			const repos = checked.get('repos');
			const layout = checked.errors.length === 0 && repos !== null && typeof (repos as {add?: unknown} | undefined)?.add === 'function';
			return {
				where: '.pre-commit-config.yaml (pre-commit, pre-push stage)',
				how: `a local hook at the pre-push stage running "${RUN}"; each clone runs \`pre-commit install --hook-type pre-push\` once`,
				...(layout ? {} : {refused: `.pre-commit-config.yaml has a layout leakfix will not edit; add a local hook at the pre-push stage running "${RUN}" by hand`}),
				script,
				writeScript,
				write: journal => {
					writeScript(journal);
					// Read now: the pre-commit guard's entry was written to the same file just before.
					const document = parseDocument(fs.readFileSync(config, 'utf8'));
					if (JSON.stringify(document.toJSON()).includes('leakfix-guard-push')) return;
					const hook = {id: 'leakfix-guard-push', name: 'leakfix guard (the commits a push carries)', entry: RUN, language: 'system', pass_filenames: false, always_run: true, stages: ['pre-push']};
					// Beside the pre-commit guard's hook, in its local repo entry, when there is one.
					const repos = document.get('repos') as YAMLSeq;
					const local = repos.items.find(item => isMap(item) && isSeq(item.get('hooks')) && (item.get('hooks') as YAMLSeq).items.some(one => isMap(one) && one.get('id') === 'leakfix-guard'));
					if (isMap(local)) (local.get('hooks') as YAMLSeq).add(document.createNode(hook));
					else document.addIn(['repos'], document.createNode({repo: 'local', hooks: [hook]}));
					journal.write(config, document.toString());
				},
			};
		}
		const name = ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml'].find(candidate => fs.existsSync(path.join(repo, candidate))) ?? 'lefthook.yml';
		const config = path.join(repo, name);
		const valid = fs.existsSync(config) && parseDocument(fs.readFileSync(config, 'utf8')).errors.length === 0;
		return {
			where: `${name} (lefthook, pre-push)`,
			...(valid ? {} : {refused: `${name} is not valid YAML; add a pre-push command running "${RUN}" (use_stdin: true) by hand`}),
			how: `a lefthook pre-push command running "${RUN}" with git's lines on its stdin (use_stdin)`,
			script,
			writeScript,
			write: journal => {
				writeScript(journal);
				const document = parseDocument(fs.readFileSync(config, 'utf8'));
				document.setIn(['pre-push', 'commands', 'leakfix-guard', 'run'], RUN);
				document.setIn(['pre-push', 'commands', 'leakfix-guard', 'use_stdin'], true);
				journal.write(config, document.toString());
			},
		};
	}
	// git's own hooks folder: the script beside the guard, the hook a two-line sh that runs it.
	const folder = path.dirname(guardScript);
	const script = path.join(folder, 'leakfix-pre-push.mjs');
	const writeScript = (journal: WriteJournal) => journal.write(script, prePushScript(path.basename(guardScript)), 0o755);
	const line = `node "${script}"`;
	if (manager.hooks === null) {
		return {where: 'your global hooks (by hand)', how: 'core.hooksPath is set globally, for every repository', refused: `core.hooksPath is set globally, for every repository: add ${line} to that pre-push hook by hand`, script, writeScript, write: writeScript};
	}
	const hook = path.join(manager.hooks, 'pre-push');
	const foreign = fs.existsSync(hook) && !fs.readFileSync(hook, 'utf8').includes('leakfix-pre-push');
	return {
		where: path.relative(repo, hook) || hook,
		how: 'beside the hook, for every worktree of this clone (each clone installs it with leakfix harden)',
		...(foreign ? {refused: `${hook} exists and is not leakfix's: add ${line} to it by hand (leakfix never overwrites a hook)`} : {}),
		script,
		writeScript,
		write: journal => {
			writeScript(journal);
			journal.write(hook, `#!/bin/sh\nexec node "$(dirname "$0")/leakfix-pre-push.mjs"\n`, 0o755);
		},
	};
}

/**
 * Proves an installed pre-push script: a diff adding the key, handed through it to the guard, is
 * refused and a clean one passes (on stdin: nothing is committed), and a push of HEAD onto itself
 * (no new commits) is read through git and passes. Nothing is pushed.
 */
export async function provePrePush(repo: string, script: string, key: string): Promise<{ok: boolean; detail: string}> {
	const diff = (added: string) => `diff --git a/leakfix-proof.txt b/leakfix-proof.txt\n--- /dev/null\n+++ b/leakfix-proof.txt\n@@ -0,0 +1 @@\n+${added}\n`;
	const refused = await runCommand('node', [script, '--self-test'], {cwd: repo, input: diff(`const k = "${key}";`)});
	const allowed = await runCommand('node', [script, '--self-test'], {cwd: repo, input: diff('const k = process.env.KEY;')});
	const head = await runCommand('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {cwd: repo});
	const sha = head.exitCode === 0 ? head.stdout.trim() : '';
	const empty = sha ? await runCommand('node', [script], {cwd: repo, input: `refs/heads/leakfix-proof ${sha} refs/heads/leakfix-proof ${sha}\n`}) : null;
	const ok = refused.exitCode === 1 && allowed.exitCode === 0 && (empty === null || empty.exitCode === 0);
	if (!ok) return {ok, detail: `not proven: the pre-push guard answered ${refused.exitCode}/${allowed.exitCode}${empty ? `/${empty.exitCode}` : ''} (expected 1/0${empty ? '/0' : ''})`};
	return {ok, detail: `proven: it refused a diff adding the key and let a clean one through${empty ? ', and read a push range through git' : ' (no commit yet: the push range was not tried)'}`};
}
