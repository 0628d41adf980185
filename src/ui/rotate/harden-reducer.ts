// The harden flow's prompts on the Rotate screen, as a pure reducer: where the services will read
// the key from (the first question), the wait while the flow finds the copies, each file under
// review, and the one confirmation. The flow (src/engines/harden/flow.ts) holds its own state (its
// changes, answers, stores) and waits on one question at a time; this holds what is on screen and
// turns the responder's key into the answer the flow waits for.
import {HARDEN_STORES, type HardenStore} from '../../core/harden.js';
import type {FileAnswer, FileView, HardenSummary} from '../../engines/harden/flow.js';
import type {Intent} from '../keymap.js';

/** A line of a confirmation: text (wraps), or a line of a diff (one row each, cut at the width). */
export type ConfirmLine = string | {diff: string};

export type HardenPrompt =
	| {kind: 'store'}
	/** The flow is finding the copies and planning (nothing to answer yet). */
	| {kind: 'wait'}
	| {kind: 'file'; file: FileView}
	/** Everything y writes together; `more`: where the lines a short terminal cannot show are printed whole. */
	| {kind: 'confirm'; lines: ConfirmLine[]; more: string};

export type HardenEffect =
	/** Run the flow with the store chosen (its questions come back as `file` and `confirm-all`). */
	| {type: 'start'; store: HardenStore}
	/** The flow's open question, answered. */
	| {type: 'answer'; value: FileAnswer | boolean}
	| {type: 'say'; text: string; error: boolean}
	| {type: 'quit'};

export type HardenAction =
	| {type: 'store-chosen'; store: HardenStore}
	| {type: 'file'; file: FileView}
	| {type: 'confirm-all'; summary: HardenSummary}
	/** The flow ended in an error: the prompts close (the screen says why). */
	| {type: 'failed'}
	| {type: 'key'; screen: 'rotate-harden-file'; intent: Intent<'rotate-harden-file'>}
	| {type: 'key'; screen: 'rotate-confirm'; intent: Intent<'rotate-confirm'>};

/** The prompt next (null: closed, back to the list) and what the screen runs. */
export type HardenReduced = {prompt: HardenPrompt | null; effects: HardenEffect[]};

export const CANCELLED = 'Cancelled: nothing was written.';

const stay = (prompt: HardenPrompt, ...effects: HardenEffect[]): HardenReduced => ({prompt, effects});
const closed = (...effects: HardenEffect[]): HardenReduced => ({prompt: null, effects});

export function hardenReducer(prompt: HardenPrompt, action: HardenAction): HardenReduced {
	switch (action.type) {
		case 'store-chosen':
			return stay({kind: 'wait'}, {type: 'start', store: action.store});
		case 'file':
			return stay({kind: 'file', file: action.file});
		case 'confirm-all':
			return stay(hardenConfirm(action.summary));
		case 'failed':
			return closed();
		case 'key':
			return action.screen === 'rotate-harden-file' ? onFile(prompt, action.intent) : onConfirm(prompt, action.intent);
	}
}

/**
 * A file under review: y accepts its rewrite, n leaves it, 1–4 another store for its service;
 * nothing is written until the one confirmation. Esc cancels: nothing written; q cancels and quits.
 */
function onFile(prompt: HardenPrompt, intent: Intent<'rotate-harden-file'>): HardenReduced {
	if (prompt.kind !== 'file') return stay(prompt);
	switch (intent.type) {
		case 'quit':
			// q quits: the flow is cancelled first (nothing written, and the timeline says so).
			return closed({type: 'answer', value: 'cancel'}, {type: 'quit'});
		case 'store': {
			const store = HARDEN_STORES[Number(intent.key) - 1];
			return store ? stay(prompt, {type: 'answer', value: {store}}) : stay(prompt);
		}
		case 'accept':
		case 'leave':
			return stay(prompt, {type: 'answer', value: intent.type});
		case 'cancel':
			return closed({type: 'answer', value: 'cancel'}, {type: 'say', text: CANCELLED, error: false});
		default:
			return stay(prompt);
	}
}

/** The one confirmation: y writes it all; q cancels and quits; any other key cancels (the timeline records it, the screen says so). */
function onConfirm(prompt: HardenPrompt, intent: Intent<'rotate-confirm'>): HardenReduced {
	if (prompt.kind !== 'confirm') return intent.type === 'quit' ? stay(prompt, {type: 'quit'}) : stay(prompt); // the wait: only quitting
	// q quits: the question is answered no first (nothing written, and the timeline says so).
	if (intent.type === 'quit') return closed({type: 'answer', value: false}, {type: 'quit'});
	if (intent.type === 'yes') return closed({type: 'answer', value: true});
	return closed({type: 'answer', value: false}, {type: 'say', text: CANCELLED, error: false});
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
export function hardenConfirm(summary: HardenSummary): Extract<HardenPrompt, {kind: 'confirm'}> {
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
	return {kind: 'confirm', lines, more: `leakfix harden --dry-run${summary.ci ? ` --ci ${summary.ci.kind}` : ''} prints them whole`};
}
