// Every screen's table in one map, and what is read from it: the intent of a key, the footer, the
// `?` overlay's rows.
import type {Key} from 'ink';
import {CONDITIONS, type KeyContext, type KeyEntry} from './entry.js';
import {INVENTORY_KEYMAP, INVENTORY_TITLES} from './inventory.js';
import {keyGlyph, keyMatches, type KeySpec} from './keys.js';
import {LOGS_KEYMAP, LOGS_TITLES} from './logs.js';
import {ROTATE_KEYMAP, ROTATE_TITLES} from './rotate.js';
import {START_KEYMAP, START_TITLES} from './start.js';
import {VERIFY_KEYMAP, VERIFY_TITLES} from './verify.js';
import {WIZARD_KEYMAP, WIZARD_TITLES} from './wizard.js';

export const KEYMAP = {...WIZARD_KEYMAP, ...INVENTORY_KEYMAP, ...ROTATE_KEYMAP, ...VERIFY_KEYMAP, ...LOGS_KEYMAP, ...START_KEYMAP} as const satisfies Record<string, readonly KeyEntry[]>;

export type Screen = keyof typeof KEYMAP;
export const SCREENS = Object.keys(KEYMAP) as Screen[];
export const SCREEN_TITLE: Record<Screen, string> = {...WIZARD_TITLES, ...INVENTORY_TITLES, ...ROTATE_TITLES, ...VERIFY_TITLES, ...LOGS_TITLES, ...START_TITLES};
/** The intents a screen's table names, and `none`. */
export type IntentOf<S extends Screen> = (typeof KEYMAP)[S][number]['intent'] | 'none';
/** An intent and the key that made it (`1`…`5` says which step, `up` or `down` which way). */
export type Intent<S extends Screen> = {type: IntentOf<S>; key: KeySpec};

/** A screen's table, as plain entries. */
export const entriesOf = (screen: Screen): readonly KeyEntry[] => KEYMAP[screen];
const holds = (entry: KeyEntry, context: KeyContext) => entry.when === undefined || context[entry.when] === true;

/** What a key does on a screen now: the first entry that names it and whose condition holds. */
export function intentFor<S extends Screen>(screen: S, input: string, key: Key, context: KeyContext = {}): Intent<S> {
	for (const entry of entriesOf(screen)) {
		if (!holds(entry, context)) continue;
		const spec = entry.keys.find(candidate => keyMatches(candidate, input, key));
		if (spec !== undefined) return {type: entry.intent as IntentOf<S>, key: spec};
	}
	return {type: 'none', key: ''};
}

/** -1 for a key that moves back (up, left, Shift-Tab), +1 otherwise. */
export function direction(intent: {key: KeySpec}): -1 | 1 {
	return ['up', 'left', 'shift-tab'].includes(intent.key) ? -1 : 1;
}

/** The first key bound to an intent on a screen, as shown ("k", "Enter"): for a message naming it. */
export function keyOf<S extends Screen>(screen: S, intent: Exclude<IntentOf<S>, 'none'>): string {
	const entry = entriesOf(screen).find(candidate => candidate.intent === intent);
	if (!entry) throw new Error(`No key for ${intent} on ${screen}`);
	return keyGlyph(entry.keys[0]!);
}

const ALWAYS_SHOWN = new Set(['help', 'quit', 'back']);

/** A footer's own words for some intents: a string replaces the label (and shows a hidden key), false hides it. */
export type HintLabels = Partial<Record<string, string | false>>;

/**
 * The footer: each key that does something now, in the table's order. Past `width` columns the
 * last keys give way, never help, quit or back, and `?` then says it lists them all.
 */
export function footerHint(screen: Screen, context: KeyContext = {}, width = Number.POSITIVE_INFINITY, labels: HintLabels = {}): string {
	const parts = entriesOf(screen)
		.filter(entry => holds(entry, context) && (labels[entry.intent] === undefined ? entry.hint !== false : labels[entry.intent] !== false))
		.map(entry => {
			const label = labels[entry.intent];
			const text = typeof label === 'string' ? `${keyGlyph(entry.keys[0]!)} ${label}` : typeof entry.hint === 'string' ? entry.hint : `${keyGlyph(entry.keys[0]!)} ${entry.label}`;
			return {entry, text};
		});
	const line = () => parts.map(part => part.text).join(' · ');
	let dropped = false;
	while (line().length > width) {
		// The last key that may go: first those not kept, then the kept ones.
		let last = -1;
		for (const keep of [false, true]) {
			for (let index = parts.length - 1; index >= 0 && last < 0; index--) {
				const entry = parts[index]!.entry;
				if (!ALWAYS_SHOWN.has(entry.intent) && (entry.keep === true) === keep) last = index;
			}
		}
		if (last < 0) break;
		parts.splice(last, 1);
		if (!dropped) {
			dropped = true;
			const help = parts.find(part => part.entry.intent === 'help');
			if (help) help.text = '? all keys';
		}
	}
	return line();
}

/** A text prompt's footer: "Enter to continue · Esc back" (labels reword or hide a key). */
export const textHint = (labels: HintLabels = {}): string => footerHint('text', {}, Number.POSITIVE_INFINITY, labels);

export type HelpRow = {keys: string; what: string; active: boolean};

/** The `?` overlay's lines: every key of the screen; one that does nothing now says when it does. */
export function helpRows(screen: Screen, context: KeyContext = {}): HelpRow[] {
	return entriesOf(screen).map(entry => {
		const active = holds(entry, context);
		const what = entry.help ?? entry.label;
		return {
			keys: entry.display ?? entry.keys.map(keyGlyph).join(' '),
			what: active || entry.when === undefined ? what : `${what} (${CONDITIONS[entry.when]})`,
			active,
		};
	});
}
