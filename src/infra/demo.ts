// `leakfix demo`: a throwaway git repo with a fake CloudSight key planted in its history, and an
// access log beside it (logs/access.log), so a newcomer can walk every screen without a real key.
// The key is random and built at run time.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fingerprint} from '../core/secrets.js';
import {confineHelpers, runCommand, type CommandRunner} from './command.js';
import type {DemoDashboard} from './demo-provider.js';
import {ExternalError, UserError} from './errors.js';
import {leakfixHome} from './paths.js';

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
	// Stand-ins for gh and kubectl (the demo puts them first on its own PATH, and its command
	// guard runs nothing else), so the rotation walks every store offline.
	const bin = path.join(folder, 'bin');
	writeStandIns(bin);
	return {repoPath, key, leakCommit, folder, bin};
}

/** The CLIs the demo stands in for: while a demo is open, these names run its stand-ins only. */
export const STAND_INS = ['gh', 'kubectl'] as const;
/** Local tools a demo runs as found on PATH (they touch only the demo's own folder and files). */
const LOCAL_TOOLS = new Set(['git', 'cat', 'node', 'grep', 'wc']);

/**
 * Writes (again) the stand-in gh and kubectl into `bin` (0700). They read the secret from stdin,
 * as the real ones do, print what the real one would have done, and never reach a real GitHub or
 * cluster: their own PATH is the system's, whatever PATH leakfix was given. Written afresh on
 * every open, so what runs is always this text.
 */
export function writeStandIns(bin: string): void {
	fs.mkdirSync(bin, {recursive: true, mode: 0o700});
	const scripts: Record<(typeof STAND_INS)[number], string> = {
		gh: [
			'case "$1 $2" in',
			'  "secret set") echo "gh (leakfix demo stand-in): set secret $3 from stdin ($(wc -c | tr -d " ") bytes); nothing left this machine" ;;',
			'  "api "*) case "$*" in *visibility*) echo private ;; esac ;;',
			'  *) echo "gh (leakfix demo stand-in): did nothing for: $*" ;;',
			'esac',
		].join('\n'),
		kubectl: [
			'case " $* " in',
			'  *" patch secret "*) echo "kubectl (leakfix demo stand-in): patched a Secret from stdin ($(wc -c | tr -d " ") bytes); nothing left this machine" ;;',
			'  *" rollout restart "*) echo "kubectl (leakfix demo stand-in): restarted, as asked: $*" ;;',
			'  *) echo "kubectl (leakfix demo stand-in): did nothing for: $*" ;;',
			'esac',
		].join('\n'),
	};
	for (const name of STAND_INS) {
		const file = path.join(bin, name);
		fs.rmSync(file, {force: true}); // never write through whatever was there (a symlink)
		fs.writeFileSync(file, `#!/bin/sh\nPATH=/usr/bin:/bin\n${scripts[name]}\n`, {mode: 0o700, flag: 'wx'});
	}
}

/** Outside text on one line: control characters shown as \xNN. */
function visible(text: string): string {
	return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, char => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export type DemoEnvironment = {
	/** The loopback CloudSight's origin: the probe's base URL for this process. */
	baseUrl: string;
	dashboard: DemoDashboard;
	/** The demo's private folder (repo, origin, logs, bin). */
	folder: string;
	bin: string;
	/** The fake CloudSight's request log (in LEAKFIX_HOME). */
	log: string;
	/** For a resumed demo: where its fake (leaked) key can be read, or that no copy is left. */
	keyWhere?: string;
	close(): void;
};

/** What a demo needs of its incident: the repo, and the fingerprints the fake provider honours. */
export type DemoTarget = {
	repoPath: string | undefined;
	/** A new demo: its planted key (live). */
	planted?: string;
	/** A resumed demo: the old key is live until deactivated; the new one once entered. */
	session?: {id: string; key: {fingerprint: string}; rotation?: {deactivatedAt?: string; newKey?: {fingerprint: string}}};
};

/** Where the leaked key of a resumed demo can be read: .env while it holds it, else the commit that added it. */
async function findDemoKey(repoPath: string, print: string, run: CommandRunner): Promise<string> {
	const env = path.join(repoPath, '.env');
	try {
		const value = /^CLOUDSIGHT_API_KEY=(.*)$/m.exec(fs.readFileSync(env, 'utf8'))?.[1]?.trim();
		if (value !== undefined && fingerprint(value) === print) return `The demo's fake key is in ${visible(env)} (CLOUDSIGHT_API_KEY=…).`;
	} catch {}
	const added = await run('git', ['-C', repoPath, 'log', '--all', '--format=%h', '--diff-filter=A', '--', 'src/cloudsight.js'], {cwd: repoPath}).catch(() => null);
	const commit = added?.exitCode === 0 ? added.stdout.trim().split('\n').at(-1) : undefined;
	if (commit) {
		const shown = await run('git', ['-C', repoPath, 'show', `${commit}:src/cloudsight.js`], {cwd: repoPath}).catch(() => null);
		const value = shown?.exitCode === 0 ? /CLOUDSIGHT_API_KEY = '([^']*)'/.exec(shown.stdout)?.[1] : undefined;
		if (value !== undefined && fingerprint(value) === print) return `The demo's fake key is in its history: git -C ${visible(repoPath)} show ${commit}:src/cloudsight.js`;
	}
	return `No copy of the demo's fake key is left in ${visible(repoPath)} (rotated and purged?): continue without it (Esc).`;
}

/**
 * Everything a demo incident needs before anything of it runs, however it was opened (`leakfix
 * demo`, `leakfix resume <id>`, the picker): its folder checked (gone: a clear UserError), the
 * stand-ins written afresh, the loopback CloudSight started (its log in LEAKFIX_HOME), the
 * stand-in bin first on PATH for this process and its children, and the command guard set, so
 * gh and kubectl resolve to the stand-ins whatever PATH says and any other CLI but git is refused.
 */
export async function demoEnvironment(target: DemoTarget, options: {home?: string; run?: CommandRunner} = {}): Promise<DemoEnvironment> {
	if (!target.repoPath) throw new UserError('This demo incident has no demo folder recorded, so its fake services cannot be started.', 'Start a fresh demo: leakfix demo');
	const repoPath = target.repoPath;
	const folder = path.dirname(repoPath);
	if (!fs.existsSync(repoPath)) {
		throw new UserError(
			`The demo's folder is gone: ${visible(repoPath)} no longer exists (temporary files get cleaned), and its fake key, stand-in gh and kubectl went with it.`,
			`Start a fresh demo: leakfix demo (this incident stays listed${target.session ? `; leakfix report ${target.session.id} still reads it` : ''}).`,
		);
	}
	const stat = fs.lstatSync(folder);
	if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid()) || (stat.mode & 0o022) !== 0) {
		throw new UserError(`The demo's folder ${visible(folder)} is not private to you (another owner, or writable by others): leakfix will not run its stand-ins from it.`, 'Start a fresh demo: leakfix demo');
	}
	const bin = path.join(folder, 'bin');
	if (fs.existsSync(bin) && !fs.lstatSync(bin).isDirectory()) throw new UserError(`The demo's ${visible(bin)} is not a folder: leakfix will not run stand-ins from it.`, 'Start a fresh demo: leakfix demo');
	writeStandIns(bin);

	const run = options.run ?? runCommand;
	const session = target.session;
	const keyWhere = session ? await findDemoKey(repoPath, session.key.fingerprint, run) : undefined;
	const log = path.join(options.home ?? leakfixHome(), 'demo', 'provider.log');
	const {startDemoProvider} = await import('./demo-provider.js');
	const provider = await startDemoProvider(target.planted ?? null, {
		log,
		...(session
			? {
					known: (candidate: string) => {
						const print = fingerprint(candidate);
						if (print === session.key.fingerprint) return session.rotation?.deactivatedAt === undefined;
						return print === session.rotation?.newKey?.fingerprint;
					},
				}
			: {}),
	});

	// This process and every child it starts find the stand-ins first …
	const rest = (process.env.PATH ?? '').split(path.delimiter).filter(entry => entry !== '' && path.resolve(entry) !== bin);
	process.env.PATH = [bin, ...rest].join(path.delimiter);
	// … and the guard does not rely on that order: gh and kubectl are the stand-ins, git and a few
	// local tools are looked up as usual, anything else is refused.
	confineHelpers(name => {
		if ((STAND_INS as readonly string[]).includes(name)) return path.join(bin, name);
		if (LOCAL_TOOLS.has(name)) return undefined;
		throw new UserError(`Not in the demo: "${visible(name)}" would be the real one on your PATH. A demo incident runs only its stand-in gh and kubectl (${visible(bin)}) and git, so nothing reaches a real service.`);
	});
	return {
		baseUrl: provider.baseUrl,
		dashboard: provider.dashboard,
		folder,
		bin,
		log,
		...(keyWhere === undefined ? {} : {keyWhere}),
		close() {
			provider.close();
		},
	};
}
