// Step 4's plan, decided once: the ordered tasks (contain first when the severity says so, the
// new key, each store update in dev → staging → unknown → prod order with its restart, keeping
// the key out of code, then the old key's deactivation), each with its title, its status and
// its line of detail, and the dry run's words. Pure: the Rotate screen draws it and
// `leakfix rotate --dry-run` prints it, so the two cannot disagree.
import {claimFor} from './claims.js';
import {deactivationCommand} from './deactivation.js';
import {storeAddress} from './inventory/address.js';
import type {InventoryEntry, Session} from './model.js';
import {hardenedLine} from './session.js';
import {planUpdate, type UpdatePlan, updateOrder} from './stores.js';
import {visible} from './text.js';
import {formatTime} from './time.js';

export type RotationPattern = 'create-then-revoke' | 'regenerate' | 'promote-secondary' | 'deactivate-only' | 'unknown';

/** What the plan reads of a provider's playbook (a ProviderPlaybook fits). */
export type RotationProvider = {
	name: string;
	keyFormat?: string;
	probe?: unknown;
	rotation: {pattern: RotationPattern; notes: string; create?: string; deactivate?: {command?: {bin: string; args: string[]}; steps: string}};
};

export type RotationTask =
	| {kind: 'contain'}
	| {kind: 'new-key'}
	| {kind: 'update'; entry: InventoryEntry}
	| {kind: 'restart'; entry: InventoryEntry}
	| {kind: 'deactivate'}
	| {kind: 'harden'};

export type TaskStatus = {mark: string; color: string; detail: string};
/** `update`: an update task's store plan, with the new key named as `newKeyLabel` names it. */
export type PlannedTask = {task: RotationTask; title: string; status: TaskStatus; update?: UpdatePlan};

/**
 * What only the running process knows: the new key entered here, a task under way, the old key's
 * id, and the key that enters the new key on the caller's screen (core knows no keymap; without
 * it the status names no key).
 */
export type RotationHere = {newKeyEntered?: boolean; busy?: boolean; keyId?: string | null; newKeyKey?: string};

export type RotationPlan = {
	/** The provider's rotation pattern, in one sentence. */
	pattern: string;
	tasks: PlannedTask[];
	/** Every step in order, nothing run: the screen's dry run and `leakfix rotate --dry-run` print these lines. */
	dryRun: string[];
};

const PATTERN: Record<RotationPattern, string> = {
	'create-then-revoke': 'create the new key, move every consumer to it (staging first), then deactivate the old one: no downtime',
	regenerate: 'regenerating kills the old key at once: plan the downtime, then update every consumer as fast as you can',
	'promote-secondary': 'promote the secondary key, move every consumer to it, then make a new secondary',
	'deactivate-only': 'deactivate the old key; consumers move to another credential',
	unknown: "check the provider's documentation: most let you create a second key first",
};

const STATUS = {done: ['✓', 'green'], failed: ['✗', 'red'], skipped: ['–', 'yellow'], manual: ['✎', 'cyan']} as const;

/** The tasks in order. Regenerating kills the old key at once: there is nothing to contain or deactivate after. */
export function rotationTasks(session: Session, pattern: RotationPattern = 'create-then-revoke'): RotationTask[] {
	const deactivated = session.rotation?.deactivatedAt !== undefined;
	const regenerate = pattern === 'regenerate';
	const contain = session.severity?.containFirst && !deactivated && !regenerate ? [{kind: 'contain' as const}] : [];
	const entries = updateOrder(session.inventory ?? []);
	return [
		...contain,
		{kind: 'new-key'},
		...entries.flatMap(entry => [{kind: 'update' as const, entry}, ...(entry.restart ? [{kind: 'restart' as const, entry}] : [])]),
		...((contain.length === 0 || deactivated) && !regenerate ? [{kind: 'deactivate' as const}] : []),
		{kind: 'harden' as const},
	];
}

export function taskTitle(task: RotationTask): string {
	switch (task.kind) {
		case 'contain':
			return 'Contain first: deactivate the old key now';
		case 'new-key':
			return 'Create the new key and enter it (it must probe live before any update)';
		case 'update':
			return `Update ${visible(task.entry.service)} [${task.entry.environment}]: ${visible(storeAddress(task.entry.store))}`;
		case 'restart':
			return `Restart ${visible(task.entry.service)}`;
		case 'harden':
			return 'Keep the key out of code: de-hard-code it and guard the repository';
		case 'deactivate':
			return 'Deactivate the old key (after every consumer uses the new one)';
	}
}

/** Is the new key good to update stores with: probed live, or entered for a provider with no probe. */
export function newKeyLive(session: Session, provider: RotationProvider): boolean {
	return session.rotation?.newKeyProbe?.status === 'live' || (session.rotation?.newKey !== undefined && !provider.probe);
}

/** How the new key is named in a store's plan: masked when entered here, else where it will come from. */
export function newKeyLabel(session: Session, here: RotationHere): string {
	return here.newKeyEntered ? (session.rotation?.newKey?.masked ?? '<new key>') : '<the new key, on stdin>';
}

/**
 * The deactivation as the dry run words it: the playbook's command when it can be filled in (a key
 * id is known for an AWS pair: the one in memory, else a placeholder filled from the key entered at
 * run time), else the dashboard's steps.
 */
export function deactivationText(session: Session, provider: RotationProvider, here: RotationHere = {}): string {
	const keyId = provider.keyFormat === 'aws-pair' ? (here.keyId ?? '<the old key id>') : null;
	const command = deactivationCommand(provider.rotation.deactivate?.command, keyId, null);
	return command ? command.display : (provider.rotation.deactivate?.steps ?? `deactivate the old key ${session.key.masked} in ${provider.name}'s dashboard`);
}

/**
 * What the deactivation's (or containment's) confirmation says: the warning, then the command
 * (shown as given, already masked) with the dashboard's steps as the way by hand, or the steps
 * alone, which y records as done.
 */
export function deactivationLines(session: Session, provider: RotationProvider, kind: 'contain' | 'deactivate', commandDisplay: string | null): string[] {
	const steps = provider.rotation.deactivate?.steps ?? `Deactivate (or delete) the old key ${session.key.masked} in ${provider.name}'s dashboard.`;
	const how = commandDisplay === null ? [steps, 'y records that you have done it (the time is the time to contain)'] : [commandDisplay, `(or by hand: ${steps})`];
	return [...deactivationWarning(session, kind), ...how];
}

/** The warning before the old key dies (deactivate) or is contained: consumers not on the new key yet. */
export function deactivationWarning(session: Session, kind: 'contain' | 'deactivate'): string[] {
	const pending = (session.inventory ?? []).filter(entry => !entry.update || entry.update.status === 'failed' || entry.update.status === 'skipped');
	if (pending.length === 0) return [];
	const names = pending.map(entry => entry.service).slice(0, 3).join(', ');
	return kind === 'deactivate'
		? [`⚠ ${pending.length} consumer(s) not on the new key yet (${names}): they break the moment the old key dies.`]
		: [`Containing first: ${pending.length} consumer(s) still on the old key (${names}) break until they are updated. That is the point: someone else may be using it.`];
}

function statusOf(task: RotationTask, session: Session, provider: RotationProvider, here: RotationHere): TaskStatus {
	switch (task.kind) {
		case 'contain':
			return {mark: '!', color: 'redBright', detail: session.severity?.containFirst ?? ''};
		case 'new-key': {
			const probe = session.rotation?.newKeyProbe;
			const live = newKeyLive(session, provider);
			if (!session.rotation?.newKey) return {mark: ' ', color: 'white', detail: provider.rotation.create ?? provider.rotation.notes};
			return {mark: live ? '✓' : '✗', color: live ? 'green' : 'red', detail: `${session.rotation.newKey.masked}${probe ? `: ${probe.status} (${probe.reason})` : provider.probe ? ': not probed yet' : `: ${provider.name} has no probe`}${here.newKeyEntered ? '' : ` · not entered in this session${here.newKeyKey ? ` (${here.newKeyKey})` : ''}`}`};
		}
		case 'update': {
			const result = task.entry.update;
			const health = task.entry.healthResult;
			if (!result) return {mark: ' ', color: 'white', detail: planUpdate(task.entry.store, newKeyLabel(session, here)).display.join(' · ')};
			const [mark, color] = STATUS[result.status];
			const retry = task.entry.updateRetry;
			return {mark, color, detail: `${result.detail}${retry ? ` · a re-run failed (${formatTime(retry.at)}): ${retry.detail}; the store still holds the new key from ${formatTime(result.at)}` : ''}${health ? ` · health: ${health.status === 'done' ? 'ok' : health.detail}` : ''}`};
		}
		case 'restart': {
			const result = task.entry.restarted;
			if (!result) return {mark: ' ', color: 'white', detail: task.entry.restart!.join(' ')};
			const [mark, color] = STATUS[result.status];
			return {mark, color, detail: result.detail};
		}
		case 'harden': {
			const h = session.hardening;
			if (session.hardeningPending) {
				// Under way in this process, or left by one that died while writing.
				return here.busy ? {mark: '…', color: 'cyan', detail: `writing ${session.hardeningPending.files.length} file rewrite(s), the config and the guard, then proving the guard`} : {mark: '!', color: 'red', detail: claimFor(session, 'rotate', 'keep-out-of-code')?.why ?? 'interrupted'};
			}
			if (!h) return {mark: ' ', color: 'white', detail: 'Hard-coded copies become reads of the variable; .env.example, .gitignore, pre-commit and pre-push guards, and a CI job where the repository has CI (the key by its sha256). Shown first, y applies.'};
			const whole = claimFor(session, 'rotate', 'keep-out-of-code')?.status === 'done';
			return {mark: whole ? '✓' : '✎', color: whole ? 'green' : 'cyan', detail: hardenedLine(h).replace(/^Kept out of code: /, '')};
		}
		case 'deactivate':
			return session.rotation?.deactivatedAt
				? {mark: '✓', color: 'green', detail: `${formatTime(session.rotation.deactivatedAt)}: ${session.rotation.deactivation}`}
				: {mark: ' ', color: 'white', detail: provider.rotation.deactivate?.steps ?? 'in the provider dashboard'};
	}
}

/** One entry's lines in the dry run: its store's plan, its restart, its check. */
function updateLines(entry: InventoryEntry, number: number, label: string): string[] {
	const plan = planUpdate(entry.store, label);
	return [
		`${number}. ${visible(entry.service)} [${entry.environment}] ${visible(storeAddress(entry.store))}${entry.update ? ` (last: ${entry.update.status})` : ''}`,
		...(plan.kind === 'manual' ? [`by hand: ${plan.reason}`] : plan.display).map(line => `     ${line}`),
		...(entry.restart ? [`     then: ${entry.restart.join(' ')}`] : []),
		...(entry.health ? [`     check: ${entry.health.type === 'http' ? `GET ${entry.health.url} (2xx)` : `${entry.health.argv.join(' ')} (exit 0)`}`] : []),
	];
}

/** The dry run: numbered like the tasks the responder works through, a restart under its update. */
function dryRunLines(tasks: RotationTask[], session: Session, provider: RotationProvider, here: RotationHere): string[] {
	const label = session.rotation?.newKey?.masked ?? '<the new key>';
	const deactivation = deactivationText(session, provider, here);
	const entries = tasks.filter(task => task.kind === 'update').length;
	const out: string[] = [];
	let number = 0;
	for (const task of tasks) {
		switch (task.kind) {
			case 'contain':
				out.push(`0. Contain first (severity ${session.severity?.level ?? 'unknown'}): ${deactivation}`);
				break;
			case 'new-key':
				out.push(`0. The new key: ${session.rotation?.newKey ? `${session.rotation.newKey.masked}, probed ${session.rotation.newKeyProbe?.status ?? 'not yet'}` : (provider.rotation.create ?? provider.rotation.notes)} (it must probe live before any update)`);
				if (entries === 0) out.push('The inventory is empty: add its consumers in step 3 (leakfix resume, then w).');
				break;
			case 'update':
				out.push(...updateLines(task.entry, ++number, label));
				break;
			case 'restart':
				break; // under its update
			case 'deactivate':
				out.push(`${++number}. Deactivate the old key: ${session.rotation?.deactivatedAt ? `done ${session.rotation.deactivatedAt}` : deactivation}`);
				break;
			case 'harden':
				out.push(`${++number}. ${taskTitle(task)}: ${session.hardening ? hardenedLine(session.hardening).replace(/^Kept out of code: /, 'done: ') : 'each rewrite shown as a diff first, then one confirmation writes them with the config and the guards (leakfix harden --dry-run shows them)'}`);
				break;
		}
	}
	return out;
}

/** Step 4's plan for this session and provider: the tasks with their status, and the dry run. */
export function rotationPlan(session: Session, provider: RotationProvider, here: RotationHere = {}): RotationPlan {
	const tasks = rotationTasks(session, provider.rotation.pattern);
	return {
		pattern: PATTERN[provider.rotation.pattern],
		tasks: tasks.map(task => ({task, title: taskTitle(task), status: statusOf(task, session, provider, here), ...(task.kind === 'update' ? {update: planUpdate(task.entry.store, newKeyLabel(session, here))} : {})})),
		dryRun: dryRunLines(tasks, session, provider, here),
	};
}
