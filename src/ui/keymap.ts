// Keys -> intents, in one pure place. Screens never compare raw input themselves: each screen's
// handler asks `intentFor(screen, input, key, context)`, and the `?` overlay and every footer hint
// are generated from the same table, so what leakfix says a key does is what it does.
import type {Key} from 'ink';

/**
 * A key as the tables name it: one printable character (`'a'`, `'?'`, `' '`), or a named key.
 * `any` matches every key (a screen that any key closes).
 */
export type KeySpec = string;
const NAMED: Record<string, {glyph: string; match(input: string, key: Key): boolean}> = {
	up: {glyph: '↑', match: (_, key) => key.upArrow},
	down: {glyph: '↓', match: (_, key) => key.downArrow},
	left: {glyph: '←', match: (_, key) => key.leftArrow},
	right: {glyph: '→', match: (_, key) => key.rightArrow},
	enter: {glyph: 'Enter', match: (_, key) => key.return},
	escape: {glyph: 'Esc', match: (_, key) => key.escape},
	tab: {glyph: 'Tab', match: (_, key) => key.tab && !key.shift},
	'shift-tab': {glyph: 'Shift-Tab', match: (_, key) => key.tab && key.shift},
	delete: {glyph: 'Delete', match: (_, key) => key.delete},
	'ctrl-c': {glyph: 'Ctrl-C', match: (input, key) => key.ctrl && input === 'c'},
	any: {glyph: 'any other key', match: () => true},
};
/** Every named key but `any`: what a test walks besides the printable characters. */
export const NAMED_KEYS = Object.keys(NAMED).filter(name => name !== 'any');

export function keyMatches(spec: KeySpec, input: string, key: Key): boolean {
	const named = NAMED[spec];
	if (named) return named.match(input, key);
	// A character is itself: not with Ctrl or Alt held (Ctrl-S is not s).
	return input === spec && !key.ctrl && !key.meta;
}

export function keyGlyph(spec: KeySpec): string {
	return NAMED[spec]?.glyph ?? (spec === ' ' ? 'Space' : spec);
}

/** When a key does something on its screen; a key whose condition is false does nothing. */
const CONDITIONS = {
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

const HELP = {keys: ['?'], intent: 'help', label: 'help', help: 'this help: the keys of this screen'} as const;
const QUIT_HELP = 'quit: all is saved; leakfix resume picks up here';
const QUIT_CTRL_C = {keys: ['ctrl-c'], intent: 'quit', label: 'quit', help: QUIT_HELP, hint: false} as const;
const BACK = {keys: ['escape', 'q', 'left'], intent: 'back', label: 'back', help: 'back to the checklist', hint: 'Esc back'} as const;

/** The wizard's checklist keys, the same on every step. */
function stepKeys<const Extra extends readonly KeyEntry[]>(extra: Extra) {
	return [
		{keys: ['up', 'down'], intent: 'move', label: 'item', help: 'move between checklist items', hint: '↑↓ item'},
		{keys: ['left', 'right', 'shift-tab', 'tab'], intent: 'step', label: 'step', help: 'previous / next step (you can move freely)', display: '← → Tab ⇧Tab', hint: '←→ step'},
		{keys: ['1', '2', '3', '4', '5'], intent: 'goto-step', label: 'step', help: 'jump to a step', display: '1 … 5', hint: false},
		{keys: [' ', 'enter', 'x'], intent: 'toggle-done', label: 'done', help: 'mark the item done (again: reopen it)', keep: true},
		{keys: ['s'], intent: 'skip', label: 'skip', help: 'skip the item, with a reason (it goes into the report)'},
		{keys: ['n'], intent: 'note', label: 'note', help: 'add or edit a note on the item (empty removes it)'},
		// A narrow footer keeps the step's own keys longest.
		...extra.map(entry => ({...entry, keep: true as const})),
		{keys: ['escape'], intent: 'cancel', label: 'cancel', help: 'cancel the running scan or log analysis', when: 'running'},
		{keys: ['k'], intent: 'enter-key', label: 'key', help: 're-enter the key', when: 'keyMissing'},
		HELP,
		{keys: ['q', 'ctrl-c'], intent: 'quit', label: 'quit', help: QUIT_HELP},
	] as const;
}

const WORK = {keys: ['w'], intent: 'work', label: 'work', help: "open this step's work screen"} as const;
const MOVE = (what: string) => ({keys: ['up', 'down', 'k', 'j'], intent: 'move', label: what, help: `move between ${what === 'entry' ? 'entries' : `${what}s`}`, hint: `↑↓ ${what}`, when: 'several'}) as const;

export const KEYMAP = {
	'step:assess': stepKeys([
		{keys: ['p'], intent: 'probe', label: 'probe', help: 'probe whether the key is live (read-only; asked once)', when: 'canProbe'},
		{keys: ['e'], intent: 'scan', label: 'scan', help: 'scan the repository for every copy of the key'},
		{keys: ['l'], intent: 'places', label: 'places', help: 'list every place the scan found', when: 'hasPlaces'},
	]),
	'step:logs': stepKeys([
		{keys: ['a'], intent: 'analyse-logs', label: 'analyse', help: 'analyse log files for the key (five questions)', when: 'logsIdle'},
		{keys: ['f'], intent: 'findings', label: 'findings', help: 'review the findings: mark each suspicious or expected', when: 'hasFindings'},
		{keys: ['c'], intent: 'logs-command', label: 'provider logs', help: "fetch the provider's own logs (shown first, y runs)", when: 'canFetchLogs'},
	]),
	'step:inventory': stepKeys([WORK]),
	'step:rotate': stepKeys([WORK]),
	'step:verify': stepKeys([WORK]),
	places: [HELP, QUIT_CTRL_C, {keys: ['any'], intent: 'close', label: 'closes', help: 'close the list'}],
	help: [QUIT_CTRL_C, {keys: ['any'], intent: 'close', label: 'closes', help: 'close this help', display: 'any other key', hint: 'any other key closes (Ctrl-C quits)'}],
	inventory: [
		MOVE('entry'),
		{keys: ['i'], intent: 'discover', label: 'discover', help: 'discover consumers in the repository (code, .env files, CI, Kubernetes, Terraform)', when: 'idle'},
		{keys: ['I'], intent: 'discover-more', label: 'more places', help: 'discover in other repositories and variable names', when: 'idle'},
		{keys: ['a'], intent: 'add', label: 'add', help: 'add a consumer by hand'},
		{keys: ['e', 'enter'], intent: 'edit', label: 'edit', help: 'edit the entry (service, environment, store, owner, restart, health)', when: 'selected'},
		{keys: ['d', 'delete'], intent: 'delete', label: 'delete', help: 'delete the entry (asked first)', when: 'selected'},
		{keys: ['m'], intent: 'merge', label: 'merge', help: 'merge the entry into another (the evidence is kept)', when: 'several'},
		{keys: ['w'], intent: 'access', label: 'who can read it', help: 'who can read the entry\'s store: shows the read-only commands; w again runs them (marking: leakfix access --mark)', when: 'selected'},
		HELP,
		BACK,
		QUIT_CTRL_C,
	],
	'inventory-merge': [
		MOVE('entry'),
		{keys: ['enter'], intent: 'merge', label: 'merges', help: 'merge into this entry (the evidence is kept)', hint: 'Enter merges (the evidence is kept)', when: 'otherSelected'},
		{keys: ['escape'], intent: 'cancel', label: 'cancels', help: 'cancel the merge'},
		QUIT_CTRL_C,
	],
	'inventory-delete': [
		QUIT_CTRL_C,
		{keys: ['y'], intent: 'delete', label: 'to delete', help: 'delete the entry'},
		{keys: ['any'], intent: 'keep', label: 'keeps it', help: 'keep the entry'},
	],
	rotate: [
		{...MOVE('task'), hint: '↑↓'},
		{keys: ['enter'], intent: 'do', label: 'do it (shown, y runs)', help: 'do the task: its commands are shown first, y runs them', when: 'task'},
		{keys: ['d'], intent: 'dry-run', label: 'dry run', help: 'dry run: every command in order, nothing runs'},
		{keys: ['n'], intent: 'new-key', label: 'new key', help: 'enter the new key (typed masked, kept in memory only), or re-enter it after a resume'},
		{keys: ['s'], intent: 'skip', label: 'skip', help: 'skip this store update, with a reason', when: 'update'},
		{keys: ['h'], intent: 'by-hand', label: 'by hand', help: 'mark this store update done by hand', when: 'update'},
		{keys: ['c'], intent: 'check', label: 'check', help: "run this consumer's health check", when: 'checkable'},
		HELP,
		BACK,
		QUIT_CTRL_C,
	],
	'rotate-confirm': [
		QUIT_CTRL_C,
		{keys: ['y'], intent: 'yes', label: 'to go ahead', help: 'go ahead: run it'},
		{keys: ['any'], intent: 'cancel', label: 'cancels', help: 'cancel: nothing runs'},
	],
	'rotate-harden-file': [
		QUIT_CTRL_C,
		{keys: ['1', '2', '3', '4'], intent: 'store', label: 'store', help: "where this file's service reads the key from: 1 env, 2 AWS Secrets Manager, 3 Vault, 4 Conjur", display: '1 … 4'},
		{keys: ['y'], intent: 'accept', label: 'accepts this rewrite', help: "accept this file's rewrite (written at the end, after one confirmation); a file with no rewrite: go on"},
		{keys: ['n'], intent: 'leave', label: 'leaves it', help: 'leave this file as it is and go on'},
		{keys: ['escape'], intent: 'cancel', label: 'cancels (nothing written)', help: 'cancel: nothing is written'},
	],
	'rotate-dry-run': [QUIT_CTRL_C, {keys: ['any'], intent: 'close', label: 'to close', help: 'close the dry run', display: 'any key', hint: 'any key to close'}],
	verify: [
		{keys: ['o'], intent: 'probe-old', label: 'probe old', help: 'probe the old key: it must be rejected (revoked)', when: 'idle'},
		{keys: ['w'], intent: 'probe-new', label: 'probe new', help: 'probe the new key: it must be live', when: 'idle'},
		{keys: ['r'], intent: 'rescan', label: 're-scan', help: 're-scan the working tree for the old key', when: 'idle'},
		{keys: ['c'], intent: 'health', label: 'health checks', help: "run every updated consumer's health check", when: 'idle'},
		{keys: ['up', 'down'], intent: 'move', label: 'follow-up', help: 'move between follow-ups', hint: '↑↓ follow-up', when: 'followUps'},
		{keys: ['x'], intent: 'follow-up-done', label: 'follow-up done', help: 'mark the follow-up done', when: 'followUp'},
		{keys: ['g'], intent: 'cleanup', label: 'clean-up', help: "the history clean-up (after the old key is proven revoked)", when: 'idle'},
		{keys: ['m'], intent: 'hand-check', label: 'checked by hand', help: 'say which updated consumers you checked healthy yourself, one by one', when: 'unchecked'},
		HELP,
		BACK,
		QUIT_CTRL_C,
	],
	'verify-hand-check': [
		QUIT_CTRL_C,
		{keys: ['y'], intent: 'yes', label: 'I checked it: healthy', help: 'you checked this consumer yourself and it works with the new key'},
		{keys: ['n'], intent: 'no', label: 'not this one', help: 'not checked (or not healthy): go on to the next'},
		{keys: ['escape'], intent: 'stop', label: 'stop', help: 'stop asking'},
	],
	'verify-cleanup': [
		QUIT_CTRL_C,
		{keys: ['y'], intent: 'purge', label: 'purges the history', help: 'purge the old key from the history (git filter-repo)'},
		{keys: ['i'], intent: 'ignore-scanners', label: 'writes the ggshield entry', help: 'write the ggshield entry for the dead key'},
		{keys: ['any'], intent: 'close', label: 'closes', help: 'close'},
	],
	findings: [
		MOVE('finding'),
		{keys: ['s', '!'], intent: 'suspicious', label: 'suspicious', help: 'mark it suspicious (raises the severity; goes into the report)', when: 'finding'},
		{keys: ['x', 'o'], intent: 'expected', label: 'expected', help: 'mark it expected', when: 'finding'},
		{keys: ['u'], intent: 'undecided', label: 'undecided', help: 'mark it undecided again', when: 'finding'},
		{keys: ['n'], intent: 'note', label: 'note', help: 'add or edit a note on it', when: 'finding'},
		HELP,
		{keys: ['escape', 'q', 'f', 'left'], intent: 'back', label: 'back', help: 'back to the checklist', hint: 'Esc back'},
		QUIT_CTRL_C,
	],
} as const satisfies Record<string, readonly KeyEntry[]>;

export type Screen = keyof typeof KEYMAP;
export const SCREENS = Object.keys(KEYMAP) as Screen[];
/** The intents a screen's table names, and `none`. */
export type IntentOf<S extends Screen> = (typeof KEYMAP)[S][number]['intent'] | 'none';
/** An intent and the key that made it (`1`…`5` says which step, `up` or `k` which way). */
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

/** -1 for a key that moves back (up, k, left, Shift-Tab), +1 otherwise. */
export function direction(intent: {key: KeySpec}): -1 | 1 {
	return ['up', 'k', 'left', 'shift-tab'].includes(intent.key) ? -1 : 1;
}

const ALWAYS_SHOWN = new Set(['help', 'quit', 'back']);

/**
 * The footer: each key that does something now, in the table's order. Past `width` columns the
 * last keys give way, never help, quit or back, and `?` then says it lists them all.
 */
export function footerHint(screen: Screen, context: KeyContext = {}, width = Number.POSITIVE_INFINITY): string {
	const parts = entriesOf(screen)
		.filter(entry => entry.hint !== false && holds(entry, context))
		.map(entry => ({entry, text: typeof entry.hint === 'string' ? entry.hint : `${keyGlyph(entry.keys[0]!)} ${entry.label}`}));
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

export const SCREEN_TITLE: Record<Screen, string> = {
	'step:assess': 'Step 1 · Assess',
	'step:logs': 'Step 2 · Check logs',
	'step:inventory': 'Step 3 · Service inventory',
	'step:rotate': 'Step 4 · Rotate',
	'step:verify': 'Step 5 · Verify',
	places: 'Every place the scan found',
	help: 'Help',
	inventory: 'Inventory (step 3)',
	'inventory-merge': 'Inventory: merge',
	'inventory-delete': 'Inventory: delete',
	rotate: 'Rotate (step 4)',
	'rotate-confirm': 'Rotate: confirm',
	'rotate-harden-file': 'Rotate: keep the key out of code, file by file',
	'rotate-dry-run': 'Rotate: dry run',
	verify: 'Verify (step 5)',
	'verify-cleanup': 'Verify: clean-up',
	'verify-hand-check': 'Verify: checked by hand',
	findings: 'Log findings',
};

export type TextIntent =
	| {type: 'insert'; text: string; submit: boolean}
	| {type: 'backspace'}
	| {type: 'submit'}
	| {type: 'cancel'}
	| {type: 'quit'}
	| {type: 'none'};

export function textIntent(input: string, key: Key): TextIntent {
	if (key.ctrl && input === 'c') return {type: 'quit'};
	if (key.return) return {type: 'submit'};
	if (key.escape) return {type: 'cancel'};
	if (key.backspace || key.delete) return {type: 'backspace'};
	if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return {type: 'none'};
	// Ink hands over a paste, or keys typed faster than it reads, as one chunk: "name\r" is text
	// and then Enter. Line breaks inside the chunk are not part of a one-line answer.
	const text = input.replace(/[\r\n]+/g, '');
	const submit = /[\r\n]$/.test(input);
	if (text.length === 0) return submit ? {type: 'submit'} : {type: 'none'};
	return {type: 'insert', text, submit};
}

// The escape sequences Ink 6 names as keys (its parse-keypress table: arrows, Home/End, PageUp/
// PageDown, Insert/Delete, F1–F12, Shift+Tab, with or without modifiers), as the code it reads
// from them. Any other sequence (a pasted colour code, a bracketed-paste marker, a kitty-protocol
// key we never asked for) is unknown: Ink would hand it on as text or, with a modifier, crash on
// it (`ESC[31m` has no name and a ctrl bit: "Cannot read properties of undefined").
const KNOWN_KEY_CODES = new Set([
	'OP', 'OQ', 'OR', 'OS', '[11~', '[12~', '[13~', '[14~', '[[A', '[[B', '[[C', '[[D', '[[E',
	'[15~', '[17~', '[18~', '[19~', '[20~', '[21~', '[23~', '[24~',
	'[A', '[B', '[C', '[D', '[E', '[F', '[H', 'OA', 'OB', 'OC', 'OD', 'OE', 'OF', 'OH',
	'[1~', '[2~', '[3~', '[4~', '[5~', '[6~', '[[5~', '[[6~', '[7~', '[8~',
	'[a', '[b', '[c', '[d', '[e', '[2$', '[3$', '[5$', '[6$', '[7$', '[8$', 'Oa', 'Ob', 'Oc', 'Od', 'Oe',
	'[2^', '[3^', '[5^', '[6^', '[7^', '[8^', '[Z',
]);
// Ink's own reading of a function key (fnKeyRe), anchored: the whole event must be the key.
const FN_KEY = /^\u001B+(O|N|\[|\[\[)(?:(\d+)(?:;(\d+))?([~^$])|(?:1;)?(\d+)?([a-zA-Z]))$/;

/**
 * True for an input event that is an escape sequence Ink cannot name as a key: it is dropped
 * before any handler sees it. A lone Esc, Esc Esc, and Alt with a letter, digit, Enter, Space,
 * Tab or Backspace stay keys; text without Esc is never dropped here (text fields drop its
 * control characters). `ESC ]` (an OSC's start) is dropped; its payload, if any, arrives as text.
 */
export function isUnknownSequence(input: string): boolean {
	if (!input.startsWith('\u001B')) return false;
	const rest = input.replace(/^\u001B+/, '');
	if (rest === '') return input.length > 2; // Esc, or Alt+Esc
	// Alt+letter or digit (Ink's metaKeyCodeRe), Alt+Enter, Alt+Space, Alt+Tab, Alt+Backspace.
	if (input.length - rest.length <= 2 && /^[a-zA-Z0-9\r\n \t\u007F\b]$/.test(rest)) return false;
	const match = FN_KEY.exec(input);
	if (!match) return true;
	return !KNOWN_KEY_CODES.has(`${match[1]}${match[2] ?? ''}${match[4] ?? ''}${match[6] ?? ''}`);
}

export type ListIntent = {type: 'up'} | {type: 'down'} | {type: 'choose'} | {type: 'back'} | {type: 'quit'} | {type: 'none'};

/** Keys in a pick list. `q` leaves only where the list says it may (the home screen). */
export function listIntent(input: string, key: Key, {qQuits = false}: {qQuits?: boolean} = {}): ListIntent {
	if (key.ctrl && input === 'c') return {type: 'quit'};
	if (key.upArrow || keyMatches('k', input, key)) return {type: 'up'};
	if (key.downArrow || keyMatches('j', input, key)) return {type: 'down'};
	if (key.return) return {type: 'choose'};
	if (key.escape) return {type: 'back'};
	if (qQuits && keyMatches('q', input, key)) return {type: 'quit'};
	return {type: 'none'};
}

/** Yes or no to a consent question. */
export function consentIntent(input: string, key: Key): 'yes' | 'no' | 'none' {
	if (keyMatches('y', input, key) || keyMatches('Y', input, key)) return 'yes';
	if (keyMatches('n', input, key) || keyMatches('N', input, key) || key.escape || (key.ctrl && input === 'c')) return 'no';
	return 'none';
}
