// Small git questions the scan needs, each one helper call with an argument array.
import fs from 'node:fs';
import {runCommand, type CommandRunner} from '../../infra/command.js';
import {ExternalError, UserError} from '../../infra/errors.js';

export type RepoInfo = {root: string; gitDir: string; bare: boolean; shallow: boolean};

export async function git(repo: string, args: string[], run: CommandRunner = runCommand): Promise<string> {
	const result = await run('git', ['-C', repo, ...args]);
	if (result.exitCode !== 0) throw new GitError(args, result.stderr);
	return result.stdout;
}

/** A git call that failed: a clear error (exit 2, git's own words), never an internal one. */
export class GitError extends ExternalError {
	constructor(
		readonly args: string[],
		readonly stderr: string,
	) {
		super(`git ${args[0] ?? ''} failed: ${stderr.split('\n')[0] ?? ''}`, `git ${args.join(' ')}`, stderr.slice(-2000));
	}
}

export async function repoInfo(repo: string, run: CommandRunner = runCommand): Promise<RepoInfo> {
	const questions = ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--absolute-git-dir'];
	// One call for the usual case (a working tree); --show-toplevel fails in a bare repository.
	const both = await run('git', ['-C', repo, ...questions, '--show-toplevel']);
	let out = both.stdout;
	if (both.exitCode !== 0) {
		try {
			out = await git(repo, questions, run);
		} catch (error) {
			if (error instanceof GitError) throw new UserError(`${repo} is not a git repository.`, 'Point --repo at the repository where the key leaked (the folder that holds .git).');
			throw error;
		}
	}
	const [bare, shallow, ...rest] = out.split('\n');
	// rev-parse prints one answer a line, and a folder name may hold a newline: then the two paths
	// cannot be told apart in one answer, so each is asked on its own (its one trailing newline cut).
	// (The runner cuts the output's one final newline, no more.)
	let [gitDir = '', top = ''] = rest;
	if (rest.length > (both.exitCode === 0 ? 2 : 1)) {
		gitDir = await git(repo, ['rev-parse', '--absolute-git-dir'], run);
		top = both.exitCode === 0 ? await git(repo, ['rev-parse', '--show-toplevel'], run) : '';
	}
	// Not bare and no working tree: the folder is inside .git itself.
	if (bare !== 'true' && !top) throw new UserError(`${repo} is inside a repository's .git folder.`, 'Point --repo at the working tree (the folder that holds .git).');
	const root = bare === 'true' ? repo : top;
	// The answers are checked, so a misread path is an error, never a working tree of 0 files.
	for (const folder of [root, gitDir]) {
		if (!fs.statSync(folder, {throwIfNoEntry: false})?.isDirectory()) {
			throw new ExternalError(`git named a folder that does not exist: ${JSON.stringify(folder)}`, `git -C ${repo} ${questions.join(' ')}`, out.slice(-2000));
		}
	}
	return {root, gitDir, bare: bare === 'true', shallow: shallow === 'true'};
}

export async function objectCount(repo: string, run: CommandRunner = runCommand): Promise<number> {
	const out = await git(repo, ['count-objects', '-v'], run);
	const values = new Map(out.split('\n').map(line => line.split(': ') as [string, string]));
	return Number(values.get('count') ?? 0) + Number(values.get('in-pack') ?? 0);
}

export type Remote = {name: string; url: string; forge: string | null};

const PUBLIC_FORGES = ['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org', 'sr.ht', 'gitee.com'];

/** Remote fetch URLs with any credentials in them masked, and the public forge they point at. */
export async function remotes(repo: string, run: CommandRunner = runCommand): Promise<Remote[]> {
	const out = await git(repo, ['remote', '-v'], run);
	const seen = new Map<string, Remote>();
	for (const line of out.split('\n')) {
		const match = /^(\S+)\s+(\S+)\s+\(fetch\)$/.exec(line);
		if (!match) continue;
		const url = match[2]!.replace(/^(\w+:\/\/)[^@/]+@/, '$1***@');
		const host = /^(?:\w+:\/\/)?(?:[^@/]+@)?([^/:]+)/.exec(match[2]!)?.[1]?.toLowerCase() ?? '';
		const forge = PUBLIC_FORGES.find(candidate => host === candidate || host.endsWith(`.${candidate}`)) ?? null;
		seen.set(match[1]!, {name: match[1]!, url, forge});
	}
	return [...seen.values()];
}

/** Every ref that contains the commit (branches, tags, remote-tracking branches, the stash), full names. */
export async function refsContaining(repo: string, commit: string, run: CommandRunner = runCommand): Promise<string[]> {
	const out = await git(repo, ['for-each-ref', '--contains', commit, '--format=%(refname)'], run);
	return out.split('\n').filter(Boolean);
}

/**
 * Of commits that share a timestamp, the one that came first by ancestry: a commit that is an
 * ancestor of another is earlier. `merge-base --independent` names those that no other one
 * reaches (the newest); they are dropped until one is left. Commits unrelated by ancestry stay
 * tied and the smallest id wins, so the answer is the same in every clone.
 */
export async function oldestByAncestry(repo: string, commits: string[], run: CommandRunner = runCommand): Promise<string | undefined> {
	let left = [...new Set(commits)].sort();
	while (left.length > 1) {
		const newest = new Set((await git(repo, ['merge-base', '--independent', ...left], run)).split('\n').filter(Boolean));
		const older = left.filter(commit => !newest.has(commit));
		if (older.length === 0) break;
		left = older;
	}
	return left[0];
}
