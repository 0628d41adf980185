// Prevent recurrence: every copy of the key hard-coded in a committed file, rewritten to read
// the environment variable (file by file, as a diff first), the variable's name in
// .env.example, .env ignored, and a pre-commit guard that refuses the key by its fingerprint.
import fs from 'node:fs';
import path from 'node:path';
import {describeAddress, type HardenStore, languageOf, NO_LIBRARIES, planFile, type ProjectLibraries, snippetFor, type StoreAddress} from '../../core/harden.js';
import {keyNeedles} from '../../core/needles.js';
import {fingerprint} from '../../core/secrets.js';
import {parseDocument} from 'yaml';
import {runCommand} from '../../infra/command.js';
import {UserError} from '../../infra/errors.js';
import {WriteJournal} from './journal.js';
import {type GuardManager, type PrePushPlan, prePushPlan, provePrePush} from './prepush.js';
import {type CiKind, type CiPlan, ciPlan, detectCi} from './ci.js';

export {WriteJournal} from './journal.js';

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

/** `.env.example` gains the variable without a value; `.env` is ignored. Returns what changed. */
export async function configHygiene(repo: string, variable: string, journal: WriteJournal | null): Promise<string[]> {
	const apply = journal !== null;
	const done: string[] = [];
	// The project's own template, if it has one (.env.sample, .env.template, .env.dist).
	const template = ['.env.example', '.env.sample', '.env.template', '.env.dist'].find(name => fs.existsSync(path.join(repo, name))) ?? '.env.example';
	const example = path.join(repo, template);
	const current = fs.existsSync(example) ? fs.readFileSync(example, 'utf8') : '';
	if (!new RegExp(`^\\s*${variable}\\s*=`, 'm').test(current)) {
		done.push(`${template}: add ${variable}= (the name, never a value)`);
		if (apply) journal.write(example, `${current}${current && !current.endsWith('\n') ? '\n' : ''}${variable}=\n`);
	}
	// .env, and .env.<anything> files present (not templates), that git does not ignore yet.
	const present = fs.readdirSync(repo).filter(name => /^\.env(\..+)?$/.test(name) && !/\.(example|sample|template|dist)$/.test(name));
	void template;
	const candidates = [...new Set(['.env', ...present])];
	const unignored: string[] = [];
	for (const name of candidates) {
		const ignored = await runCommand('git', ['-C', repo, 'check-ignore', '-q', '--no-index', name], {cwd: repo});
		if (ignored.exitCode !== 0) unignored.push(name);
	}
	if (unignored.length > 0) {
		const lines = [...(unignored.includes('.env') ? ['.env'] : []), ...(unignored.some(name => name !== '.env') ? ['.env.*', `!${template}`] : [])];
		done.push(`.gitignore: add ${lines.join(' ')}${unignored.some(name => present.includes(name) && name !== '.env') ? ` (${unignored.filter(name => name !== '.env').join(', ')} would be committed otherwise)` : ''}`);
		if (apply) {
			const file = path.join(repo, '.gitignore');
			const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
			journal.write(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${lines.join('\n')}\n`);
		}
	}
	return done;
}

/**
 * The guard: a Node script that reads the staged diff and refuses a commit whose added lines or
 * file names hold a leaked key, found by its sha256 (the script holds no secret): the key as
 * typed and base64-encoded, in the text as it is and with its escapes decoded (%XX in any case,
 * \xXX, \uXXXX), with wrapped base64 lines joined. Windows are taken only over runs of the
 * key's own characters.
 */
export function guardScript(keys: Array<{fingerprint: string; length: number; charset: string; rolling: number}>): string {
	return String.raw`#!/usr/bin/env node
// leakfix guard: refuses a commit that adds a leaked key. It knows each key only by its sha256
// (and a 32-bit rolling hash that picks the windows worth hashing: a big diff stays fast).
import {createHash} from 'node:crypto';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
const KEYS = ${JSON.stringify(keys)};
const B = 257;
// --self-test reads a diff from stdin instead (leakfix proves the guard that way after installing it).
// --range A..B [--not REV | --remotes]...: the commits of a range, each commit's own patch (the
// pre-push guard, a CI job), so a key added by one commit and removed by the next is still seen.
const RANGE = process.argv.includes('--range') ? process.argv.slice(process.argv.indexOf('--range') + 1) : null;
if (RANGE && (RANGE.length === 0 || RANGE.some(arg => arg !== '--not' && arg !== '--remotes' && (arg.startsWith('-') || !/^[0-9A-Za-z_.\/@^~{}-]+$/.test(arg))))) {
	process.stderr.write('leakfix guard: --range takes A..B, then --not REV or --remotes\n');
	process.exit(2);
}
const logRange = () => {
	try {
		return execFileSync('git', ['log', '-p', '--cc', '--format=', '-U0', '--no-color', '--text', '--no-renames', '--no-ext-diff', ...RANGE], {encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe']});
	} catch (error) {
		process.stderr.write('leakfix guard: git could not read the commits of ' + RANGE.join(' ') + ': ' + String(error.stderr || error.message).trim() + '\n');
		process.exit(2);
	}
};
const diff = process.argv.includes('--self-test') ? readFileSync(0, 'utf8') : RANGE ? logRange() : execFileSync('git', ['diff', '--cached', '-U0', '--no-color', '--text', '--no-renames'], {encoding: 'utf8', maxBuffer: 512 * 1024 * 1024});
const FORMS = KEYS.map(key => {
	let top = 1;
	for (let i = 1; i < key.length; i++) top = Math.imul(top, B);
	// The form's characters as a byte table (forms are ASCII; any byte of a UTF-8 sequence is not one of them).
	const table = new Uint8Array(256);
	const member = new RegExp('[' + key.charset + ']');
	for (let byte = 0; byte < 128; byte++) table[byte] = member.test(String.fromCharCode(byte)) ? 1 : 0;
	return {...key, top, table};
});
// Where in bytes[from..] the rolling hash of a run of the form's characters matches (-1: nowhere).
const roll = (bytes, from, table, length, top, rolling) => {
	let run = 0;
	let hash = 0;
	for (let i = from; i < bytes.length; i++) {
		const byte = bytes[i];
		if (table[byte] === 0) {
			run = 0;
			hash = 0;
			continue;
		}
		if (run >= length) hash = (hash - Math.imul(bytes[i - length], top)) | 0;
		else run++;
		hash = (Math.imul(hash, B) + byte) | 0;
		if (run >= length && hash === rolling) return i + 1;
	}
	return -1;
};
// Does the text hold a form of a key? One pass over its bytes per form, rolling over runs of the
// form's characters; sha256 only where the rolling hash matches.
const holds = text => {
	const bytes = Buffer.from(text, 'utf8');
	for (const {fingerprint, length, rolling, top, table} of FORMS) {
		for (let end = roll(bytes, 0, table, length, top, rolling); end !== -1; end = roll(bytes, end - length + 1, table, length, top, rolling)) {
			if (createHash('sha256').update(bytes.subarray(end - length, end)).digest('hex') === fingerprint) return true;
		}
	}
	return false;
};
// Escapes decoded, two layers deep: ghp%5F..., %67%68..., \x67\x68..., "\u0067...", %255F.
const ESCAPE = /%([0-9A-Fa-f]{2})|\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\u\{([0-9A-Fa-f]{1,6})\}/g;
const decode = text => text.replace(ESCAPE, (all, a, b, c, d) => {
	const code = parseInt(a ?? b ?? c ?? d, 16);
	return code <= 0x10ffff ? String.fromCodePoint(code) : all;
});
const visible = text => text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, char => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'));
// where: the file whose added lines hold it, or null for a file's name (never printed: it holds the key).
const search = (text, where) => {
	for (let layer = 0, plain = text; layer < 3; layer++) {
		if (holds(plain)) {
			process.stderr.write('leakfix guard: this commit adds a leaked key (' + (where === null ? "in a file's name" : 'in ' + visible(where)) + '). Remove it and read it from a secret store instead.\n');
			process.exit(1);
		}
		const decoded = decode(plain);
		if (decoded === plain) break;
		plain = decoded;
	}
};
// The diff read by its structure: a file's header lines (diff --git, ---/+++, rename and copy)
// come before its first @@ hunk and are searched as names; inside a hunk every line whose prefix
// holds a + is an added line ("+++i" is the line "++i"). A file's added lines are searched
// together; consecutive lines that look like base64 are joined first (PEM, MIME: wrapped at 64
// or 76 columns), so a key's base64 split across lines is seen whole.
const BASE64_LINE = /^\s*[A-Za-z0-9+/_-]{8,}={0,2}\s*$/;
// Text is searched in pieces of about 4 MB (memory stays near the diff's own size); joined base64
// keeps the last bytes of a piece for the next, so a key across the cut is still seen whole.
const PIECE = 4 * 1024 * 1024;
const OVERLAP = Math.max(0, ...KEYS.map(key => key.length));
let file = '';
let inHunk = false;
let width = 1; // a hunk line's prefix: one column, or one per parent in a combined diff
let added = [];
let addedLength = 0;
let wrapped = [];
let wrappedLength = 0;
const addText = text => {
	added.push(text);
	addedLength += text.length + 1;
	if (addedLength > PIECE) flush();
};
const addWrapped = text => {
	wrapped.push(text);
	wrappedLength += text.length;
	if (wrappedLength > PIECE) {
		const joined = wrapped.join('');
		search(joined, file);
		wrapped = [joined.slice(-OVERLAP)];
		wrappedLength = wrapped[0].length;
	}
};
const endWrap = () => {
	const joined = wrapped.join('');
	wrapped = [];
	wrappedLength = 0;
	if (joined) addText(joined);
};
const flush = () => {
	const text = added.join('\n');
	added = [];
	addedLength = 0;
	if (text) search(text, file);
};
for (const line of diff.split('\n')) {
	if (line.startsWith('diff ')) {
		endWrap();
		flush();
		inHunk = false;
		width = 1;
		file = line.startsWith('diff --git ') ? line.slice(line.lastIndexOf(' b/') + 3) : line.slice(line.indexOf(' ', 5) + 1);
		search(line, null);
	} else if (!inHunk) {
		if (line.startsWith('@@')) {
			inHunk = true;
			width = /^@+/.exec(line)[0].length - 1;
			continue;
		}
		if (line.startsWith('+++ ') && line !== '+++ /dev/null') file = line.slice(line.startsWith('+++ b/') ? 6 : 4);
		search(line, null);
	} else if (line.startsWith('@@')) {
		endWrap();
	} else if (line.slice(0, width).includes('+')) {
		const text = line.slice(width);
		if (BASE64_LINE.test(text)) addWrapped(text.trim());
		else {
			endWrap();
			addText(text);
		}
	} else endWrap();
}
endWrap();
flush();
`;
}

/** The guard's 32-bit rolling hash of a string (the same arithmetic as in the script). */
export function rollingHash(text: string): number {
	let hash = 0;
	for (let index = 0; index < text.length; index++) hash = (Math.imul(hash, 257) + text.charCodeAt(index)) | 0;
	return hash;
}

/**
 * The characters a form is made of, as a class that says nothing of the form itself: letters and
 * digits as ranges, and the punctuation it uses, sorted (never the form's own characters in order).
 */
export function charClass(form: string): string {
	const specials = [...new Set(form.replace(/[A-Za-z0-9]/g, ''))].sort().map(char => char.replace(/[\]\\^-]/g, '\\$&'));
	return `A-Za-z0-9${specials.join('')}`;
}

/**
 * The forms of a key the guard looks for, from the scan's own (`keyNeedles`): as typed, and the
 * base64 runs that appear whatever precedes it (a Basic auth header's `user:KEY`), at every
 * alignment. The percent spellings are not needed: the guard searches the text with its escapes
 * decoded, which turns every one of them (and ones no list holds, `ghp%5F…`) into the key as typed.
 */
function guardForms(key: string): Array<{fingerprint: string; length: number; charset: string; rolling: number}> {
	const forms = [...new Set(keyNeedles(key).filter(needle => needle.form !== 'url-encoded').map(needle => needle.bytes.toString('utf8')))];
	return forms.map(form => ({fingerprint: fingerprint(form), length: form.length, charset: charClass(form), rolling: rollingHash(form)}));
}

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
	const kept = match ? (JSON.parse(match[1]!) as ReturnType<typeof guardForms>) : [];
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
		return match ? (JSON.parse(match[1]!) as Array<{fingerprint: string; length: number; charset: string; rolling: number}>) : [];
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

/** What one run of "keep the key out of code" wrote, exactly. */
export type HardenOutcome = {
	rewritten: string[];
	config: string[];
	/** The guards installed (pre-commit and pre-push, or the one that could be), each proven after install. */
	guard: {where: string; how: string; proven: boolean; script: string} | null;
	/** The pre-push guard alone, when installed. */
	prePush: {where: string; how: string; proven: boolean} | null;
	/** A guard script written, its hook line left to the responder. */
	guardByHand: string | null;
	/** The CI job asked for: written (its line is also in config), or why it is the responder's to add. */
	ci: {kind: CiKind; file: string; written: boolean; refused?: string} | null;
};

/**
 * The whole action after its one confirmation: the accepted rewrites, the config changes and the
 * guard, all through one journal. If any write fails, every file written so far is restored byte
 * for byte and the error says so; nothing is half done.
 */
export async function applyHardening(input: {repo: string; variable: string; key: string; changes: HardenChange[]; extras: boolean; /** A CI job too (./ci.ts). */ ci?: CiKind | null}): Promise<HardenOutcome> {
	const journal = new WriteJournal();
	try {
		const rewritten: string[] = [];
		for (const change of input.changes) {
			if (!change.apply) continue;
			change.apply(journal);
			rewritten.push(change.file);
		}
		const config = input.extras ? await configHygiene(input.repo, input.variable, journal) : [];
		let guard: HardenOutcome['guard'] = null;
		let prePush: HardenOutcome['prePush'] = null;
		let guardByHand: string | null = null;
		if (input.extras) {
			const plan = await guardPlan(input.repo, input.key);
			const installed: Array<{where: string; how: string; proven: boolean}> = [];
			const byHand: string[] = [];
			if (plan.refused) {
				plan.writeGuard(journal);
				byHand.push(plan.refused);
			} else {
				plan.write(journal);
				const proof = await proveGuard(plan.script, input.key);
				installed.push({where: plan.where, how: `${plan.how}; ${proof.detail}`, proven: proof.ok});
			}
			// The pre-push guard: the same check over the commits a push carries (--no-verify commits too).
			if (plan.prePush.refused) {
				plan.prePush.writeScript(journal);
				byHand.push(plan.prePush.refused);
			} else {
				plan.prePush.write(journal);
				const proof = await provePrePush(input.repo, plan.prePush.script, input.key);
				prePush = {where: plan.prePush.where, how: `pre-push: ${plan.prePush.how}; ${proof.detail}`, proven: proof.ok};
				installed.push(prePush);
			}
			if (installed.length > 0) guard = {where: installed.map(one => one.where).join(' and '), how: installed.map(one => one.how).join(' · '), proven: installed.every(one => one.proven), script: plan.script};
			if (byHand.length > 0) guardByHand = byHand.join('; ');
		}
		let ci: HardenOutcome['ci'] = null;
		if (input.extras && input.ci) {
			const plan = ciPlan(input.repo, input.ci, committedGuard(input.repo, input.key));
			if (plan.refused) ci = {kind: plan.kind, file: plan.file, written: false, refused: plan.refused};
			else {
				plan.write(journal);
				if (!plan.unchanged) config.push(plan.summary);
				ci = {kind: plan.kind, file: plan.file, written: !plan.unchanged};
			}
		}
		return {rewritten, config, guard, prePush, guardByHand, ci};
	} catch (error) {
		const left = journal.rollback();
		const message = (error as Error).message;
		throw new UserError(left.length === 0 ? `${message} Every file written before it was restored: nothing changed.` : `${message} These files could not be restored: ${left.join(', ')} (check git status).`);
	}
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
