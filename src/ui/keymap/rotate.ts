// Step 4's work screen and its prompts. RotateScreen reads these intents by name: keep them.
import {BACK, HELP, QUIT, MOVE, type KeyEntry} from './entry.js';

export const ROTATE_KEYMAP = {
	rotate: [
		{...MOVE('task'), hint: '↑↓'},
		{keys: ['enter'], intent: 'do', label: 'do it (shown, y runs)', help: 'do the task: its commands are shown first, y runs them', when: 'task'},
		{keys: ['l'], intent: 'dry-run', label: 'dry run', help: 'dry run: list every command in order, nothing runs'},
		{keys: ['k'], intent: 'new-key', label: 'new key', help: 'enter the new key (typed masked, kept in memory only), or re-enter it after a resume'},
		{keys: ['s'], intent: 'skip', label: 'skip', help: 'skip this store update, with a reason', when: 'update'},
		{keys: ['b'], intent: 'by-hand', label: 'by hand', help: 'mark this store update done by hand', when: 'update'},
		{keys: ['h'], intent: 'check', label: 'health check', help: "run this consumer's health check", when: 'checkable'},
		HELP,
		BACK,
		QUIT,
	],
	'rotate-confirm': [
		QUIT,
		{keys: ['y'], intent: 'yes', label: 'to go ahead', help: 'go ahead: run it'},
		{keys: ['any'], intent: 'cancel', label: 'cancels', help: 'cancel: nothing runs'},
	],
	'rotate-harden-file': [
		QUIT,
		{keys: ['1', '2', '3', '4'], intent: 'store', label: 'store', help: "where this file's service reads the key from: 1 env, 2 AWS Secrets Manager, 3 Vault, 4 Conjur", display: '1 … 4'},
		{keys: ['y'], intent: 'accept', label: 'accepts this rewrite', help: "accept this file's rewrite (written at the end, after one confirmation); a file with no rewrite: go on"},
		{keys: ['n'], intent: 'leave', label: 'leaves it', help: 'leave this file as it is and go on'},
		{keys: ['escape'], intent: 'cancel', label: 'cancels (nothing written)', help: 'cancel: nothing is written'},
	],
	'rotate-dry-run': [QUIT, {keys: ['any'], intent: 'close', label: 'to close', help: 'close the dry run', display: 'any key', hint: 'any key to close'}],
} as const satisfies Record<string, readonly KeyEntry[]>;

export const ROTATE_TITLES = {
	rotate: 'Rotate (step 4)',
	'rotate-confirm': 'Rotate: confirm',
	'rotate-harden-file': 'Rotate: keep the key out of code, file by file',
	'rotate-dry-run': 'Rotate: dry run',
} as const;
