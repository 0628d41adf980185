// The guard in CI: a job that fails when a pushed commit adds the leaked key, found by its sha256
// (the committed guard, `.leakfix/guard.mjs --range BASE..HEAD`; never the key), for GitHub
// Actions, GitLab CI or any CI as a shell step; plus the secret scanner the repository already
// uses (gitleaks, ggshield, TruffleHog) on the same commits. Shown as a diff first, written
// through the journal with the rest of "keep the key out of code".
import fs from 'node:fs';
import path from 'node:path';
import {Document, isMap, isSeq, parseDocument} from 'yaml';
import {editsDiff} from '../../core/harden.js';
import type {WriteJournal} from './journal.js';

export const CI_KINDS = ['github', 'gitlab', 'shell'] as const;
export type CiKind = (typeof CI_KINDS)[number];
export type RepoScanner = 'gitleaks' | 'ggshield' | 'trufflehog';

export type CiPlan = {
	kind: CiKind;
	/** The CI file, relative to the repository. */
	file: string;
	/** One line for the confirmation and the record. */
	summary: string;
	/** How to use it (the shell step: how to call it). */
	how: string;
	/** The change to the CI file, as a unified diff (empty when it is already there). */
	diff: string;
	/** Already in place: nothing to write. */
	unchanged: boolean;
	/** Why leakfix will not write it (the diff is still shown, to add by hand). */
	refused?: string;
	/** The scanners the repository already uses, run on the same commits. */
	scanners: RepoScanner[];
	write: (journal: WriteJournal) => void;
};

const WORKFLOW = '.github/workflows/leakfix-guard.yml';
const GITLAB = '.gitlab-ci.yml';
const SHELL = 'scripts/leakfix-guard.sh';
const MARK = 'leakfix guard';

/** The CI this repository uses, by its files: GitHub Actions workflows, or a .gitlab-ci.yml. */
export function detectCi(repo: string): CiKind | null {
	if (fs.existsSync(path.join(repo, '.github', 'workflows'))) return 'github';
	if (fs.existsSync(path.join(repo, GITLAB))) return 'gitlab';
	return null;
}

/** The secret scanners the repository already uses: their config or ignore files, or a mention in its CI and hooks. */
export function scannersInRepo(repo: string): RepoScanner[] {
	const has = (file: string) => fs.existsSync(path.join(repo, file));
	const read = (file: string) => {
		try {
			return fs.readFileSync(path.join(repo, file), 'utf8');
		} catch {
			return '';
		}
	};
	let wiring = [GITLAB, '.pre-commit-config.yaml', 'lefthook.yml', '.husky/pre-commit'].map(read).join('\n');
	try {
		for (const name of fs.readdirSync(path.join(repo, '.github', 'workflows'))) if (name !== path.basename(WORKFLOW)) wiring += `\n${read(path.join('.github', 'workflows', name))}`;
	} catch {}
	const found: RepoScanner[] = [];
	if (has('.gitleaks.toml') || has('.gitleaksignore') || /gitleaks/i.test(wiring)) found.push('gitleaks');
	if (has('.gitguardian.yaml') || has('.gitguardian.yml') || /ggshield|gitguardian/i.test(wiring)) found.push('ggshield');
	if (has('.trufflehogignore') || /trufflehog/i.test(wiring)) found.push('trufflehog');
	return found;
}

/**
 * The commits to check, in POSIX sh (for every CI): LEAKFIX_BASE..LEAKFIX_HEAD; a new branch (an
 * empty or all-zero base) or a base this clone does not have (a force push) is compared with
 * origin/LEAKFIX_DEFAULT_BRANCH, fetched if missing. Then the guard, then the scanners' lines.
 */
export function rangeScript(after: string[]): string {
	return [
		'set -eu',
		'head="${LEAKFIX_HEAD:-HEAD}"',
		'base="${LEAKFIX_BASE:-}"',
		'default="${LEAKFIX_DEFAULT_BRANCH:-main}"',
		'case "$base" in *[!0]*) ;; *) base="" ;; esac',
		'if [ -n "$base" ] && ! git cat-file -e "$base^{commit}" 2>/dev/null; then',
		'  echo "leakfix guard: $base is not in this clone (a force push?): checking what $head adds to origin/$default" >&2',
		'  base=""',
		'fi',
		'if [ -z "$base" ]; then',
		'  git rev-parse -q --verify "refs/remotes/origin/$default" >/dev/null || git fetch -q origin "+refs/heads/$default:refs/remotes/origin/$default" || { echo "leakfix guard: origin/$default cannot be fetched: set LEAKFIX_DEFAULT_BRANCH to the branch to compare with" >&2; exit 2; }',
		'  base="origin/$default"',
		'fi',
		...after,
		'',
	].join('\n');
}

const GUARD_LINE = 'node .leakfix/guard.mjs --range "$base..$head"';
/** A scanner on PATH, on the same commits (shell and GitLab). */
const SCANNER_LINE: Record<RepoScanner, string> = {
	gitleaks: 'gitleaks git --redact --log-opts="$base..$head" .',
	ggshield: 'ggshield secret scan commit-range "$base..$head"',
	trufflehog: 'trufflehog git file://. --since-commit "$base" --branch "$head" --fail --no-update',
};
const SCANNER_IMAGE: Record<RepoScanner, string> = {gitleaks: 'zricethezav/gitleaks:latest', ggshield: 'gitguardian/ggshield:latest', trufflehog: 'trufflesecurity/trufflehog:latest'};
const IGNORES: Record<RepoScanner, string> = {
	gitleaks: 'gitleaks reads .gitleaksignore',
	ggshield: 'ggshield needs GITGUARDIAN_API_KEY in the CI settings and reads .gitguardian.yaml',
	trufflehog: 'TruffleHog reads its --exclude-paths file if you give one',
};

function githubWorkflow(scanners: RepoScanner[]): string {
	const steps: string[] = [];
	if (scanners.includes('gitleaks'))
		steps.push(
			'      # The scanner this repository already uses, on the same push (it reads .gitleaksignore).',
			'      - name: gitleaks',
			'        uses: gitleaks/gitleaks-action@v2',
			'        env:',
			'          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
			'          GITLEAKS_LICENSE: ${{ secrets.GITLEAKS_LICENSE }} # needed for an organisation\'s repositories',
		);
	if (scanners.includes('ggshield'))
		steps.push(
			'      # The scanner this repository already uses, on the same push (it reads .gitguardian.yaml).',
			'      - name: ggshield',
			'        uses: GitGuardian/ggshield-action@v1',
			'        env:',
			'          GITHUB_PUSH_BEFORE_SHA: ${{ github.event.before }}',
			'          GITHUB_PUSH_BASE_SHA: ${{ github.event.base }}',
			'          GITHUB_PULL_BASE_SHA: ${{ github.event.pull_request.base.sha }}',
			'          GITHUB_DEFAULT_BRANCH: ${{ github.event.repository.default_branch }}',
			'          GITGUARDIAN_API_KEY: ${{ secrets.GITGUARDIAN_API_KEY }}',
		);
	if (scanners.includes('trufflehog'))
		steps.push(
			'      # The scanner this repository already uses, on the same push.',
			'      - name: TruffleHog',
			'        uses: trufflesecurity/trufflehog@main',
			'        with:',
			'          extra_args: --results=verified,unknown',
		);
	const script = rangeScript([GUARD_LINE])
		.trimEnd()
		.split('\n')
		.map(line => `          ${line}`);
	return [
		`# ${MARK}: fails when a pushed commit adds a leaked key. .leakfix/guard.mjs knows each key`,
		'# only by its sha256 (it holds no secret). Written by leakfix harden; commit it with .leakfix/.',
		`name: ${MARK}`,
		'on:',
		'  push:',
		'  pull_request:',
		'permissions:',
		'  contents: read',
		'jobs:',
		'  leakfix-guard:',
		'    runs-on: ubuntu-latest',
		'    steps:',
		'      - uses: actions/checkout@v4',
		'        with:',
		'          fetch-depth: 0 # every pushed commit, and the default branch to compare a new branch with',
		'      - name: No leaked key in the pushed commits (by its sha256)',
		'        env:',
		'          LEAKFIX_BASE: ${{ github.event.pull_request.base.sha || github.event.before }}',
		'          LEAKFIX_HEAD: ${{ github.event.pull_request.head.sha || github.sha }}',
		'          LEAKFIX_DEFAULT_BRANCH: ${{ github.event.repository.default_branch }}',
		'        run: |',
		...script,
		...steps,
		'',
	].join('\n');
}

function shellScript(scanners: RepoScanner[]): string {
	return [
		'#!/bin/sh',
		`# ${MARK}: fails (exit 1) when a commit in BASE..HEAD adds a leaked key; .leakfix/guard.mjs`,
		'# knows each key only by its sha256 (it holds no secret). Written by leakfix harden.',
		'# Usage, as a CI step after a checkout with the full history:',
		'#   sh scripts/leakfix-guard.sh BASE [HEAD]',
		'# BASE: the commit before the push (empty or all zeros for a new branch, which is then compared',
		'# with origin/$LEAKFIX_DEFAULT_BRANCH, default main); HEAD: the pushed commit (default HEAD).',
		'LEAKFIX_BASE="${1:-${LEAKFIX_BASE:-}}"',
		'LEAKFIX_HEAD="${2:-${LEAKFIX_HEAD:-HEAD}}"',
		rangeScript([GUARD_LINE, ...scanners.map(scanner => `${SCANNER_LINE[scanner]} # the scanner this repository already uses (${IGNORES[scanner]})`)]),
	].join('\n');
}

/** The GitLab jobs: the guard on node's image, and each scanner the repository uses on its own image. */
function gitlabJobs(scanners: RepoScanner[], stage: string | undefined): Record<string, unknown> {
	// The whole history (a new branch is compared with the default branch); a merge request's base first.
	const variables = () => ({GIT_DEPTH: '0'});
	const prelude = ['LEAKFIX_BASE="${CI_MERGE_REQUEST_DIFF_BASE_SHA:-${CI_COMMIT_BEFORE_SHA:-}}"', 'LEAKFIX_HEAD="${CI_COMMIT_SHA:-HEAD}"', 'LEAKFIX_DEFAULT_BRANCH="${CI_DEFAULT_BRANCH:-main}"'].join('\n');
	const jobs: Record<string, unknown> = {
		'leakfix-guard': {...(stage ? {stage} : {}), image: 'node:20', variables: variables(), script: [`${prelude}\n${rangeScript([GUARD_LINE])}`]},
	};
	for (const scanner of scanners) {
		// ggshield finds a pipeline's commits itself (GitLab's variables).
		const script = scanner === 'ggshield' ? 'ggshield secret scan ci' : `${prelude}\n${rangeScript([SCANNER_LINE[scanner]])}`;
		jobs[`leakfix-guard-${scanner}`] = {...(stage ? {stage} : {}), image: {name: SCANNER_IMAGE[scanner], entrypoint: ['']}, variables: variables(), script: [script]};
	}
	return jobs;
}

/** A unified diff from one text to another: one hunk over the lines between their common start and end. */
export function textDiff(file: string, before: string | null, after: string): string {
	if (before === null) {
		const lines = after.replace(/\n$/, '').split('\n');
		return [`--- /dev/null`, `+++ b/${file}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map(line => `+${line}`)].join('\n');
	}
	// A final newline ends the last line: it is not a line of its own.
	const lines = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
	const old = before === '' ? [] : lines(before);
	const next = lines(after);
	let start = 0;
	while (start < old.length && start < next.length && old[start] === next[start]) start++;
	let end = 0;
	while (end < old.length - start && end < next.length - start && old[old.length - 1 - end] === next[next.length - 1 - end]) end++;
	return editsDiff(file, old, [{at: start, remove: old.length - start - end, add: next.slice(start, next.length - end)}]);
}

/**
 * The CI job for `kind`, with the committed guard (`guard`: its path and text) written beside it.
 * An existing file leakfix did not write is never overwritten; a .gitlab-ci.yml gains its jobs
 * through the yaml Document API, everything else in it kept.
 */
export function ciPlan(repo: string, kind: CiKind, guard: {file: string; text: string}): CiPlan {
	const scanners = scannersInRepo(repo);
	const writeGuard = (journal: WriteJournal) => journal.write(guard.file, guard.text, 0o755);
	const scannerNote = scanners.length > 0 ? `, then ${scanners.join(', ')} (already used here) on the same commits` : '';
	const ours = (file: string): string | null | false => {
		const absolute = path.join(repo, file);
		if (!fs.existsSync(absolute)) return null;
		const text = fs.readFileSync(absolute, 'utf8');
		return text.includes(MARK) ? text : false;
	};
	if (kind === 'github' || kind === 'shell') {
		const file = kind === 'github' ? WORKFLOW : SHELL;
		const text = kind === 'github' ? githubWorkflow(scanners) : shellScript(scanners);
		const existing = ours(file);
		const unchanged = existing === text;
		return {
			kind,
			file,
			summary:
				kind === 'github'
					? `${file}: a GitHub Actions job that fails when a pushed commit adds the key (by its sha256, through .leakfix/guard.mjs)${scannerNote}`
					: `${file}: a shell step for any CI that fails when a commit in BASE..HEAD adds the key (by its sha256, through .leakfix/guard.mjs)${scannerNote}`,
			how:
				kind === 'github'
					? 'commit it with .leakfix/guard.mjs; it runs on every push and pull request'
					: 'commit it with .leakfix/guard.mjs and call it from your CI after a checkout with the full history: sh scripts/leakfix-guard.sh "$BEFORE_SHA" "$COMMIT_SHA" (a new branch: an empty BEFORE_SHA, compared with origin/$LEAKFIX_DEFAULT_BRANCH, default main)',
			diff: unchanged ? '' : textDiff(file, existing === false || existing === null ? null : existing, text),
			unchanged,
			...(existing === false ? {refused: `${file} exists and is not leakfix's: add the job by hand (leakfix never overwrites it)`} : {}),
			scanners,
			write: journal => {
				writeGuard(journal);
				if (!unchanged) journal.write(path.join(repo, file), text, kind === 'shell' ? 0o755 : undefined);
			},
		};
	}
	const absolute = path.join(repo, GITLAB);
	const before = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : null;
	const document = parseDocument(before ?? '');
	const contents = document.contents;
	const layout = document.errors.length === 0 && (before === null || before.trim() === '' || isMap(contents));
	const present = isMap(contents) && contents.has('leakfix-guard');
	// Its stage: test where the pipeline has one (GitLab's default stages do), else the first listed.
	const stages = isMap(contents) ? contents.get('stages') : undefined;
	const listed = isSeq(stages) ? stages.items.map(item => String((item as {value?: unknown}).value ?? item)) : [];
	const stage = listed.length === 0 || listed.includes('test') ? undefined : listed[0];
	let after = before ?? '';
	let fits = layout;
	if (layout && !present) {
		// The jobs are built as a YAML document of their own and appended: every byte of the file
		// is kept (a re-stringified document would respace its comments and drop its blank lines),
		// and the whole is parsed again to check it reads as the old pipeline plus these jobs.
		const jobs = gitlabJobs(scanners, stage);
		const added = new Document(jobs).toString({lineWidth: 0});
		after = `${after}${after && !after.endsWith('\n') ? '\n' : ''}${after.trim() ? '\n' : ''}# ${MARK}: fails when a pushed commit adds a leaked key (.leakfix/guard.mjs knows it only by its sha256). Written by leakfix harden.\n${added}`;
		const check = parseDocument(after);
		fits = check.errors.length === 0 && JSON.stringify(check.toJS()) === JSON.stringify({...((document.toJS() as Record<string, unknown> | null) ?? {}), ...jobs});
	}
	return {
		kind,
		file: GITLAB,
		summary: `${GITLAB}: a GitLab CI job leakfix-guard that fails when a pushed commit adds the key (by its sha256, through .leakfix/guard.mjs)${scannerNote}`,
		how: 'commit it with .leakfix/guard.mjs; it runs in every pipeline (pushes and merge requests)',
		diff: present || !fits ? '' : textDiff(GITLAB, before, after),
		unchanged: present,
		...(fits ? {} : {refused: `${GITLAB} is not a YAML mapping leakfix can edit: add a job running \`node .leakfix/guard.mjs --range "$CI_COMMIT_BEFORE_SHA..$CI_COMMIT_SHA"\` by hand`}),
		scanners,
		write: journal => {
			writeGuard(journal);
			if (!present && fits) journal.write(absolute, after);
		},
	};
}
