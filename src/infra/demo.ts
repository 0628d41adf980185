// `leakfix demo`: a throwaway git repo with a fake CloudSight key planted in its history, and an
// access log beside it (logs/access.log), so a newcomer can walk every screen without a real key.
// The key is random and built at run time.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {runCommand, type CommandRunner} from './command.js';
import {ExternalError} from './errors.js';

export type DemoRepo = {
	repoPath: string;
	key: string;
	leakCommit: string;
	/** The private folder holding the repo and its origin: delete it to remove the demo. */
	folder: string;
	/** The demo's stand-in gh and kubectl. */
	bin: string;
};

export async function createDemoRepo(now: Date, run: CommandRunner = runCommand): Promise<DemoRepo> {
	// One private folder (0700) holds the repo and its origin: nothing of the demo is world-readable.
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'leakfix-demo-'));
	const repoPath = path.join(folder, 'image-tagger');
	fs.mkdirSync(repoPath);
	const key = randomBytes(16).toString('base64url'); // 22 characters, the shape of a CloudSight key
	const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
	const git = async (args: string[], env: Record<string, string> = {}) => {
		const result = await run('git', ['-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
			cwd: repoPath,
			env: {GIT_AUTHOR_NAME: 'Sam Builder', GIT_AUTHOR_EMAIL: 'sam@example.com', GIT_COMMITTER_NAME: 'Sam Builder', GIT_COMMITTER_EMAIL: 'sam@example.com', ...env},
		});
		if (result.exitCode !== 0) throw new ExternalError('git failed while building the demo repo', `git ${args.join(' ')}`, result.stderr.slice(-500));
		return result.stdout;
	};
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(repoPath, file)), {recursive: true});
		fs.writeFileSync(path.join(repoPath, file), text);
	};
	const commit = async (message: string, date: string) => {
		await git(['add', '-A']);
		await git(['commit', '-q', '-m', message], {GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date});
	};

	await git(['init', '-q', '-b', 'main']);
	write('README.md', '# image-tagger\n\nTags product photos with CloudSight.\n');
	write('package.json', `${JSON.stringify({name: 'image-tagger', version: '1.0.0', type: 'module'}, null, 2)}\n`);
	write('src/index.js', "import {tag} from './cloudsight.js';\n\nconsole.log(await tag(process.argv[2]));\n");
	await commit('Initial commit: image tagger', daysAgo(12));

	write('src/cloudsight.js', `const CLOUDSIGHT_API_KEY = '${key}';\n\nexport async function tag(url) {\n  // calls the CloudSight API with CLOUDSIGHT_API_KEY\n  return url;\n}\n`);
	await commit('Add CloudSight client', daysAgo(9));
	const leakCommit = await git(['rev-parse', 'HEAD']);
	// The leak was pushed: an "origin" beside the repo (a bare repository in the same temp folder).
	const origin = path.join(folder, 'origin.git');
	await git(['init', '-q', '--bare', '-b', 'main', origin]);
	await git(['remote', 'add', 'origin', origin]);
	await git(['push', '-q', 'origin', 'main']);

	write('src/cloudsight.js', 'const CLOUDSIGHT_API_KEY = process.env.CLOUDSIGHT_API_KEY;\n\nexport async function tag(url) {\n  return url;\n}\n');
	write('.gitignore', '.env\nnode_modules/\n');
	write('.env', `CLOUDSIGHT_API_KEY=${key}\n`);
	// Three consumers for the inventory: the .env above, the deploy workflow, the worker on Kubernetes.
	write('.github/workflows/deploy.yml', 'name: deploy\non: {push: {branches: [main]}}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n        env:\n          CLOUDSIGHT_API_KEY: ${{ secrets.CLOUDSIGHT_API_KEY }}\n');
	write('k8s/worker.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: image-tagger-worker\n  namespace: prod\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n          image: ghcr.io/example/image-tagger:1.0.0\n          env:\n            - name: CLOUDSIGHT_API_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: cloudsight\n                  key: api-key\n');
	await commit('Read the CloudSight key from the environment', daysAgo(2));

	// The gateway's access log beside the repo: the team's traffic, then foreign addresses at 3 a.m.
	const {demoAccessLog} = await import('./demo-logs.js');
	const logs = path.join(folder, 'logs');
	fs.mkdirSync(logs, {mode: 0o700});
	fs.writeFileSync(path.join(logs, 'access.log'), demoAccessLog({key, exposureAt: now.getTime() - 9 * 86_400_000, end: now.getTime(), format: 'combined', broken: true}), {mode: 0o600});
	// Stand-ins for gh and kubectl (the demo puts them first on its own PATH), so the rotation
	// walks every store offline: they read the secret from stdin, as the real ones do, and print
	// what the real one would have done. They never reach a real GitHub or cluster.
	const bin = path.join(folder, 'bin');
	fs.mkdirSync(bin, {mode: 0o700});
	for (const [name, says] of [
		['gh', 'gh (leakfix demo stand-in): set secret "$3" of $5 from stdin ($(wc -c | tr -d " ") bytes)'],
		['kubectl', 'kubectl (leakfix demo stand-in): patched a Secret from stdin ($(wc -c | tr -d " ") bytes): $*'],
	] as const) {
		fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${says}"\n`, {mode: 0o700});
	}
	return {repoPath, key, leakCommit, folder, bin};
}
