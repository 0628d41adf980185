// What a table entry is, the conditions a key can wait for, and the entries every screen shares.
import type {KeySpec} from './keys.js';

/** When a key does something on its screen; a key whose condition is false does nothing. */
export const CONDITIONS = {
	keyMissing: 'after a resume without it',
	canProbe: 'with the key entered and a probe for this provider',
	hasPlaces: 'after a scan found it',
	running: 'while one runs',
	logsIdle: 'while no analysis runs',
	hasFindings: 'after an analysis',
	canFetchLogs: 'where the provider has a log command, while no analysis runs',
	idle: 'while nothing runs',
	selected: 'on an entry',
	several: 'with two or more in the list',
	otherSelected: 'on another entry than the one merged',
	task: 'while nothing runs',
	update: 'on a store update, while nothing runs',
	checkable: 'on an update or restart with a health check, while nothing runs',
	followUps: 'with two follow-ups or more, while nothing runs',
	followUp: 'on a follow-up, while nothing runs',
	finding: 'on a finding',
	unchecked: 'with an updated consumer not yet checked healthy, while nothing runs',
} as const;
export type Condition = keyof typeof CONDITIONS;
/** What holds on the screen now; a condition not given is false. */
export type KeyContext = Partial<Record<Condition, boolean>>;

export type KeyEntry = {
	readonly keys: readonly KeySpec[];
	readonly intent: string;
	/** What it does, short: the footer's word after the key. */
	readonly label: string;
	/** What it does, in full: the `?` overlay's line (the label when absent). */
	readonly help?: string;
	/** How the overlay shows the keys (else each key's glyph). */
	readonly display?: string;
	/** The footer's text for it (else the first key and the label); false: the overlay only. */
	readonly hint?: string | false;
	readonly when?: Condition;
	/** A narrow footer drops it last (a step's own keys). */
	readonly keep?: true;
};

export const HELP = {keys: ['?'], intent: 'help', label: 'help', help: 'this help: the keys of this screen'} as const;
export const QUIT_HELP = 'quit: all is saved; leakfix resume picks up here';
/** Where q is an answer or closes an overlay: Ctrl-C quits, and the footer says so. */
export const QUIT_CTRL_C = {keys: ['ctrl-c'], intent: 'quit', label: 'quit', help: QUIT_HELP, hint: 'Ctrl-C quits', keep: true} as const;
/** q quits on every screen where it is a key (in a text field it is text; Ctrl-C quits there). */
export const QUIT = {keys: ['q', 'ctrl-c'], intent: 'quit', label: 'quit', help: QUIT_HELP, keep: true} as const;
/** A work screen's way back: Esc or ← (the checklist is to its left). */
export const BACK = {keys: ['escape', 'left'], intent: 'back', label: 'back', help: 'back to the checklist', hint: 'Esc back'} as const;
/** Moving in a list: ↑ and ↓ only, on every screen (letters always mean something else). */
export const MOVE = (what: string) => ({keys: ['up', 'down'], intent: 'move', label: what, help: `move between ${what === 'entry' ? 'entries' : `${what}s`}`, hint: `↑↓ ${what}`, when: 'several'}) as const;
