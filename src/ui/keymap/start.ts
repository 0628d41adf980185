// The screens before the wizard and the widgets' keys: the home list, a question's pick list, a
// text prompt, the pick screen of `leakfix --from` and its two questions. Their footers are
// generated from these tables too (a caller may reword a label: "Enter to open", "Enter to save").
import {MOVE, QUIT, QUIT_CTRL_C, type KeyEntry} from './entry.js';

const QUIT_NOTHING = 'quit: nothing is opened';

export const START_KEYMAP = {
	home: [
		{...MOVE('choice'), hint: '↑↓ choose', when: undefined},
		{keys: ['enter'], intent: 'choose', label: 'to open', help: 'open the incident, or start a new one'},
		{keys: ['escape'], intent: 'back', label: 'back', help: 'leave (as q)', hint: false},
		{keys: ['q', 'ctrl-c'], intent: 'quit', label: 'quit', help: 'quit'},
	],
	choice: [
		{...MOVE('choice'), hint: '↑↓ choose', when: undefined},
		{keys: ['enter'], intent: 'choose', label: 'to continue', help: 'choose it and go on'},
		{keys: ['escape'], intent: 'back', label: 'back', help: 'back one question'},
		{...QUIT, help: 'quit'},
	],
	text: [
		{keys: ['enter'], intent: 'submit', label: 'to go on', help: 'take the answer'},
		{keys: ['escape'], intent: 'cancel', label: 'back', help: 'back one question (or cancel)'},
		{...QUIT_CTRL_C, label: 'to quit', help: 'quit'},
	],
	'pick-secrets': [
		{...MOVE('secret'), hint: '↑↓ move'},
		{keys: [' '], intent: 'pick', label: 'pick', help: 'pick the secret under the cursor (again: unpick it)'},
		{keys: ['*'], intent: 'pick-all', label: 'pick all', help: 'pick all (again: none)'},
		{keys: ['enter'], intent: 'open', label: 'open', help: 'open an incident for each secret picked'},
		{keys: ['q', 'ctrl-c'], intent: 'quit', label: 'quit', help: QUIT_NOTHING},
	],
	'pick-secrets-delete': [
		{keys: ['y', 'Y'], intent: 'delete', label: 'deletes it', help: 'delete the report file'},
		{keys: ['n', 'N', 'enter'], intent: 'keep', label: 'keeps it', help: 'keep the report file'},
		{...QUIT, help: 'quit (the incidents are open)'},
	],
	'pick-secrets-opened': [
		{keys: ['enter'], intent: 'done', label: 'to open the first in the wizard', help: 'open the first incident in the wizard'},
		{keys: ['q', 'ctrl-c'], intent: 'quit', label: 'to quit', help: 'quit (leakfix resume picks any of them up)'},
	],
} as const satisfies Record<string, readonly KeyEntry[]>;

export const START_TITLES = {
	home: 'Incidents',
	choice: 'A question: pick one',
	text: 'A question: type the answer',
	'pick-secrets': 'Pick the secrets',
	'pick-secrets-delete': 'Delete the report file?',
	'pick-secrets-opened': 'Incidents opened',
} as const;
