// The input guard's rule (keymap.ts isUnknownSequence) against Ink's own key parser: every escape
// sequence the guard lets through is one Ink names as a key, so Ink's useInput neither crashes on
// it nor hands it on as text; the keys leakfix uses are never dropped.
import {describe, expect, it} from 'vitest';
import parseKeypress, {nonAlphanumericKeys} from '../../node_modules/ink/build/parse-keypress.js';
import {createInputFilter} from '../../src/ui/inputGuard.js';
import {isUnknownSequence} from '../../src/ui/keymap.js';
import {KEY} from '../helpers/ink.js';

/** What Ink 6.8's useInput does with one input event before calling a handler (use-input.js). */
function inkInput(sequence: string): string {
	const keypress = parseKeypress(sequence) as {name?: string; ctrl: boolean; sequence: string; isKittyProtocol?: boolean; isPrintable?: boolean; text?: string};
	let input: string;
	if (keypress.isKittyProtocol) input = keypress.isPrintable ? (keypress.text ?? keypress.name!) : keypress.ctrl && keypress.name!.length === 1 ? keypress.name! : '';
	else if (keypress.ctrl) input = keypress.name!;
	else input = keypress.sequence;
	if (!keypress.isKittyProtocol && nonAlphanumericKeys.includes(keypress.name!)) input = '';
	return input.startsWith('\u001B') ? input.slice(1) : input; // throws on undefined, as Ink does
}

describe('isUnknownSequence', () => {
	it('keeps every key leakfix reads, with or without modifiers', () => {
		for (const key of [KEY.up, KEY.down, KEY.left, KEY.right, KEY.escape, '\u001B\u001B', '\u001B[Z', '\u001B[1;5A', '\u001B[1;2B', '\u001BOA', '\u001B[3~', '\u001B[5~', '\u001B[6~', '\u001B[H', '\u001B[F', '\u001B[1~', '\u001B[4~', '\u001BOP', '\u001B[15~', '\u001B[24~', '\u001Bq', '\u001B\u007F', '\u001B\r', '\u001B\u001B[A']) {
			expect(isUnknownSequence(key), JSON.stringify(key)).toBe(false);
		}
	});

	it('drops colour codes, paste markers, mouse reports, OSC and kitty keys', () => {
		for (const sequence of ['\u001B[31m', '\u001B[1;31m', '\u001B[0m', '\u001B[2J', '\u001B[200~', '\u001B[201~', '\u001B[?1049h', '\u001B[<0;1;1M', '\u001B[M', '\u001B[97u', '\u001B[97;5u', '\u001B[1;5:1A', '\u001B]', '\u001B[', '\u001B\u001B\u001B', '\u001BOz', '\u001B[I']) {
			expect(isUnknownSequence(sequence), JSON.stringify(sequence)).toBe(true);
		}
	});

	it('never drops text without Esc (text fields drop its control characters)', () => {
		for (const text of ['a', 'abc', '[31m', '\u009B31m', '\u0007', '\u202E']) expect(isUnknownSequence(text)).toBe(false);
	});

	it('lets through no escape sequence that Ink would crash on or hand on as text (every CSI/SS3 shape up to 3 parameters)', () => {
		const finals = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz~^$@`{|}'];
		const params = ['', '1', '2', '3', '5', '31', '200', '1;5', '3;5', '1;31', '5;31', '31;5', '1;5:1', '97;5', '?1049', '<0;1;1'];
		let checked = 0;
		for (const prefix of ['\u001B[', '\u001BO', '\u001B[[', '\u001B\u001B[', '\u001BN']) {
			for (const param of params) {
				for (const final of finals) {
					const sequence = `${prefix}${param}${final}`;
					checked++;
					if (isUnknownSequence(sequence)) continue;
					let input: string | undefined;
					expect(() => (input = inkInput(sequence)), JSON.stringify(sequence)).not.toThrow();
					// A named key reaches handlers as '' (or a letter with ctrl), never as the sequence's text.
					expect(input!.length <= 1, `${JSON.stringify(sequence)} -> ${JSON.stringify(input)}`).toBe(true);
				}
			}
		}
		expect(checked).toBeGreaterThan(4000);
		// And the reported one crashes Ink without the guard: the reason for it.
		expect(() => inkInput('\u001B[31m')).toThrow(TypeError);
	});

	it('lets through Esc plus one character only for Alt with a letter, digit, Enter, Space, Tab or Backspace', () => {
		for (let code = 0; code < 0x100; code++) {
			const sequence = `\u001B${String.fromCharCode(code)}`;
			if (isUnknownSequence(sequence)) continue;
			expect(/^\u001B[a-zA-Z0-9\r\n \t\u007F\b\u001B]$/.test(sequence), JSON.stringify(sequence)).toBe(true);
			expect(() => inkInput(sequence)).not.toThrow();
		}
	});
});

describe('createInputFilter', () => {
	/** Runs events through a filter whose "end of read" is called by hand. */
	function run(events: string[]): {kept: Array<string | null>; endRead(): void} {
		let pending: Array<() => void> = [];
		const filter = createInputFilter(callback => pending.push(callback));
		const kept = events.map(event => filter(event));
		return {
			kept,
			endRead() {
				for (const callback of pending) callback();
				pending = [];
			},
		};
	}

	it('drops an OSC 52 clipboard write pasted in one read, body and all, and keeps the text after it', () => {
		// Ink's parser splits "a ESC]52;c;aGk= BEL b" into these events.
		expect(run(['a', '\u001B]', '52;c;aGk=\u0007b']).kept).toEqual(['a', null, 'b']);
		expect(run(['\u001B]', '0;title', '\u001B\\', 'c']).kept).toEqual([null, null, null, 'c']);
		expect(run(['\u001BP', '1$r', '\u001B\\']).kept).toEqual([null, null, null]);
	});

	it('ends an unterminated control string with the read: an Alt key pressed alone swallows nothing typed after it', () => {
		let pending: Array<() => void> = [];
		const filter = createInputFilter(callback => pending.push(callback));
		expect(filter('\u001B]')).toBeNull();
		for (const callback of pending) callback();
		pending = [];
		expect(filter('x')).toBe('x');
	});

	it('cuts 8-bit CSI and control strings out of text whole', () => {
		expect(run(['a\u009B2Jb', '\u009D52;c;aGk=\u0007c', 'd\u009B', '\u009B31m']).kept).toEqual(['ab', 'c', 'd', null]);
	});

	it('drops unknown sequences and keeps keys and text', () => {
		expect(run(['\u001B[31m', KEY.up, 'abc', '\u001B[200~', KEY.escape]).kept).toEqual([null, KEY.up, 'abc', null, KEY.escape]);
	});
});
