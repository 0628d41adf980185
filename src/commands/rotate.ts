// leakfix rotate [<id>] --dry-run: every command step 4 would run, in order, the key masked.
import {visible, visibleBlock} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {CommandIo, Values} from './options.js';

/** The plan only: rotation itself runs in the wizard. */
export async function run(values: Values, rest: string[], io: CommandIo): Promise<number> {
	if (values['dry-run'] !== true) throw new UserError('leakfix rotate runs in the wizard (step 4); from a script it only shows the plan: --dry-run.', 'leakfix rotate <id> --dry-run');
	const {openStore} = await import('./context.js');
	const {planUpdate, updateOrder} = await import('../core/stores.js');
	const {storeAddress} = await import('../core/inventory/address.js');
	const store = openStore();
	const id = rest[0] ?? store.list().sessions[0]?.id;
	if (id === undefined) throw new UserError('No incidents yet.');
	const session = store.load(store.resolveId(id));
	const entries = updateOrder(session.inventory ?? []);
	const label = session.rotation?.newKey?.masked ?? '<the new key>';
	const {loadPlaybooks, findProvider} = await import('../playbooks/load.js');
	const provider = findProvider(await loadPlaybooks(), session.provider.id);
	const {deactivationCommand} = await import('../engines/rotate.js');
	const deactivate = deactivationCommand(provider.rotation.deactivate?.command, provider.keyFormat === 'aws-pair' ? (session.key.masked.startsWith('AKIA') || session.key.masked.startsWith('ASIA') ? '<the old key id>' : null) : null, null);
	const deactivation = deactivate ? deactivate.display : provider.rotation.deactivate?.steps ?? `deactivate the old key ${session.key.masked} in ${provider.name}'s dashboard`;
	const out: string[] = [`Dry run for ${session.id} (${session.name}): nothing runs. The new key goes on stdin, never on a command line.`];
	if (session.severity?.containFirst && !session.rotation?.deactivatedAt) out.push(`0. Contain first (severity ${session.severity.level}): ${deactivation}`);
	out.push(`0. The new key: ${session.rotation?.newKey ? `${session.rotation.newKey.masked}, probed ${session.rotation.newKeyProbe?.status ?? 'not yet'}` : provider.rotation.create ?? provider.rotation.notes} (it must probe live before any update)`);
	if (entries.length === 0) out.push('The inventory is empty: add its consumers in step 3 (leakfix resume, then w).');
	entries.forEach((entry, index) => {
		const plan = planUpdate(entry.store, label);
		out.push(`${index + 1}. ${visible(entry.service)} [${entry.environment}] ${visible(storeAddress(entry.store))}${entry.update ? ` (last: ${entry.update.status})` : ''}`);
		for (const line of plan.kind === 'manual' ? [`by hand: ${plan.reason}`] : plan.display) out.push(`     ${line}`);
		if (entry.restart) out.push(`     then: ${entry.restart.join(' ')}`);
		if (entry.health) out.push(`     check: ${entry.health.type === 'http' ? `GET ${entry.health.url} (2xx)` : `${entry.health.argv.join(' ')} (exit 0)`}`);
	});
	const contained = session.severity?.containFirst && !session.rotation?.deactivatedAt;
	if (provider.rotation.pattern !== 'regenerate' && !contained) out.push(`${entries.length + 1}. Deactivate the old key: ${session.rotation?.deactivatedAt ? `done ${session.rotation.deactivatedAt}` : deactivation}`);
	io.stdout.write(visibleBlock(`${out.join('\n')}\n`));
	return 0;
}
