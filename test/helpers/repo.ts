// Real git repositories in temp folders, with a key planted where responders find it in practice.
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {tempDir} from './fs.js';

/** git in `repo`, its output trimmed; `input`, if given, on its standard input. */
export function gitIn(repo: string, args: string[], env: Record<string, string> = {}, input?: string): string {
	return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
		cwd: repo,
		encoding: 'utf8',
		...(input === undefined ? {} : {input}),
		env: {...process.env, GIT_AUTHOR_NAME: 'Ada Dev', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada Dev', GIT_COMMITTER_EMAIL: 'ada@example.com', ...env},
	}).trim();
}

export function write(repo: string, file: string, text: string): void {
	fs.mkdirSync(path.dirname(path.join(repo, file)), {recursive: true});
	fs.writeFileSync(path.join(repo, file), text);
}

export function commit(repo: string, message: string, date: string, author?: {name: string; email: string}): string {
	gitIn(repo, ['add', '-A']);
	gitIn(repo, ['commit', '-q', '--allow-empty', '-m', message], {
		GIT_AUTHOR_DATE: date,
		GIT_COMMITTER_DATE: date,
		...(author ? {GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email} : {}),
	});
	return gitIn(repo, ['rev-parse', 'HEAD']);
}

export type PlantedRepo = {repo: string; remote: string; commits: Record<string, string>};

/**
 * main: the key added in an old commit (2026-01-10, by Bo Leaker) and removed later;
 * feature/batch: the key in a config file; a stash holding it; an ignored .env with it;
 * a commit message and an annotated tag message quoting it; an .npmrc with base64 `user:key`;
 * a URL-encoded copy. Pushed to a bare "origin" up to the leak commit.
 */
export function plantedRepo(key: string): PlantedRepo {
	const repo = tempDir('leakfix-repo-');
	const remote = tempDir('leakfix-origin-');
	gitIn(remote, ['init', '-q', '--bare', '-b', 'main']);
	gitIn(repo, ['init', '-q', '-b', 'main']);
	gitIn(repo, ['remote', 'add', 'origin', remote]);
	const commits: Record<string, string> = {};
	write(repo, 'README.md', '# shop\n');
	write(repo, '.gitignore', '.env\n');
	commits.initial = commit(repo, 'Initial commit', '2026-01-01T10:00:00Z');
	write(repo, 'src/config.js', `export const config = {\n  region: 'eu',\n  apiKey: '${key}',\n};\n`);
	commits.leak = commit(repo, 'Add API config', '2026-01-10T09:30:00Z', {name: 'Bo Leaker', email: 'bo@example.com'});
	gitIn(repo, ['push', '-q', 'origin', 'main']);
	write(repo, 'src/config.js', "export const config = {\n  region: 'eu',\n  apiKey: process.env.CLOUDSIGHT_API_KEY,\n};\n");
	commits.removed = commit(repo, 'Read the key from the environment', '2026-01-12T09:00:00Z');
	commits.message = commit(repo, `Rotate later, old key was ${key}`, '2026-01-13T09:00:00Z');
	gitIn(repo, ['tag', '-a', 'v1.0', '-m', `release; temporary key ${key}`], {GIT_COMMITTER_DATE: '2026-01-14T09:00:00Z'});
	write(repo, '.npmrc', `_auth=${Buffer.from(`deploy:${key}`).toString('base64')}\n`);
	write(repo, 'docs/call.md', `curl 'https://api.example.com/v1?key=${encodeURIComponent(key + '/=')}'\n`);
	commits.encoded = commit(repo, 'Add npmrc and docs', '2026-01-15T09:00:00Z');

	gitIn(repo, ['checkout', '-q', '-b', 'feature/batch']);
	write(repo, 'batch/settings.yaml', `cloudsight:\n  key: ${key}\n`);
	commits.branch = commit(repo, 'Batch settings', '2026-01-20T09:00:00Z');
	gitIn(repo, ['checkout', '-q', 'main']);

	write(repo, 'src/debug.js', `// TODO remove\nconst k = "${key}";\n`);
	gitIn(repo, ['stash', 'push', '-q', '--include-untracked', '-m', 'wip debug']);
	write(repo, '.env', `CLOUDSIGHT_API_KEY=${key}\n`);
	return {repo, remote, commits};
}
