// The log findings review.
import {BACK, HELP, QUIT, MOVE, type KeyEntry} from './entry.js';

export const LOGS_KEYMAP = {
	findings: [
		MOVE('finding'),
		// A verdict never moves the cursor: the finding marked is the one still highlighted.
		{keys: ['!'], intent: 'suspicious', label: 'suspicious', help: 'mark it suspicious (raises the severity; goes into the report)', when: 'finding'},
		{keys: ['o'], intent: 'expected', label: 'expected', help: 'mark it expected (ok)', when: 'finding'},
		{keys: ['u'], intent: 'undecided', label: 'undecided', help: 'mark it undecided again', when: 'finding'},
		{keys: ['n'], intent: 'note', label: 'note', help: 'add or edit a note on it', when: 'finding'},
		HELP,
		BACK,
		QUIT,
	],
} as const satisfies Record<string, readonly KeyEntry[]>;

export const LOGS_TITLES = {findings: 'Log findings'} as const;
