// `leakfix intake --from FILE | --from-github OWNER/REPO[#ALERT] [--json]`: what leakfix read
// from a scanner report or GitHub's alerts, grouped by secret and masked. The same reading feeds
// `leakfix --from` (the wizard opens one incident per picked secret).
import fs from 'node:fs';
import path from 'node:path';
import {safeJson, visible, visibleBlock} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {CommandRunner} from '../infra/command.js';
import {groupFindings, secretView, type SecretGroup} from '../engines/intake/group.js';
import {FORMAT_LABELS, parseReport, type ReportFormat} from '../engines/intake/parse.js';
import type {Playbooks} from '../playbooks/types.js';
import type {OriginPlace} from '../core/model.js';
import type {CommandIo, Values} from './options.js';

export type IntakeRead = {
	/** The report's path, or OWNER/REPO[#N]. */
	source: string;
	/** The report file (absent for GitHub alerts): it holds the secrets in clear. */
	reportFile?: string;
	format: ReportFormat;
	scanner: string;
	findings: number;
	secrets: SecretGroup[];
	warnings: string[];
};

/** Reports past this size are refused: no scanner's report of one incident is that large. */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

export function readReportFile(file: string, playbooks: Playbooks): IntakeRead {
	let text: string;
	try {
		const stat = fs.statSync(file);
		if (!stat.isFile()) throw new UserError(`--from ${file}: not a file.`);
		if (stat.size > MAX_REPORT_BYTES) throw new UserError(`--from ${file}: ${Math.round(stat.size / 1048576)} MB is larger than any scanner report leakfix reads (256 MB).`);
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		if (error instanceof UserError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		throw new UserError(`Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? (error as Error).message}.`);
	}
	const name = path.basename(file);
	const report = parseReport(text, name);
	return {source: file, reportFile: path.resolve(file), format: report.format, scanner: report.scanner, findings: report.findings.length, secrets: groupFindings(report, playbooks), warnings: report.warnings ?? []};
}

export async function readGithub(target: string, playbooks: Playbooks, run?: CommandRunner): Promise<IntakeRead> {
	const {parseGithubTarget, readGithubAlerts} = await import('../engines/intake/github.js');
	const read = await readGithubAlerts(parseGithubTarget(target), run === undefined ? {} : {run});
	return {source: read.source, format: read.report.format, scanner: 'github', findings: read.report.findings.length, secrets: groupFindings(read.report, playbooks), warnings: read.warnings};
}

export function intakeJson(read: IntakeRead) {
	return {
		source: read.source,
		format: read.format,
		scanner: read.scanner,
		findings: read.findings,
		secrets: read.secrets.map(secretView),
		redacted: read.secrets.filter(secret => secret.secret === null).length,
		warnings: read.warnings,
		...(read.reportFile ? {reportHoldsSecrets: read.secrets.some(secret => secret.secret !== null)} : {}),
	};
}

export function placeText(place: OriginPlace): string {
	const where = [place.repo, place.file === undefined ? undefined : `${place.file}${place.line === undefined ? '' : `:${place.line}`}`].filter(Boolean).join(' ');
	const parts = [where || place.url || 'place not given'];
	if (place.commit) parts.push(`commit ${place.commit.slice(0, 12)}`);
	if (place.author) parts.push(`by ${place.author}`);
	if (place.date) parts.push(place.date);
	if (where && place.url) parts.push(place.url);
	return parts.map(part => visible(part)).join('  ');
}

export const VALIDITY_TEXT = {valid: 'works (the scanner checked)', invalid: 'no longer works (the scanner checked)', unknown: 'not known', 'not-checked': 'not checked by the scanner'} as const;

export function secretTitle(secret: SecretGroup): string {
	return `${secret.masked ?? 'redacted by the scanner: the key must be typed'} — ${visible(secret.provider.name)}`;
}

export function renderIntakeText(read: IntakeRead): string {
	const label = read.format === 'sarif' ? `SARIF (${visible(read.scanner)})` : FORMAT_LABELS[read.format];
	const out: string[] = [`Read ${label} from ${visible(read.source)}: ${read.findings} finding${read.findings === 1 ? '' : 's'}, ${read.secrets.length} secret${read.secrets.length === 1 ? '' : 's'}.`];
	for (const warning of read.warnings) out.push(`  ! ${visible(warning)}`);
	for (const secret of read.secrets) {
		out.push('', `${secret.index}. ${secretTitle(secret)}`);
		out.push(`   provider from ${visible(secret.provider.why)}; rule ${secret.rules.map(rule => visible(rule)).join(', ') || 'not named'}`);
		out.push(`   scanner's verdict: ${VALIDITY_TEXT[secret.validity]}${secret.validityText ? ` ("${visible(secret.validityText)}")` : ''}`);
		out.push(`   ${secret.places.length} place${secret.places.length === 1 ? '' : 's'}:`);
		for (const place of secret.places.slice(0, 10)) out.push(`     ${placeText(place)}`);
		if (secret.places.length > 10) out.push(`     … ${secret.places.length - 10} more`);
	}
	const redacted = read.secrets.filter(secret => secret.secret === null).length;
	if (redacted > 0) out.push('', `${redacted} secret${redacted === 1 ? ' was' : 's were'} redacted by the scanner: leakfix --from opens ${redacted === 1 ? 'it' : 'them'} and asks you to type the key.`);
	if (read.reportFile && read.secrets.some(secret => secret.secret !== null)) out.push('', `${visible(read.source)} holds these secrets in clear: delete it once the incidents are open (leakfix --from offers to).`);
	out.push('', `Open incidents: leakfix --from${read.reportFile ? ` ${visible(read.source)}` : `-github ${visible(read.source)}`}`);
	return visibleBlock(`${out.join('\n')}\n`);
}

/** A scanner report or GitHub's alerts, read and grouped by secret. */
export async function readIntake(from: string | undefined, github: string | undefined) {
	const {loadPlaybooks} = await import('../playbooks/load.js');
	const playbooks = await loadPlaybooks();
	return from !== undefined ? readReportFile(from, playbooks) : readGithub(github!, playbooks);
}

/** leakfix intake (--from FILE | --from-github OWNER/REPO[#ALERT]) [--json]: exit 2 when a secret came redacted. */
export async function run(values: Values, _rest: string[], io: CommandIo): Promise<number> {
	if ((values.from === undefined) === (values['from-github'] === undefined)) throw new UserError('leakfix intake needs one of --from FILE (a scanner report) or --from-github OWNER/REPO[#ALERT].', 'Example: leakfix intake --from gitleaks.json --json');
	const read = await readIntake(values.from, values['from-github']);
	const {createRedactor} = await import('../core/secrets.js');
	// Belt and braces: every secret read is masked wherever it might appear (a path, a URL).
	const redactor = createRedactor(read.secrets.flatMap(secret => (secret.secret === null ? [] : [secret.secret])));
	io.stdout.write(redactor.text(values.json ? `${safeJson(intakeJson(read), 2)}\n` : renderIntakeText(read)));
	const redacted = read.secrets.filter(secret => secret.secret === null).length;
	if (redacted > 0) {
		io.stderr.write(`leakfix: ${redacted} of ${read.secrets.length} secret${read.secrets.length === 1 ? '' : 's'} came without the secret (the scanner redacted it): the key must be typed when its incident is opened.\n`);
		return 2;
	}
	return 0;
}
