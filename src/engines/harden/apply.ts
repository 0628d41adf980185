// The whole action after its one confirmation: the accepted rewrites, the config changes, the
// guards and the CI job, all through one journal (a failure restores every byte).
import {UserError} from '../../infra/errors.js';
import type {HardenChange} from './changes.js';
import {type CiKind, ciPlan} from './ci.js';
import {committedGuard, guardPlan, proveGuard} from './guard.js';
import {configHygiene} from './hygiene.js';
import {WriteJournal} from './journal.js';
import {provePrePush} from './prepush.js';

/** What one run of "keep the key out of code" wrote, exactly. */
export type HardenOutcome = {
	rewritten: string[];
	config: string[];
	/** The guards installed (pre-commit and pre-push, or the one that could be), each proven after install. */
	guard: {where: string; how: string; proven: boolean; script: string} | null;
	/** The pre-push guard alone, when installed. */
	prePush: {where: string; how: string; proven: boolean} | null;
	/** A guard script written, its hook line left to the responder. */
	guardByHand: string | null;
	/** The CI job asked for: written (its line is also in config), or why it is the responder's to add. */
	ci: {kind: CiKind; file: string; written: boolean; refused?: string} | null;
};

/**
 * The whole action after its one confirmation: the accepted rewrites, the config changes and the
 * guard, all through one journal. If any write fails, every file written so far is restored byte
 * for byte and the error says so; nothing is half done.
 */
export async function applyHardening(input: {repo: string; variable: string; key: string; changes: HardenChange[]; extras: boolean; /** A CI job too (./ci.ts). */ ci?: CiKind | null}): Promise<HardenOutcome> {
	const journal = new WriteJournal();
	try {
		const rewritten: string[] = [];
		for (const change of input.changes) {
			if (!change.apply) continue;
			change.apply(journal);
			rewritten.push(change.file);
		}
		const config = input.extras ? await configHygiene(input.repo, input.variable, journal) : [];
		let guard: HardenOutcome['guard'] = null;
		let prePush: HardenOutcome['prePush'] = null;
		let guardByHand: string | null = null;
		if (input.extras) {
			const plan = await guardPlan(input.repo, input.key);
			const installed: Array<{where: string; how: string; proven: boolean}> = [];
			const byHand: string[] = [];
			if (plan.refused) {
				plan.writeGuard(journal);
				byHand.push(plan.refused);
			} else {
				plan.write(journal);
				const proof = await proveGuard(plan.script, input.key);
				installed.push({where: plan.where, how: `${plan.how}; ${proof.detail}`, proven: proof.ok});
			}
			// The pre-push guard: the same check over the commits a push carries (--no-verify commits too).
			if (plan.prePush.refused) {
				plan.prePush.writeScript(journal);
				byHand.push(plan.prePush.refused);
			} else {
				plan.prePush.write(journal);
				const proof = await provePrePush(input.repo, plan.prePush.script, input.key);
				prePush = {where: plan.prePush.where, how: `pre-push: ${plan.prePush.how}; ${proof.detail}`, proven: proof.ok};
				installed.push(prePush);
			}
			if (installed.length > 0) guard = {where: installed.map(one => one.where).join(' and '), how: installed.map(one => one.how).join(' · '), proven: installed.every(one => one.proven), script: plan.script};
			if (byHand.length > 0) guardByHand = byHand.join('; ');
		}
		let ci: HardenOutcome['ci'] = null;
		if (input.extras && input.ci) {
			const plan = ciPlan(input.repo, input.ci, committedGuard(input.repo, input.key));
			if (plan.refused) ci = {kind: plan.kind, file: plan.file, written: false, refused: plan.refused};
			else {
				plan.write(journal);
				if (!plan.unchanged) config.push(plan.summary);
				ci = {kind: plan.kind, file: plan.file, written: !plan.unchanged};
			}
		}
		return {rewritten, config, guard, prePush, guardByHand, ci};
	} catch (error) {
		const left = journal.rollback();
		const message = (error as Error).message;
		throw new UserError(left.length === 0 ? `${message} Every file written before it was restored: nothing changed.` : `${message} These files could not be restored: ${left.join(', ')} (check git status).`);
	}
}
