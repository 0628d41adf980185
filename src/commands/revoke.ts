// `leakfix revoke --provider ID --key-stdin [--dry-run] [--yes] [--json]`: the scriptable twin of
// the Rotate step's deactivate task. Where the playbook names a revoke API (GitHub's credential
// revocation, Slack auth.revoke, GitLab self-revoke, npm token delete) it is sent once, after
// --yes; AWS deactivates the key (update-access-key --status Inactive, never a delete) through the
// user's own aws and credentials. Elsewhere the dashboard path is printed. What will be sent is
// printed first, the key masked; "Revoked" is printed only when the provider's answer says so.
import {safeJson, visible} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {CommandIo, Values} from './options.js';
import {readKey} from './stdin.js';
import {keyFormatOf, leakedKey, type LeakedKey} from '../core/leaked-key.js';
import {awsUserName} from '../core/rotation-facts.js';

type Io = {stdout: {write(text: string): unknown}; stderr: {write(text: string): unknown}};

export type RevokeOutcome = {provider: string; status: 'revoked' | 'accepted' | 'already-dead' | 'not-proven' | 'dry-run' | 'dashboard'; reason: string; request: string; at: string | null};

/** What leakfix would run for this provider and key, masked; null: only the dashboard path. */
async function plan(provider: ProviderPlaybook, key: LeakedKey, baseUrl: string | undefined): Promise<{kind: 'api'; request: string} | {kind: 'command'; request: string; run: () => Promise<{status: 'revoked' | 'not-proven'; reason: string}>} | null> {
	if (provider.rotation.deactivate.request) {
		const {describeRevoke} = await import('../engines/revoke.js');
		return {kind: 'api', request: describeRevoke(provider, key.raw, baseUrl)!};
	}
	const spec = provider.rotation.deactivate.command;
	if (spec && provider.keyFormat === 'aws-pair') {
		// The user name from the key's own identity (sts, the pair in the child's environment);
		// the deactivation runs as the user's own principal: a quarantined key may not update itself.
		const {probeKey} = await import('../engines/probe.js');
		const {deactivationCommand, runDeactivation} = await import('../engines/rotate.js');
		if (key.keyId === null) throw new UserError('An AWS key is the access key id and the secret together: AKIA…:secret (or two lines).');
		const identity = await probeKey(provider, key.raw, {analyze: false, ...(baseUrl ? {baseUrl} : {})});
		const user = awsUserName(identity.details?.arn);
		const command = deactivationCommand(spec, key.keyId, user);
		if (!command) return null;
		return {
			kind: 'command',
			request: `${command.display}${user ? '' : ' (the key\'s user is unknown: sts did not answer live)'}`,
			run: async () => {
				const outcome = await runDeactivation(command, {redact: text => key.redactions.reduce((out, secret) => out.split(secret).join('…'), text)});
				return outcome.status === 'done' ? {status: 'revoked', reason: `aws exited 0: the key is Inactive (deactivated, not deleted)`} : {status: 'not-proven', reason: outcome.detail};
			},
		};
	}
	return null;
}

/** Exit 0: revoked, accepted or already dead, or a dry run; 2: not confirmed; 4: not proven, or no API (the dashboard path is printed). */
export async function runRevoke(io: Io, provider: ProviderPlaybook, key: LeakedKey, options: {dryRun: boolean; yes: boolean; json: boolean; baseUrl?: string; now?: () => Date}): Promise<number> {
	const now = () => (options.now?.() ?? new Date()).toISOString();
	const print = (outcome: RevokeOutcome, text: string) => io.stdout.write(options.json ? `${safeJson(outcome, 2)}\n` : text);
	const planned = await plan(provider, key, options.baseUrl);
	if (!planned) {
		const d = provider.rotation.deactivate;
		print(
			{provider: provider.id, status: 'dashboard', reason: d.steps, request: '', at: null},
			`${visible(provider.name)} has no revoke API leakfix can run. Revoke it by hand:\n  ${visible(d.steps)}\n${d.api ? `  API: ${visible(d.api)}\n` : ''}${d.cli ? `  CLI: ${visible(d.cli)}\n` : ''}`,
		);
		return 4;
	}
	if (options.dryRun) {
		print({provider: provider.id, status: 'dry-run', reason: 'nothing sent', request: planned.request, at: null}, `Would send (nothing sent): ${visible(planned.request)}\n`);
		return 0;
	}
	if (!options.yes) {
		throw new UserError(`Not sent. leakfix revoke would run: ${visible(planned.request)}`, 'Add --yes to confirm (or --dry-run to only show it). Revoking cannot be undone: every consumer of the key stops working.');
	}
	let outcome: RevokeOutcome;
	if (planned.kind === 'api') {
		const {revokeKey} = await import('../engines/revoke.js');
		const result = await revokeKey(provider, key.raw, {...(options.baseUrl ? {baseUrl: options.baseUrl} : {}), ...(options.now ? {now: options.now} : {})});
		outcome = {provider: provider.id, ...result};
	} else {
		const result = await planned.run();
		outcome = {provider: provider.id, ...result, request: planned.request, at: now()};
	}
	const words = outcome.status === 'revoked' ? `Revoked at ${outcome.at}` : outcome.status === 'accepted' ? `Accepted at ${outcome.at} (not yet proven dead: leakfix verify --provider ${provider.id} --key-stdin)` : outcome.status === 'already-dead' ? `Already rejected (nothing to revoke) at ${outcome.at}` : 'NOT revoked as far as leakfix knows';
	print(outcome, `${words}: ${visible(outcome.reason)}\n  request: ${visible(outcome.request)}\n${outcome.status === 'not-proven' ? `  Revoke it by hand: ${visible(provider.rotation.deactivate.steps)}\n` : ''}`);
	return outcome.status === 'not-proven' ? 4 : 0;
}

/** leakfix revoke --provider ID --key-stdin [--dry-run] [--yes] [--json]. */
export async function run(values: Values, _rest: string[], io: CommandIo): Promise<number> {
	if (values.provider === undefined) throw new UserError('leakfix revoke needs --provider ID.', 'See leakfix providers for the ids.');
	if (values['key-stdin'] !== true) throw new UserError('leakfix revoke needs the key on stdin: --key-stdin.');
	const {loadPlaybooks, findProvider} = await import('../playbooks/load.js');
	const provider = findProvider(await loadPlaybooks(), values.provider);
	const key = leakedKey(await readKey(io, {pair: keyFormatOf(provider) === 'aws-pair'}), keyFormatOf(provider));
	const {probeBaseUrl} = await import('../engines/probe-request.js');
	const baseUrl = probeBaseUrl();
	return runRevoke(io, provider, key, {dryRun: values['dry-run'] === true, yes: values.yes === true, json: values.json === true, ...(baseUrl === undefined ? {} : {baseUrl})});
}
