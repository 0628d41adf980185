import {describe, expect, it} from 'vitest';
import {RAW_CONTROL, safeJson, typedText, visible, visibleBlock} from '../../src/core/text.js';

// Every character the sanitizer must neutralise, one string each, plus whole sequences.
const CONTROLS = [
	...Array.from({length: 0x20}, (_, code) => String.fromCharCode(code)),
	'\u007F',
	...Array.from({length: 0x20}, (_, index) => String.fromCharCode(0x80 + index)),
	'\u061C', '\u200E', '\u200F', '\u2028', '\u2029',
	'\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
	'\u2066', '\u2067', '\u2068', '\u2069',
];
const ANY_RAW = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

describe('visible (one line of outside text)', () => {
	it('shows ESC sequences, OSC 52 and BEL as the characters they are', () => {
		expect(visible('\u001B[31mred\u001B[0m')).toBe('\\x1b[31mred\\x1b[0m');
		expect(visible('Eve\u001B]52;c;aGVsbG8=\u0007')).toBe('Eve\\x1b]52;c;aGVsbG8=\\x07');
		expect(visible('a\u009B31mb')).toBe('a\\x9b31mb');
		expect(visible('DEL\u007F')).toBe('DEL\\x7f');
	});

	it('shows bidi overrides, isolates and marks as \\uXXXX', () => {
		expect(visible('invoice\u202Efdp.exe')).toBe('invoice\\u202efdp.exe');
		expect(visible('\u2066a\u2069\u200E\u200F\u061C')).toBe('\\u2066a\\u2069\\u200e\\u200f\\u061c');
	});

	it('shows tab, newline and carriage return in a one-line field', () => {
		expect(visible('a\tb\nc\rd')).toBe('a\\tb\\nc\\rd');
	});

	it('leaves ordinary text, accents, emoji and right-to-left letters alone', () => {
		for (const text of ['src/app.ts', 'José Müller', 'café ☕ 🔑', 'שלום مرحبا', 'a\\x1b literal backslash']) expect(visible(text)).toBe(text);
	});

	it('leaves no raw control character for any of them, alone or in a run', () => {
		for (const char of CONTROLS) {
			expect(visible(`x${char}y`)).not.toMatch(ANY_RAW);
			expect(visibleBlock(`x${char}y`)).not.toMatch(RAW_CONTROL);
		}
		expect(visible(CONTROLS.join(''))).not.toMatch(ANY_RAW);
	});
});

describe('visibleBlock (many lines of outside text)', () => {
	it('keeps newlines and tabs, shows carriage return and escapes', () => {
		expect(visibleBlock('line 1\n\tindented\r\u001B[2Kforged')).toBe('line 1\n\tindented\\r\\x1b[2Kforged');
	});

	it('is a no-op on text visible() already cleaned', () => {
		const once = visible('\u001B]52;c;x\u0007\n\u202E');
		expect(visibleBlock(once)).toBe(once);
		expect(visible(once)).toBe(once);
	});
});

describe('safeJson', () => {
	it('escapes DEL, C1, bidi and line separators that JSON.stringify leaves raw, and parses back to the same value', () => {
		const value = {name: 'a\u0085b\u202Ec\u2028d\u007F', esc: '\u001B[31m', list: ['\u009B', 'ok']};
		expect(JSON.stringify(value)).toMatch(/[\u0085\u202E\u2028\u007F\u009B]/); // what this is for
		const text = safeJson(value, 2);
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/);
		expect(text).toContain('\\u202e');
		expect(JSON.parse(text)).toEqual(value);
	});
});

describe('typedText', () => {
	it('drops every control character from typed or pasted text', () => {
		expect(typedText('ab\u001B[31mc\u0007\u202Ed\u0085')).toBe('ab[31mcd');
		for (const char of CONTROLS) expect(typedText(char)).toBe('');
	});
});
