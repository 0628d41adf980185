// Step 5's screen logic without Ink: the key → intent function picks the table of what is open,
// and the reducer gives the next view and the effects (probes, re-scan, checks, clean-up).
import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {initialVerifyView, verifyContext, verifyIntent, verifyReducer, type VerifyFacts, type VerifyView} from '../../src/ui/verify/reducer.js';

const none = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
} as Key;
const KEYS: Record<string, [string, Key]> = {up: ['', {...none, upArrow: true}], down: ['', {...none, downArrow: true}], escape: ['', {...none, escape: true}], 'ctrl-c': ['c', {...none, ctrl: true}]};
const keyOf = (spec: string): [string, Key] => KEYS[spec] ?? [spec, /[A-Z]/.test(spec) ? {...none, shift: true} : none];

const facts = (patch: Partial<VerifyFacts> = {}): VerifyFacts => ({busy: false, followUps: [{id: 'f1'}, {id: 'f2'}], unchecked: ['worker', 'cron'], oldKeyRevoked: false, ...patch});

function press(keys: string[], given: VerifyFacts, view: VerifyView = initialVerifyView) {
	const effects = [];
	for (const spec of keys) {
		const next = verifyReducer(view, {type: 'key', ...verifyIntent(view, given, ...keyOf(spec))}, given);
		view = next.view;
		effects.push(...next.effects);
	}
	return {view, effects};
}

describe('the verify reducer', () => {
	it('p probes the old key, P the new one, e re-scans, h runs the checks: only while nothing runs', () => {
		expect(press(['p', 'P', 'e', 'h'], facts()).effects).toEqual([{type: 'probe', which: 'old'}, {type: 'probe', which: 'new'}, {type: 'rescan'}, {type: 'health'}]);
		expect(press(['p', 'P', 'e', 'h', 'g', 'b', 'x', 'down'], facts({busy: true}))).toEqual({view: initialVerifyView, effects: []});
		// w opens work screens on the checklist: here it does nothing; o and r neither (old letters).
		expect(press(['w', 'o', 'r', 'c', 'm', 'k', 'j'], facts())).toEqual({view: initialVerifyView, effects: []});
	});

	it('x marks the follow-up under the cursor done and the cursor stays on it', () => {
		const {view, effects} = press(['down', 'x'], facts());
		expect(effects).toEqual([{type: 'follow-up-done', id: 'f2'}]);
		expect(view.cursor).toBe(1);
		expect(press(['down', 'down', 'up', 'up'], facts()).view.cursor).toBe(0);
		expect(verifyContext(initialVerifyView, facts({followUps: []}))).toMatchObject({followUps: false, followUp: false});
	});

	it('b asks about each unchecked consumer in turn: y counts it, n goes on, Esc stops', () => {
		const asking = press(['b'], facts());
		expect(asking.view.handQueue).toEqual(['worker', 'cron']);
		const first = press(['y'], facts(), asking.view);
		expect(first).toEqual({view: {...asking.view, handQueue: ['cron']}, effects: [{type: 'checked-by-hand', id: 'worker'}]});
		expect(press(['n'], facts(), first.view)).toEqual({view: {...first.view, handQueue: null}, effects: []});
		expect(press(['escape'], facts(), asking.view).view.handQueue).toBeNull();
		// Other keys wait for the answer.
		expect(press(['p', 'x'], facts(), asking.view)).toEqual({view: asking.view, effects: []});
		expect(press(['b'], facts({unchecked: []})).view.handQueue).toBeNull();
	});

	it('g says the clean-up waits for the revocation; once revoked it opens, y purges, G writes the ggshield entry, any key closes', () => {
		expect(press(['g'], facts())).toEqual({view: initialVerifyView, effects: [{type: 'say', text: 'The clean-up comes after the old key is proven revoked (p).', error: true}]});
		const revoked = facts({oldKeyRevoked: true});
		const open = press(['g'], revoked).view;
		expect(open.cleanup).toBe(true);
		expect(press(['y'], revoked, open)).toEqual({view: initialVerifyView, effects: [{type: 'purge'}]});
		expect(press(['G'], revoked, open)).toEqual({view: initialVerifyView, effects: [{type: 'ignore-scanners'}]});
		expect(press(['i'], revoked, open)).toEqual({view: initialVerifyView, effects: []});
		expect(press(['ctrl-c'], revoked, open).effects).toEqual([{type: 'quit'}]);
	});

	it('? opens the help, any key closes it; Esc goes back; q and Ctrl-C quit', () => {
		const help = press(['?'], facts()).view;
		expect(help.help).toBe(true);
		expect(press(['p'], facts(), help)).toEqual({view: initialVerifyView, effects: []});
		expect(press(['escape'], facts()).effects).toEqual([{type: 'back'}]);
		expect(press(['q'], facts()).effects).toEqual([{type: 'quit'}]);
		expect(press(['ctrl-c'], facts()).effects).toEqual([{type: 'quit'}]);
	});
});
