// Step 4's screen logic without Ink: the key → intent function picks the table of what is open
// (src/ui/rotate/reducer.ts), the reducer gives the next view and the effects the screen runs;
// and how long panels fit a short terminal (src/ui/rotate/fit.ts). The harden prompts' own
// reducer is tested in harden-reducer.test.ts.
import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import type {InventoryEntry} from '../../src/core/model.js';
import type {PlannedTask, RotationTask} from '../../src/core/rotation-plan.js';
import {planUpdate} from '../../src/core/stores.js';
import {bodyRows, fitLines, rowsOf} from '../../src/ui/rotate/fit.js';
import {initialView, keyPurpose, type RotateAction, type RotateEffect, type RotateFacts, rotateIntent, rotateReducer, type RotateView, updateMode} from '../../src/ui/rotate/reducer.js';

const none = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
} as Key;
const KEYS: Record<string, [string, Key]> = {up: ['', {...none, upArrow: true}], down: ['', {...none, downArrow: true}], enter: ['\r', {...none, return: true}], escape: ['', {...none, escape: true}], 'ctrl-c': ['c', {...none, ctrl: true}]};
const keyOf = (spec: string): [string, Key] => KEYS[spec] ?? [spec, none];

const entry = (id: string, extra: Partial<InventoryEntry> = {}): InventoryEntry => ({id, service: id, environment: 'prod', store: {type: 'env-file', path: '.env', variable: 'K'}, evidence: [], origin: 'manual', ...extra});
const api = entry('api', {health: {type: 'http', url: 'http://127.0.0.1/health'}, restart: ['systemctl', 'restart', 'api']});
const planned = (task: RotationTask): PlannedTask => ({task, title: task.kind, status: {mark: ' ', color: 'white', detail: ''}, ...(task.kind === 'update' ? {update: planUpdate(task.entry.store, '…new')} : {})});
const ON_UPDATE: RotateView = {...initialView, cursor: 1};
const TASKS = [planned({kind: 'new-key'}), planned({kind: 'update', entry: api}), planned({kind: 'restart', entry: api}), planned({kind: 'deactivate'}), planned({kind: 'harden'})];
const facts = (patch: Partial<RotateFacts> = {}): RotateFacts => ({tasks: TASKS, busy: false, newKeyHere: true, newKeyKnown: '…new', newKeyLive: true, demo: false, deactivation: (kind, command) => [`${kind}: ${command?.display ?? 'by hand'}`], ...patch});

/** Keys (through the table of what is open) and other actions, in order: the last view and every effect. */
function run(steps: Array<string | RotateAction>, given: RotateFacts = facts(), view: RotateView = initialView) {
	const effects: RotateEffect[] = [];
	for (const step of steps) {
		const action = typeof step === 'string' ? rotateIntent(view, given, ...keyOf(step)) : step;
		if (action === null) throw new Error(`${String(step)}: a prompt has the keys`);
		const next = rotateReducer(view, typeof step === 'string' ? {type: 'key', ...(action as Exclude<typeof action, RotateAction>)} : (action as RotateAction), given);
		view = next.view;
		effects.push(...next.effects);
	}
	return {view, effects};
}

describe('the Rotate list', () => {
	it('↑↓ move within the tasks; Esc goes back, q and Ctrl-C quit, ? opens the help and any key closes it', () => {
		expect(run(['up']).view.cursor).toBe(0);
		expect(run(Array.from({length: 9}, () => 'down')).view.cursor).toBe(TASKS.length - 1);
		expect(run(['escape']).effects).toEqual([{type: 'back'}]);
		expect(run(['q', 'ctrl-c']).effects).toEqual([{type: 'quit'}, {type: 'quit'}]);
		expect(run(['?']).view.help).toBe(true);
		expect(run(['?', 'x'])).toEqual({view: initialView, effects: []});
		expect(run(['?', 'ctrl-c']).effects).toEqual([{type: 'quit'}]);
	});

	it('s skips only an update, b marks it by hand, h checks it: on the task under the cursor, and nothing while a task runs', () => {
		expect(run(['s']).view).toBe(initialView); // the new key is no store update
		expect(run(['down', 's']).view.mode).toEqual({kind: 'skip', entry: api, text: ''});
		expect(run(['down', 'b']).effects).toEqual([{type: 'resolve', entry: api, status: 'manual', detail: 'marked done by hand by the responder'}]);
		expect(run(['down', 'h', 'down', 'h']).effects).toEqual([{type: 'health', entry: api}, {type: 'health', entry: api}]);
		expect(run(['down', 's', 'b', 'h', 'enter'], facts({busy: true})).effects).toEqual([]);
	});

	it('the skip prompt: typing fills it, an empty reason is refused, Enter saves the reason and closes it', () => {
		const {view, effects} = run(['down', 's', {type: 'text', text: ' flaky '}, {type: 'skip-submitted', text: '  '}]);
		expect(view.mode).toEqual({kind: 'skip', entry: api, text: ' flaky '});
		expect(effects).toEqual([]);
		expect(rotateIntent(view, facts(), 'q', none)).toBeNull(); // the field has the keys: q is text
		expect(run([{type: 'skip-submitted', text: ' flaky '}], facts(), view)).toEqual({view: ON_UPDATE, effects: [{type: 'resolve', entry: api, status: 'skipped', detail: 'flaky'}]});
	});

	it('l opens the dry run; any key closes it, q and Ctrl-C quit', () => {
		expect(run(['l']).view.mode).toEqual({kind: 'dry-run'});
		expect(run(['l', 'x']).view).toEqual(initialView);
		expect(run(['l', 'ctrl-c'])).toEqual({view: {...initialView, mode: {kind: 'dry-run'}}, effects: [{type: 'quit'}]});
		expect(run(['l', 'q']).effects).toEqual([{type: 'quit'}]);
	});
});

describe('the new key', () => {
	it('k (or Enter on the first task) opens the prompt for the purpose at hand', () => {
		expect([keyPurpose(false, false), keyPurpose(true, false), keyPurpose(true, true)]).toEqual(['enter', 'reenter', 'replace']);
		expect(run(['k'], facts({newKeyKnown: undefined, newKeyHere: false})).view.mode).toEqual({kind: 'new-key', purpose: 'enter', text: ''});
		expect(run(['enter'], facts({newKeyHere: false})).view.mode).toEqual({kind: 'new-key', purpose: 'reenter', text: ''});
		expect(run(['k']).view.mode).toEqual({kind: 'new-key', purpose: 'replace', text: ''});
	});

	it('Enter takes a typed key; an empty line makes a demo key only in a demo; Esc closes', () => {
		const enter = facts({newKeyKnown: undefined, newKeyHere: false});
		expect(run(['k', {type: 'text', text: 'abc'}, {type: 'new-key-submitted', text: ' abc '}], enter)).toEqual({view: initialView, effects: [{type: 'enter-new-key', key: 'abc'}]});
		expect(run(['k', {type: 'new-key-submitted', text: ''}], enter).view.mode).toMatchObject({kind: 'new-key'});
		expect(run(['k', {type: 'new-key-submitted', text: ''}], {...enter, demo: true})).toEqual({view: initialView, effects: [{type: 'demo-new-key'}]});
		expect(run(['k', {type: 'close'}], enter).view).toEqual(initialView);
	});

	it('Enter on an update without the key in memory asks it again; a wrong one empties the field and says why; the right one opens the update straight on', () => {
		const away = facts({newKeyHere: false});
		let {view, effects} = run(['down', 'enter', {type: 'text', text: 'wrong'}, {type: 'new-key-submitted', text: 'wrong'}], away);
		expect(effects).toEqual([{type: 'reenter-new-key', key: 'wrong'}]);
		({view} = run([{type: 'reentered', ok: false}], away, view));
		expect(view.mode).toMatchObject({kind: 'new-key', purpose: 'reenter', text: '', error: 'That is not the new key …new (fingerprint differs). To use a different one, Esc, then k.'});
		({view, effects} = run([{type: 'text', text: 'x'}, {type: 'new-key-submitted', text: 'right'}, {type: 'reentered', ok: true}], away, view));
		expect(view.mode).toMatchObject({kind: 'confirm', task: {kind: 'update', entry: api}});
		expect(effects).toEqual([{type: 'reenter-new-key', key: 'right'}, {type: 'preview', task: TASKS[1]!.task}]);
		// No key chosen yet: the prompt to enter one, saying why.
		expect(updateMode(TASKS[1]!, {enteredHere: false, known: false})).toMatchObject({kind: 'new-key', purpose: 'enter', error: 'Enter the new key first.'});
	});
});

describe('a confirmation', () => {
	it('Enter on an update shows its store plan and reads the store; y runs the update, any other key cancels', () => {
		const {view, effects} = run(['down', 'enter']);
		const plan = TASKS[1]!.update!;
		expect(view.mode).toEqual({kind: 'confirm', task: TASKS[1]!.task, lines: plan.kind === 'manual' ? [] : [...plan.display, plan.why]});
		expect(effects).toEqual([{type: 'preview', task: TASKS[1]!.task}]);
		expect(run(['y'], facts(), view)).toEqual({view: ON_UPDATE, effects: [{type: 'update', entry: api}]});
		expect(run(['n'], facts(), view)).toEqual({view: ON_UPDATE, effects: []});
		// q (or Ctrl-C) quits, the question answered no first: nothing runs.
		expect(run(['q'], facts(), view)).toEqual({view: ON_UPDATE, effects: [{type: 'quit'}]});
		expect(run(['ctrl-c'], facts(), view)).toEqual({view: ON_UPDATE, effects: [{type: 'quit'}]});
	});

	it("the store's current value joins the confirmation only while that one is open", () => {
		const {view} = run(['down', 'enter']);
		const task = TASKS[1]!.task as Extract<RotationTask, {kind: 'update'}>;
		const shown = run([{type: 'preview', task, lines: ['now: K=…old']}], facts(), view).view;
		expect(shown.mode.kind === 'confirm' && shown.mode.lines.at(-1)).toBe('now: K=…old');
		expect(run([{type: 'preview', task: {...task}, lines: ['now']}], facts(), view).view).toBe(view); // another task's
		expect(run(['n', {type: 'preview', task, lines: ['now']}], facts(), view).view).toEqual(ON_UPDATE);
	});

	it('an update not proven live is refused with a message; a by-hand store is confirmed as done by hand', () => {
		expect(run(['down', 'enter'], facts({newKeyLive: false}))).toEqual({view: ON_UPDATE, effects: [{type: 'say', text: expect.stringContaining('has not probed live'), error: true}]});
		const manual: PlannedTask = {...TASKS[1]!, update: {kind: 'manual', reason: 'the platform has no CLI', display: []}};
		const {view} = run(['down', 'enter'], facts({tasks: [TASKS[0]!, manual]}));
		expect(view.mode).toMatchObject({kind: 'confirm', lines: ['This one is done by hand: the platform has no CLI', 'y marks it done by hand once you have changed it']});
		expect(run(['y'], facts(), view).effects).toEqual([{type: 'resolve', entry: api, status: 'manual', detail: 'done by hand: the platform has no CLI'}]);
	});

	it('a restart shows its command; y runs it', () => {
		const {view} = run(['down', 'down', 'enter']);
		expect(view.mode).toEqual({kind: 'confirm', task: TASKS[2]!.task, lines: ['systemctl restart api']});
		expect(run(['y'], facts(), view).effects).toEqual([{type: 'restart', entry: api}]);
	});

	it("the deactivation builds its command first, then shows the plan's lines; y deactivates with that command", () => {
		const {view, effects} = run(['down', 'down', 'down', 'enter']);
		expect(view).toEqual({...initialView, cursor: 3});
		expect(effects).toEqual([{type: 'deactivation', task: {kind: 'deactivate'}}]);
		const command = {bin: 'cs', args: ['keys', 'revoke'], display: 'cs keys revoke …old'};
		const opened = run([{type: 'deactivation-command', task: {kind: 'deactivate'}, command}], facts(), view).view;
		expect(opened.mode).toEqual({kind: 'confirm', task: {kind: 'deactivate'}, command, lines: ['deactivate: cs keys revoke …old']});
		expect(run(['y'], facts(), opened).effects).toEqual([{type: 'deactivate', command}]);
		// Built while another prompt opened: it never opens under that prompt's keys.
		const helping = {...view, help: true};
		expect(run([{type: 'deactivation-command', task: {kind: 'deactivate'}, command: null}], facts(), helping).view).toBe(helping);
	});
});

describe('keep the key out of code, from the list', () => {
	it('Enter opens the store choice (its Select has the keys); a choice starts the flow, back closes it', () => {
		const {view} = run(['down', 'down', 'down', 'down', 'enter']);
		expect(view.mode).toEqual({kind: 'harden', prompt: {kind: 'store'}});
		expect(rotateIntent(view, facts(), 'q', none)).toBeNull();
		expect(run([{type: 'harden', action: {type: 'store-chosen', store: 'vault'}}], facts(), view)).toEqual({view: {...view, mode: {kind: 'harden', prompt: {kind: 'wait'}}}, effects: [{type: 'start', store: 'vault'}]});
		expect(run([{type: 'close'}], facts(), view).view.mode).toEqual({kind: 'list'});
	});

	it('while the flow looks for the copies only q and Ctrl-C do something; a failure closes the prompts', () => {
		const waiting: RotateView = {...initialView, mode: {kind: 'harden', prompt: {kind: 'wait'}}};
		expect(run(['y', 'n', 'enter', 'escape'], facts(), waiting)).toEqual({view: waiting, effects: []});
		expect(run(['ctrl-c'], facts(), waiting).effects).toEqual([{type: 'quit'}]);
		expect(run(['q'], facts(), waiting).effects).toEqual([{type: 'quit'}]);
		expect(run([{type: 'harden', action: {type: 'failed'}}], facts(), waiting).view).toEqual(initialView);
	});
});

describe('fitting a panel to the terminal', () => {
	it('counts wrapped rows as Ink wraps words', () => {
		expect(rowsOf('', 10)).toBe(1);
		expect(rowsOf('aaaa bbbb', 9)).toBe(1);
		expect(rowsOf('aaaa bbbbb', 9)).toBe(2);
		expect(rowsOf('x'.repeat(25), 10)).toBe(3);
		expect(rowsOf('a\nb', 10)).toBe(2);
	});

	it('keeps the lines that fit and one row to say how many are left out', () => {
		const lines = Array.from({length: 10}, (_, index) => `line ${index}`);
		expect(fitLines(lines, 10, () => 1)).toEqual({shown: lines, hidden: 0});
		expect(fitLines(lines, 6, () => 1)).toEqual({shown: lines.slice(0, 5), hidden: 5});
		expect(bodyRows(24, 5)).toBe(15);
		expect(bodyRows(8, 10)).toBe(3);
	});
});
