// A key as the tables name it, and how a raw Ink key event matches one.
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
