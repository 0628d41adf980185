// Where the guards go (the repository's hook manager if it has one, else the hooks folder git
// uses), checked before anything is changed; the proof that an installed guard refuses the key.
import fs from 'node:fs';
import path from 'node:path';
import {parseDocument} from 'yaml';
import {runCommand} from '../../infra/command.js';
import {UserError} from '../../infra/errors.js';
import {type CiPlan, ciPlan, detectCi} from './ci.js';
import {type GuardForm, guardForms, guardScript} from './guard-script.js';
import {WriteJournal} from './journal.js';
import {type GuardManager, type PrePushPlan, prePushPlan} from './prepush.js';

/** Where the guard goes; `write` installs it; `writeGuard` writes only the script (when the hook is the user's to edit). */
export type GuardPlan = {where: string; how: string; refused?: string; write: (journal: WriteJournal) => void; writeGuard: (journal: WriteJournal) => void; /** The guard script's path once written. */ script: string; manager: GuardManager; /** The pre-push guard beside it (./prepush.ts). */ prePush: PrePushPlan};

/** Where the guards go (the repository's hook manager if it has one), checked before anything is changed. */
export async function guardPlan(repo: string, key: string): Promise<GuardPlan> {
	const plan = await preCommitPlan(repo, key);
	return {...plan, prePush: await prePushPlan(repo, plan.manager, plan.script)};
}

/** The guard script as committed in .leakfix/guard.mjs (what CI runs): the keys already guarded there, and this one. */
export function committedGuard(repo: string, key: string): {file: string; text: string} {
	const file = path.join(repo, '.leakfix', 'guard.mjs');
	const match = fs.existsSync(file) ? /const KEYS = (\[.*\]);/.exec(fs.readFileSync(file, 'utf8')) : null;
	const kept = match ? (JSON.parse(match[1]!) as GuardForm[]) : [];
	return {file, text: guardScript([...kept, ...guardForms(key).filter(form => !kept.some(old => old.fingerprint === form.fingerprint))])};
}

/** Where the guards go, in one line: the pre-commit guard, then the pre-push guard (or what is by hand). */
export function guardWhere(plan: GuardPlan): string {
	return `${plan.refused ? `by hand: ${plan.refused}` : plan.where} and ${plan.prePush.refused ? `pre-push by hand: ${plan.prePush.refused}` : plan.prePush.where}`;
}

/** The wizard's CI job: for the CI this repository uses (its workflows or .gitlab-ci.yml), or null when it shows none. */
export function ciForRepo(repo: string, key: string): CiPlan | null {
	const kind = detectCi(repo);
	return kind ? ciPlan(repo, kind, committedGuard(repo, key)) : null;
}

/** Where the pre-commit guard goes. */
async function preCommitPlan(repo: string, key: string): Promise<Omit<GuardPlan, 'prePush'>> {
	const guardFile = path.join(repo, '.leakfix', 'guard.mjs');
	// Keys already guarded here (other incidents) are kept.
	const keptIn = (file: string) => {
		if (!fs.existsSync(file)) return [];
		const match = /const KEYS = (\[.*\]);/.exec(fs.readFileSync(file, 'utf8'));
		return match ? (JSON.parse(match[1]!) as GuardForm[]) : [];
	};
	const withKey = (kept: ReturnType<typeof keptIn>) => [...kept, ...guardForms(key).filter(form => !kept.some(old => old.fingerprint === form.fingerprint))];
	const forms = withKey(keptIn(guardFile));
	const writeGuard = (journal: WriteJournal) => journal.write(guardFile, guardScript(forms), 0o755);
	const run = 'node .leakfix/guard.mjs';
	if (fs.existsSync(path.join(repo, '.husky'))) {
		const hook = path.join(repo, '.husky', 'pre-commit');
		return {
			where: '.husky/pre-commit (husky)',
			manager: {kind: 'husky'},
			how: `a line "${run}" in .husky/pre-commit; .leakfix/guard.mjs holds only sha256 fingerprints: commit both`,
			writeGuard,
			script: guardFile,
			write: journal => {
				writeGuard(journal);
				const text = fs.existsSync(hook) ? fs.readFileSync(hook, 'utf8') : '';
				if (!text.includes(run)) journal.write(hook, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${run}\n`, 0o755);
			},
		};
	}
	const preCommit = path.join(repo, '.pre-commit-config.yaml');
	if (fs.existsSync(preCommit)) {
		const document = parseDocument(fs.readFileSync(preCommit, 'utf8'));
		const repos = document.get('repos');
		const refused = document.errors.length > 0 || !repos || typeof (repos as {add?: unknown}).add !== 'function' ? `.pre-commit-config.yaml has a layout leakfix will not edit; add a local hook running "${run}" by hand` : undefined;
		return {
			where: '.pre-commit-config.yaml (pre-commit)',
			manager: {kind: 'pre-commit'},
			how: `a local pre-commit hook running "${run}"; commit the config and .leakfix/guard.mjs`,
			...(refused ? {refused} : {}),
			writeGuard,
			script: guardFile,
			write: journal => {
				writeGuard(journal);
				if (JSON.stringify(document.toJSON()).includes('leakfix-guard')) return;
				document.addIn(['repos'], document.createNode({repo: 'local', hooks: [{id: 'leakfix-guard', name: 'leakfix guard (a leaked key, by its sha256)', entry: run, language: 'system', pass_filenames: false}]}));
				journal.write(preCommit, document.toString());
			},
		};
	}
	for (const name of ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml']) {
		const config = path.join(repo, name);
		if (!fs.existsSync(config)) continue;
		const document = parseDocument(fs.readFileSync(config, 'utf8'));
		return {
			where: `${name} (lefthook)`,
			manager: {kind: 'lefthook'},
			how: `a lefthook pre-commit command running "${run}"; commit ${name} and .leakfix/guard.mjs`,
			...(document.errors.length > 0 ? {refused: `${name} is not valid YAML; add a pre-commit command running "${run}" by hand`} : {}),
			writeGuard,
			script: guardFile,
			write: journal => {
				writeGuard(journal);
				document.setIn(['pre-commit', 'commands', 'leakfix-guard', 'run'], run);
				journal.write(config, document.toString());
			},
		};
	}
	// No manager: the hooks folder git actually uses for this repository (its own core.hooksPath,
	// or the common .git/hooks of all its worktrees). The guard sits beside the hook there, so every
	// worktree finds it. A hooksPath set globally is everyone's: that is left to the user.
	const local = await runCommand('git', ['-C', repo, 'config', '--local', '--get', 'core.hooksPath'], {cwd: repo});
	const global = await runCommand('git', ['-C', repo, 'config', '--get', 'core.hooksPath'], {cwd: repo});
	const common = await runCommand('git', ['-C', repo, 'rev-parse', '--git-common-dir'], {cwd: repo});
	const gitDir = path.resolve(repo, common.stdout.trim() || '.git');
	const hooks = local.exitCode === 0 && local.stdout.trim() ? path.resolve(repo, local.stdout.trim()) : path.join(gitDir, 'hooks');
	const hook = path.join(hooks, 'pre-commit');
	const guardHere = path.join(local.exitCode === 0 || global.exitCode !== 0 ? hooks : gitDir, 'leakfix-guard.mjs');
	const line = `node "${guardHere}"`;
	const writeHere = (journal: WriteJournal) => journal.write(guardHere, guardScript(withKey(keptIn(guardHere))), 0o755);
	const globalOnly = local.exitCode !== 0 && global.exitCode === 0 && global.stdout.trim() !== '';
	const foreign = !globalOnly && fs.existsSync(hook) && !fs.readFileSync(hook, 'utf8').includes('leakfix-guard');
	const refused = globalOnly
		? `core.hooksPath is set globally (${global.stdout.trim()}), for every repository: add ${line} to that pre-commit hook by hand`
		: foreign
			? `${hook} exists and is not leakfix's: add ${line} to it by hand (leakfix never overwrites a hook)`
			: undefined;
	return {
		where: globalOnly ? 'your global hooks (by hand)' : path.relative(repo, hook) || hook,
		manager: {kind: 'hooks', hooks: globalOnly ? null : hooks},
		how: 'beside the hook, for every worktree of this clone (not shared through git: each clone installs it with leakfix harden)',
		...(refused ? {refused} : {}),
		writeGuard: writeHere,
		script: guardHere,
		write: journal => {
			writeHere(journal);
			journal.write(hook, `#!/bin/sh\nexec node "$(dirname "$0")/leakfix-guard.mjs"\n`, 0o755);
		},
	};
}

/**
 * Proves an installed guard: a staged diff that adds the key must be refused and one that does
 * not must pass (the diff goes to the guard on stdin; nothing is staged or committed).
 */
export async function proveGuard(guardFile: string, key: string): Promise<{ok: boolean; detail: string}> {
	const diff = (added: string) => `diff --git a/leakfix-proof.txt b/leakfix-proof.txt\n--- /dev/null\n+++ b/leakfix-proof.txt\n@@ -0,0 +1 @@\n+${added}\n`;
	const run = (input: string) => runCommand('node', [guardFile, '--self-test'], {input});
	// Each must be refused: as typed, in a Basic auth header, on a line that starts "++" (it reads
	// "+++" in the diff, like a file header), and percent-encoded. A clean diff must pass.
	const refusals = [
		['as typed', `const k = "${key}";`],
		['in a Basic auth header', `Authorization: Basic ${Buffer.from(`user:${key}`).toString('base64')}`],
		['after "++"', `++i; // ${key}`],
		['percent-encoded', [...Buffer.from(key)].map(byte => `%${byte.toString(16).padStart(2, '0')}`).join('')],
	] as const;
	const codes: number[] = [];
	for (const [, added] of refusals) codes.push((await run(diff(added))).exitCode);
	const allowed = (await run(diff('const k = process.env.KEY;'))).exitCode;
	const ok = codes.every(code => code === 1) && allowed === 0;
	return {
		ok,
		detail: ok
			? `proven: it refused a diff adding the key (${refusals.map(([what]) => what).join(', ')}) and let a clean one through`
			: `not proven: the guard answered ${[...codes, allowed].join('/')} (expected ${refusals.map(() => 1).join('/')}/0)`,
	};
}

/** Installs the guard (or, with apply false, only says where it would go). Throws when it must be done by hand. */
export async function installGuard(repo: string, key: string, apply: boolean): Promise<{where: string; how: string}> {
	const plan = await guardPlan(repo, key);
	if (plan.refused) throw new UserError(plan.refused);
	if (apply) {
		const journal = new WriteJournal();
		plan.write(journal);
		// The pre-push guard too, where its hook is leakfix's to write (else its script only).
		if (plan.prePush.refused) plan.prePush.writeScript(journal);
		else plan.prePush.write(journal);
	}
	return {where: plan.where, how: plan.how};
}
