// leakfix harden: committed copies of the key rewritten to read a variable, config hygiene, the
// pre-commit and pre-push guards and an optional CI job (--dry-run: the diffs, nothing changed).
import path from 'node:path';
import type {HardenStore} from '../core/harden.js';
import {safeJson, visible, visibleBlock} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {CommandIo, Values} from './options.js';
import {readKey} from './stdin.js';

/** Text or --json; every copy of the key masked on the way out. */
export async function run(values: Values, rest: string[], io: CommandIo): Promise<number> {
	if (values['key-stdin'] !== true) throw new UserError('leakfix harden needs the key on stdin: --key-stdin (it finds the copies by their value).');
	// --store S for every file, and --store FILE=S for one file's service (repeatable).
	const {hardenVariable, isHardenStore, parseAddress} = await import('../core/harden.js');
	let store: HardenStore = 'env';
	const perFile = new Map<string, HardenStore>();
	for (const option of values.store ?? []) {
		const [file, chosen] = option.includes('=') ? (option.split('=', 2) as [string, string]) : [null, option];
		if (!isHardenStore(chosen)) throw new UserError(`Unknown store "${chosen}".`, 'Use --store env, aws-sm, vault or conjur (or FILE=STORE for one file).');
		if (file === null) store = chosen;
		else perFile.set(file, chosen);
	}
	const {CI_KINDS} = await import('../engines/harden/ci.js');
	const ciKind = values.ci as (typeof CI_KINDS)[number] | undefined;
	if (ciKind !== undefined && !CI_KINDS.includes(ciKind)) throw new UserError(`Unknown CI "${ciKind}".`, 'Use --ci github, gitlab or shell.');
	const {loadPlaybooks, findProvider} = await import('../playbooks/load.js');
	const provider = values.provider === undefined ? undefined : findProvider(await loadPlaybooks(), values.provider);
	const named = hardenVariable(provider, values['env-var']?.[0]);
	if ('reason' in named) throw new UserError(`leakfix harden needs the variable name the services will read: ${named.reason}.`, 'Give --provider ID (its convention) or --env-var NAME.');
	const {variable} = named;
	const raw = await readKey(io, {pair: provider?.keyFormat === 'aws-pair'});
	const {keyFormatOf, leakedKey} = await import('../core/leaked-key.js');
	const leaked = leakedKey(raw, keyFormatOf(provider));
	const key = leaked.secret;
	const {createRedactor} = await import('../core/secrets.js');
	const redactor = createRedactor([...leaked.redactions]);
	const {runHarden} = await import('../engines/harden/flow.js');
	const repos = (values.repo ?? [process.cwd()]).map(repo => path.resolve(repo));
	const apply = values['dry-run'] !== true;
	// The same flow as the wizard's, answered by the options: every rewrite accepted (each file's
	// store from --store), and the one confirmation is yes unless --dry-run. No session: nothing to record.
	const run = await runHarden(
		{repos, key, variable, store, storeFor: file => perFile.get(file), address: chosen => parseAddress(chosen, values.address), ci: ciKind ?? null},
		{confirm: async () => 'accept', confirmAll: async () => apply, record: () => undefined, redact: redactor.text},
	);
	const {places, changes, repos: plans} = run.prepared;
	const out: string[] = [];
	const report: Array<Record<string, unknown>> = [];
	out.push(`${places.length} committed line(s) hold the key, in ${changes.length} file(s).${apply ? '' : ' Dry run: nothing is changed.'}`);
	for (const change of changes) {
		const where = `${visible(change.file)} (${change.language ?? 'unknown language'}, line${change.lines.length === 1 ? '' : 's'} ${change.lines.join(', ')})`;
		if (change.diff) out.push(`\n${where}: ${apply ? 'rewritten' : 'would be rewritten'}\n${change.diff}`);
		for (const refusal of change.refused) out.push(`\n${visible(change.file)}:${refusal.line}: not rewritten: ${visible(refusal.reason)}. Paste instead:\n${change.snippet}`);
		report.push({file: change.file, language: change.language, lines: change.lines, status: change.diff ? (apply ? 'rewritten' : 'planned') : 'manual', ...(change.diff ? {diff: change.diff} : {}), refused: change.refused, ...(change.refused.length > 0 ? {snippet: change.snippet} : {})});
	}
	for (const plan of plans) {
		const done = run.outcomes.find(one => one.repo === plan.repo)?.outcome;
		if (done) {
			for (const line of done.config) out.push(`done: ${line}`);
			if (done.guardByHand) out.push(`guard: by hand: ${done.guardByHand} (the guard script is written; only the hook line is yours to add)`);
			if (done.guard) out.push(`guard installed in ${done.guard.where}: ${done.guard.how}`);
		} else {
			const guard = plan.guard;
			for (const line of plan.config) out.push(`would: ${line}`);
			out.push(guard.refused ? `guard: by hand: ${guard.refused}` : `guard would go in ${guard.where}: ${guard.how}`);
			out.push(guard.prePush.refused ? `pre-push guard: by hand: ${guard.prePush.refused}` : `pre-push guard would go in ${guard.prePush.where}: ${guard.prePush.how}`);
		}
		const ci = plan.ci;
		if (ci?.refused) out.push(`\nCI: by hand: ${ci.refused}. The job:\n${ci.diff}`);
		else if (ci?.unchanged) out.push(`CI: the job is already in ${ci.file}`);
		else if (ci) out.push(`\n${ci.file}: ${apply ? 'written' : 'would be written'} (${ci.how})\n${ci.diff}`);
	}
	const ciPlans = plans.flatMap(plan => (plan.ci ? [plan.ci] : []));
	const scanners = run.prepared.scanners;
	if (scanners.length > 0) out.push('Secret scanners on this machine (wire them as well):', ...scanners.map(text => `  ${text}`));
	const ciReport = ciPlans.map(ci => ({kind: ci.kind, file: ci.file, status: ci.refused ? 'manual' : ci.unchanged ? 'present' : apply ? 'written' : 'planned', diff: ci.diff, how: ci.how, scanners: ci.scanners, ...(ci.refused ? {refused: ci.refused} : {})}));
	io.stdout.write(redactor.text(values.json ? `${safeJson({variable, store, stores: Object.fromEntries(perFile), applied: apply, changes: report, ...(ciKind === undefined ? {} : {ci: ciReport})}, 2)}\n` : visibleBlock(`${out.join('\n')}\n`)));
	return 0;
}
