// leakfix rotate [<id>] --dry-run: every step 4 would take, in order, the key masked: the same
// plan (src/core/rotation-plan.ts) and the same words as the Rotate screen's dry run.
import {visibleBlock} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {CommandIo, Values} from './options.js';

/** The plan only: rotation itself runs in the wizard. */
export async function run(values: Values, rest: string[], io: CommandIo): Promise<number> {
	if (values['dry-run'] !== true) throw new UserError('leakfix rotate runs in the wizard (step 4); from a script it only shows the plan: --dry-run.', 'leakfix rotate <id> --dry-run');
	const {openStore} = await import('./context.js');
	const {rotationPlan} = await import('../core/rotation-plan.js');
	const store = openStore();
	const id = rest[0] ?? store.list().sessions[0]?.id;
	if (id === undefined) throw new UserError('No incidents yet.');
	const session = store.load(store.resolveId(id));
	const {loadPlaybooks, findProvider} = await import('../playbooks/load.js');
	const provider = findProvider(await loadPlaybooks(), session.provider.id);
	const out = [`Dry run for ${session.id} (${session.name}): nothing runs. The new key goes on stdin, never on a command line.`, ...rotationPlan(session, provider).dryRun];
	io.stdout.write(visibleBlock(`${out.join('\n')}\n`));
	return 0;
}
