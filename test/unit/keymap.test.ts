import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {browseIntent, reviewIntent, textIntent} from '../../src/ui/keymap.js';
import {splitPaths} from '../../src/ui/LogsForm.js';
import {initialWizardUi, visibleWindow, wizardUi} from '../../src/ui/wizardUi.js';

const none: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
} as Key;
const k = (patch: Partial<Key>): Key => ({...none, ...patch});

describe('browseIntent', () => {
	it('maps keys to intents', () => {
		expect(browseIntent('', k({upArrow: true}))).toEqual({type: 'up'});
		expect(browseIntent('', k({downArrow: true}))).toEqual({type: 'down'});
		expect(browseIntent('', k({tab: true}))).toEqual({type: 'next-step'});
		expect(browseIntent('', k({tab: true, shift: true}))).toEqual({type: 'prev-step'});
		expect(browseIntent('', k({leftArrow: true}))).toEqual({type: 'prev-step'});
		expect(browseIntent('3', none)).toEqual({type: 'goto-step', index: 2});
		expect(browseIntent(' ', none)).toEqual({type: 'toggle-done'});
		expect(browseIntent('', k({return: true}))).toEqual({type: 'toggle-done'});
		expect(browseIntent('s', none)).toEqual({type: 'skip'});
		expect(browseIntent('n', none)).toEqual({type: 'note'});
		expect(browseIntent('k', none)).toEqual({type: 'enter-key'});
		expect(browseIntent('?', none)).toEqual({type: 'help'});
		expect(browseIntent('q', none)).toEqual({type: 'quit'});
		expect(browseIntent('c', k({ctrl: true}))).toEqual({type: 'quit'});
		expect(browseIntent('z', none)).toEqual({type: 'none'});
		expect(browseIntent('9', none)).toEqual({type: 'none'});
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
		expect(['a', 'f', 'c'].map(input => browseIntent(input, none).type)).toEqual(['analyse-logs', 'findings', 'logs-command']);
		expect(reviewIntent('s', none)).toEqual({type: 'mark', verdict: 'suspicious'});
		expect(reviewIntent('x', none)).toEqual({type: 'mark', verdict: 'expected'});
		expect(reviewIntent('u', none)).toEqual({type: 'mark', verdict: 'open'});
		expect(reviewIntent('', k({escape: true})).type).toBe('back');
		expect(reviewIntent('q', none).type).toBe('back');
		expect(reviewIntent('c', k({ctrl: true})).type).toBe('quit');
	});

	it('splits typed paths on spaces, keeping quoted ones whole', () => {
		expect(splitPaths('/var/log/a.log  "/mnt/My Logs/b.gz" \'c d.csv\'')).toEqual(['/var/log/a.log', '/mnt/My Logs/b.gz', 'c d.csv']);
		expect(splitPaths('   ')).toEqual([]);
	});
});
