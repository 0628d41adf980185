// Step 4's work screen without Ink: which key table the view listens to, what the keys can do now,
// and a pure reducer over the screen's own view state (which prompt is open, its text, the task it
// confirms, the cursor on the plan's tasks, the help overlay). It returns the next view and the
// effects the screen runs. The harden flow's prompts are their own reducer (./harden-reducer.ts).
import type {Key} from 'ink';
import type {DeactivationCommand} from '../../core/deactivation.js';
import type {InventoryEntry} from '../../core/model.js';
import type {PlannedTask, RotationTask} from '../../core/rotation-plan.js';
import {intentFor, keyOf, type Intent, type KeyContext} from '../keymap.js';
import type {Reduced} from '../widgets/useView.js';
import {type ConfirmLine, type HardenAction, type HardenEffect, type HardenPrompt, hardenReducer} from './harden-reducer.js';

export {type ConfirmLine, hardenConfirm} from './harden-reducer.js';

/** enter: the first new key; reenter: the one already chosen (must match its fingerprint); replace: a different one, on purpose. */
export type KeyPurpose = 'enter' | 'reenter' | 'replace';

type UpdateTask = Extract<RotationTask, {kind: 'update'}>;
type ConfirmTask = Exclude<RotationTask, {kind: 'harden' | 'new-key'}>;

export type Mode =
	| {kind: 'list'}
	/** `then`: the update that needed the key, opened once it is re-entered. */
	| {kind: 'new-key'; purpose: KeyPurpose; text: string; error?: string; then?: PlannedTask}
	| {kind: 'skip'; entry: InventoryEntry; text: string}
	| {kind: 'dry-run'}
	| {kind: 'harden'; prompt: HardenPrompt}
	/** `manual`: the update is by hand (y marks it so); `more`: where the lines a short terminal cannot show are printed whole. */
	| {kind: 'confirm'; task: ConfirmTask; lines: ConfirmLine[]; command?: DeactivationCommand | null; manual?: string; more?: string};

export type RotateView = {mode: Mode; cursor: number; help: boolean};

export const initialView: RotateView = {mode: {kind: 'list'}, cursor: 0, help: false};

/** What the screen shows that the keys depend on. */
export type RotateFacts = {
	tasks: readonly PlannedTask[];
	busy: boolean;
	/** The new key is in memory (entered in this process). */
	newKeyHere: boolean;
	/** A new key was chosen (maybe in an earlier process): its masked form. */
	newKeyKnown: string | undefined;
	newKeyLive: boolean;
	/** Enter on an empty new-key line makes one in the demo's fake dashboard. */
	demo: boolean;
	/** The deactivation's confirmation lines for this command (src/core/rotation-plan.ts). */
	deactivation(kind: 'contain' | 'deactivate', command: DeactivationCommand | null): string[];
};

export type RotateEffect =
	| HardenEffect
	| {type: 'back'}
	/** Read what the store holds now (read-only), then `preview`. */
	| {type: 'preview'; task: UpdateTask}
	/** Build the deactivation command (it may need the old key's id), then `deactivation-command`. */
	| {type: 'deactivation'; task: Extract<RotationTask, {kind: 'contain' | 'deactivate'}>}
	| {type: 'enter-new-key'; key: string}
	| {type: 'demo-new-key'}
	/** Check it against the chosen key's fingerprint, then `reentered`. */
	| {type: 'reenter-new-key'; key: string}
	| {type: 'update'; entry: InventoryEntry}
	| {type: 'resolve'; entry: InventoryEntry; status: 'skipped' | 'manual'; detail: string}
	| {type: 'restart'; entry: InventoryEntry}
	| {type: 'health'; entry: InventoryEntry}
	| {type: 'deactivate'; command: DeactivationCommand | null};

/** A key, as the table the view listens to now reads it. */
export type RotateKey =
	| {screen: 'help'; intent: Intent<'help'>}
	| {screen: 'rotate'; intent: Intent<'rotate'>}
	| {screen: 'rotate-confirm'; intent: Intent<'rotate-confirm'>}
	| {screen: 'rotate-harden-file'; intent: Intent<'rotate-harden-file'>}
	| {screen: 'rotate-dry-run'; intent: Intent<'rotate-dry-run'>};

export type RotateAction =
	| ({type: 'key'} & RotateKey)
	/** Typing in the new-key or skip prompt (clears the new key's error). */
	| {type: 'text'; text: string}
	/** A prompt cancelled (Esc in a text field, back from the store choice). */
	| {type: 'close'}
	| {type: 'new-key-submitted'; text: string}
	/** The re-entered key matched the chosen one's fingerprint (or not). */
	| {type: 'reentered'; ok: boolean}
	| {type: 'skip-submitted'; text: string}
	/** What the store holds now, read after the update's confirmation opened: added if it is still open. */
	| {type: 'preview'; task: UpdateTask; lines: string[]}
	| {type: 'deactivation-command'; task: Extract<RotationTask, {kind: 'contain' | 'deactivate'}>; command: DeactivationCommand | null}
	/** The harden flow: the store chosen, its questions, its failure. */
	| {type: 'harden'; action: Exclude<HardenAction, {type: 'key'}>};

const LIST: Mode = {kind: 'list'};
const to = (view: RotateView, patch: Partial<RotateView>, ...effects: RotateEffect[]): Reduced<RotateView, RotateEffect> => ({view: Object.keys(patch).length === 0 ? view : {...view, ...patch}, effects});
const same = (view: RotateView): Reduced<RotateView, RotateEffect> => ({view, effects: []});

export const selectedOf = (view: RotateView, facts: RotateFacts): PlannedTask | undefined => facts.tasks[Math.min(view.cursor, facts.tasks.length - 1)];

/** What the list's keys can do on a task now: the input handler, the footer and the help read the same. */
export function rotateContext(view: RotateView, facts: RotateFacts): KeyContext {
	const task = selectedOf(view, facts)?.task;
	const idle = !facts.busy;
	return {
		several: facts.tasks.length > 1,
		task: idle && task !== undefined,
		update: idle && task?.kind === 'update',
		checkable: idle && (task?.kind === 'update' || task?.kind === 'restart') && task.entry.health !== undefined,
	};
}

/** Is a text prompt open (its own input handles the keys)? */
export const isTextPrompt = (mode: Mode) => mode.kind === 'new-key' || mode.kind === 'skip';

/** Does the open prompt read its own keys (a text field, the store choice's Select)? */
export const ownsKeys = (mode: Mode) => isTextPrompt(mode) || (mode.kind === 'harden' && mode.prompt.kind === 'store');

/**
 * The key → intent function: the table of what is open; null while a text field or the store
 * choice (a Select) has the keys. While the harden flow looks for the copies only quitting (q,
 * Ctrl-C) does something: the confirmation's table reads it.
 */
export function rotateIntent(view: RotateView, facts: RotateFacts, input: string, key: Key): RotateKey | null {
	const {mode} = view;
	if (ownsKeys(mode)) return null;
	if (view.help) return {screen: 'help', intent: intentFor('help', input, key)};
	if (mode.kind === 'dry-run') return {screen: 'rotate-dry-run', intent: intentFor('rotate-dry-run', input, key)};
	if (mode.kind === 'harden' && mode.prompt.kind === 'file') return {screen: 'rotate-harden-file', intent: intentFor('rotate-harden-file', input, key)};
	if (mode.kind === 'confirm' || mode.kind === 'harden') return {screen: 'rotate-confirm', intent: intentFor('rotate-confirm', input, key)};
	return {screen: 'rotate', intent: intentFor('rotate', input, key, rotateContext(view, facts))};
}

/** Which new-key prompt `k` (or the first task) opens. */
export function keyPurpose(known: boolean, enteredHere: boolean): KeyPurpose {
	return known ? (enteredHere ? 'replace' : 'reenter') : 'enter';
}

const newKeyMode = (facts: RotateFacts): Mode => ({kind: 'new-key', purpose: keyPurpose(facts.newKeyKnown !== undefined, facts.newKeyHere), text: ''});

/** What Enter on an update opens: the new key first when it is not in memory, else its store plan to confirm. */
export function updateMode(planned: PlannedTask, key: {enteredHere: boolean; known: boolean}): Mode {
	const task = planned.task;
	if (task.kind !== 'update' || !planned.update) return LIST;
	if (!key.enteredHere) return key.known ? {kind: 'new-key', purpose: 'reenter', text: '', then: planned} : {kind: 'new-key', purpose: 'enter', text: '', error: 'Enter the new key first.'};
	const plan = planned.update;
	if (plan.kind === 'manual') return {kind: 'confirm', task, lines: [`This one is done by hand: ${plan.reason}`, 'y marks it done by hand once you have changed it'], manual: plan.reason};
	return {kind: 'confirm', task, lines: [...plan.display, plan.why]};
}

/** Enter on a task: its prompt or confirmation (a deactivation first builds its command). */
function openTask(view: RotateView, planned: PlannedTask, facts: RotateFacts): Reduced<RotateView, RotateEffect> {
	const task = planned.task;
	switch (task.kind) {
		case 'new-key':
			return to(view, {mode: newKeyMode(facts)});
		case 'update': {
			const mode = updateMode(planned, {enteredHere: facts.newKeyHere, known: facts.newKeyKnown !== undefined});
			if (mode.kind !== 'confirm') return to(view, {mode});
			if (!facts.newKeyLive) return to(view, {}, {type: 'say', text: 'The new key has not probed live: nothing is updated until it does (Enter on the first task probes it).', error: true});
			// What the store holds now (read-only), shown beside the plan before the answer.
			return to(view, {mode}, {type: 'preview', task});
		}
		case 'restart':
			return to(view, {mode: {kind: 'confirm', task, lines: [task.entry.restart!.join(' ')]}});
		case 'harden':
			return to(view, {mode: {kind: 'harden', prompt: {kind: 'store'}}});
		case 'contain':
		case 'deactivate':
			return to(view, {}, {type: 'deactivation', task});
	}
}

export function rotateReducer(view: RotateView, action: RotateAction, facts: RotateFacts): Reduced<RotateView, RotateEffect> {
	const {mode} = view;
	switch (action.type) {
		case 'key':
			return onKey(view, action, facts);
		case 'close':
			return to(view, {mode: LIST});
		case 'text':
			if (mode.kind === 'new-key') return to(view, {mode: {...mode, text: action.text, error: undefined}});
			if (mode.kind === 'skip') return to(view, {mode: {...mode, text: action.text}});
			return same(view);
		case 'new-key-submitted': {
			if (mode.kind !== 'new-key') return same(view);
			const typed = action.text.trim();
			if (!typed) return mode.purpose === 'enter' && facts.demo ? to(view, {mode: LIST}, {type: 'demo-new-key'}) : same(view);
			if (mode.purpose !== 'reenter') return to(view, {mode: LIST}, {type: 'enter-new-key', key: typed});
			return to(view, {}, {type: 'reenter-new-key', key: typed});
		}
		case 'reentered': {
			if (mode.kind !== 'new-key') return same(view);
			if (!action.ok) return to(view, {mode: {...mode, text: '', error: `That is not the new key ${facts.newKeyKnown} (fingerprint differs). To use a different one, Esc, then ${keyOf('rotate', 'new-key')}.`}});
			// Straight on to what needed it (the update's confirmation): the key is in memory now.
			const closed = {...view, mode: LIST};
			return mode.then ? openTask(closed, mode.then, {...facts, newKeyHere: true}) : same(closed);
		}
		case 'skip-submitted': {
			const why = action.text.trim();
			if (mode.kind !== 'skip' || !why) return same(view);
			return to(view, {mode: LIST}, {type: 'resolve', entry: mode.entry, status: 'skipped', detail: why});
		}
		case 'preview':
			if (action.lines.length === 0 || mode.kind !== 'confirm' || mode.task !== action.task) return same(view);
			return to(view, {mode: {...mode, lines: [...mode.lines, ...action.lines]}});
		case 'deactivation-command':
			// Opened only over the list: a confirmation never appears under another prompt's keys.
			if (mode.kind !== 'list' || view.help) return same(view);
			return to(view, {mode: {kind: 'confirm', task: action.task, command: action.command, lines: facts.deactivation(action.task.kind, action.command)}});
		case 'harden':
			return harden(view, action.action);
	}
}

/** The harden prompts' reducer, under the screen's: a closed prompt is the list again. */
function harden(view: RotateView, action: HardenAction): Reduced<RotateView, RotateEffect> {
	const prompt: HardenPrompt = view.mode.kind === 'harden' ? view.mode.prompt : {kind: 'wait'};
	const next = hardenReducer(prompt, action);
	const mode: Mode = next.prompt === null ? LIST : next.prompt === prompt && view.mode.kind === 'harden' ? view.mode : {kind: 'harden', prompt: next.prompt};
	return to(view, mode === view.mode ? {} : {mode}, ...next.effects);
}

function onKey(view: RotateView, action: RotateKey, facts: RotateFacts): Reduced<RotateView, RotateEffect> {
	const {mode} = view;
	switch (action.screen) {
		case 'help':
			if (action.intent.type === 'quit') return to(view, {}, {type: 'quit'});
			return action.intent.type === 'close' ? to(view, {help: false}) : same(view);
		case 'rotate-dry-run':
			if (action.intent.type === 'quit') return to(view, {}, {type: 'quit'});
			return action.intent.type === 'close' ? to(view, {mode: LIST}) : same(view);
		case 'rotate-harden-file':
			return harden(view, {type: 'key', screen: 'rotate-harden-file', intent: action.intent});
		case 'rotate-confirm':
			if (mode.kind === 'harden') return harden(view, {type: 'key', screen: 'rotate-confirm', intent: action.intent});
			return confirmed(view, action.intent);
		case 'rotate':
			return onList(view, action.intent, facts);
	}
}

/** y runs what the confirmation showed; any other key closes it, nothing run (q then quits). */
function confirmed(view: RotateView, intent: Intent<'rotate-confirm'>): Reduced<RotateView, RotateEffect> {
	const {mode} = view;
	// q quits: the question is answered no first (nothing runs).
	if (intent.type === 'quit') return to(view, {mode: LIST}, {type: 'quit'});
	if (mode.kind !== 'confirm') return same(view);
	if (intent.type !== 'yes') return to(view, {mode: LIST});
	const {task} = mode;
	const done = (effect: RotateEffect) => to(view, {mode: LIST}, effect);
	switch (task.kind) {
		case 'update':
			return done(mode.manual === undefined ? {type: 'update', entry: task.entry} : {type: 'resolve', entry: task.entry, status: 'manual', detail: `done by hand: ${mode.manual}`});
		case 'restart':
			return done({type: 'restart', entry: task.entry});
		case 'contain':
		case 'deactivate':
			return done({type: 'deactivate', command: mode.command ?? null});
	}
}

function onList(view: RotateView, intent: Intent<'rotate'>, facts: RotateFacts): Reduced<RotateView, RotateEffect> {
	const planned = selectedOf(view, facts);
	const task = planned?.task;
	switch (intent.type) {
		case 'move':
			return to(view, {cursor: Math.max(0, Math.min(facts.tasks.length - 1, view.cursor + (intent.key === 'up' ? -1 : 1)))});
		case 'back':
			return to(view, {}, {type: 'back'});
		case 'quit':
			return to(view, {}, {type: 'quit'});
		case 'help':
			return to(view, {help: true});
		case 'new-key':
			return to(view, {mode: newKeyMode(facts)});
		case 'dry-run':
			return to(view, {mode: {kind: 'dry-run'}});
		case 'do':
			return planned ? openTask(view, planned, facts) : same(view);
		case 'skip':
			return task?.kind === 'update' ? to(view, {mode: {kind: 'skip', entry: task.entry, text: ''}}) : same(view);
		case 'by-hand':
			return task?.kind === 'update' ? to(view, {}, {type: 'resolve', entry: task.entry, status: 'manual', detail: 'marked done by hand by the responder'}) : same(view);
		case 'check':
			return (task?.kind === 'update' || task?.kind === 'restart') && task.entry.health ? to(view, {}, {type: 'health', entry: task.entry}) : same(view);
		case 'none':
			return same(view);
	}
}
