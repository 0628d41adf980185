// Issue 12, break 3: no input may crash the wizard. Escape sequences pasted or typed into a
// prompt (ESC[31m once ended the process from Ink's input handler, losing the form) are ignored;
// control characters never reach a text field; the frame never shows a raw control character.
import {describe, expect, it} from 'vitest';
import {RAW_CONTROL} from '../../src/core/text.js';
import {KEY, press, settle, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {harness} from './app-harness.js';

const HOSTILE_KEYS = [
	'\u001B[31m', // the report: a colour code pasted at intake
	'\u001B[1;31m',
	'\u001B[5;31m',
	'\u001B[200~', // bracketed paste markers
	'\u001B[201~',
	'\u001B[2J',
	'\u001B[?1049h',
	'\u001B[<0;1;1M', // a mouse report
	'\u001B[97;5u', // a kitty-protocol key never asked for
	'\u001B[1;5:1A',
	'\u001B]52;c;aGVsbG8=\u0007', // OSC 52: clipboard write
	'\u001B]0;title\u001B\\',
	'\u001BP1$r\u001B\\', // DCS
	'\u001B\u001B\u001B',
	'\u001B[',
	'\u001BO',
	'\u009B31m', // C1 CSI
	'\u0007\u0000\u0001\u001F\u0085',
	'\u202Eevil\u2066',
];

/** Deterministic pseudo-random numbers (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6D_2B_79_F5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

// Pieces terminals and pastes are made of; never Enter, Esc alone, q or Ctrl-C, so the fuzz
// stays on one screen.
const PIECES = ['\u001B', '\u001B[', '\u001BO', '[', 'O', ']', ';', '1', '3', '5', '31', '200', '~', '$', '^', 'm', 'u', 'A', 'Z', 'M', ':', '<', '\u0007', '\u0000', '\u0001', '\u0008', '\u001F', '\u0085', '\u009B', '\u009D', '\u202E', '\u2066', 'a', 'é', '🔑', ' '];

function fuzzInput(next: () => number): string {
	let text = '';
	const length = 1 + Math.floor(next() * 8);
	for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)]!;
	// A chunk that would close the sequence with Esc alone or an Enter is left as it is: the
	// pieces hold neither on their own.
	return text;
}

describe('hostile input', () => {
	it('a colour code pasted into the incident name is ignored: no crash, the form keeps what was typed', async () => {
		const h = harness();
		const app = h.start({kind: 'new'}, fakeCloudSightKey());
		await waitForText(app, 'Name this incident:');
		await press(app, 'Billing');
		// Before the fix this write threw "Cannot read properties of undefined (reading 'startsWith')".
		expect(() => app.stdin.write('\u001B[31m')).not.toThrow();
		await settle();
		await press(app, ' key');
		const frame = app.lastFrame() ?? '';
		expect(frame).toContain('Name this incident: Billing key');
		expect(frame).not.toMatch(RAW_CONTROL);
		await press(app, KEY.enter);
		await waitForText(app, 'Which provider issued the key?');
	});

	it('every hostile sequence, typed alone or pasted inside text, leaves the name field holding only the text', async () => {
		const h = harness();
		const app = h.start({kind: 'new'}, fakeCloudSightKey());
		await waitForText(app, 'Name this incident:');
		for (const sequence of HOSTILE_KEYS) {
			expect(() => app.stdin.write(sequence)).not.toThrow();
			await settle();
		}
		// Pasted in one chunk with text around it.
		app.stdin.write(`a${HOSTILE_KEYS.join('b')}c`);
		await settle();
		const frame = app.lastFrame() ?? '';
		expect(frame).toContain('Name this incident:');
		expect(frame).not.toMatch(RAW_CONTROL);
		// No escape sequence became text: the sequences' own letters are not in the field.
		expect(frame).not.toMatch(/\[31m|\[200~|\[2J|\[<0/);
	});

	it('an OSC 52 clipboard write or a title string pasted into a field is dropped whole, its body too', async () => {
		const h = harness();
		const app = h.start({kind: 'new'}, fakeCloudSightKey());
		await waitForText(app, 'Name this incident:');
		await press(app, 'Billing\u001B]52;c;aGVsbG8=\u0007 key\u001B]0;pwned\u001B\\ leak');
		const frame = app.lastFrame() ?? '';
		expect(frame).toContain('Name this incident: Billing key leak');
		expect(frame).not.toContain('52;c;');
		expect(frame).not.toContain('pwned');
	});

	it('the incident name saved from a field with pasted controls holds none of them', async () => {
		const h = harness();
		const app = h.start({kind: 'new'}, fakeCloudSightKey());
		await waitForText(app, 'Name this incident:');
		app.stdin.write('Leak\u0007 in\u001B[31m shop\u202E\u0085');
		await settle();
		await press(app, KEY.enter);
		await waitForText(app, 'Which provider issued the key?');
		await press(app, KEY.enter);
		await waitForText(app, 'Where did it leak?');
		await press(app, KEY.enter);
		await waitForText(app, 'Link to where it leaked:');
		await press(app, KEY.enter);
		await waitForText(app, 'When was it noticed?');
		await press(app, KEY.enter);
		const frame = await waitForText(app, 'Step 1 of 5');
		expect(frame).toContain('Leak in shop');
		expect(h.store.list().sessions[0]!.name).toBe('Leak in shop');
	});

	it('a fuzz of 400 chunks of escape pieces and controls crashes neither a text field nor the wizard', async () => {
		const next = random(12);
		const h = harness();
		const app = h.start({kind: 'new'}, fakeCloudSightKey());
		await waitForText(app, 'Name this incident:');
		for (let i = 0; i < 200; i++) {
			const input = fuzzInput(next);
			expect(() => app.stdin.write(input), JSON.stringify(input)).not.toThrow();
			await settle();
			expect(app.lastFrame() ?? '', JSON.stringify(input)).not.toMatch(RAW_CONTROL);
		}
		// Empty the field, then walk to the wizard and fuzz its browse keys.
		for (let i = 0; i < 3; i++) app.stdin.write('\u007F'.repeat(200));
		await settle();
		await press(app, 'Fuzzed');
		await press(app, KEY.enter);
		await waitForText(app, 'Which provider issued the key?');
		await press(app, KEY.enter);
		await waitForText(app, 'Where did it leak?');
		await press(app, KEY.enter);
		await waitForText(app, 'Link to where it leaked:');
		await press(app, KEY.enter);
		await waitForText(app, 'When was it noticed?');
		await press(app, KEY.enter);
		await waitForText(app, 'Step 1 of 5');
		for (let i = 0; i < 200; i++) {
			// Letters are browse keys (n opens a note, e a scan): the fuzz keeps to escape pieces here.
			const input = fuzzInput(next).replace(/[a-zA-Z0-9 é🔑]/g, '');
			expect(() => app.stdin.write(input), JSON.stringify(input)).not.toThrow();
			await settle();
			expect(app.lastFrame() ?? '', JSON.stringify(input)).not.toMatch(RAW_CONTROL);
		}
		expect(h.outcomes).toEqual([]); // still running
		expect(app.lastFrame()).toMatch(/Step \d of 5/);
	});
});
