// Doing the rotation's work: updating each store through the user's own CLIs (the secret on
// stdin, never in argv), rewriting env files atomically, restarting, health checks. Every
// outcome is a result the wizard saves per entry, so a failure in the middle loses nothing.
import {writeAll} from '../infra/files.js';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {ActionResult, HealthCheck} from '../core/model.js';
import {spliceJsonMember} from '../core/jsonSplice.js';
import {visible as visibleLine} from '../core/text.js';
import type {UpdatePlan} from '../core/stores.js';
import {runCommand, type CommandRunner} from '../infra/command.js';
import {UserError} from '../infra/errors.js';
import {previewConjur, setConjurVariable, type ConjurContext} from './conjur.js';

type Outcome = Omit<ActionResult, 'at'>;

/** The value as the file wrote it: "quoted", 'quoted', or bare (then a trailing # comment is kept). */
function replaceValue(old: string, value: string): string {
	const trimmed = old.trimStart();
	const lead = old.slice(0, old.length - trimmed.length);
	if (trimmed.startsWith('"')) return `${lead}"${value.replace(/["\\$`]/g, '\\$&')}"${trimmed.slice(trimmed.indexOf('"', 1) + 1)}`;
	if (trimmed.startsWith("'") && !value.includes("'")) return `${lead}'${value}'${trimmed.slice(trimmed.indexOf("'", 1) + 1)}`;
	const comment = /\s+#.*$/.exec(trimmed)?.[0] ?? '';
	const safe = /^[\w@%+=:,./~-]*$/.test(value) ? value : `"${value.replace(/["\\$`]/g, '\\$&')}"`;
	return `${lead}${safe}${comment}`;
}

/**
 * Sets `variable` in an env file: every assignment of it, the rest of the file byte for byte.
 * The old file is kept as a 0600 backup beside it; the new one replaces it atomically (a
 * temporary file in the same folder, fsync, rename) with the old file's mode.
 */
export function rewriteEnvFile(file: string, variable: string, value: string, stamp: string, backupDir?: string): {backup: string; lines: number} {
	let original: Buffer;
	try {
		original = fs.readFileSync(file);
	} catch (error) {
		throw new UserError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
	}
	const mode = fs.statSync(file).mode & 0o777;
	const text = original.toString('utf8');
	const assignment = new RegExp(`^(\\s*(?:export\\s+)?${variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=)(.*?)(\\r?)$`, 'gm');
	let count = 0;
	const updated = text.replace(assignment, (_match, prefix: string, old: string, cr: string) => {
		count++;
		return `${prefix}${replaceValue(old, value)}${cr}`;
	});
	if (count === 0) throw new UserError(`${variable} is not set in ${file}.`, 'Edit the inventory entry (the variable name), or mark the entry done by hand.');
	// The backup holds the old key: outside the repository (never committed, never re-found by the
	// scan), in a private folder, 0600.
	const folder = backupDir ?? path.dirname(file);
	fs.mkdirSync(folder, {recursive: true, mode: 0o700});
	const backup = path.join(folder, `${path.basename(file)}.${stamp.replace(/[:.]/g, '-')}.bak`);
	fs.writeFileSync(backup, original, {mode: 0o600, flag: 'wx'});
	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.leakfix-${randomBytes(6).toString('hex')}.tmp`);
	const fd = fs.openSync(temporary, 'wx', 0o600);
	try {
		try {
			writeAll(fd, Buffer.from(updated, 'utf8')); // every byte, or an error: never a cut-off env file
			fs.fsyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}
		fs.chmodSync(temporary, mode);
		fs.renameSync(temporary, file);
	} catch (error) {
		fs.rmSync(temporary, {force: true}); // it holds the new key: never left behind
		throw error;
	}
	return {backup, lines: count};
}

function hint(stderr: string): string {
	if (/not logged|log in|login|auth login|Unable to locate credentials|expired|permission denied|forbidden|unauthori[sz]ed|403|401/i.test(stderr)) return ' (are you logged in, with the rights to change it?)';
	if (/not found|NotFound|ResourceNotFound|does not exist|no such/i.test(stderr)) return ' (does it exist? check the entry\'s address)';
	return '';
}

/** Outside text on one line: colour codes dropped, every other control made visible (src/core/text.ts). */
const visible = (text: string) => visibleLine(text.replace(/\u001b\[[0-9;]*m/g, ''));

const ERROR_LINE = /^(?:error|fatal|failed|An error occurred|unable to|could not|cannot)\b/i;

/**
 * The line of a CLI's output that says what went wrong: the first line that reads as an error
 * ("error: …", "Error from server …", "An error occurred …", "failed to …"); else the first line
 * before its usage text (gh prints its flag errors that way); else its last lines.
 */
export function errorLine(output: string): string {
	const lines = output.split(/\r?\n/).map(line => line.trim()).filter(Boolean);
	const usage = lines.findIndex(line => /^usage:/i.test(line));
	const line = lines.find(candidate => ERROR_LINE.test(candidate)) ?? (usage > 0 ? lines[0] : usage === 0 ? undefined : lines.slice(-2).join(' / ')) ?? '';
	return visible(line).slice(0, 300);
}

/** Runs one update plan with the new key. Never throws for a store's refusal: that is a failed outcome. */
export async function applyUpdate(plan: UpdatePlan, secret: string, options: {run?: CommandRunner; redact: (text: string) => string; stamp: string; cwd?: string; backupDir?: string; conjur?: ConjurContext}): Promise<Outcome> {
	const run = options.run ?? runCommand;
	try {
		switch (plan.kind) {
			case 'manual': {
				return {status: 'manual', detail: `by hand: ${plan.reason}`};
			}

			case 'env-file': {
				const {backup, lines} = rewriteEnvFile(plan.path, plan.variable, secret, options.stamp, options.backupDir);
				return {status: 'done', detail: `${plan.variable} set in ${plan.path} (${lines} line${lines === 1 ? '' : 's'}); the old file is kept as ${backup} (0600): delete it once the old key is verified dead`};
			}

			case 'invalid': {
				return {status: 'failed', detail: `not updated: ${plan.reason}`};
			}

			case 'conjur': {
				const outcome = await setConjurVariable(plan.variableId, secret, {...(options.run ? {run: options.run} : {}), ...(options.cwd ? {cwd: options.cwd} : {}), ...options.conjur});
				return {status: outcome.status, detail: options.redact(outcome.detail)};
			}

			case 'commands': {
				const outputs: string[] = [];
				const ran: string[] = [];
				const notes: string[] = [];
				let kept = '';
				for (const step of plan.steps) {
					if (step.onlyIf && outputs[step.onlyIf.step]?.trim() !== step.onlyIf.output) {
						outputs.push('');
						continue;
					}
					const args = [...step.args];
					if (step.keepVisibility) {
						const visibility = outputs[step.keepVisibility.fromStep]?.trim() ?? '';
						if (!['all', 'private', 'selected'].includes(visibility)) return {status: 'failed', detail: `not updated: gh answered the secret's visibility with "${visible(visibility.slice(0, 40))}", not all, private or selected, so it could not be kept`};
						args.push('--visibility', visibility);
						if (visibility === 'selected') {
							const repos = (outputs[step.keepVisibility.reposFromStep] ?? '').split('\n').map(line => line.trim()).filter(Boolean);
							if (repos.length === 0) return {status: 'failed', detail: 'not updated: the organisation secret is shared with selected repositories, but none are selected, and gh cannot set that (it needs --repos): update it in the organisation\'s settings by hand'};
							args.push('--repos', repos.join(','));
							kept = ` (visibility kept: selected, ${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'}: ${visible(repos.join(', ')).slice(0, 200)})`;
						} else kept = ` (visibility kept: ${visibility})`;
					}
					let input = '';
					if (step.stdin?.kind === 'secret') input = secret;
					else if (step.stdin?.kind === 'kube-patch') input = JSON.stringify({data: {[step.stdin.key]: Buffer.from(secret, 'utf8').toString('base64')}});
					else if (step.stdin?.kind === 'json-merge') {
						let current: unknown;
						try {
							current = JSON.parse(outputs[step.stdin.fromStep] ?? '');
						} catch {}
						if (typeof current !== 'string') return {status: 'failed', detail: `the current secret could not be read as text from ${step.bin}'s answer, so its key "${step.stdin.jsonKey}" was not set`};
						const spliced = spliceJsonMember(current, step.stdin.jsonKey, secret);
						if (!spliced.ok) return {status: 'failed', detail: options.redact(spliced.reason)};
						input = spliced.text;
					}
					// The CLI reads its input as text: what it would turn into \n is sent as \n, and said.
					if (step.textFile && input.includes('\r')) {
						if (step.stdin?.kind !== 'json-merge') return {status: 'failed', detail: `not updated: the value holds a carriage return, which ${step.bin} would turn into a line feed (it reads the value as a text file): update it by hand`};
						input = input.replace(/\r\n?/g, '\n');
						notes.push(`the document's CRLF line ends were written as LF (${step.bin} reads its input as text; the JSON is the same)`);
					}
					const result = await run(step.bin, args, {input, redact: options.redact, ...(options.cwd ? {cwd: options.cwd} : {}), ...(step.pipe ? {pipeStdin: true} : {}), ...(step.env ? {env: step.env} : {})});
					if (result.exitCode !== 0) {
						const said = errorLine(options.redact(`${result.stderr}\n${result.stdout}`));
						return {status: 'failed', detail: `${visible(step.action)} failed (exit ${result.exitCode}): ${said || 'no error line in its output'}${hint(`${result.stderr}\n${result.stdout}`)}`};
					}
					outputs.push(result.stdout);
					ran.push([step.bin, ...args].join(' ').slice(0, 160));
				}
				return {status: 'done', detail: `${visible(ran.join(', then '))}: ok${kept}${notes.map(note => `; ${note}`).join('')}`};
			}
		}
	} catch (error) {
		if (error instanceof UserError) return {status: 'failed', detail: options.redact(error.message)};
		throw error;
	}
}

/**
 * What an update will find, for the consent and dry-run lines: the plan's read-only steps marked
 * `preview` (an organisation secret's visibility and repositories) are run, nothing is written.
 * Returns the lines to show under the plan ([] when there is nothing to read first).
 */
export async function previewUpdate(plan: UpdatePlan, options: {run?: CommandRunner; redact: (text: string) => string; cwd?: string; conjur?: ConjurContext}): Promise<string[]> {
	// Conjur: where it goes and with which credentials, read from the environment and ~/.conjurrc.
	if (plan.kind === 'conjur') return previewConjur(plan.variableId, options.conjur).map(options.redact);
	if (plan.kind !== 'commands' || !plan.steps.some(step => step.preview)) return [];
	const run = options.run ?? runCommand;
	const outputs: string[] = [];
	try {
		for (const step of plan.steps) {
			if (!step.preview) break;
			if (step.onlyIf && outputs[step.onlyIf.step]?.trim() !== step.onlyIf.output) {
				outputs.push('');
				continue;
			}
			const result = await run(step.bin, step.args, {input: '', redact: options.redact, ...(options.cwd ? {cwd: options.cwd} : {}), ...(step.env ? {env: step.env} : {})});
			if (result.exitCode !== 0) return [`now: ${visible(step.action)} failed (exit ${result.exitCode}): ${errorLine(options.redact(`${result.stderr}\n${result.stdout}`)) || 'no error line in its output'}${hint(`${result.stderr}\n${result.stdout}`)}; the update stops before writing unless this read succeeds`];
			outputs.push(result.stdout);
		}
	} catch (error) {
		if (error instanceof UserError) return [`now: ${options.redact(error.message)}`];
		throw error;
	}
	const keep = plan.steps.find(step => step.keepVisibility)?.keepVisibility;
	if (!keep) return [];
	const visibility = outputs[keep.fromStep]?.trim() ?? '';
	if (visibility !== 'selected') return [`now: visibility ${visible(visibility)}: it is set again as it is`];
	const repos = (outputs[keep.reposFromStep] ?? '').split('\n').map(line => line.trim()).filter(Boolean);
	return [`now: visibility selected, shared with ${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'}${repos.length > 0 ? ` (${visible(repos.join(', ')).slice(0, 200)})` : ''}: ${repos.length > 0 ? 'set again as it is' : 'gh cannot set an empty selection, so the update will stop'}`];
}

/** A restart or deploy command (argv). */
export async function runRestart(argv: string[], options: {run?: CommandRunner; redact: (text: string) => string; cwd?: string}): Promise<Outcome> {
	try {
		const result = await (options.run ?? runCommand)(argv[0]!, argv.slice(1), {redact: options.redact, ...(options.cwd ? {cwd: options.cwd} : {})});
		return result.exitCode === 0 ? {status: 'done', detail: `${argv.join(' ')}: ok`} : {status: 'failed', detail: `${visible(argv.join(' '))} exited ${result.exitCode}: ${errorLine(options.redact(`${result.stderr}\n${result.stdout}`))}`};
	} catch (error) {
		if (error instanceof UserError) return {status: 'failed', detail: error.message};
		throw error;
	}
}

/** An http(s) URL must answer 2xx (redirects are not followed), or a command must exit 0. */
export async function runHealthCheck(check: HealthCheck, options: {run?: CommandRunner; redact: (text: string) => string; timeoutMs?: number; cwd?: string}): Promise<Outcome> {
	if (check.type === 'command') return runRestart(check.argv, options);
	try {
		const response = await fetch(check.url, {redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 10_000)});
		await response.body?.cancel();
		return response.status >= 200 && response.status < 300 ? {status: 'done', detail: `GET ${check.url}: HTTP ${response.status}`} : {status: 'failed', detail: `GET ${check.url}: HTTP ${response.status} (expected 2xx)`};
	} catch (error) {
		const cause = (error as {cause?: {code?: string; message?: string; errors?: Array<{code?: string}>}}).cause;
		const reason = (error as Error).name === 'TimeoutError' ? 'no answer within 10 s' : (cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message);
		return {status: 'failed', detail: `GET ${check.url}: ${reason}`};
	}
}

// The command itself is pure (the Rotate screen and `rotate --dry-run` show it): src/core/deactivation.ts.
export {deactivationCommand, type DeactivationCommand} from '../core/deactivation.js';
import type {DeactivationCommand} from '../core/deactivation.js';

export async function runDeactivation(command: DeactivationCommand, options: {run?: CommandRunner; redact: (text: string) => string; cwd?: string}): Promise<Outcome> {
	return runRestart([command.bin, ...command.args], options);
}
