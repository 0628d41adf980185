// Step 3's work screen and its two prompts (merge into which entry, delete it).
import {BACK, HELP, QUIT, MOVE, type KeyEntry} from './entry.js';

export const INVENTORY_KEYMAP = {
	inventory: [
		MOVE('entry'),
		{keys: ['i'], intent: 'discover', label: 'discover', help: 'discover consumers in the repository (code, .env files, CI, Kubernetes, Terraform)', when: 'idle'},
		{keys: ['I'], intent: 'discover-more', label: 'more places', help: 'discover in other repositories and variable names', when: 'idle'},
		{keys: ['+'], intent: 'add', label: 'add', help: 'add a consumer by hand'},
		{keys: ['enter'], intent: 'edit', label: 'edit', help: 'edit the entry (service, environment, store, owner, restart, health)', when: 'selected'},
		{keys: ['d', 'delete'], intent: 'delete', label: 'delete', help: 'delete the entry (asked first)', when: 'selected'},
		{keys: ['m'], intent: 'merge', label: 'merge', help: 'merge the entry into another (the evidence is kept)', when: 'several'},
		{keys: ['r'], intent: 'access', label: 'who can read it', help: "who can read the entry's store: shows the read-only commands; r again runs them (marking: leakfix access --mark)", when: 'selected'},
		HELP,
		BACK,
		QUIT,
	],
	'inventory-merge': [
		MOVE('entry'),
		{keys: ['enter'], intent: 'merge', label: 'merges', help: 'merge into this entry (the evidence is kept)', hint: 'Enter merges (the evidence is kept)', when: 'otherSelected'},
		{keys: ['escape'], intent: 'cancel', label: 'cancels', help: 'cancel the merge'},
		QUIT,
	],
	'inventory-delete': [
		QUIT,
		{keys: ['y'], intent: 'delete', label: 'to delete', help: 'delete the entry'},
		{keys: ['any'], intent: 'keep', label: 'keeps it', help: 'keep the entry'},
	],
} as const satisfies Record<string, readonly KeyEntry[]>;

export const INVENTORY_TITLES = {
	inventory: 'Inventory (step 3)',
	'inventory-merge': 'Inventory: merge',
	'inventory-delete': 'Inventory: delete',
} as const;
