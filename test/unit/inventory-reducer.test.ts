// Step 3's screen logic without Ink: the key → intent function picks the table of the view's mode,
// and the reducer gives the next view and the effects (session events, discovery, back, quit).
import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import type {InventoryEntry} from '../../src/core/model.js';
import {initialInventoryView, inventoryContext, inventoryIntent, inventoryReducer, type InventoryFacts, type InventoryView} from '../../src/ui/inventory/reducer.js';

const none = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
} as Key;
const KEYS: Record<string, [string, Key]> = {up: ['', {...none, upArrow: true}], down: ['', {...none, downArrow: true}], left: ['', {...none, leftArrow: true}], enter: ['', {...none, return: true}], escape: ['', {...none, escape: true}], 'ctrl-c': ['c', {...none, ctrl: true}]};
const keyOf = (spec: string): [string, Key] => KEYS[spec] ?? [spec, /[A-Z]/.test(spec) ? {...none, shift: true} : none];

const entry = (id: string, variable: string, path = `/srv/${id}/.env`): InventoryEntry => ({id, service: id, environment: 'prod', store: {type: 'env-file', path, variable}, evidence: [], origin: 'discovered'});
const facts = (entries: readonly InventoryEntry[], patch: Partial<InventoryFacts> = {}): InventoryFacts => ({entries, discovering: false, demo: false, accessPlan: store => [`read ${store.type}`], ...patch});

/** Presses keys in order; returns the last view and every effect. */
function press(keys: string[], given: InventoryFacts, view: InventoryView = initialInventoryView) {
	const effects = [];
	for (const spec of keys) {
		const read = inventoryIntent(view, given, ...keyOf(spec));
		if (!read) continue;
		const next = inventoryReducer(view, {type: 'key', ...read}, given);
		view = next.view;
		effects.push(...next.effects);
	}
	return {view, effects};
}

describe('the inventory reducer', () => {
	const two = facts([entry('api', 'API_KEY'), entry('worker', 'WORKER_KEY')]);

	it('moves with the arrows only, within the list; j and k do nothing', () => {
		expect(press(['down', 'down', 'down'], two).view.cursor).toBe(1);
		expect(press(['down', 'up', 'up'], two).view.cursor).toBe(0);
		expect(press(['j', 'k', 'j'], two)).toEqual({view: initialInventoryView, effects: []});
	});

	it('+ adds, Enter edits the entry under the cursor, and the form\'s answers become one saved event', () => {
		expect(press(['+'], two).view.mode).toEqual({kind: 'form'});
		const editing = press(['down', 'enter'], two).view;
		expect(editing.mode).toEqual({kind: 'form', entry: two.entries[1]});
		// While a form is open its own fields have the keys.
		expect(inventoryIntent(editing, two, 'q', none)).toBeNull();
		const answers = {service: 'worker', environment: 'staging', storeType: 'env-file', 'store.path': '/srv/worker/.env', 'store.variable': 'WORKER_KEY'};
		const saved = inventoryReducer(editing, {type: 'entry-answers', answers, id: 'unused'}, two);
		expect(saved.view.mode).toEqual({kind: 'list'});
		expect(saved.effects).toEqual([{type: 'dispatch', event: {type: 'inventory.saved', entry: expect.objectContaining({id: 'worker', environment: 'staging'})}}]);
		const bad = inventoryReducer(press(['+'], two).view, {type: 'entry-answers', answers: {...answers, 'store.path': ''}, id: 'svc-new'}, two);
		expect(bad.effects).toEqual([]);
		expect(bad.view.notice).toMatch(/^Not saved: /);
	});

	it('d asks; y deletes the entry and the cursor steps back; any other key keeps it', () => {
		const asked = press(['down', 'd'], two);
		expect(asked.view.mode).toEqual({kind: 'delete'});
		expect(press(['y'], two, asked.view)).toEqual({view: {...asked.view, mode: {kind: 'list'}, cursor: 0}, effects: [{type: 'dispatch', event: {type: 'inventory.removed', id: 'worker'}}]});
		expect(press(['z'], two, asked.view)).toEqual({view: {...asked.view, mode: {kind: 'list'}}, effects: []});
	});

	it('m then Enter merges duplicates of one place, refuses two places, and Esc cancels', () => {
		const same = facts([entry('api', 'API_KEY'), entry('api-copy', 'API_KEY', '/srv/api/.env')]);
		const merging = press(['m'], same).view;
		expect(inventoryContext(merging, same).otherSelected).toBe(false);
		expect(press(['enter'], same, merging).effects).toEqual([]); // not onto itself
		expect(press(['down', 'enter'], same, merging).effects).toEqual([{type: 'dispatch', event: {type: 'inventory.merged', from: 'api', into: 'api-copy'}}]);
		const refused = press(['m', 'down', 'enter'], two);
		expect(refused.effects).toEqual([]);
		expect(refused.view.notice).toMatch(/^Not merged: they hold the key in two places/);
		expect(press(['m', 'escape'], two).view.mode).toEqual({kind: 'list'});
	});

	it('r shows the read-only commands first, r again on the same entry reads, and nothing while it runs', () => {
		const shown = press(['r'], two);
		expect(shown.effects).toEqual([]);
		expect(shown.view.notice).toMatch(/^Who can read api: r again runs \(read-only\): /);
		const running = press(['r'], two, shown.view);
		expect(running.effects).toEqual([{type: 'read-access', entry: two.entries[0]}]);
		expect(press(['r', 'r'], two, running.view).effects).toEqual([]);
		const done = inventoryReducer(running.view, {type: 'access-read', notice: 'Read who can read api: 1 reader(s)'}, two);
		expect(done.view).toMatchObject({accessRunning: false, notice: 'Read who can read api: 1 reader(s)'});
		// Another entry starts over: its commands are shown first.
		expect(press(['down', 'r'], two, shown.view).effects).toEqual([]);
		expect(press(['r'], facts(two.entries, {demo: true})).view.notice).toMatch(/demo's stores are fake/);
	});

	it('i and I discover (not while a discovery runs), with the more-places answers', () => {
		expect(press(['i'], two).effects).toEqual([{type: 'discover'}]);
		expect(press(['i', 'I'], facts(two.entries, {discovering: true}))).toEqual({view: initialInventoryView, effects: []});
		const more = press(['I'], two).view;
		expect(more.mode).toEqual({kind: 'discover-more'});
		expect(inventoryReducer(more, {type: 'discover-answers', answers: {repos: '~/src/worker /srv/infra', vars: 'A_KEY, B_KEY', org: ' acme '}, home: '/home/me'}, two).effects).toEqual([
			{type: 'discover', more: {repos: ['/home/me/src/worker', '/srv/infra'], envVars: ['A_KEY', 'B_KEY'], org: 'acme'}},
		]);
	});

	it('? opens the help and any key closes it; Esc and ← go back; q and Ctrl-C quit', () => {
		const help = press(['?'], two).view;
		expect(help.help).toBe(true);
		expect(press(['x'], two, help).view.help).toBe(false);
		for (const spec of ['escape', 'left']) expect(press([spec], two).effects, spec).toEqual([{type: 'back'}]);
		for (const spec of ['q', 'ctrl-c']) expect(press([spec], two).effects, spec).toEqual([{type: 'quit'}]);
	});

	it('an empty list: the entry keys do nothing', () => {
		expect(press(['enter', 'd', 'm', 'r', 'down'], facts([]))).toEqual({view: initialInventoryView, effects: []});
	});
});
