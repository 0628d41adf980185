// Keys -> intents, in one pure place. Screens never compare raw input themselves.
import type {Key} from 'ink';

export type BrowseIntent =
	| {type: 'up'}
	| {type: 'down'}
	| {type: 'prev-step'}
	| {type: 'next-step'}
	| {type: 'goto-step'; index: number}
	| {type: 'toggle-done'}
	| {type: 'skip'}
	| {type: 'note'}
	| {type: 'enter-key'}
	| {type: 'scan'}
	| {type: 'probe'}
	| {type: 'places'}
	| {type: 'analyse-logs'}
	| {type: 'findings'}
	| {type: 'logs-command'}
	| {type: 'work'}
	| {type: 'cancel'}
	| {type: 'help'}
	| {type: 'quit'}
	| {type: 'none'};

export function browseIntent(input: string, key: Key): BrowseIntent {
	if (key.ctrl && input === 'c') return {type: 'quit'};
	if (key.upArrow) return {type: 'up'};
	if (key.downArrow) return {type: 'down'};
	if (key.leftArrow || (key.tab && key.shift)) return {type: 'prev-step'};
	if (key.rightArrow || key.tab) return {type: 'next-step'};
	if (key.return) return {type: 'toggle-done'};
	if (key.escape) return {type: 'cancel'};
	if (/^[1-5]$/.test(input)) return {type: 'goto-step', index: Number(input) - 1};
	switch (input) {
		case ' ':
		case 'x': {
			return {type: 'toggle-done'};
		}

		case 's': {
			return {type: 'skip'};
		}

		case 'n': {
			return {type: 'note'};
		}

		case 'k': {
			return {type: 'enter-key'};
		}

		case 'e': {
			return {type: 'scan'};
		}

		case 'p': {
			return {type: 'probe'};
		}

		case 'l': {
			return {type: 'places'};
		}

		case 'a': {
			return {type: 'analyse-logs'};
		}

		case 'f': {
			return {type: 'findings'};
		}

		case 'c': {
			return {type: 'logs-command'};
		}

		case 'w': {
			return {type: 'work'};
		}

		case '?': {
			return {type: 'help'};
		}

		case 'q': {
			return {type: 'quit'};
		}

		default: {
			return {type: 'none'};
		}
	}
}

export type ReviewIntent =
	| {type: 'up'}
	| {type: 'down'}
	| {type: 'mark'; verdict: 'suspicious' | 'expected' | 'open'}
	| {type: 'note'}
	| {type: 'back'}
	| {type: 'quit'}
	| {type: 'none'};

/** Keys on the log findings screen: s suspicious, x expected, u undecided, n note, Esc back. */
export function reviewIntent(input: string, key: Key): ReviewIntent {
	if (key.ctrl && input === 'c') return {type: 'quit'};
	if (key.upArrow || input === 'k') return {type: 'up'};
	if (key.downArrow || input === 'j') return {type: 'down'};
	if (key.escape || input === 'q' || input === 'f' || key.leftArrow) return {type: 'back'};
	if (input === 's' || input === '!') return {type: 'mark', verdict: 'suspicious'};
	if (input === 'x' || input === 'o') return {type: 'mark', verdict: 'expected'};
	if (input === 'u') return {type: 'mark', verdict: 'open'};
	if (input === 'n') return {type: 'note'};
	return {type: 'none'};
}

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
	if (key.upArrow || input === 'k') return {type: 'up'};
	if (key.downArrow || input === 'j') return {type: 'down'};
	if (key.return) return {type: 'choose'};
	if (key.escape) return {type: 'back'};
	if (qQuits && input === 'q') return {type: 'quit'};
	return {type: 'none'};
}

/** Yes or no to a consent question. */
export function consentIntent(input: string, key: Key): 'yes' | 'no' | 'none' {
	if (input === 'y' || input === 'Y') return 'yes';
	if (input === 'n' || input === 'N' || key.escape || (key.ctrl && input === 'c')) return 'no';
	return 'none';
}
