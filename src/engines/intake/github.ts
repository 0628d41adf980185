// GitHub secret-scanning alerts through the user's own `gh api` (their login, their access):
// the open alerts of a repository, or one alert, and each alert's locations. The secret comes
// back in gh's output and stays in memory; only OWNER/REPO and the alert number go in argv.
import type {OriginPlace} from '../../core/model.js';
import {runCommand, type CommandRunner} from '../../infra/command.js';
import {ExternalError, UserError} from '../../infra/errors.js';
import {githubAlertFindings, githubLocationPlace, type Finding, type ParsedReport} from './parse.js';

export type GithubTarget = {owner: string; repo: string; alert?: number};

export function parseGithubTarget(text: string): GithubTarget {
	const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})(?:#(\d{1,9}))?$/.exec(text.trim());
	if (!match || match[2] === '.' || match[2] === '..') throw new UserError(`--from-github ${text}: expected OWNER/REPO or OWNER/REPO#ALERT (the alert's number).`, 'Example: leakfix --from-github acme/shop#12');
	return {owner: match[1]!, repo: match[2]!, ...(match[3] === undefined ? {} : {alert: Number(match[3])})};
}

/** `gh api --paginate` prints each page's array one after the other (`[…][…]`): every JSON value in the text. */
export function jsonValues(text: string): unknown[] {
	const values: unknown[] = [];
	let depth = 0;
	let start = -1;
	let inString = false;
	for (let at = 0; at < text.length; at++) {
		const char = text[at]!;
		if (inString) {
			if (char === '\\') at++;
			else if (char === '"') inString = false;
			continue;
		}
		if (char === '"') inString = true;
		else if (char === '[' || char === '{') {
			if (depth === 0) start = at;
			depth++;
		} else if (char === ']' || char === '}') {
			depth--;
			if (depth === 0 && start !== -1) {
				values.push(JSON.parse(text.slice(start, at + 1)));
				start = -1;
			}
		}
	}
	if (depth !== 0) throw new SyntaxError('unterminated JSON');
	return values;
}

/** What gh said when it failed, in one line (its last non-empty line of stderr). */
function ghError(stderr: string): string {
	return stderr.split('\n').map(line => line.trim()).filter(Boolean).at(-1) ?? 'no error text';
}

/** At most this many commits get their author and date read (one gh call each). */
export const MAX_COMMIT_CALLS = 20;

/** The alert API gives a location's commit, not who made it or when: one commit read each (bounded). */
async function addCommitAuthors(findings: Finding[], repo: string, run: CommandRunner, warnings: string[]): Promise<void> {
	const shas = [...new Set(findings.flatMap(finding => (finding.place.commit && !finding.place.author ? [finding.place.commit] : [])))];
	const authors = new Map<string, {author?: string; date?: string}>();
	const failed: string[] = [];
	for (const sha of shas.slice(0, MAX_COMMIT_CALLS)) {
		if (!/^[0-9a-f]{7,64}$/.test(sha)) continue;
		const result = await run('gh', ['api', '-H', 'Accept: application/vnd.github+json', `repos/${repo}/commits/${sha}`]);
		if (result.exitCode !== 0) {
			failed.push(ghError(result.stderr));
			continue;
		}
		try {
			const commit = JSON.parse(result.stdout) as {commit?: {author?: {name?: string; email?: string; date?: string}}};
			const who = commit.commit?.author;
			if (who) authors.set(sha, {...(who.name ? {author: who.email ? `${who.name} <${who.email}>` : who.name} : {}), ...(who.date ? {date: who.date} : {})});
		} catch {
			failed.push('not JSON');
		}
	}
	for (const finding of findings) {
		const found = finding.place.commit === undefined ? undefined : authors.get(finding.place.commit);
		if (found) finding.place = {...finding.place, ...found};
	}
	if (failed.length > 0) warnings.push(`The author and date of ${failed.length} commit${failed.length === 1 ? '' : 's'} could not be read (gh: ${failed[0]}).`);
	if (shas.length > MAX_COMMIT_CALLS) warnings.push(`Partial: the author and date of ${shas.length - MAX_COMMIT_CALLS} of ${shas.length} commits were not read (only the first ${MAX_COMMIT_CALLS}).`);
}

export type GithubRead = {report: ParsedReport; source: string; warnings: string[]};

/** At most this many alerts get their locations read (one gh call each). */
export const MAX_LOCATION_CALLS = 50;

export async function readGithubAlerts(target: GithubTarget, {run = runCommand}: {run?: CommandRunner} = {}): Promise<GithubRead> {
	const repo = `${target.owner}/${target.repo}`;
	const source = target.alert === undefined ? repo : `${repo}#${target.alert}`;
	const api = async (path: string, paginate: boolean): Promise<unknown[]> => {
		const args = ['api', ...(paginate ? ['--paginate'] : []), '-H', 'Accept: application/vnd.github+json', path];
		const result = await run('gh', args);
		if (result.exitCode !== 0) {
			const said = ghError(result.stderr);
			const hint = /rate limit/i.test(said) ? ' (GitHub\'s rate limit: wait for it to reset, then run this again)' : /404|not found/i.test(said) ? ' (no such repository or alert, secret scanning is off, or your gh login cannot see its alerts)' : /403|401|scope|permission/i.test(said) ? ' (your gh login lacks access: the repo or security_events scope; gh auth refresh -s security_events)' : '';
			throw new ExternalError(`gh api could not read the secret-scanning alerts of ${source}: ${said}${hint}`, ['gh', ...args].join(' '), '');
		}
		try {
			return jsonValues(result.stdout);
		} catch {
			throw new ExternalError(`gh api answered ${path} with something that is not JSON`, ['gh', ...args].join(' '), '');
		}
	};

	const alerts = target.alert === undefined
		? (await api(`repos/${repo}/secret-scanning/alerts?state=open&per_page=100`, true)).flatMap(page => (Array.isArray(page) ? page : [page]))
		: await api(`repos/${repo}/secret-scanning/alerts/${target.alert}`, false);
	const objects = alerts.filter((alert): alert is Record<string, unknown> => typeof alert === 'object' && alert !== null && !Array.isArray(alert));
	if (objects.length === 0) throw new UserError(`${source} has no open secret-scanning alerts: nothing to open.`);

	const warnings: string[] = [];
	const findings: Finding[] = [];
	for (const [index, alert] of objects.entries()) {
		let places: OriginPlace[] = [];
		if (index < MAX_LOCATION_CALLS && typeof alert.number === 'number') {
			const pages = await api(`repos/${repo}/secret-scanning/alerts/${alert.number}/locations?per_page=100`, true);
			places = pages.flatMap(page => (Array.isArray(page) ? page : [page])).flatMap(location => githubLocationPlace(location, repo) ?? []);
		}
		findings.push(...githubAlertFindings(alert, places, repo));
	}
	await addCommitAuthors(findings, repo, run, warnings);
	if (objects.length > MAX_LOCATION_CALLS) warnings.push(`Partial: the locations of ${objects.length - MAX_LOCATION_CALLS} of ${objects.length} alerts were not read (only the first ${MAX_LOCATION_CALLS}); their alert page is kept as the place.`);
	return {report: {format: 'github-alerts', scanner: 'github', findings}, source, warnings};
}
