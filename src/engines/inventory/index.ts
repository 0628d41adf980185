// Service discovery, the engine: walks each repository's working tree (tracked, untracked and
// ignored files such as .env; not .git, node_modules or build output), asks the pure detector
// what each file says, names the service each file belongs to, and proposes inventory entries.
import fs from 'node:fs';
import path from 'node:path';
import {detectReferences, fileKind} from './detect.js';
import {type LocatedReference, proposeEntries} from './propose.js';
import type {InventoryEntry} from '../../core/model.js';
import {keyNeedles} from '../../core/needles.js';
import {runCommand} from '../../infra/command.js';
import {UserError} from '../../infra/errors.js';
import {walk} from '../scan/worktree.js';

const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', 'dist', 'build', 'target', '.venv', 'venv', '__pycache__', '.next', '.terraform', 'coverage']);
const MAX_FILE = 1024 * 1024;

export type InventoryDiscovery = {repos: string[]; files: number; references: LocatedReference[]; entries: InventoryEntry[]; warnings: string[]};

/** The service a file belongs to: the nearest package/project name, else the repository's folder name. */
function serviceNamer(root: string) {
	const cache = new Map<string, string>();
	const nameIn = (dir: string): string | null => {
		const read = (file: string) => {
			try {
				return fs.readFileSync(path.join(dir, file), 'utf8');
			} catch {
				return null;
			}
		};
		const pkg = read('package.json');
		if (pkg) {
			try {
				const name = (JSON.parse(pkg) as {name?: unknown}).name;
				if (typeof name === 'string' && name) return name;
			} catch {}
		}
		const pyproject = read('pyproject.toml');
		const pyName = pyproject && /^\s*name\s*=\s*["']([^"']+)["']/m.exec(pyproject)?.[1];
		if (pyName) return pyName;
		const gomod = read('go.mod');
		const module = gomod && /^module\s+(\S+)/m.exec(gomod)?.[1];
		if (module) return module.split('/').at(-1)!;
		if (read('setup.py') !== null || read('requirements.txt') !== null || read('Gemfile') !== null || read('pom.xml') !== null || read('build.gradle') !== null) return path.basename(dir);
		return null;
	};
	return (file: string): string => {
		let dir = path.dirname(file);
		const visited: string[] = [];
		for (;;) {
			const cached = cache.get(dir);
			if (cached) {
				for (const seen of visited) cache.set(seen, cached);
				return cached;
			}
			visited.push(dir);
			const name = nameIn(dir);
			if (name) {
				for (const seen of visited) cache.set(seen, name);
				return name;
			}
			if (dir === root || !dir.startsWith(root)) break;
			dir = path.dirname(dir);
		}
		const fallback = path.basename(root);
		for (const seen of visited) cache.set(seen, fallback);
		return fallback;
	};
}

/** owner/name of a GitHub origin, read from .git/config (no git process needed). */
function githubRepo(root: string): string | undefined {
	try {
		const config = fs.readFileSync(path.join(root, '.git', 'config'), 'utf8');
		const url = /\[remote "origin"\][^[]*?url\s*=\s*(\S+)/.exec(config)?.[1];
		return url ? /github\.com[:/]([^/]+\/[^/]+?)(?:\.git)?$/.exec(url)?.[1] : undefined;
	} catch {
		return undefined;
	}
}

export async function discoverInventory(repos: string[], options: {envVars: string[]; key?: string}): Promise<InventoryDiscovery> {
	const references: LocatedReference[] = [];
	const warnings: string[] = [];
	let files = 0;
	const needles = options.key ? keyNeedles(options.key).filter(needle => needle.form !== 'base64') : [];
	for (const repo of repos) {
		const root = path.resolve(repo);
		if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UserError(`${repo} is not a folder.`);
		const serviceOf = serviceNamer(root);
		const origin = githubRepo(root);
		// Files committed to git: the new key must never be written into one.
		let tracked = new Set<string>();
		if (fs.existsSync(path.join(root, '.git'))) {
			const listed = await runCommand('git', ['-C', root, 'ls-files', '-z'], {cwd: root}).catch(() => null);
			if (listed?.exitCode === 0) tracked = new Set(listed.stdout.split('\0').filter(Boolean));
		}
		for (const file of walk(root, root, SKIP_DIRS)) {
			const relative = path.relative(root, file).split(path.sep).join('/');
			let stat;
			try {
				stat = fs.statSync(file);
			} catch {
				continue;
			}
			const kind = fileKind(relative);
			if (kind === null && needles.length === 0) continue;
			if (stat.size > MAX_FILE) {
				if (kind !== null) warnings.push(`${relative}: larger than 1 MB, not read`);
				continue;
			}
			let content: Buffer;
			try {
				content = fs.readFileSync(file);
			} catch {
				warnings.push(`${relative}: cannot be read`);
				continue;
			}
			if (content.subarray(0, 8000).includes(0)) continue; // binary
			files++;
			const text = content.toString('utf8');
			const literalLines: number[] = [];
			if (needles.length > 0) {
				const lines = text.split('\n');
				lines.forEach((line, index) => {
					if (needles.some(needle => line.includes(needle.bytes.toString('utf8')))) literalLines.push(index + 1);
				});
			}
			const found = detectReferences(repos.length > 1 ? `${path.basename(root)}/${relative}` : relative, text, options.envVars, literalLines);
			for (const ref of found) {
				if (ref.store?.type === 'github-actions' && origin) ref.store.repo = origin;
				if (ref.store?.type === 'env-file') {
					if (tracked.has(relative)) {
						// Committed: writing the new key there would leak it again.
						ref.store = {type: 'manual', text: `${relative} is committed to git with the key in it: remove the key from the file and from history, and give the service the new key some other way (an ignored .env, a secret store)`};
					} else ref.store.path = file; // the absolute path: the update needs it
				}
				references.push({...ref, serviceHint: serviceOf(file)});
			}
		}
	}
	const entries = proposeEntries(references, index => `svc-${index + 1}`);
	return {repos, files, references, entries, warnings};
}
