// The Rotate screen's pure reducer and decisions (src/ui/rotate/reducer.ts), and how long panels
// fit a short terminal (src/ui/rotate/fit.ts).
import {describe, expect, it} from 'vitest';
import type {InventoryEntry} from '../../src/core/model.js';
import {planUpdate} from '../../src/core/stores.js';
import type {FileView, HardenSummary} from '../../src/engines/harden/flow.js';
import {bodyRows, fitLines, rowsOf} from '../../src/ui/rotate/fit.js';
import {hardenConfirm, initialView, keyPurpose, type RotateView, rotateReducer, updateMode} from '../../src/ui/rotate/reducer.js';

const entry: InventoryEntry = {id: 'api', service: 'api', environment: 'prod', store: {type: 'env-file', path: '.env', variable: 'K'}, evidence: [], origin: 'manual'};
const update = {kind: 'update' as const, entry};
const file = (index: number): FileView => ({index, total: 2, file: `f${index}.js`, language: 'javascript', lines: [1], diff: '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y', store: 'env', ownStore: false});
const summary = (extra: Partial<HardenSummary> = {}): HardenSummary => ({variable: 'K', files: 2, accepted: 1, config: ['.env.example: add K='], guard: '.git/hooks/pre-commit and .git/hooks/pre-push', ci: null, scanners: [], ...extra});

describe('the Rotate reducer', () => {
	it('moves the cursor within the tasks', () => {
		let view = rotateReducer(initialView, {type: 'move', by: -1, count: 5});
		expect(view.cursor).toBe(0);
		for (let i = 0; i < 9; i++) view = rotateReducer(view, {type: 'move', by: 1, count: 5});
		expect(view.cursor).toBe(4);
	});

	it('typing edits the open prompt and clears its error; a wrong re-entered key empties it and says why', () => {
		let view: RotateView = rotateReducer(initialView, {type: 'open', mode: {kind: 'new-key', purpose: 'reenter', text: '', error: 'old'}});
		view = rotateReducer(view, {type: 'text', text: 'abc'});
		expect(view.mode).toEqual({kind: 'new-key', purpose: 'reenter', text: 'abc', error: undefined});
		view = rotateReducer(view, {type: 'key-error', error: 'fingerprint differs'});
		expect(view.mode).toMatchObject({text: '', error: 'fingerprint differs'});
		expect(rotateReducer(initialView, {type: 'text', text: 'x'})).toBe(initialView); // no prompt: nothing to type into
	});

	it("a store's current value is added to the update's confirmation only while that confirmation is open", () => {
		const confirming = rotateReducer(initialView, {type: 'open', mode: updateMode(update, planUpdate(entry.store, '…new'), {enteredHere: true, known: true})});
		const shown = rotateReducer(confirming, {type: 'preview', task: update, lines: ['now: K=…old']});
		expect(shown.mode.kind === 'confirm' && shown.mode.lines.at(-1)).toBe('now: K=…old');
		const closed = rotateReducer(confirming, {type: 'close'});
		expect(rotateReducer(closed, {type: 'preview', task: update, lines: ['now: K=…old']})).toBe(closed);
		expect(rotateReducer(confirming, {type: 'preview', task: {...update}, lines: ['now']})).toBe(confirming); // another task's preview
	});

	it('the harden prompt state is the flow\'s current question, then its one confirmation', () => {
		let view = rotateReducer(initialView, {type: 'open', mode: {kind: 'harden-store'}});
		view = rotateReducer(view, {type: 'harden-file', file: file(0)});
		view = rotateReducer(view, {type: 'harden-file', file: file(1)});
		expect(view.mode).toEqual({kind: 'harden-file', file: file(1)});
		view = rotateReducer(view, {type: 'open', mode: hardenConfirm(summary())});
		expect(view.mode).toMatchObject({kind: 'confirm', task: {kind: 'harden'}, lines: expect.arrayContaining(['1 file(s) rewritten to read K', '.env.example: add K='])});
	});

	it('which new-key prompt opens, and what Enter on an update opens', () => {
		expect([keyPurpose(false, false), keyPurpose(true, false), keyPurpose(true, true)]).toEqual(['enter', 'reenter', 'replace']);
		const plan = planUpdate(entry.store, '…new');
		expect(updateMode(update, plan, {enteredHere: false, known: true})).toEqual({kind: 'new-key', purpose: 'reenter', text: '', then: update});
		expect(updateMode(update, plan, {enteredHere: false, known: false})).toMatchObject({kind: 'new-key', purpose: 'enter', error: 'Enter the new key first.'});
		expect(updateMode(update, plan, {enteredHere: true, known: true})).toMatchObject({kind: 'confirm', lines: [...plan.display, 'why' in plan ? plan.why : '']});
	});

	it('the one confirmation: nothing found, or the files, the config, the guards and the CI job as diff lines, with where it is printed whole', () => {
		expect(hardenConfirm(summary({files: 0, accepted: 0}))).toMatchObject({lines: ['No committed file holds the key.', '.env.example: add K=', expect.stringContaining('the guards in')]});
		const withCi = hardenConfirm(summary({ci: {kind: 'github', diff: '--- /dev/null\n+++ b/.github/workflows/leakfix-guard.yml', scanners: undefined} as unknown as HardenSummary['ci']}));
		expect(withCi).toMatchObject({more: 'leakfix harden --dry-run --ci github prints every diff whole'});
		expect(withCi.kind === 'confirm' && withCi.lines.slice(-3)).toEqual(['the CI job, as a diff:', {diff: '--- /dev/null'}, {diff: '+++ b/.github/workflows/leakfix-guard.yml'}]);
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
