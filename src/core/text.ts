// The one sanitizer for text that did not come from leakfix: repository contents and names, git
// authors and messages, provider answers, log lines and file names, notes typed into the wizard.
// Such text reaches a terminal or a report only with its control characters made visible, so a
// name holding `ESC]52;…BEL` (a clipboard write), `ESC[2J` or a bidi override shows as the
// characters it is, and cannot act on the terminal or reorder what is around it.
//
// What is made visible (each character on its own, so an escape sequence shows whole, inert):
//   C0 controls U+0000–U+001F, DEL U+007F, C1 controls U+0080–U+009F  -> \xNN
//   bidi overrides and isolates U+202A–U+202E, U+2066–U+2069,
//   the marks U+200E, U+200F, U+061C, and U+2028, U+2029 (line and paragraph separators) -> \uXXXX
// Tab and newline: in one-line text (a name, a path, a field) they are shown as \t and \n, so a
// file name cannot forge a line of output. In a block (a diff, an output that is many lines by
// design) newline stays a newline and tab a tab (code is indented with tabs; a tab moves the
// cursor forward only, it cannot overwrite). Carriage return is always shown (\r rewrites a line).

// One pattern per mode; `g` so replace finds every one.
const UNSAFE_LINE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
const UNSAFE_BLOCK = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
const HAS_UNSAFE_LINE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const HAS_UNSAFE_BLOCK = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/**
 * Every character a terminal could act on, or that reorders text around it, in any mode.
 * Tests assert that no sink lets one through (tab and newline checked per sink).
 */
export const RAW_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

const NAMED: Record<string, string> = {'\t': '\\t', '\n': '\\n', '\r': '\\r'};

function shown(char: string): string {
	const named = NAMED[char];
	if (named !== undefined) return named;
	const code = char.charCodeAt(0);
	return code <= 0xFF ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of outside text, safe to show: every control character (tab and newline too) made visible. */
export function visible(text: string): string {
	return HAS_UNSAFE_LINE.test(text) ? text.replace(UNSAFE_LINE, shown) : text;
}

/** Many lines of outside text, safe to show: newlines and tabs kept, every other control made visible. */
export function visibleBlock(text: string): string {
	return HAS_UNSAFE_BLOCK.test(text) ? text.replace(UNSAFE_BLOCK, shown) : text;
}

// JSON.stringify escapes C0 but leaves DEL, C1, the bidi controls and U+2028/2029 raw; a terminal
// that prints the JSON would act on them. Outside a string JSON has only ASCII punctuation, so
// every one of these is inside a string, where \uXXXX means the same character.
const JSON_UNSAFE = /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** JSON.stringify whose output holds no raw control character: the same value when parsed. */
export function safeJson(value: unknown, space?: number): string {
	return JSON.stringify(value, null, space).replace(JSON_UNSAFE, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Characters that are dropped from what is typed or pasted into a text field (no field holds one). */
const TYPED_CONTROL = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** Typed or pasted text with every control character dropped. */
export function typedText(text: string): string {
	return text.replace(TYPED_CONTROL, '');
}
