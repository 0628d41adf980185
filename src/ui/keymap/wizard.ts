// The wizard's checklist keys (the same on every step, plus each step's own), the places list and
// the help overlay.
import {HELP, QUIT, QUIT_HELP, type KeyEntry} from './entry.js';

/** The wizard's checklist keys, the same on every step. */
function stepKeys<const Extra extends readonly KeyEntry[]>(extra: Extra) {
	return [
		{keys: ['up', 'down'], intent: 'move', label: 'item', help: 'move between checklist items', hint: '↑↓ item'},
		{keys: ['left', 'right', 'shift-tab', 'tab'], intent: 'step', label: 'step', help: 'previous / next step (you can move freely)', display: '← → Tab ⇧Tab', hint: '←→ step'},
		{keys: ['1', '2', '3', '4', '5'], intent: 'goto-step', label: 'step', help: 'jump to a step', display: '1 … 5', hint: false},
		// A verdict never moves the cursor (here, on the findings, the inventory and Verify alike).
		{keys: [' ', 'enter', 'x'], intent: 'toggle-done', label: 'done', help: 'mark the item done (again: reopen it)', keep: true},
		{keys: ['s'], intent: 'skip', label: 'skip', help: 'skip the item, with a reason (it goes into the report)'},
		{keys: ['n'], intent: 'note', label: 'note', help: 'add or edit a note on the item (empty removes it)'},
		// A narrow footer keeps the step's own keys longest.
		...extra.map(entry => ({...entry, keep: true as const})),
		{keys: ['escape'], intent: 'cancel', label: 'cancel', help: 'cancel the running scan or log analysis', when: 'running'},
		{keys: ['k'], intent: 'enter-key', label: 'key', help: 're-enter the key', when: 'keyMissing'},
		HELP,
		{keys: ['q', 'ctrl-c'], intent: 'quit', label: 'quit', help: QUIT_HELP},
	] as const;
}

const WORK = {keys: ['w'], intent: 'work', label: 'work', help: "open this step's work screen"} as const;

export const WIZARD_KEYMAP = {
	'step:assess': stepKeys([
		{keys: ['p'], intent: 'probe', label: 'probe', help: 'probe whether the key is live (read-only; asked once)', when: 'canProbe'},
		{keys: ['e'], intent: 'scan', label: 'scan', help: 'scan the repository for every copy of the key'},
		{keys: ['l'], intent: 'places', label: 'places', help: 'list every place the scan found', when: 'hasPlaces'},
	]),
	'step:logs': stepKeys([
		{keys: ['a'], intent: 'analyse-logs', label: 'analyse', help: 'analyse log files for the key (five questions)', when: 'logsIdle'},
		{keys: ['f'], intent: 'findings', label: 'findings', help: 'review the findings: mark each suspicious or expected', when: 'hasFindings'},
		{keys: ['c'], intent: 'logs-command', label: 'provider logs', help: "fetch the provider's own logs (shown first, y runs)", when: 'canFetchLogs'},
	]),
	'step:inventory': stepKeys([WORK]),
	'step:rotate': stepKeys([WORK]),
	'step:verify': stepKeys([WORK]),
	places: [HELP, QUIT, {keys: ['any'], intent: 'close', label: 'closes', help: 'close the list'}],
	help: [QUIT, {keys: ['any'], intent: 'close', label: 'closes', help: 'close this help', display: 'any other key', hint: 'any other key closes'}],
} as const satisfies Record<string, readonly KeyEntry[]>;

export const WIZARD_TITLES = {
	'step:assess': 'Step 1 · Assess',
	'step:logs': 'Step 2 · Check logs',
	'step:inventory': 'Step 3 · Service inventory',
	'step:rotate': 'Step 4 · Rotate',
	'step:verify': 'Step 5 · Verify',
	places: 'Every place the scan found',
	help: 'Help',
} as const;
