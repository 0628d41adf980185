// Beyond the clone on disk: where else in the organisation the key is used, through engines the
// user already runs, never a crawler of ours. GitHub code search (`gh search code`) and
// Sourcegraph (`src search`, where SRC_ENDPOINT is set) are asked for the variable names and the
// key's non-secret id, never the secret itself; the organisation's secret-scanning alerts
// (`gh api orgs/ORG/secret-scanning/alerts`) are compared with the key by sha256, in memory.
// Every result is a candidate for the responder to confirm; limits and failures are said.
import type {InventoryEntry} from '../../core/model.js';
import {splitPair} from '../../core/leaked-key.js';
import {fingerprint} from '../../core/secrets.js';
import {runCommand, type CommandRunner} from '../../infra/command.js';
import {ExternalError, UserError} from '../../infra/errors.js';

export type OrgCandidate = {
	engine: 'github-code-search' | 'sourcegraph' | 'github-secret-scanning';
	repo: string;
	file?: string;
	line?: number;
	url?: string;
	/** What matched: a variable name, the key id, or "the same secret (sha256)". */
	matched: string;
};

export type EngineRun = {
	engine: OrgCandidate['engine'];
	status: 'complete' | 'partial' | 'failed' | 'skipped';
	/** Plain words: how many results, a limit hit, gh's error, why it was skipped. */
	detail: string;
};

export type OrgSearch = {org: string; terms: string[]; candidates: OrgCandidate[]; engines: EngineRun[]};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** GitHub's code search returns at most this many results per query through gh. */
export const CODE_SEARCH_LIMIT = 100;

const lastLine = (text: string) => text.split('\n').map(line => line.trim()).filter(Boolean).at(-1) ?? 'no error text';
const limited = (text: string) => /rate limit|secondary rate|abuse|HTTP 429/i.test(text);

export function checkOrg(org: string): string {
	if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) throw new UserError(`--org ${org}: not a GitHub organisation name.`, 'Example: leakfix inventory --org acme --provider stripe');
	return org;
}

async function githubCodeSearch(org: string, terms: string[], run: CommandRunner, candidates: OrgCandidate[]): Promise<EngineRun> {
	const problems: string[] = [];
	let found = 0;
	let capped = 0;
	let stoppedAt = -1;
	for (const [index, term] of terms.entries()) {
		if (stoppedAt !== -1) break;
		const args = ['search', 'code', term, '--owner', org, '--json', 'path,repository,url', '--limit', String(CODE_SEARCH_LIMIT)];
		const result = await run('gh', args);
		if (result.exitCode !== 0) {
			const said = lastLine(result.stderr);
			problems.push(`"${term}": ${said}`);
			// A rate limit applies to every query after it: stop and say so.
			if (limited(said)) stoppedAt = index;
			continue;
		}
		let items: unknown;
		try {
			items = JSON.parse(result.stdout || '[]');
		} catch {
			problems.push(`"${term}": gh answered with something that is not JSON`);
			continue;
		}
		const list = Array.isArray(items) ? items.filter(isObject) : [];
		if (list.length >= CODE_SEARCH_LIMIT) capped++;
		for (const item of list) {
			const repository = isObject(item.repository) ? item.repository : {};
			const repo = str(repository.nameWithOwner) ?? str(repository.fullName) ?? str(repository.name);
			if (!repo) continue;
			found++;
			candidates.push({engine: 'github-code-search', repo, ...(str(item.path) ? {file: str(item.path)} : {}), ...(str(item.url) ? {url: str(item.url)} : {}), matched: term});
		}
	}
	const stopped = stoppedAt !== -1;
	const skipped = stopped ? terms.length - stoppedAt - 1 : 0;
	const parts = [`${found} result${found === 1 ? '' : 's'} for ${terms.length} term${terms.length === 1 ? '' : 's'}`];
	if (capped > 0) parts.push(`${capped} term${capped === 1 ? '' : 's'} hit GitHub's ${CODE_SEARCH_LIMIT}-result cap, so there may be more`);
	if (problems.length > 0) parts.push(`failed: ${problems.join('; ')}`);
	if (stopped) parts.push(`rate-limited: ${skipped} term${skipped === 1 ? ' was' : 's were'} not searched; run again after the limit resets`);
	const status = problems.length === terms.length ? 'failed' : problems.length > 0 || capped > 0 || stopped ? 'partial' : 'complete';
	return {engine: 'github-code-search', status, detail: parts.join('; ')};
}

async function sourcegraphSearch(org: string, terms: string[], run: CommandRunner, env: NodeJS.ProcessEnv, candidates: OrgCandidate[]): Promise<EngineRun> {
	if (!env.SRC_ENDPOINT) return {engine: 'sourcegraph', status: 'skipped', detail: 'SRC_ENDPOINT is not set (set it, and SRC_ACCESS_TOKEN, to search a Sourcegraph instance with src)'};
	const problems: string[] = [];
	let found = 0;
	let capped = 0;
	for (const term of terms) {
		// A literal search for the term in the organisation's repositories (src reads its token from the environment).
		const query = `repo:^github\\.com/${org}/ "${term.replaceAll('"', '\\"')}" count:500`;
		const result = await run('src', ['search', '-json', query]);
		if (result.exitCode !== 0) {
			problems.push(`"${term}": ${lastLine(result.stderr)}`);
			continue;
		}
		let answer: unknown;
		try {
			answer = JSON.parse(result.stdout);
		} catch {
			problems.push(`"${term}": src answered with something that is not JSON`);
			continue;
		}
		if (!isObject(answer)) continue;
		if (answer.LimitHit === true) capped++;
		for (const match of Array.isArray(answer.Results) ? answer.Results.filter(isObject) : []) {
			const repository = isObject(match.repository) ? match.repository : {};
			const file = isObject(match.file) ? match.file : {};
			const name = str(repository.name);
			if (!name) continue;
			const lines = Array.isArray(match.lineMatches) ? match.lineMatches.filter(isObject) : [];
			const first = lines.find(line => typeof line.lineNumber === 'number');
			found++;
			candidates.push({
				engine: 'sourcegraph',
				repo: name.replace(/^github\.com\//, ''),
				...(str(file.path) ? {file: str(file.path)} : {}),
				// Sourcegraph numbers lines from 0.
				...(first ? {line: (first.lineNumber as number) + 1} : {}),
				...(str(file.url) ? {url: `${env.SRC_ENDPOINT.replace(/\/$/, '')}${str(file.url)}`} : {}),
				matched: term,
			});
		}
	}
	const parts = [`${found} result${found === 1 ? '' : 's'} for ${terms.length} term${terms.length === 1 ? '' : 's'} on ${env.SRC_ENDPOINT}`];
	if (capped > 0) parts.push(`${capped} search${capped === 1 ? '' : 'es'} hit Sourcegraph's result limit, so there may be more`);
	if (problems.length > 0) parts.push(`failed: ${problems.join('; ')}`);
	return {engine: 'sourcegraph', status: problems.length === terms.length ? 'failed' : problems.length > 0 || capped > 0 ? 'partial' : 'complete', detail: parts.join('; ')};
}

/** Every JSON value in gh api --paginate's output (pages printed one after the other). */
async function jsonPages(text: string): Promise<unknown[]> {
	const {jsonValues} = await import('../intake/github.js');
	return jsonValues(text);
}

async function orgAlerts(org: string, key: string | undefined, run: CommandRunner, candidates: OrgCandidate[]): Promise<EngineRun> {
	if (key === undefined) return {engine: 'github-secret-scanning', status: 'skipped', detail: 'needs the key (--key-stdin) to compare the alerts\' secrets with it by sha256'};
	// An AWS pair is compared by its secret half too: an alert holds one value.
	const wanted = new Set([key, splitPair(key)?.secret].filter((form): form is string => form !== undefined).map(form => fingerprint(form)));
	const path = `orgs/${org}/secret-scanning/alerts?state=open&per_page=100`;
	const result = await run('gh', ['api', '--paginate', '-H', 'Accept: application/vnd.github+json', path]);
	if (result.exitCode !== 0) {
		const said = lastLine(result.stderr);
		const hint = limited(said) ? ' (rate-limited: run again after the limit resets)' : /403|404|scope|permission|not found/i.test(said) ? ' (only organisation owners and security managers can list them; gh auth refresh -s security_events,read:org)' : '';
		return {engine: 'github-secret-scanning', status: 'failed', detail: `${said}${hint}`};
	}
	let alerts: Json[];
	try {
		alerts = (await jsonPages(result.stdout)).flatMap(page => (Array.isArray(page) ? page : [page])).filter(isObject);
	} catch {
		return {engine: 'github-secret-scanning', status: 'failed', detail: 'gh answered with something that is not JSON'};
	}
	let same = 0;
	let withoutSecret = 0;
	for (const alert of alerts) {
		const secret = str(alert.secret);
		if (secret === undefined) {
			withoutSecret++;
			continue;
		}
		if (!wanted.has(fingerprint(secret))) continue;
		same++;
		const repository = isObject(alert.repository) ? alert.repository : {};
		candidates.push({engine: 'github-secret-scanning', repo: str(repository.full_name) ?? 'unknown repository', ...(str(alert.html_url) ? {url: str(alert.html_url)} : {}), matched: `the same secret (sha256), alert #${typeof alert.number === 'number' ? alert.number : '?'}`});
	}
	const parts = [`${alerts.length} open alert${alerts.length === 1 ? '' : 's'} read, ${same} for this key`];
	if (withoutSecret > 0) parts.push(`${withoutSecret} came without their secret and could not be compared`);
	return {engine: 'github-secret-scanning', status: withoutSecret > 0 ? 'partial' : 'complete', detail: parts.join('; ')};
}

export type OrgSearchOptions = {
	/** Variable names the key is stored under (the provider's and --env-var). */
	envVars: string[];
	/** The key's public id (an AWS access key id), if it has one. */
	keyId?: string | null;
	/** The key itself, memory only: compared by sha256 with the alerts' secrets, never searched for. */
	key?: string;
	run?: CommandRunner;
	env?: NodeJS.ProcessEnv;
};

export async function searchOrg(org: string, options: OrgSearchOptions): Promise<OrgSearch> {
	checkOrg(org);
	const run = options.run ?? runCommand;
	const env = options.env ?? process.env;
	const terms = [...new Set([...options.envVars, ...(options.keyId ? [options.keyId] : [])])];
	if (options.key !== undefined && terms.includes(options.key)) throw new Error('refusing to search for the secret itself');
	const candidates: OrgCandidate[] = [];
	// A missing CLI (gh, src) or one that cannot start fails that engine, said, not the others.
	const guarded = async (engine: EngineRun['engine'], work: () => Promise<EngineRun>): Promise<EngineRun> => {
		try {
			return await work();
		} catch (error) {
			if (error instanceof UserError || error instanceof ExternalError) return {engine, status: 'failed', detail: error.message};
			throw error;
		}
	};
	const engines = [
		await guarded('github-code-search', () => githubCodeSearch(org, terms, run, candidates)),
		await guarded('sourcegraph', () => sourcegraphSearch(org, terms, run, env, candidates)),
		await guarded('github-secret-scanning', () => orgAlerts(org, options.key, run, candidates)),
	];
	return {org, terms, candidates, engines};
}

/**
 * The candidates as inventory entries to confirm: one per repository, its copy's store unknown
 * (a by-hand entry saying what to check), the evidence the files and links that led there.
 */
export function candidateEntries(result: OrgSearch): InventoryEntry[] {
	const repos = [...new Set(result.candidates.map(candidate => candidate.repo))];
	return repos.map((repo, index) => {
		const found = result.candidates.filter(candidate => candidate.repo === repo);
		const how = [...new Set(found.map(candidate => candidate.matched))].join(', ');
		return {
			id: `org-${index + 1}`,
			service: repo,
			environment: 'unknown',
			store: {type: 'manual', text: `Confirm ${repo} uses this key (found by ${how}) and where its copy is stored, then edit this entry's store`},
			evidence: found.map(candidate => `${candidate.file === undefined ? repo : `${repo}/${candidate.file}${candidate.line === undefined ? '' : `:${candidate.line}`}`}${candidate.url ? ` ${candidate.url}` : ''} (${candidate.engine}: ${candidate.matched})`),
			origin: 'discovered',
		};
	});
}

/** One sentence on how the organisation search went, for the wizard's message line. */
export function orgSummary(result: OrgSearch): string {
	const repos = new Set(result.candidates.map(candidate => candidate.repo)).size;
	const unfinished = result.engines.filter(engine => engine.status === 'partial' || engine.status === 'failed');
	return `${result.org}: ${repos} repositor${repos === 1 ? 'y' : 'ies'} to confirm${unfinished.length > 0 ? `; not complete: ${unfinished.map(engine => `${engine.engine} ${engine.status} (${engine.detail})`).join('; ')}` : ''}`;
}
