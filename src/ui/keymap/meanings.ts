// What each key means, once for every screen. A table may bind a key only to an intent its meaning
// names (test/unit/keymap.test.ts walks every table), so `k` cannot enter the key on the checklist
// and move up in a list, or `w` open a work screen on one screen and probe a key on another. The
// few deliberate overloads are marked and say why. docs/user-guide.md and docs/architecture.md
// hold `meaningsTable()` word for word (tested too).
import {keyGlyph, type KeySpec} from './keys.js';

export type Meaning = {
	readonly keys: readonly KeySpec[];
	readonly means: string;
	/** The intents that carry this meaning on some screen. */
	readonly intents: readonly string[];
	/** A key that does different things by design (leave, confirm, a numbered choice). */
	readonly overload?: true;
};

export const MEANINGS: readonly Meaning[] = [
	{keys: ['up', 'down'], means: 'move the cursor in the list on screen', intents: ['move']},
	{keys: ['right', 'tab', 'shift-tab'], means: 'the next or previous step of the checklist', intents: ['step']},
	{keys: ['left'], means: 'go back: the previous step on the checklist; back to the checklist from a work screen or the findings', intents: ['step', 'back'], overload: true},
	{keys: ['1', '2', '3', '4', '5'], means: 'jump to that step; in a prompt that numbers its choices, that choice', intents: ['goto-step', 'store'], overload: true},
	{keys: ['enter'], means: 'the main action on what is under the cursor (mark done, edit, do the task, choose, open), or take a typed answer', intents: ['toggle-done', 'edit', 'merge', 'do', 'choose', 'submit', 'open', 'done', 'keep'], overload: true},
	{keys: ['escape'], means: 'leave what is open: cancel a prompt or a running scan or analysis, back to the checklist', intents: ['cancel', 'back', 'stop'], overload: true},
	{keys: ['q'], means: 'quit (all is saved; leakfix resume picks up here), on every screen where q is not typed text', intents: ['quit']},
	{keys: ['ctrl-c'], means: 'quit (all is saved)', intents: ['quit']},
	{keys: ['any'], means: 'in an overlay or a question that says so: close it, or the safe answer (keep, cancel)', intents: ['close', 'keep', 'cancel'], overload: true},
	{keys: ['?'], means: 'the keys of this screen', intents: ['help']},
	{keys: [' '], means: 'mark the item under the cursor (done on the checklist, picked in a pick list); again: unmark it', intents: ['toggle-done', 'pick']},
	{keys: ['x'], means: 'mark done (a checklist item; again: reopen it; a follow-up)', intents: ['toggle-done', 'follow-up-done']},
	{keys: ['s'], means: 'skip, with a reason (a checklist item, a store update)', intents: ['skip']},
	{keys: ['b'], means: 'done by hand: a store update you changed yourself, a consumer you checked yourself', intents: ['by-hand', 'hand-check']},
	{keys: ['n'], means: 'a note on the item under the cursor (a checklist item, a finding)', intents: ['note']},
	{keys: ['k'], means: 'enter a key, typed masked: the leaked key on the checklist, the new key on Rotate', intents: ['enter-key', 'new-key']},
	{keys: ['w'], means: "open the step's work screen (Inventory, Rotate, Verify)", intents: ['work']},
	{keys: ['p'], means: 'probe the leaked (old) key: live on Assess, it must be revoked on Verify', intents: ['probe', 'probe-old']},
	{keys: ['P'], means: 'probe the new key (Verify): it must be live', intents: ['probe-new']},
	{keys: ['e'], means: 'scan for the key: the repository on Assess, the working tree again on Verify', intents: ['scan', 'rescan']},
	{keys: ['l'], means: "list it all, read-only: the places the scan found; the rotation's commands in order (a dry run)", intents: ['places', 'dry-run']},
	{keys: ['a'], means: 'analyse log files (Check logs)', intents: ['analyse-logs']},
	{keys: ['f'], means: 'the log findings (Check logs)', intents: ['findings']},
	{keys: ['c'], means: "fetch the provider's own logs (Check logs)", intents: ['logs-command']},
	{keys: ['!'], means: 'mark the finding suspicious', intents: ['suspicious']},
	{keys: ['o'], means: 'mark the finding expected (ok)', intents: ['expected']},
	{keys: ['u'], means: 'mark the finding undecided again', intents: ['undecided']},
	{keys: ['i'], means: 'discover consumers in the repository (Inventory)', intents: ['discover']},
	{keys: ['I'], means: 'discover consumers in more places: other repositories, variable names, an organisation (Inventory)', intents: ['discover-more']},
	{keys: ['+'], means: 'add a consumer by hand (Inventory)', intents: ['add']},
	{keys: ['d', 'delete'], means: 'delete the entry, asked first (Inventory)', intents: ['delete']},
	{keys: ['m'], means: 'merge the entry into another (Inventory)', intents: ['merge']},
	{keys: ['r'], means: "who can read the entry's store (Inventory): the commands first, r again runs them", intents: ['access']},
	{keys: ['h'], means: 'run the health check: the consumer under the cursor on Rotate, every updated one on Verify', intents: ['check', 'health']},
	{keys: ['g'], means: 'the history clean-up (Verify, once the old key is proven revoked)', intents: ['cleanup']},
	{keys: ['G'], means: "write the ggshield entry for the dead key (Verify's clean-up)", intents: ['ignore-scanners']},
	{keys: ['*'], means: 'pick all (the pick screen of leakfix --from)', intents: ['pick-all']},
];

/** The questions whose own answers (`PROMPT_ANSWERS`) mean what the question says. */
export const PROMPTS: ReadonlySet<string> = new Set(['inventory-delete', 'rotate-confirm', 'rotate-harden-file', 'verify-hand-check', 'verify-cleanup', 'pick-secrets-delete']);
/** y and n answer a question; digits pick a numbered choice. Only in `PROMPTS`. */
export const PROMPT_ANSWERS: ReadonlySet<KeySpec> = new Set(['y', 'Y', 'n', 'N', '1', '2', '3', '4']);

/** The meaning of a key, if it has one. */
export const keyMeaning = (spec: KeySpec): Meaning | undefined => MEANINGS.find(meaning => meaning.keys.includes(spec));

/** The global table as markdown rows, for the docs (they hold it word for word). */
export function meaningsTable(): string {
	const rows = MEANINGS.map(meaning => `| ${meaning.keys.map(spec => `\`${keyGlyph(spec).replace('any other key', 'any key')}\``).join(' ')} | ${meaning.means}${meaning.overload ? ' *(deliberately more than one)*' : ''} |`);
	return ['| key | means, on every screen |', '| --- | --- |', ...rows, '| `y` `n` (also `Y` `N`) | in a question: yes or no |'].join('\n');
}
