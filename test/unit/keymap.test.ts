import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import fs from 'node:fs';
import {consentIntent, direction, entriesOf, footerHint, helpRows, intentFor, keyMatches, keyMeaning, keyOf, listIntent, MEANINGS, meaningsTable, NAMED_KEYS, PROMPT_ANSWERS, PROMPTS, SCREENS, textHint, textIntent, type KeyContext} from '../../src/ui/keymap.js';
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
		// A consent question: n and Esc say no; q and Ctrl-C quit, as on every screen (nothing is sent).
		expect([consentIntent('n', none), consentIntent('', k({escape: true})), consentIntent('q', none), consentIntent('c', k({ctrl: true}))]).toEqual(['no', 'no', 'quit', 'quit']);
		expect(listIntent('k', k({ctrl: true})).type).toBe('none');
		// Lists move with the arrows only: k and j are letters with meanings of their own.
		expect(listIntent('k', none).type).toBe('none');
		expect(listIntent('j', none).type).toBe('none');
		expect(listIntent('', k({upArrow: true})).type).toBe('up');
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
	it('a analyses, f reviews, c fetches the provider logs; on the review, !/o/u mark, Esc goes back and q quits', () => {
		const logs = {logsIdle: true, hasFindings: true, canFetchLogs: true};
		expect(['a', 'f', 'c'].map(input => intentFor('step:logs', input, none, logs).type)).toEqual(['analyse-logs', 'findings', 'logs-command']);
		expect(['a', 'f', 'c'].map(input => intentFor('step:assess', input, none, logs).type)).toEqual(['none', 'none', 'none']);
		const review = (input: string, key: Key = none) => intentFor('findings', input, key, {finding: true}).type;
		expect(review('!')).toBe('suspicious');
		expect(review('o')).toBe('expected');
		expect(review('u')).toBe('undecided');
		// s skips and x marks done elsewhere: not verdicts here; f opens the findings, never closes them.
		expect(['s', 'x', 'f', 'k', 'j'].map(input => review(input))).toEqual(['none', 'none', 'none', 'none', 'none']);
		expect(review('', k({escape: true}))).toBe('back');
		expect(review('q')).toBe('quit');
		expect(review('c', k({ctrl: true}))).toBe('quit');
		expect(intentFor('findings', '!', none).type).toBe('none'); // no finding to mark
	});

	it('splits typed paths on spaces, keeping quoted ones whole', () => {
		expect(splitPaths('/var/log/a.log  "/mnt/My Logs/b.gz" \'c d.csv\'')).toEqual(['/var/log/a.log', '/mnt/My Logs/b.gz', 'c d.csv']);
		expect(splitPaths('   ')).toEqual([]);
	});
});

describe('one keymap: a key means one thing on every screen', () => {
	it('every key of every table carries its one meaning (prompts answer y/n and digits as they say)', () => {
		for (const screen of SCREENS) {
			for (const entry of entriesOf(screen)) {
				for (const spec of entry.keys) {
					if (PROMPTS.has(screen) && PROMPT_ANSWERS.has(spec)) continue;
					const meaning = keyMeaning(spec);
					expect(meaning, `${screen}: ${spec} has no meaning in meanings.ts`).toBeDefined();
					expect(meaning!.intents, `${screen}: ${spec} -> ${entry.intent}, but ${spec} means "${meaning!.means}"`).toContain(entry.intent);
				}
			}
		}
	});

	it('each key has one row, the overloads are the few deliberate ones, and every intent a meaning names is used', () => {
		const keys = MEANINGS.flatMap(meaning => meaning.keys);
		expect(new Set(keys).size).toBe(keys.length);
		expect(MEANINGS.filter(meaning => meaning.overload).flatMap(meaning => meaning.keys).sort()).toEqual(['1', '2', '3', '4', '5', 'any', 'enter', 'escape', 'left'].sort());
		for (const meaning of MEANINGS) {
			for (const spec of meaning.keys) {
				const used = new Set(SCREENS.flatMap(screen => entriesOf(screen).filter(entry => entry.keys.includes(spec)).map(entry => entry.intent)));
				for (const intent of meaning.intents) expect(used.has(intent) || meaning.overload, `${spec} names ${intent}, bound nowhere`).toBe(true);
			}
		}
	});

	it('the issue-13 clashes are gone: k, w, j, s, x, o, c, a, e, d, i, m, n each mean one thing', () => {
		const intentsOf = (spec: string) => new Set(SCREENS.filter(screen => !(PROMPTS.has(screen) && PROMPT_ANSWERS.has(spec))).flatMap(screen => entriesOf(screen).filter(entry => entry.keys.includes(spec)).map(entry => entry.intent)));
		expect([...intentsOf('k')]).toEqual(['enter-key', 'new-key']);
		expect([...intentsOf('w')]).toEqual(['work']);
		expect([...intentsOf('j')]).toEqual([]);
		expect([...intentsOf('s')]).toEqual(['skip']);
		expect([...intentsOf('x')]).toEqual(['toggle-done', 'follow-up-done']);
		expect([...intentsOf('n')]).toEqual(['note']);
		for (const spec of ['o', 'c', 'a', 'e', 'd', 'i', 'm', 'r', 'h', 'b', 'p', 'l']) expect(intentsOf(spec).size <= 2 && [...intentsOf(spec)].every(intent => keyMeaning(spec)!.intents.includes(intent)), spec).toBe(true);
	});

	it('a message can name the key from the table', () => {
		expect(keyOf('rotate', 'new-key')).toBe('k');
		expect(keyOf('verify', 'probe-new')).toBe('P');
		expect(keyOf('step:assess', 'enter-key')).toBe('k');
	});

	it('the docs hold the global table word for word', () => {
		const table = meaningsTable();
		expect(table).toContain('| `k` | enter a key, typed masked');
		for (const doc of ['docs/user-guide.md', 'docs/architecture.md']) expect(fs.readFileSync(doc, 'utf8'), doc).toContain(table);
	});
});

describe('the prompts\' footers come from the tables', () => {
	it('text prompts, pick lists and the home list', () => {
		expect(textHint({submit: 'to continue'})).toBe('Enter to continue · Esc back · Ctrl-C quits');
		expect(textHint({submit: 'to continue', cancel: false, quit: 'to quit'})).toBe('Enter to continue · Ctrl-C to quit');
		expect(textHint({submit: 'to save', cancel: 'to cancel'})).toBe('Enter to save · Esc to cancel · Ctrl-C quits');
		expect(footerHint('home')).toBe('↑↓ choose · Enter to open · q quit');
		expect(footerHint('choice', {}, Number.POSITIVE_INFINITY, {choose: 'to open'})).toBe('↑↓ choose · Enter to open · Esc back · q quit');
		expect(footerHint('pick-secrets', {several: true}, Number.POSITIVE_INFINITY, {open: 'open 3 incidents'})).toBe('↑↓ move · Space pick · * pick all · Enter open 3 incidents · q quit');
	});
});
