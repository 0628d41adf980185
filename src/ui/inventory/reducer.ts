// Step 3's work screen without Ink: which key table the view listens to, what the keys can do now,
// and a pure reducer over the screen's own view state (mode, cursor, help, the notice, the
// two-press "who can read it"). It returns the next view and the effects the screen runs.
import type {Key} from 'ink';
import {storeAddress} from '../../core/inventory/address.js';
import type {InventoryEntry} from '../../core/model.js';
import type {UnstampedEvent} from '../../core/session.js';
import {intentFor, keyOf, type Intent, type KeyContext} from '../keymap.js';
import {entryFromAnswers} from '../inventoryForm.js';
import type {Reduced} from '../widgets/useView.js';

export type InventoryMode = {kind: 'list'} | {kind: 'form'; entry?: InventoryEntry} | {kind: 'delete'} | {kind: 'merge'; from: string} | {kind: 'discover-more'};

export type InventoryView = {
	mode: InventoryMode;
	cursor: number;
	help: boolean;
	notice: string | null;
	/** The entry whose read-only commands were shown: the same key again on it runs them. */
	accessAsked: string | null;
	accessRunning: boolean;
};

export const initialInventoryView: InventoryView = {mode: {kind: 'list'}, cursor: 0, help: false, notice: null, accessAsked: null, accessRunning: false};

/** What the screen shows that the keys depend on. */
export type InventoryFacts = {entries: readonly InventoryEntry[]; discovering: boolean; demo: boolean; /** The read-only commands that show who can read a store (the access port's plan). */ accessPlan(store: InventoryEntry['store']): string[]};

export type Discovery = {repos?: string[]; envVars?: string[]; org?: string};

export type InventoryEffect =
	| {type: 'dispatch'; event: UnstampedEvent}
	| {type: 'discover'; more?: Discovery}
	| {type: 'read-access'; entry: InventoryEntry}
	| {type: 'back'}
	| {type: 'quit'};

/** A key, as the table the view listens to now read it. */
export type InventoryKey =
	| {screen: 'help'; intent: Intent<'help'>}
	| {screen: 'inventory'; intent: Intent<'inventory'>}
	| {screen: 'inventory-merge'; intent: Intent<'inventory-merge'>}
	| {screen: 'inventory-delete'; intent: Intent<'inventory-delete'>};

export type InventoryAction =
	| ({type: 'key'} & InventoryKey)
	/** The entry form's answers; `id` names a new entry. */
	| {type: 'entry-answers'; answers: Record<string, string>; id: string}
	/** The "discover in more places" answers (`home` expands a leading ~). */
	| {type: 'discover-answers'; answers: Record<string, string>; home: string}
	| {type: 'form-cancelled'}
	| {type: 'access-read'; notice: string};

export const selectedOf = (view: InventoryView, facts: InventoryFacts): InventoryEntry | undefined => facts.entries[Math.min(view.cursor, facts.entries.length - 1)];

/** What the keys can do now: the input handler, the footer and the help read the same. */
export function inventoryContext(view: InventoryView, facts: InventoryFacts): KeyContext {
	const selected = selectedOf(view, facts);
	return {
		idle: !facts.discovering,
		selected: facts.entries.length > 0,
		several: facts.entries.length > 1,
		otherSelected: view.mode.kind === 'merge' && selected !== undefined && selected.id !== view.mode.from,
	};
}

/** The key → intent function: the table of the view's mode; null while a form has the keys. */
export function inventoryIntent(view: InventoryView, facts: InventoryFacts, input: string, key: Key): InventoryKey | null {
	if (view.mode.kind === 'form' || view.mode.kind === 'discover-more') return null;
	if (view.help) return {screen: 'help', intent: intentFor('help', input, key)};
	const context = inventoryContext(view, facts);
	if (view.mode.kind === 'delete') return {screen: 'inventory-delete', intent: intentFor('inventory-delete', input, key)};
	if (view.mode.kind === 'merge') return {screen: 'inventory-merge', intent: intentFor('inventory-merge', input, key, context)};
	return {screen: 'inventory', intent: intentFor('inventory', input, key, context)};
}

const LIST: InventoryMode = {kind: 'list'};
const same = (view: InventoryView): Reduced<InventoryView, InventoryEffect> => ({view, effects: []});
const to = (view: InventoryView, patch: Partial<InventoryView>, ...effects: InventoryEffect[]): Reduced<InventoryView, InventoryEffect> => ({view: Object.keys(patch).length === 0 ? view : {...view, ...patch}, effects});
const moved = (view: InventoryView, facts: InventoryFacts, by: number) => Math.max(0, Math.min(facts.entries.length - 1, view.cursor + by));

export function inventoryReducer(view: InventoryView, action: InventoryAction, facts: InventoryFacts): Reduced<InventoryView, InventoryEffect> {
	switch (action.type) {
		case 'key': {
			return onKey(view, action, facts);
		}

		case 'entry-answers': {
			const base = view.mode.kind === 'form' ? view.mode.entry : undefined;
			try {
				const entry = entryFromAnswers(action.answers, base ? {...base} : {id: action.id, origin: 'manual', evidence: []});
				return to(view, {mode: LIST, notice: null}, {type: 'dispatch', event: {type: 'inventory.saved', entry}});
			} catch (error) {
				const issues = (error as {issues?: Array<{path: unknown[]; message: string}>}).issues;
				return to(view, {mode: LIST, notice: `Not saved: ${issues?.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ') ?? (error as Error).message}`});
			}
		}

		case 'discover-answers': {
			const {answers, home} = action;
			const more: Discovery = {
				repos: (answers.repos ?? '').split(/\s+/).filter(Boolean).map(repo => repo.replace(/^~(?=\/|$)/, home)),
				envVars: (answers.vars ?? '').split(/[\s,]+/).filter(Boolean),
				...(answers.org?.trim() ? {org: answers.org.trim()} : {}),
			};
			return to(view, {mode: LIST}, {type: 'discover', more});
		}

		case 'form-cancelled': {
			return to(view, {mode: LIST});
		}

		case 'access-read': {
			return to(view, {accessRunning: false, notice: action.notice});
		}
	}
}

function onKey(view: InventoryView, action: InventoryKey, facts: InventoryFacts): Reduced<InventoryView, InventoryEffect> {
	const selected = selectedOf(view, facts);
	switch (action.screen) {
		case 'help': {
			if (action.intent.type === 'quit') return to(view, {}, {type: 'quit'});
			return action.intent.type === 'close' ? to(view, {help: false}) : same(view);
		}

		case 'inventory-delete': {
			// y deletes; any other key keeps the entry. Either way the question closes.
			if (action.intent.type === 'quit') return to(view, {}, {type: 'quit'});
			if (action.intent.type === 'delete' && selected) return to(view, {mode: LIST, cursor: Math.max(0, Math.min(view.cursor, facts.entries.length - 1) - 1)}, {type: 'dispatch', event: {type: 'inventory.removed', id: selected.id}});
			return to(view, {mode: LIST});
		}

		case 'inventory-merge': {
			const {intent} = action;
			if (intent.type === 'quit') return to(view, {}, {type: 'quit'});
			if (intent.type === 'move') return to(view, {cursor: moved(view, facts, intent.key === 'up' ? -1 : 1)});
			if (intent.type === 'cancel') return to(view, {mode: LIST});
			if (intent.type === 'merge' && selected && view.mode.kind === 'merge') {
				const fromId = view.mode.from;
				const from = facts.entries.find(entry => entry.id === fromId);
				if (from && storeAddress(from.store) !== storeAddress(selected.store)) {
					return to(view, {mode: LIST, notice: 'Not merged: they hold the key in two places, and each must be updated. Merge only duplicates of one place (edit one first if it is the same store).'});
				}
				return to(view, {mode: LIST}, {type: 'dispatch', event: {type: 'inventory.merged', from: fromId, into: selected.id}});
			}
			return same(view);
		}

		case 'inventory': {
			return onList(view, action.intent, facts, selected);
		}
	}
}

function onList(view: InventoryView, intent: Intent<'inventory'>, facts: InventoryFacts, selected: InventoryEntry | undefined): Reduced<InventoryView, InventoryEffect> {
	switch (intent.type) {
		case 'move': {
			return to(view, {cursor: moved(view, facts, intent.key === 'up' ? -1 : 1)});
		}

		case 'back': {
			return to(view, {}, {type: 'back'});
		}

		case 'quit': {
			return to(view, {}, {type: 'quit'});
		}

		case 'help': {
			return to(view, {help: true});
		}

		case 'discover': {
			return to(view, {}, {type: 'discover'});
		}

		case 'discover-more': {
			return to(view, {mode: {kind: 'discover-more'}});
		}

		case 'add': {
			return to(view, {mode: {kind: 'form'}});
		}

		case 'edit': {
			return selected ? to(view, {mode: {kind: 'form', entry: selected}}) : same(view);
		}

		case 'delete': {
			return selected ? to(view, {mode: {kind: 'delete'}}) : same(view);
		}

		case 'merge': {
			return selected ? to(view, {mode: {kind: 'merge', from: selected.id}}) : same(view);
		}

		case 'access': {
			return selected ? askAccess(view, selected, facts) : same(view);
		}

		case 'none': {
			return same(view);
		}
	}
}

/** Who can read it: the first press shows the read-only commands, a second on the same entry runs them. */
function askAccess(view: InventoryView, entry: InventoryEntry, facts: InventoryFacts): Reduced<InventoryView, InventoryEffect> {
	if (view.accessRunning) return same(view);
	if (facts.demo) return to(view, {notice: "A demo's stores are fake: who can read them is not read (your real CLIs would be asked)."});
	if (view.accessAsked !== entry.id) return to(view, {accessAsked: entry.id, notice: `Who can read ${entry.service}: ${keyOf('inventory', 'access')} again runs (read-only): ${facts.accessPlan(entry.store).join('; ')}`});
	return to(view, {accessAsked: null, accessRunning: true, notice: `Reading who can read ${entry.service}…`}, {type: 'read-access', entry});
}

/** What the screen says once the readers were read. */
export function accessReadNotice(entry: InventoryEntry, reading: {readers: readonly unknown[]; unread: readonly unknown[]}, sessionId: string): string {
	return `Read who can read ${entry.service}: ${reading.readers.length} reader(s)${reading.unread.length > 0 ? `; ${reading.unread.length} thing(s) not read` : ''} (below; mark them with leakfix access ${sessionId} --mark)`;
}
