// The wizard's side of "keep the key out of code": the one harden flow (src/engines/harden/flow.ts,
// reached through its port) run on the incident's repository with the old key in memory, its
// events saved to the session, its writing shown as under way. The Rotate screen brings the
// prompts (`confirm`, `confirmAll`).
import {type HardenStore, hardenVariable, storeAddressFromInventory} from '../../core/harden.js';
import type {LeakedKey} from '../../core/leaked-key.js';
import type {InventoryEntry, Session} from '../../core/model.js';
import type {DeactivationCommand} from '../../core/deactivation.js';
import type {Redactor} from '../../core/secrets.js';
import type {UnstampedEvent} from '../../core/session.js';
import type {FileAnswer, FileView, HardenSummary} from '../../engines/harden/flow.js';
import type {ProviderPlaybook} from '../../playbooks/schema.js';
import {keyOf} from '../keymap.js';
import type {Ports} from '../ports.js';

/** The prompts the screen answers with the responder's keys. */
export type HardenPrompts = {confirm(file: FileView): Promise<FileAnswer>; confirmAll(summary: HardenSummary): Promise<boolean>};

type Task = (what: string, work: () => Promise<void>, external?: boolean) => Promise<void>;

/** Runs `work` as the wizard's one task under way; its result or error comes back (the task runner alone would swallow it). */
function asTask<T>(task: Task, what: string, work: () => Promise<T>): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let ran = false;
		void task(
			what,
			async () => {
				ran = true;
				try {
					resolve(await work());
				} catch (error) {
					reject(error);
				}
			},
			false,
		).then(() => {
			if (!ran) reject(new Error('Another task is under way: try again when it ends.'));
		});
	});
}

export function hardenWork({session, provider, oldKey, redactor, dispatch, ports, cwd, task, say}: {session: Session | undefined; provider: ProviderPlaybook | undefined; oldKey: LeakedKey | undefined; redactor: Redactor; dispatch: (event: UnstampedEvent) => void; ports: Pick<Ports, 'harden'>; cwd: string; task: Task; say: (text: string, error?: boolean) => void}) {
	return {
		/** The whole flow with the screen's prompts; ends applied or cancelled, or throws (nothing half written). */
		run: async (store: HardenStore, prompts: HardenPrompts): Promise<'applied' | 'cancelled'> => {
			if (!session || !provider || oldKey === undefined) throw new Error(`Enter the old key (${keyOf('step:rotate', 'enter-key')} on the checklist): the copies are found by its value.`);
			// The same variable as `leakfix harden --provider`, and the same refusal when there is none.
			const named = hardenVariable(provider);
			if ('reason' in named) throw new Error(`Not started: the rewritten code must read a variable, and ${named.reason} (leakfix harden --env-var NAME names one).`);
			const inventory = session.inventory;
			const run = await ports.harden(
				{repos: [session.repoPath ?? cwd], key: oldKey.secret, variable: named.variable, store, address: chosen => storeAddressFromInventory(inventory, chosen), ci: 'detect'},
				{...prompts, record: event => dispatch(event), redact: redactor.text, writing: work => asTask(task, 'Keeping the key out of code', work)},
			);
			const byHand = run.outcomes.find(one => one.outcome.guardByHand)?.outcome.guardByHand;
			if (byHand) say(redactor.text(`The guard script is written; the hook line is yours to add: ${byHand}`), true);
			return run.status;
		},
	};
}

export type HardenWork = ReturnType<typeof hardenWork>;

/**
 * What the Rotate screen uses of the wizard's work (src/ui/useWork.ts), said here so the screen
 * does not import useWork (whose ports come from App.tsx, which renders the screen).
 */
export type RotateWork = {
	newKey: LeakedKey | undefined;
	busy: {what: string} | null;
	message: {text: string; error?: boolean} | null;
	say(text: string, error?: boolean): void;
	demoIssueKey: (() => string) | undefined;
	enterNewKey(key: string): Promise<void>;
	reenterNewKey(key: string): boolean;
	preview(entry: InventoryEntry): Promise<string[]>;
	update(entry: InventoryEntry): Promise<void>;
	resolve(entry: InventoryEntry, status: 'skipped' | 'manual', detail: string): void;
	restart(entry: InventoryEntry): Promise<void>;
	health(entries: InventoryEntry[], phase: 'health' | 'verify-health'): Promise<void>;
	deactivationCommand(): Promise<DeactivationCommand | null>;
	deactivate(command: DeactivationCommand | null): Promise<void>;
	harden: HardenWork;
};
