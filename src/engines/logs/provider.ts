// The provider's own usage logs through the user's CLI (AWS: CloudTrail lookup-events for the
// access key id). The command is built from the playbook's argument array (only the key id,
// never a secret, is filled in), shown before it runs, and its output goes to a 0600 file in a
// private folder, which the log engine then reads like any other log.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {leakedKey} from '../../core/leaked-key.js';
import {runToFile} from '../../infra/command.js';
import {ExternalError} from '../../infra/errors.js';
import type {ProviderPlaybook} from '../../playbooks/schema.js';

export type ProviderLogsCommand = {bin: string; args: string[]; format: 'cloudtrail' | 'jsonl' | 'csv'; why: string; display: string};

/** The key id of a key: AWS pairs are "AKIA…:secret"; other keys have no public id. */
export function keyIdOf(provider: ProviderPlaybook, key: string | undefined): string | null {
	// Only a real access key id with a secret after it (core/leaked-key.ts): a pasted secret alone
	// must never be taken for an id (it would go on a command line).
	if (key === undefined || provider.keyFormat !== 'aws-pair') return null;
	return leakedKey(key, 'aws-pair').keyId;
}

/** The playbook's command with `{keyId}` and `{since}` filled in; null when it cannot be built. */
export function providerLogsCommand(provider: ProviderPlaybook, keyId: string | null, since: Date): ProviderLogsCommand | null {
	const command = provider.logs?.command;
	if (!command) return null;
	if (command.args.some(arg => arg.includes('{keyId}')) && keyId === null) return null;
	const args = command.args.map(arg => arg.replaceAll('{keyId}', keyId ?? '').replaceAll('{since}', since.toISOString().replace(/\.\d{3}Z$/, 'Z')));
	const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
	return {bin: command.bin, args, format: command.format, why: command.why, display: [command.bin, ...args].map(quote).join(' ')};
}

/** Runs the command into a fresh 0600 file; returns its path. A non-zero exit is an ExternalError with the (redacted) stderr. */
export async function fetchProviderLogs(command: ProviderLogsCommand, options: {signal?: AbortSignal; redact: (text: string) => string}): Promise<string> {
	const dir = mkdtempSync(join(tmpdir(), 'leakfix-logs-'));
	const file = join(dir, `${command.bin}-logs.json`);
	writeFileSync(file, '', {mode: 0o600});
	const result = await runToFile(command.bin, command.args, file, {...(options.signal ? {signal: options.signal} : {}), redact: options.redact});
	if (result.exitCode !== 0) {
		const hint = /credentials|expired|not authori[sz]ed|login|ExpiredToken/i.test(result.stderr) ? ' (are you logged in with your own credentials?)' : '';
		throw new ExternalError(`${command.bin} exited with ${result.exitCode}${hint}`, options.redact(command.display), result.stderr.slice(-500));
	}
	return file;
}
