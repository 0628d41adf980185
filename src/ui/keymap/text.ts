// Text fields, pick lists and yes/no questions: the keys of the widgets.
import type {Key} from 'ink';
import {keyMatches} from './keys.js';
import {intentFor} from './lookup.js';

export type TextIntent =
	| {type: 'insert'; text: string; submit: boolean}
	| {type: 'backspace'}
	| {type: 'submit'}
	| {type: 'cancel'}
	| {type: 'quit'}
	| {type: 'none'};

/** A text field: Enter, Esc and Ctrl-C as the `text` table says; Backspace edits; the rest is typed. */
export function textIntent(input: string, key: Key): TextIntent {
	const intent = intentFor('text', input, key);
	if (intent.type !== 'none') return {type: intent.type};
	if (key.backspace || key.delete) return {type: 'backspace'};
	if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return {type: 'none'};
	// Ink hands over a paste, or keys typed faster than it reads, as one chunk: "name\r" is text
	// and then Enter. Line breaks inside the chunk are not part of a one-line answer.
	const text = input.replace(/[\r\n]+/g, '');
	const submit = /[\r\n]$/.test(input);
	if (text.length === 0) return submit ? {type: 'submit'} : {type: 'none'};
	return {type: 'insert', text, submit};
}

export type ListIntent = {type: 'up'} | {type: 'down'} | {type: 'choose'} | {type: 'back'} | {type: 'quit'} | {type: 'none'};

/** Keys in a pick list (the `choice` table; `home` where `q` leaves too, a list that is a whole screen). */
export function listIntent(input: string, key: Key, {qQuits = false}: {qQuits?: boolean} = {}): ListIntent {
	const intent = intentFor(qQuits ? 'home' : 'choice', input, key);
	if (intent.type === 'move') return {type: intent.key === 'up' ? 'up' : 'down'};
	return {type: intent.type};
}

/**
 * Yes or no to a consent question: n, N and Esc say no (nothing is sent); q and Ctrl-C quit, as on
 * every screen, which says no first (nothing is sent).
 */
export function consentIntent(input: string, key: Key): 'yes' | 'no' | 'quit' | 'none' {
	if (keyMatches('y', input, key) || keyMatches('Y', input, key)) return 'yes';
	if (keyMatches('q', input, key) || keyMatches('ctrl-c', input, key)) return 'quit';
	if (keyMatches('n', input, key) || keyMatches('N', input, key) || key.escape) return 'no';
	return 'none';
}
