import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {consentIntent, direction, entriesOf, footerHint, helpRows, intentFor, keyMatches, listIntent, NAMED_KEYS, SCREENS, textIntent, type KeyContext} from '../../src/ui/keymap.js';
import {splitPaths} from '../../src/ui/LogsForm.js';
import {initialWizardUi, visibleWindow, wizardUi} from '../../src/ui/wizardUi.js';

const none: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
} as Key;
const k = (patch: Partial<Key>): Key => ({...none, ...patch});

const browse = (input: string, key: Key = none, context: KeyContext = {}) => intentFor('step:assess', input, key, context);

describe('the wizard step keys', () => {
	it('maps keys to intents', () => {
		expect(browse('', k({upArrow: true}))).toEqual({type: 'move', key: 'up'});
		expect(direction(browse('', k({upArrow: true})))).toBe(-1);
		expect(direction(browse('', k({downArrow: true})))).toBe(1);
		expect(direction(browse('', k({tab: true})))).toBe(1);
		expect(browse('', k({tab: true, shift: true}))).toEqual({type: 'step', key: 'shift-tab'});
		expect(direction(browse('', k({tab: true, shift: true})))).toBe(-1);
		expect(direction(browse('', k({leftArrow: true})))).toBe(-1);
		expect(browse('3')).toEqual({type: 'goto-step', key: '3'});
		expect(browse(' ').type).toBe('toggle-done');
		expect(browse('', k({return: true})).type).toBe('toggle-done');
		expect(browse('s').type).toBe('skip');
		expect(browse('n').type).toBe('note');
		expect(browse('?').type).toBe('help');
		expect(browse('q').type).toBe('quit');
		expect(browse('c', k({ctrl: true})).type).toBe('quit');
		expect(browse('z').type).toBe('none');
		expect(browse('9').type).toBe('none');
		// Ctrl or Alt with a letter is not the letter.
		expect(browse('s', k({ctrl: true})).type).toBe('none');
		expect(browse('s', k({meta: true})).type).toBe('none');
		expect(consentIntent('y', k({ctrl: true}))).toBe('none');
		expect(consentIntent('Y', k({shift: true}))).toBe('yes');
		expect(listIntent('k', k({ctrl: true})).type).toBe('none');
		expect(listIntent('q', k({ctrl: true}), {qQuits: true}).type).toBe('none');
		expect(listIntent('q', none, {qQuits: true}).type).toBe('quit');
	});

	it('a key whose condition does not hold does nothing, and is not in the footer', () => {
		expect(browse('k').type).toBe('none');
		expect(browse('k', none, {keyMissing: true}).type).toBe('enter-key');
		expect(browse('p').type).toBe('none');
		expect(browse('p', none, {canProbe: true}).type).toBe('probe');
		expect(browse('', k({escape: true})).type).toBe('none');
		expect(browse('', k({escape: true}), {running: true}).type).toBe('cancel');
		expect(footerHint('step:assess')).toBe('↑↓ item · ←→ step · Space done · s skip · n note · e scan · ? help · q quit');
		expect(footerHint('step:assess', {canProbe: true, keyMissing: true})).toBe('↑↓ item · ←→ step · Space done · s skip · n note · p probe · e scan · k key · ? help · q quit');
		const rows = helpRows('step:assess');
		expect(rows.find(row => row.keys === 'p')).toEqual({keys: 'p', what: 'probe whether the key is live (read-only; asked once) (with the key entered and a probe for this provider)', active: false});
	});

	it('a narrow footer drops the common keys first, then the step\'s own, never help and quit, and says ? lists them all', () => {
		const line = footerHint('step:assess', {canProbe: true, hasPlaces: true}, 60);
		expect(line.length).toBeLessThanOrEqual(60);
		expect(line).toBe('Space done · p probe · e scan · ? all keys · q quit');
		expect(footerHint('step:assess', {canProbe: true, hasPlaces: true}, 78)).toBe('↑↓ item · Space done · p probe · e scan · l places · ? all keys · q quit');
	});
});

// Every printable ASCII character and every named key, alone and with Ctrl.
const printable = Array.from({length: 95}, (_, index) => String.fromCharCode(32 + index));
const namedKey = (name: string): [string, Key] =>
	({
		up: ['', k({upArrow: true})], down: ['', k({downArrow: true})], left: ['', k({leftArrow: true})], right: ['', k({rightArrow: true})],
		enter: ['', k({return: true})], escape: ['', k({escape: true, meta: true})], tab: ['', k({tab: true})], 'shift-tab': ['', k({tab: true, shift: true})],
		delete: ['', k({delete: true})], 'ctrl-c': ['c', k({ctrl: true})],
	})[name] as [string, Key];
const allKeys: Array<[string, Key]> = [
	...printable.map(char => [char, /[A-Z]/.test(char) ? k({shift: true}) : none] as [string, Key]),
	...NAMED_KEYS.map(namedKey),
	...['a', 'q', 'x'].map(char => [char, k({ctrl: true})] as [string, Key]),
];
const everything: KeyContext = Object.fromEntries(SCREENS.flatMap(screen => entriesOf(screen).flatMap(entry => (entry.when ? [[entry.when, true]] : [])))) as KeyContext;

describe('every key that does something is in its screen\'s table', () => {
	it.each(SCREENS)('%s', screen => {
		for (const [input, key] of allKeys) {
			for (const context of [{}, everything]) {
				const intent = intentFor(screen, input, key, context);
				if (intent.type === 'none') continue;
				const entry = entriesOf(screen).find(candidate => candidate.intent === intent.type && candidate.keys.includes(intent.key));
				expect(entry, `${screen}: ${JSON.stringify(input)} ${JSON.stringify(key)} -> ${intent.type}`).toBeDefined();
				expect(keyMatches(intent.key, input, key)).toBe(true);
				// ...and the overlay lists it.
				expect(helpRows(screen, context).some(row => row.what.startsWith(entry!.help ?? entry!.label))).toBe(true);
			}
		}
	});

	it('every key a table lists does something with its condition held', () => {
		for (const screen of SCREENS) {
			for (const entry of entriesOf(screen)) {
				for (const spec of entry.keys) {
					const [input, key] = spec === 'any' ? ['%', none] : spec.length === 1 ? [spec, /[A-Z]/.test(spec) ? k({shift: true}) : none] : namedKey(spec);
					expect(intentFor(screen, input, key, everything).type, `${screen} ${spec}`).not.toBe('none');
				}
			}
		}
	});

	it('? opens the help on every screen with a list, and q quits where the help says so', () => {
		for (const screen of ['step:assess', 'step:logs', 'step:inventory', 'step:rotate', 'step:verify', 'places', 'inventory', 'rotate', 'verify', 'findings'] as const) {
			expect(intentFor(screen, '?', none, everything).type, screen).toBe('help');
			const q = intentFor(screen, 'q', none, everything).type;
			const row = helpRows(screen, everything).find(candidate => candidate.keys.split(' ').includes('q'));
			if (q === 'quit') expect(row?.what).toMatch(/^quit/);
			if (q === 'back') expect(row?.what).toMatch(/^back/);
			expect(helpRows(screen).some(candidate => candidate.keys.includes('Ctrl-C') && candidate.what.startsWith('quit'))).toBe(true);
		}
	});
});

describe('textIntent', () => {
	it('edits, submits and cancels; a paste loses its line breaks', () => {
		expect(textIntent('ab', none)).toEqual({type: 'insert', text: 'ab', submit: false});
		expect(textIntent('a\r\nb', none)).toEqual({type: 'insert', text: 'ab', submit: false});
		// Typed faster than Ink reads, or a pasted line: text, then Enter.
		expect(textIntent('my key name\r', none)).toEqual({type: 'insert', text: 'my key name', submit: true});
		expect(textIntent('\n', none)).toEqual({type: 'submit'});
		expect(textIntent('', k({delete: true}))).toEqual({type: 'backspace'});
		expect(textIntent('', k({backspace: true}))).toEqual({type: 'backspace'});
		expect(textIntent('', k({return: true}))).toEqual({type: 'submit'});
		expect(textIntent('', k({escape: true}))).toEqual({type: 'cancel'});
		expect(textIntent('c', k({ctrl: true}))).toEqual({type: 'quit'});
		expect(textIntent('', k({upArrow: true}))).toEqual({type: 'none'});
	});
});

describe('wizardUi', () => {
	it('opens a prompt, edits, errors and closes', () => {
		let state = wizardUi(initialWizardUi, {type: 'open', mode: 'skip'});
		expect(state).toEqual({mode: 'skip', text: ''});
		state = wizardUi(state, {type: 'error', message: 'needs a reason'});
		state = wizardUi(state, {type: 'edit', text: 'x'});
		expect(state).toEqual({mode: 'skip', text: 'x', error: undefined});
		expect(wizardUi(state, {type: 'close'})).toBe(initialWizardUi);
	});

	it('windows a long list around the cursor', () => {
		expect(visibleWindow(5, 4, 12)).toEqual({start: 0, end: 5});
		expect(visibleWindow(20, 0, 6)).toEqual({start: 0, end: 6});
		expect(visibleWindow(20, 10, 6)).toEqual({start: 7, end: 13});
		expect(visibleWindow(20, 19, 6)).toEqual({start: 14, end: 20});
	});
});

describe('log step keys', () => {
	it('a analyses, f reviews, c fetches the provider logs; on the review, s/x/u mark and Esc, q or f go back', () => {
		const logs = {logsIdle: true, hasFindings: true, canFetchLogs: true};
		expect(['a', 'f', 'c'].map(input => intentFor('step:logs', input, none, logs).type)).toEqual(['analyse-logs', 'findings', 'logs-command']);
		expect(['a', 'f', 'c'].map(input => intentFor('step:assess', input, none, logs).type)).toEqual(['none', 'none', 'none']);
		const review = (input: string, key: Key = none) => intentFor('findings', input, key, {finding: true}).type;
		expect(review('s')).toBe('suspicious');
		expect(review('x')).toBe('expected');
		expect(review('u')).toBe('undecided');
		expect(review('', k({escape: true}))).toBe('back');
		expect(review('q')).toBe('back');
		expect(review('c', k({ctrl: true}))).toBe('quit');
		expect(intentFor('findings', 's', none).type).toBe('none'); // no finding to mark
	});

	it('splits typed paths on spaces, keeping quoted ones whole', () => {
		expect(splitPaths('/var/log/a.log  "/mnt/My Logs/b.gz" \'c d.csv\'')).toEqual(['/var/log/a.log', '/mnt/My Logs/b.gz', 'c d.csv']);
		expect(splitPaths('   ')).toEqual([]);
	});
});
