// The harden flow's prompts on the Rotate screen (src/ui/rotate/harden-reducer.ts), fed keys
// through the Rotate screen's key → intent function; and the two harden rules both callers take
// from core (src/core/harden.ts): the store's address from the inventory, and the variable.
import type {Key} from 'ink';
import {describe, expect, it} from 'vitest';
import {HARDEN_STORES, hardenVariable, storeAddressFromInventory} from '../../src/core/harden.js';
import type {InventoryEntry} from '../../src/core/model.js';
import type {FileView, HardenSummary} from '../../src/engines/harden/flow.js';
import {leakedKey} from '../../src/core/leaked-key.js';
import type {Session} from '../../src/core/model.js';
import type {ProviderPlaybook} from '../../src/playbooks/schema.js';
import {hardenWork} from '../../src/ui/rotate/hardenWork.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {CANCELLED, hardenConfirm, type HardenPrompt, hardenReducer} from '../../src/ui/rotate/harden-reducer.js';
import {initialView, rotateIntent, type RotateFacts} from '../../src/ui/rotate/reducer.js';

const none = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
} as Key;
const KEYS: Record<string, [string, Key]> = {enter: ['\r', {...none, return: true}], escape: ['', {...none, escape: true}], 'ctrl-c': ['c', {...none, ctrl: true}]};
const keyOf = (spec: string): [string, Key] => KEYS[spec] ?? [spec, none];
const facts: RotateFacts = {tasks: [], busy: false, newKeyHere: true, newKeyKnown: undefined, newKeyLive: true, demo: false, deactivation: () => []};

/** A key on an open harden prompt, read by the Rotate screen's intent function. */
function press(prompt: HardenPrompt, spec: string) {
	const read = rotateIntent({...initialView, mode: {kind: 'harden', prompt}}, facts, ...keyOf(spec));
	if (read === null || (read.screen !== 'rotate-harden-file' && read.screen !== 'rotate-confirm')) throw new Error(`${spec}: not a harden key`);
	return hardenReducer(prompt, {type: 'key', ...read} as Parameters<typeof hardenReducer>[1]);
}

const file = (index: number): FileView => ({index, total: 2, file: `f${index}.js`, language: 'javascript', lines: [1], diff: '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y', store: 'env', ownStore: false});
const summary = (extra: Partial<HardenSummary> = {}): HardenSummary => ({variable: 'K', files: 2, accepted: 1, config: ['.env.example: add K='], guard: '.git/hooks/pre-commit and .git/hooks/pre-push', ci: null, scanners: [], ...extra});
const onFile: HardenPrompt = {kind: 'file', file: file(0)};

describe('the harden prompts', () => {
	it('the store chosen starts the flow and waits; its questions come in turn: each file, then the one confirmation', () => {
		expect(hardenReducer({kind: 'store'}, {type: 'store-chosen', store: 'aws-sm'})).toEqual({prompt: {kind: 'wait'}, effects: [{type: 'start', store: 'aws-sm'}]});
		expect(hardenReducer({kind: 'wait'}, {type: 'file', file: file(0)})).toEqual({prompt: onFile, effects: []});
		expect(hardenReducer(onFile, {type: 'file', file: file(1)}).prompt).toEqual({kind: 'file', file: file(1)});
		expect(hardenReducer(onFile, {type: 'confirm-all', summary: summary()}).prompt).toEqual(hardenConfirm(summary()));
		expect(hardenReducer(onFile, {type: 'failed'})).toEqual({prompt: null, effects: []});
	});

	it('a file: y accepts its rewrite, n leaves it, 1–4 choose its store; the question stays until the flow asks the next', () => {
		expect(press(onFile, 'y')).toEqual({prompt: onFile, effects: [{type: 'answer', value: 'accept'}]});
		expect(press(onFile, 'n')).toEqual({prompt: onFile, effects: [{type: 'answer', value: 'leave'}]});
		expect(['1', '2', '3', '4'].map(digit => press(onFile, digit).effects)).toEqual(HARDEN_STORES.map(store => [{type: 'answer', value: {store}}]));
		expect(press(onFile, 'x')).toEqual({prompt: onFile, effects: []});
		// q (or Ctrl-C) cancels the flow first (nothing written), then quits.
		for (const key of ['q', 'ctrl-c']) expect(press(onFile, key)).toEqual({prompt: null, effects: [{type: 'answer', value: 'cancel'}, {type: 'quit'}]});
	});

	it('Esc on a file cancels: the flow is told, the prompts close, and the screen says nothing was written', () => {
		expect(press(onFile, 'escape')).toEqual({prompt: null, effects: [{type: 'answer', value: 'cancel'}, {type: 'say', text: CANCELLED, error: false}]});
		expect(CANCELLED).toBe('Cancelled: nothing was written.');
	});

	it('the one confirmation: y writes it all; any other key cancels and says so; q and Ctrl-C answer no, then quit', () => {
		const confirm = hardenConfirm(summary());
		expect(press(confirm, 'y')).toEqual({prompt: null, effects: [{type: 'answer', value: true}]});
		for (const key of ['n', 'enter', 'escape']) expect(press(confirm, key)).toEqual({prompt: null, effects: [{type: 'answer', value: false}, {type: 'say', text: CANCELLED, error: false}]});
		for (const key of ['q', 'ctrl-c']) expect(press(confirm, key)).toEqual({prompt: null, effects: [{type: 'answer', value: false}, {type: 'quit'}]});
	});

	it('what the confirmation lists: nothing found, or the files, the config, the guards and the CI job as diff lines, with where it is printed whole', () => {
		expect(hardenConfirm(summary({files: 0, accepted: 0}))).toMatchObject({lines: ['No committed file holds the key.', '.env.example: add K=', expect.stringContaining('the guards in')]});
		expect(hardenConfirm(summary()).lines).toEqual(expect.arrayContaining(['1 file(s) rewritten to read K', '.env.example: add K=']));
		const withCi = hardenConfirm(summary({ci: {kind: 'github', diff: '--- /dev/null\n+++ b/.github/workflows/leakfix-guard.yml'} as unknown as HardenSummary['ci']}));
		expect(withCi.more).toBe('leakfix harden --dry-run --ci github prints them whole');
		expect(withCi.lines.slice(-3)).toEqual(['the CI job, as a diff:', {diff: '--- /dev/null'}, {diff: '+++ b/.github/workflows/leakfix-guard.yml'}]);
	});
});

describe('harden rules in core, for the wizard and leakfix harden alike', () => {
	const entry = (id: string, store: InventoryEntry['store']): InventoryEntry => ({id, service: id, environment: 'prod', store, evidence: [], origin: 'manual'});
	const inventory = [
		entry('a', {type: 'env-file', path: '.env', variable: 'K'}),
		entry('b', {type: 'aws-sm', secretId: 'prod/api', jsonKey: 'key'}),
		entry('c', {type: 'aws-sm', secretId: 'other'}),
		entry('d', {type: 'vault', mount: 'secret', path: 'api/prod', field: 'key'}),
		entry('e', {type: 'conjur', variableId: 'prod/api/key'}),
	] as InventoryEntry[];

	it("a store's address is the first inventory entry of that store type; none known: empty", () => {
		expect(storeAddressFromInventory(inventory, 'aws-sm')).toEqual({secretId: 'prod/api', jsonKey: 'key'});
		expect(storeAddressFromInventory(inventory, 'vault')).toEqual({mount: 'secret', path: 'api/prod', field: 'key'});
		expect(storeAddressFromInventory(inventory, 'conjur')).toEqual({variableId: 'prod/api/key'});
		expect(storeAddressFromInventory(inventory, 'env')).toEqual({});
		expect(storeAddressFromInventory(undefined, 'vault')).toEqual({});
	});

	it("the variable: the one named, else the provider's convention, else a reason (never a made-up name)", () => {
		const provider = {name: 'CloudSight', envVars: ['CLOUDSIGHT_API_KEY', 'CS_KEY']};
		expect(hardenVariable(provider)).toEqual({variable: 'CLOUDSIGHT_API_KEY'});
		expect(hardenVariable(provider, 'MY_KEY')).toEqual({variable: 'MY_KEY'});
		expect(hardenVariable({name: 'Acme', envVars: []})).toEqual({reason: "Acme's playbook names no variable its services read the key from"});
		expect(hardenVariable(undefined)).toMatchObject({reason: expect.any(String)});
	});

	it('the wizard refuses the same way as leakfix harden when the provider names no variable (no made-up LEAKED_API_KEY), and never starts the flow', async () => {
		let started = false;
		const work = hardenWork({
			session: {repoPath: '/nowhere', inventory: []} as unknown as Session,
			provider: {name: 'Acme', envVars: []} as unknown as ProviderPlaybook,
			oldKey: leakedKey(fakeCloudSightKey()),
			redactor: {text: (text: string) => text} as never,
			dispatch: () => undefined,
			ports: {harden: (async () => {
				started = true;
				throw new Error('not reached');
			}) as never},
			cwd: '/nowhere',
			task: async () => undefined,
			say: () => undefined,
		});
		await expect(work.run('env', {confirm: async () => 'cancel', confirmAll: async () => false})).rejects.toThrow("Not started: the rewritten code must read a variable, and Acme's playbook names no variable its services read the key from (leakfix harden --env-var NAME names one).");
		expect(started).toBe(false);
	});
});
