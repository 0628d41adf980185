// What "keep the key out of code" did, exactly, as the session keeps it: built here once from the
// plan and what the journal wrote, for both the wizard and `leakfix harden`.
import type {HardenStore} from '../../core/harden.js';
import type {Hardening} from '../../core/model.js';
import type {HardenOutcome} from './apply.js';
import type {HardenChange} from './changes.js';

/** The session events the flow reports (the caller stamps and saves them). */
export type HardenEvent =
	| {type: 'harden.started'; files: string[]; config: string[]; guard: string}
	| {type: 'hardened'; hardening: Omit<Hardening, 'at'>}
	| {type: 'harden.abandoned'; why: string; files: number; config: number};

/**
 * Each file: its rewrite (done, or left as it is by the responder) and each refused line (by hand,
 * with the reason); the config written and not written; the readers; the guards and their proof.
 */
export function hardeningRecord(
	prepared: {variable: string; store: HardenStore; changes: HardenChange[]; stores: Map<number, HardenStore>; config: string[]},
	outcomes: HardenOutcome[],
	readers: string[],
	redact: (text: string) => string,
): Omit<Hardening, 'at'> {
	const rewritten = outcomes.flatMap(outcome => outcome.rewritten);
	const config = outcomes.flatMap(outcome => outcome.config);
	const guards = outcomes.flatMap(outcome => (outcome.guard ? [outcome.guard] : []));
	return {
		variable: prepared.variable,
		store: prepared.store,
		files: prepared.changes.flatMap((change, index) => {
			const own = prepared.stores.get(index);
			const fileStore = own && own !== prepared.store ? {store: own} : {};
			const refusedLines = new Set(change.refused.map(refusal => refusal.line));
			const rewrittenLines = change.lines.filter(line => !refusedLines.has(line));
			return [
				...(change.diff
					? [rewritten.includes(change.file) ? {file: change.file, lines: rewrittenLines, status: 'rewritten' as const, ...fileStore} : {file: change.file, lines: rewrittenLines, status: 'manual' as const, reason: 'left as it is by the responder', ...fileStore}]
					: []),
				...change.refused.map(refusal => ({file: change.file, lines: [refusal.line], status: 'manual' as const, reason: redact(refusal.reason), ...fileStore})),
			];
		}),
		config,
		configPending: prepared.config.filter(line => !config.includes(line)),
		readers,
		guard: guards.length === 0 ? null : {where: guards.map(guard => guard.where).join('; '), how: guards.map(guard => guard.how).join(' · '), proven: guards.every(guard => guard.proven)},
	};
}
