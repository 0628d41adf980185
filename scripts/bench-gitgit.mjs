// A real big repository for `npm run bench` (optional: BENCH_GITGIT=<a clone of git/git>): its
// branches and tags copied into .bench (git clone --bare --no-local: a real transfer, so only
// what they reach is packed), then a fake key planted as on the generated repository: in a file
// added in 2006 on a side branch and deleted in the next commit, and in a new file on top of the
// default branch. Planted with git's plumbing (a private index file); repacked into one pack.
// Kept between runs (a marker file says it is complete).
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function plantGitGit(source, repo, {key}) {
	const marker = path.join(repo, 'leakfix-bench-done');
	if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8'));
	fs.rmSync(repo, {recursive: true, force: true});
	execFileSync('git', ['clone', '-q', '--bare', '--no-local', source, repo], {stdio: 'inherit'});
	const index = path.join(path.dirname(repo), 'gitgit.index');
	const who = {GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com'};
	const git = (args, input, env = {}) => execFileSync('git', ['-C', repo, ...args], {input, encoding: 'utf8', env: {...process.env, GIT_INDEX_FILE: index, ...who, ...env}}).trim();
	const head = git(['symbolic-ref', '--short', 'HEAD']);
	const at = date => ({GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date});
	// Old history: added on a side branch from a 2006 commit, deleted in the next commit.
	const old = git(['rev-list', '-1', '--before=2006-06-01', head]);
	fs.rmSync(index, {force: true});
	git(['read-tree', old]);
	const oldBlob = git(['hash-object', '-w', '--stdin'], `DEPLOY_TOKEN=${key}\n`);
	git(['update-index', '--add', '--cacheinfo', `100644,${oldBlob},contrib/deploy.env`]);
	const added = git(['commit-tree', git(['write-tree']), '-p', old], 'add deploy env\n', at('2006-06-02T10:00:00Z'));
	const removed = git(['commit-tree', git(['rev-parse', `${old}^{tree}`]), '-p', added], 'remove deploy env\n', at('2006-06-02T11:00:00Z'));
	git(['update-ref', 'refs/heads/old-side', removed]);
	// New history: on top of the default branch.
	fs.rmSync(index, {force: true});
	git(['read-tree', head]);
	const newBlob = git(['hash-object', '-w', '--stdin'], `[app]\napi_key = ${key}\n`);
	git(['update-index', '--add', '--cacheinfo', `100644,${newBlob},config/app.ini`]);
	const tip = git(['commit-tree', git(['write-tree']), '-p', head], 'app config\n', at('2026-11-01T10:00:00Z'));
	git(['update-ref', `refs/heads/${head}`, tip]);
	fs.rmSync(index, {force: true});
	git(['repack', '-q', '-a', '-d']);
	const count = Object.fromEntries(git(['count-objects', '-v']).split('\n').map(line => line.split(': ')));
	const info = {commits: Number(git(['rev-list', '--all', '--count'])), objects: Number(count['in-pack']), packMb: Math.round(Number(count['size-pack']) / 1024), files: ['contrib/deploy.env', 'config/app.ini']};
	fs.writeFileSync(marker, JSON.stringify(info));
	return info;
}
