// Step 5's work screen and its prompts (checked by hand, the clean-up).
import {BACK, HELP, QUIT, type KeyEntry} from './entry.js';

export const VERIFY_KEYMAP = {
	verify: [
		{keys: ['p'], intent: 'probe-old', label: 'probe old', help: 'probe the old key: it must be rejected (revoked)', when: 'idle'},
		{keys: ['P'], intent: 'probe-new', label: 'probe new', help: 'probe the new key: it must be live', when: 'idle'},
		{keys: ['e'], intent: 'rescan', label: 're-scan', help: 're-scan the working tree for the old key', when: 'idle'},
		{keys: ['h'], intent: 'health', label: 'health checks', help: "run every updated consumer's health check", when: 'idle'},
		{keys: ['up', 'down'], intent: 'move', label: 'follow-up', help: 'move between follow-ups', hint: '↑↓ follow-up', when: 'followUps'},
		{keys: ['x'], intent: 'follow-up-done', label: 'follow-up done', help: 'mark the follow-up done', when: 'followUp'},
		{keys: ['g'], intent: 'cleanup', label: 'clean-up', help: 'the history clean-up (after the old key is proven revoked)', when: 'idle'},
		{keys: ['b'], intent: 'hand-check', label: 'checked by hand', help: 'say which updated consumers you checked healthy yourself, one by one', when: 'unchecked'},
		HELP,
		BACK,
		QUIT,
	],
	'verify-hand-check': [
		QUIT,
		{keys: ['y'], intent: 'yes', label: 'I checked it: healthy', help: 'you checked this consumer yourself and it works with the new key'},
		{keys: ['n'], intent: 'no', label: 'not this one', help: 'not checked (or not healthy): go on to the next'},
		{keys: ['escape'], intent: 'stop', label: 'stop', help: 'stop asking'},
	],
	'verify-cleanup': [
		QUIT,
		{keys: ['y'], intent: 'purge', label: 'purges the history', help: 'purge the old key from the history (git filter-repo)'},
		{keys: ['G'], intent: 'ignore-scanners', label: 'writes the ggshield entry', help: 'write the ggshield entry for the dead key'},
		{keys: ['any'], intent: 'close', label: 'closes', help: 'close'},
	],
} as const satisfies Record<string, readonly KeyEntry[]>;

export const VERIFY_TITLES = {
	verify: 'Verify (step 5)',
	'verify-cleanup': 'Verify: clean-up',
	'verify-hand-check': 'Verify: checked by hand',
} as const;
