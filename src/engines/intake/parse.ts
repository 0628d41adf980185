// Scanner reports → findings. Each parser reads one tool's real output shape (see
// test/fixtures/intake/README.md for where each shape comes from) and returns plain findings:
// the rule, the secret (memory only; null when the scanner redacted it), the scanner's verdict
// and the place. Nothing here prints or keeps the secret; the report file itself holds it.
import type {OriginPlace, ScannerValidity} from '../../core/model.js';
import {UserError} from '../../infra/errors.js';

export const REPORT_FORMATS = ['gitleaks-json', 'gitleaks-sarif', 'trufflehog-jsonl', 'ggshield-json', 'kingfisher-json', 'sarif', 'github-alerts'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const FORMAT_LABELS: Record<ReportFormat, string> = {
	'gitleaks-json': 'gitleaks JSON',
	'gitleaks-sarif': 'gitleaks SARIF',
	'trufflehog-jsonl': 'TruffleHog JSON lines',
	'ggshield-json': 'ggshield JSON',
	'kingfisher-json': 'Kingfisher JSON',
	sarif: 'SARIF',
	'github-alerts': 'GitHub secret-scanning alerts',
};

export type Finding = {
	/** The tool: gitleaks, trufflehog, ggshield, kingfisher, github, or a SARIF driver's name. */
	scanner: string;
	rule: string;
	/** The secret as the report holds it (memory only); null: redacted, the key must be typed. */
	secret: string | null;
	/** A scanner's own hash of the secret (ggshield ignore_sha), to group redacted findings. */
	scannerHash?: string;
	validity: ScannerValidity;
	/** The scanner's own words for its verdict ("Active Credential", "verified"). */
	validityText?: string;
	place: OriginPlace;
};

export type ParsedReport = {format: ReportFormat; scanner: string; findings: Finding[]; warnings?: string[]};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const int = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined);

/** A place with only the fields that are there. */
function place(fields: Record<string, string | number | undefined>): OriginPlace {
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as OriginPlace;
}

/** What a scanner writes instead of the secret when asked to redact it. */
function redactedValue(value: string | undefined): boolean {
	if (value === undefined || value.trim() === '') return true;
	return /^REDACTED$/i.test(value) || /\*{4,}/.test(value) || /^\[?REDACTED/i.test(value);
}

// gitleaks JSON: an array of findings with RuleID, Secret (REDACTED with --redact), File,
// StartLine, Commit, Author, Email, Date.
function gitleaksJson(items: Json[]): Finding[] {
	return items.map(item => ({
		scanner: 'gitleaks',
		rule: str(item.RuleID) ?? '',
		secret: redactedValue(str(item.Secret)) ? null : (item.Secret as string),
		validity: 'not-checked',
		place: place({file: str(item.File), line: int(item.StartLine), commit: str(item.Commit), author: authorOf(str(item.Author), str(item.Email)), date: str(item.Date), url: str(item.Link)}),
	}));
}

function authorOf(name: string | undefined, email: string | undefined): string | undefined {
	if (name && email) return `${name} <${email}>`;
	return name ?? email;
}

// SARIF 2.1.0: runs[].results[] with ruleId and locations[].physicalLocation. gitleaks puts
// the secret in region.snippet.text and the commit in partialFingerprints; any other tool's
// snippet is a line of code, not the secret, so its findings carry no secret.
function sarif(document: Json): {scanner: string; gitleaks: boolean; findings: Finding[]} {
	const runs = Array.isArray(document.runs) ? document.runs.filter(isObject) : [];
	let scanner = 'sarif';
	let gitleaks = false;
	const findings: Finding[] = [];
	for (const run of runs) {
		const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : {};
		const name = str(driver.name) ?? 'sarif';
		scanner = name.toLowerCase();
		const isGitleaks = scanner === 'gitleaks';
		gitleaks ||= isGitleaks;
		for (const result of Array.isArray(run.results) ? run.results.filter(isObject) : []) {
			const location = Array.isArray(result.locations) ? result.locations.find(isObject) : undefined;
			const physical = isObject(location) && isObject(location.physicalLocation) ? location.physicalLocation : {};
			const artifact = isObject(physical.artifactLocation) ? physical.artifactLocation : {};
			const region = isObject(physical.region) ? physical.region : {};
			const snippet = isObject(region.snippet) ? str(region.snippet.text) : undefined;
			const prints = isObject(result.partialFingerprints) ? result.partialFingerprints : {};
			findings.push({
				scanner: scanner,
				rule: str(result.ruleId) ?? (isObject(result.rule) ? str(result.rule.id) ?? '' : ''),
				secret: isGitleaks && !redactedValue(snippet) ? snippet! : null,
				validity: 'not-checked',
				place: place({
					file: str(artifact.uri),
					line: int(region.startLine),
					commit: str(prints.commitSha),
					author: authorOf(str(prints.author), str(prints.email)),
					date: str(prints.date),
				}),
			});
		}
	}
	return {scanner, gitleaks, findings};
}

// TruffleHog v3 --json: one object per line with DetectorName, Verified, Raw (and RawV2, the
// id and secret together for pairs), SourceMetadata.Data.<Source>{file, line, commit, email,
// repository, timestamp, link}.
function trufflehog(lines: Json[]): Finding[] {
	return lines.map(line => {
		const data = isObject(line.SourceMetadata) && isObject(line.SourceMetadata.Data) ? line.SourceMetadata.Data : {};
		const source = Object.values(data).find(isObject) ?? {};
		const raw = str(line.Raw);
		const rawV2 = str(line.RawV2);
		const detector = str(line.DetectorName) ?? '';
		// An AWS finding's Raw is the key id; RawV2 is the id followed by its 40-character secret:
		// leakfix's AWS key is "id:secret".
		const secret = raw && rawV2 && detector.toUpperCase() === 'AWS' && rawV2.startsWith(raw) && rawV2.length === raw.length + 40 ? `${raw}:${rawV2.slice(raw.length)}` : raw;
		const verificationError = str(line.VerificationError);
		return {
			scanner: 'trufflehog',
			rule: detector,
			secret: secret === undefined ? null : secret,
			validity: line.Verified === true ? 'valid' : 'unknown',
			validityText: line.Verified === true ? 'verified' : verificationError ? `unverified: ${verificationError}` : 'unverified',
			place: place({repo: str(source.repository), file: str(source.file) ?? str(source.path), line: int(source.line), commit: str(source.commit), author: str(source.email), date: str(source.timestamp), url: str(source.link)}),
		};
	});
}

const GG_VALIDITY: Record<string, ScannerValidity> = {valid: 'valid', invalid: 'invalid', failed_to_check: 'unknown', unknown: 'unknown', cannot_check: 'not-checked', no_checker: 'not-checked', not_checked: 'not-checked'};

/** Which occurrence of a multi-part ggshield incident is the secret (a client secret, not its id). */
function ggSecretOccurrence(occurrences: Json[]): Json | undefined {
	return occurrences.find(occurrence => /secret|key|token|password|pwd|apikey/i.test(str(occurrence.type) ?? '') && !/(?:^|_)id$/i.test(str(occurrence.type) ?? '')) ?? occurrences[0];
}

// ggshield secret scan … --json: entities_with_incidents[] (filename) → incidents[] (type,
// validity, ignore_sha, incident_url) → occurrences[] (match: the secret with --show-secrets,
// starred out without it; line_start). A commit range nests the same under scans[] with the
// commit id and extra_info {author, email, date}.
function ggshield(document: Json): Finding[] {
	const findings: Finding[] = [];
	const scans: Array<{entities: unknown; commit?: string; author?: string; date?: string}> = [{entities: document.entities_with_incidents}];
	for (const scan of Array.isArray(document.scans) ? document.scans.filter(isObject) : []) {
		const extra = isObject(scan.extra_info) ? scan.extra_info : {};
		scans.push({entities: scan.entities_with_incidents, ...(str(scan.id) && /^[0-9a-f]{7,64}$/.test(str(scan.id)!) ? {commit: str(scan.id)} : {}), ...(authorOf(str(extra.author), str(extra.email)) ? {author: authorOf(str(extra.author), str(extra.email))} : {}), ...(str(extra.date) ? {date: str(extra.date)} : {})});
	}
	for (const scan of scans) {
		for (const entity of Array.isArray(scan.entities) ? scan.entities.filter(isObject) : []) {
			for (const incident of Array.isArray(entity.incidents) ? entity.incidents.filter(isObject) : []) {
				const occurrences = Array.isArray(incident.occurrences) ? incident.occurrences.filter(isObject) : [];
				const occurrence = ggSecretOccurrence(occurrences);
				const match = occurrence ? str(occurrence.match) : undefined;
				const validity = str(incident.validity) ?? 'unknown';
				findings.push({
					scanner: 'ggshield',
					rule: str(incident.type) ?? str(incident.detector) ?? '',
					secret: redactedValue(match) ? null : match!,
					...(str(incident.ignore_sha) ? {scannerHash: str(incident.ignore_sha)} : {}),
					validity: GG_VALIDITY[validity] ?? 'unknown',
					validityText: validity,
					place: place({file: str(entity.filename), line: occurrence ? int(occurrence.post_line_start) ?? int(occurrence.line_start) : undefined, commit: scan.commit, author: scan.author, date: scan.date, url: str(incident.incident_url)}),
				});
			}
		}
	}
	return findings;
}

function kingfisherValidity(status: string | undefined): ScannerValidity {
	if (status === undefined) return 'unknown';
	if (/not attempted|skipped/i.test(status)) return 'not-checked';
	if (/inactive|invalid/i.test(status)) return 'invalid';
	if (/active|valid/i.test(status)) return 'valid';
	return 'unknown';
}

// Kingfisher --format json: {findings: [{rule: {name, id}, finding: {snippet (the secret),
// validation {status}, path, line, git_metadata {repository_url, commit {id, url, date,
// committer {name, email}}, file {path, url}}}}]}; older versions and --format jsonl give the
// records themselves.
function kingfisher(records: Json[]): Finding[] {
	return records.map(record => {
		const rule = isObject(record.rule) ? record.rule : {};
		const finding = isObject(record.finding) ? record.finding : {};
		const validation = isObject(finding.validation) ? finding.validation : {};
		const git = isObject(finding.git_metadata) ? finding.git_metadata : {};
		const commit = isObject(git.commit) ? git.commit : {};
		const committer = isObject(commit.committer) ? commit.committer : {};
		const file = isObject(git.file) ? git.file : {};
		const snippet = str(finding.snippet);
		const status = str(validation.status);
		return {
			scanner: 'kingfisher',
			rule: str(rule.id) ?? str(rule.name) ?? '',
			secret: redactedValue(snippet) ? null : snippet!,
			validity: kingfisherValidity(status),
			...(status ? {validityText: status} : {}),
			place: place({repo: str(git.repository_url), file: str(file.path) ?? str(finding.path), line: int(finding.line), commit: str(commit.id), author: authorOf(str(committer.name), str(committer.email)), date: str(commit.date), url: str(file.url) ?? str(commit.url)}),
		};
	});
}

const GH_VALIDITY: Record<string, ScannerValidity> = {active: 'valid', inactive: 'invalid', unknown: 'unknown'};

/** A GitHub secret-scanning alert (REST: repos/O/R/secret-scanning/alerts) and its places. */
export function githubAlertFindings(alert: Json, places: OriginPlace[], repo: string | undefined): Finding[] {
	const secret = str(alert.secret);
	const validity = str(alert.validity);
	const fallback = place({repo: repo ?? (isObject(alert.repository) ? str(alert.repository.full_name) : undefined), url: str(alert.html_url)});
	return (places.length > 0 ? places : [fallback]).map(where => ({
		scanner: 'github',
		rule: str(alert.secret_type) ?? '',
		secret: secret === undefined || redactedValue(secret) ? null : secret,
		validity: validity === undefined ? 'not-checked' : GH_VALIDITY[validity] ?? 'unknown',
		...(validity ? {validityText: validity} : {}),
		place: {...fallback, ...where},
	}));
}

/** One location of an alert (REST: …/alerts/N/locations): a commit's file and line, or an issue, PR or wiki. */
export function githubLocationPlace(location: unknown, repo: string | undefined): OriginPlace | undefined {
	if (!isObject(location) || !isObject(location.details)) return undefined;
	const details = location.details;
	if (location.type === 'commit' || location.type === 'wiki_commit') {
		return place({repo, file: str(details.path), line: int(details.start_line), commit: str(details.commit_sha), url: str(details.blob_url) ?? str(details.commit_url) ?? str(details.page_url)});
	}
	// Issues, pull requests, discussions: the API URL of where it was posted.
	const url = Object.entries(details).find(([name, value]) => name.endsWith('_url') && typeof value === 'string')?.[1] as string | undefined;
	return place({repo, file: typeof location.type === 'string' ? location.type.replaceAll('_', ' ') : undefined, url});
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Which tool wrote this report, and its findings. Throws a UserError for anything it cannot read. */
export function parseReport(text: string, name: string): ParsedReport {
	const body = text.replace(/^\uFEFF/, '').trim();
	if (body === '') throw new UserError(`${name} is empty: no findings to open incidents from.`, 'Point --from at the scanner\'s report (gitleaks, TruffleHog, ggshield, Kingfisher, SARIF).');
	const whole = parseJson(body);
	let parsed: ParsedReport | undefined;
	if (Array.isArray(whole)) {
		const items = whole.filter(isObject);
		if (whole.length === 0) throw new UserError(`${name} lists no findings (an empty JSON array): nothing to open.`);
		if (items.some(item => 'RuleID' in item && ('Secret' in item || 'Match' in item))) parsed = {format: 'gitleaks-json', scanner: 'gitleaks', findings: gitleaksJson(items)};
		else if (items.some(item => isObject(item.rule) && isObject(item.finding))) parsed = {format: 'kingfisher-json', scanner: 'kingfisher', findings: kingfisher(items)};
		else if (items.some(item => 'secret_type' in item && 'number' in item)) parsed = {format: 'github-alerts', scanner: 'github', findings: items.flatMap(item => githubAlertFindings(item, [], undefined))};
	} else if (isObject(whole)) {
		if (Array.isArray(whole.runs) && (typeof whole.version === 'string' || typeof whole.$schema === 'string')) {
			const read = sarif(whole);
			parsed = {format: read.gitleaks ? 'gitleaks-sarif' : 'sarif', scanner: read.scanner, findings: read.findings};
		} else if ('entities_with_incidents' in whole || ('scans' in whole && 'type' in whole) || ('total_incidents' in whole && 'type' in whole)) {
			parsed = {format: 'ggshield-json', scanner: 'ggshield', findings: ggshield(whole)};
		} else if (Array.isArray(whole.findings)) {
			parsed = {format: 'kingfisher-json', scanner: 'kingfisher', findings: kingfisher(whole.findings.filter(isObject))};
		} else if ('DetectorName' in whole || 'SourceMetadata' in whole) {
			parsed = {format: 'trufflehog-jsonl', scanner: 'trufflehog', findings: trufflehog([whole])};
		} else if (isObject(whole.rule) && isObject(whole.finding)) {
			parsed = {format: 'kingfisher-json', scanner: 'kingfisher', findings: kingfisher([whole])};
		}
	} else {
		// JSON lines: TruffleHog (and Kingfisher's jsonl). Lines that are not findings (the tool's
		// own log lines, when stderr went to the same file) are skipped and counted.
		const lines = body.split('\n').filter(line => line.trim() !== '');
		const objects = lines.map(line => parseJson(line));
		const records = objects.filter(isObject);
		const truffle = records.filter(record => 'DetectorName' in record || 'SourceMetadata' in record);
		const king = records.filter(record => isObject(record.rule) && isObject(record.finding));
		const chosen = truffle.length > 0 ? truffle : king;
		const skipped = lines.length - chosen.length;
		const warnings = skipped > 0 ? [`${skipped} line${skipped === 1 ? '' : 's'} of ${name} ${skipped === 1 ? 'is' : 'are'} not a finding and ${skipped === 1 ? 'was' : 'were'} skipped.`] : [];
		if (truffle.length > 0) parsed = {format: 'trufflehog-jsonl', scanner: 'trufflehog', findings: trufflehog(truffle), warnings};
		else if (king.length > 0) parsed = {format: 'kingfisher-json', scanner: 'kingfisher', findings: kingfisher(king), warnings};
		else if (whole === undefined && lines.length > 0 && objects.every(object => object === undefined)) {
			throw new UserError(`${name} is not JSON: leakfix reads gitleaks JSON or SARIF, TruffleHog JSON lines, ggshield JSON, Kingfisher JSON and SARIF.`, 'Ask the scanner for JSON: gitleaks --report-format json, trufflehog --json, ggshield --json --show-secrets, kingfisher --format json.');
		}
	}
	if (!parsed) {
		throw new UserError(`${name}: unknown report format (not gitleaks JSON or SARIF, TruffleHog JSON lines, ggshield JSON, Kingfisher JSON or SARIF).`, 'Ask the scanner for JSON: gitleaks --report-format json, trufflehog --json, ggshield --json --show-secrets, kingfisher --format json.');
	}
	if (parsed.findings.length === 0) throw new UserError(`${name} (${FORMAT_LABELS[parsed.format]}) lists no findings: nothing to open.`);
	return parsed;
}
