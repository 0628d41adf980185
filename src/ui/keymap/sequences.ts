// Escape sequences Ink cannot name as keys: dropped before any handler sees them (inputGuard.ts).

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
