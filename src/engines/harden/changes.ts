// Committed copies of the key: found (`git ls-files`, line by line), planned as one change per
// file (the safe rewrites as a diff, the refused lines with a snippet to paste), and the files
// that read the variable afterwards. Nothing here writes: a change's `apply` goes through the
// journal after the one confirmation (./apply.ts).
import fs from 'node:fs';
import path from 'node:path';
import {describeAddress, type HardenStore, languageOf, NO_LIBRARIES, planFile, type ProjectLibraries, snippetFor, type StoreAddress} from '../../core/harden.js';
import {runCommand} from '../../infra/command.js';
import {UserError} from '../../infra/errors.js';
import type {WriteJournal} from './journal.js';

export type HardenPlace = {repo: string; file: string; line: number; language: string | null};
/**
 * One file's change: the safe rewrites as a diff (null when there are none) and `apply`, and the
 * lines refused, each with its reason, with the snippet to paste there.
 */
export type HardenChange = {
	repo: string;
	file: string;
	language: string | null;
	lines: number[];
	diff: string | null;
	refused: Array<{line: number; reason: string}>;
	snippet: string;
	/** Writes the rewrite through the journal (so a cancel or a later failure restores it). */
	apply: ((journal: WriteJournal) => void) | null;
};

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

/** The secret stores' client libraries the project already depends on (Python, Ruby manifests). */
export function projectLibraries(repo: string, file?: string): ProjectLibraries {
	// The manifests of the file's own folder and every folder above it, up to the repository.
	const folders: string[] = [];
	for (let dir = file ? path.dirname(path.join(repo, file)) : repo; ; dir = path.dirname(dir)) {
		folders.push(dir);
		if (dir === repo || !dir.startsWith(repo) || dir === path.dirname(dir)) break;
	}
	const read = (name: string) =>
		folders
			.map(dir => {
				try {
					return fs.readFileSync(path.join(dir, name), 'utf8');
				} catch {
					return '';
				}
			})
			.join('\n');
	const python = ['requirements.txt', 'requirements-prod.txt', 'requirements/base.txt', 'pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg'].map(read).join('\n');
	const ruby = read('Gemfile');
	return {
		python: {boto3: /(^|[^\w-])boto3([^\w-]|$)/m.test(python), hvac: /(^|[^\w-])hvac([^\w-]|$)/m.test(python)},
		ruby: {awsSecretsManager: /["']aws-sdk(-secretsmanager)?["']/.test(ruby)},
	};
}

function mergeLibraries(a: ProjectLibraries, b: ProjectLibraries): ProjectLibraries {
	return {python: {boto3: a.python.boto3 || b.python.boto3, hvac: a.python.hvac || b.python.hvac}, ruby: {awsSecretsManager: a.ruby.awsSecretsManager || b.ruby.awsSecretsManager}};
}

/** The change for each file: the safe rewrites (a diff to apply) and the refused lines (with a snippet). */
export function planChanges(places: HardenPlace[], key: string, variable: string, store: HardenStore, storeAddress: StoreAddress = {}, libraries: ProjectLibraries = NO_LIBRARIES): HardenChange[] {
	const address = describeAddress(store, storeAddress);
	const files = [...new Set(places.map(place => `${place.repo}\u0000${place.file}`))];
	return files.map(id => {
		const [repo, file] = id.split('\u0000') as [string, string];
		const absolute = path.join(repo, file);
		const before = fs.readFileSync(absolute, 'utf8');
		const lines = places.filter(place => place.repo === repo && place.file === file).map(place => place.line);
		const language = languageOf(file);
		const snippet = snippetFor(language, variable, store, address);
		const plan = planFile(file, before, key, variable, store, address, storeAddress, libraries === NO_LIBRARIES ? projectLibraries(repo, file) : mergeLibraries(libraries, projectLibraries(repo, file)));
		if ('unsupported' in plan) return {repo, file, language, lines, diff: null, refused: lines.map(line => ({line, reason: plan.unsupported})), snippet, apply: null};
		return {
			repo,
			file,
			language,
			lines,
			diff: plan.edits.length > 0 ? plan.diff : null,
			refused: plan.refused,
			snippet,
			apply:
				plan.edits.length > 0
					? (journal: WriteJournal) => {
							// Only if the file is still what the diff was made from.
							if (fs.readFileSync(absolute, 'utf8') !== before) throw new UserError(`${file} changed since the diff was shown; nothing was written. Run harden again.`);
							journal.write(absolute, plan.text);
						}
					: null,
		};
	});
}

/** Committed files that read the variable from the environment (already, or after a rewrite). */
export async function readersOf(repo: string, variable: string): Promise<string[]> {
	const escaped = variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const reads = new RegExp(`(process\\.env|environ|getenv|Getenv|ENV|env::var|GetEnvironmentVariable|import\\.meta\\.env)\\W{0,4}${escaped}\\b`);
	const readers: string[] = [];
	for (const file of await trackedFiles(repo)) {
		if (/(^|\/)\.env(\.|$)/.test(file)) continue;
		const absolute = path.join(repo, file);
		try {
			if (fs.statSync(absolute).size > 2 * 1024 * 1024) continue;
			const content = fs.readFileSync(absolute);
			if (content.subarray(0, 8000).includes(0)) continue;
			if (reads.test(content.toString('utf8'))) readers.push(file);
		} catch {}
	}
	return readers;
}
