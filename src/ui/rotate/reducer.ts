// The Rotate screen's view state and its pure reducer: which prompt is open (its text, the task it
// confirms, the harden flow's current question), the cursor on the plan's tasks, the help overlay.
// The harden flow's own state (its changes, answers, stores) stays in the flow; this holds only
// what is on screen.
import type {RotationTask} from '../../core/rotation-plan.js';
import type {DeactivationCommand} from '../../core/deactivation.js';
import type {InventoryEntry} from '../../core/model.js';
import type {UpdatePlan} from '../../core/stores.js';
import type {FileView, HardenSummary} from '../../engines/harden/flow.js';

/** enter: the first new key; reenter: the one already chosen (must match its fingerprint); replace: a different one, on purpose. */
export type KeyPurpose = 'enter' | 'reenter' | 'replace';

/** A line of a confirmation: text (wraps), or a line of a diff (one row each, cut at the width). */
export type ConfirmLine = string | {diff: string};

export type Mode =
	| {kind: 'list'}
	| {kind: 'new-key'; purpose: KeyPurpose; text: string; error?: string; then?: RotationTask}
	| {kind: 'skip'; entry: InventoryEntry; text: string}
	| {kind: 'dry-run'}
	| {kind: 'harden-store'}
	/** The flow is finding the copies and planning (nothing to answer yet). */
	| {kind: 'harden-wait'}
	| {kind: 'harden-file'; file: FileView}
	/** `more`: where the lines a short terminal cannot show are printed whole. */
	| {kind: 'confirm'; task: RotationTask; lines: ConfirmLine[]; command?: DeactivationCommand | null; more?: string};

export type RotateView = {mode: Mode; cursor: number; help: boolean};

export type RotateAction =
	| {type: 'move'; by: number; count: number}
	| {type: 'open'; mode: Mode}
	| {type: 'close'}
	| {type: 'help'; open: boolean}
	/** Typing in the new-key or skip prompt (clears the new key's error). */
	| {type: 'text'; text: string}
	/** The re-entered key did not match: the field is emptied and says why. */
	| {type: 'key-error'; error: string}
	/** What the store holds now, read after the update's confirmation opened: added if it is still open. */
	| {type: 'preview'; task: RotationTask; lines: string[]}
	| {type: 'harden-file'; file: FileView};

export const initialView: RotateView = {mode: {kind: 'list'}, cursor: 0, help: false};

export function rotateReducer(view: RotateView, action: RotateAction): RotateView {
	switch (action.type) {
		case 'move':
			return {...view, cursor: Math.max(0, Math.min(action.count - 1, view.cursor + action.by))};
		case 'open':
			return {...view, mode: action.mode};
		case 'close':
			return {...view, mode: {kind: 'list'}};
		case 'help':
			return {...view, help: action.open};
		case 'text': {
			const mode = view.mode;
			if (mode.kind === 'new-key') return {...view, mode: {...mode, text: action.text, error: undefined}};
			if (mode.kind === 'skip') return {...view, mode: {...mode, text: action.text}};
			return view;
		}
		case 'key-error':
			return view.mode.kind === 'new-key' ? {...view, mode: {...view.mode, text: '', error: action.error}} : view;
		case 'preview': {
			const mode = view.mode;
			if (action.lines.length === 0 || mode.kind !== 'confirm' || mode.task !== action.task) return view;
			return {...view, mode: {...mode, lines: [...mode.lines, ...action.lines]}};
		}
		case 'harden-file':
			return {...view, mode: {kind: 'harden-file', file: action.file}};
	}
}

/** Is a text prompt open (its own input handles the keys)? */
export const isTextPrompt = (mode: Mode) => mode.kind === 'new-key' || mode.kind === 'skip';

/** Which new-key prompt `n` (or the first task) opens. */
export function keyPurpose(known: boolean, enteredHere: boolean): KeyPurpose {
	return known ? (enteredHere ? 'replace' : 'reenter') : 'enter';
}

/** What Enter on an update opens: the new key first when it is not in memory, else the plan to confirm. */
export function updateMode(task: Extract<RotationTask, {kind: 'update'}>, plan: UpdatePlan, key: {enteredHere: boolean; known: boolean}): Mode {
	if (!key.enteredHere) return key.known ? {kind: 'new-key', purpose: 'reenter', text: '', then: task} : {kind: 'new-key', purpose: 'enter', text: '', error: 'Enter the new key first.'};
	const lines = plan.kind === 'manual' ? [`This one is done by hand: ${plan.reason}`, 'y marks it done by hand once you have changed it'] : [...plan.display, plan.why];
	return {kind: 'confirm', task, lines};
}

/** The guards and the CI job, as the one confirmation shows them. */
function guardLines(summary: HardenSummary): ConfirmLine[] {
	const ci = summary.ci;
	return [
		`the guards in ${summary.guard} (pre-commit, and pre-push over the commits a push carries: they refuse the key by its sha256)`,
		...(ci ? (ci.refused ? [`CI job: by hand: ${ci.refused}`] : ['the CI job, as a diff:', ...ci.diff.split('\n').map(line => ({diff: line}))]) : []),
	];
}

/** The harden flow's one confirmation: everything that y writes together. */
export function hardenConfirm(summary: HardenSummary): Mode {
	const lines: ConfirmLine[] =
		summary.files === 0
			? ['No committed file holds the key.', ...summary.config, ...guardLines(summary)]
			: [
					'Nothing is written yet. y writes all of this together (a failure undoes it all); any other key cancels:',
					`${summary.accepted} file(s) rewritten to read ${summary.variable}`,
					...summary.config,
					...guardLines(summary),
					...(summary.scanners.length > 0 ? ['Installed scanners you can wire as well:', ...summary.scanners] : []),
				];
	return {kind: 'confirm', task: {kind: 'harden'}, lines, more: `leakfix harden --dry-run${summary.ci ? ` --ci ${summary.ci.kind}` : ''} prints every diff whole`};
}
