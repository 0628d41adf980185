// Step 5's work screen without Ink: which key table the view listens to, what the keys can do now,
// and a pure reducer over the screen's own view state (the follow-up cursor, help, the clean-up
// box, the "checked by hand" questions). It returns the next view and the effects the screen runs.
import type {Key} from 'ink';
import {intentFor, keyOf, type Intent, type KeyContext} from '../keymap.js';
import type {Reduced} from '../widgets/useView.js';

export type VerifyView = {
	/** The follow-up under the cursor. */
	cursor: number;
	help: boolean;
	cleanup: boolean;
	/** The updated consumers still to ask about ("did you check it yourself?"), the first asked now. */
	handQueue: readonly string[] | null;
};

export const initialVerifyView: VerifyView = {cursor: 0, help: false, cleanup: false, handQueue: null};

/** What the screen shows that the keys depend on. */
export type VerifyFacts = {
	busy: boolean;
	followUps: ReadonlyArray<{id: string}>;
	/** The updated consumers with no passing check. */
	unchecked: readonly string[];
	oldKeyRevoked: boolean;
};

export type VerifyEffect =
	| {type: 'probe'; which: 'old' | 'new'}
	| {type: 'rescan'}
	| {type: 'health'}
	| {type: 'purge'}
	| {type: 'ignore-scanners'}
	| {type: 'follow-up-done'; id: string}
	| {type: 'checked-by-hand'; id: string}
	| {type: 'say'; text: string; error: boolean}
	| {type: 'back'}
	| {type: 'quit'};

export type VerifyKey =
	| {screen: 'help'; intent: Intent<'help'>}
	| {screen: 'verify'; intent: Intent<'verify'>}
	| {screen: 'verify-hand-check'; intent: Intent<'verify-hand-check'>}
	| {screen: 'verify-cleanup'; intent: Intent<'verify-cleanup'>};

export type VerifyAction = {type: 'key'} & VerifyKey;

/** What the keys can do now: the input handler, the footer and the help read the same. */
export function verifyContext(view: VerifyView, facts: VerifyFacts): KeyContext {
	const idle = !facts.busy;
	return {
		idle,
		followUps: idle && facts.followUps.length > 1,
		followUp: idle && facts.followUps[view.cursor] !== undefined,
		unchecked: idle && facts.unchecked.length > 0,
	};
}

/** The key → intent function: the table of what is open (help, a question, the clean-up, the screen). */
export function verifyIntent(view: VerifyView, facts: VerifyFacts, input: string, key: Key): VerifyKey {
	if (view.help) return {screen: 'help', intent: intentFor('help', input, key)};
	if (view.handQueue) return {screen: 'verify-hand-check', intent: intentFor('verify-hand-check', input, key)};
	if (view.cleanup) return {screen: 'verify-cleanup', intent: intentFor('verify-cleanup', input, key)};
	return {screen: 'verify', intent: intentFor('verify', input, key, verifyContext(view, facts))};
}

const to = (view: VerifyView, patch: Partial<VerifyView>, ...effects: VerifyEffect[]): Reduced<VerifyView, VerifyEffect> => ({view: Object.keys(patch).length === 0 ? view : {...view, ...patch}, effects});
const queue = (ids: readonly string[]) => (ids.length > 0 ? ids : null);

export function verifyReducer(view: VerifyView, action: VerifyAction, facts: VerifyFacts): Reduced<VerifyView, VerifyEffect> {
	switch (action.screen) {
		case 'help': {
			if (action.intent.type === 'quit') return to(view, {}, {type: 'quit'});
			return to(view, action.intent.type === 'close' ? {help: false} : {});
		}

		case 'verify-hand-check': {
			const [id, ...rest] = view.handQueue ?? [];
			const {type} = action.intent;
			if (type === 'quit') return to(view, {}, {type: 'quit'});
			if (type === 'stop') return to(view, {handQueue: null});
			if (type === 'yes' && id !== undefined) return to(view, {handQueue: queue(rest)}, {type: 'checked-by-hand', id});
			if (type === 'no') return to(view, {handQueue: queue(rest)});
			return to(view, {});
		}

		case 'verify-cleanup': {
			// Any key closes the clean-up; y purges, G writes the scanners' entry.
			const {type} = action.intent;
			if (type === 'quit') return to(view, {}, {type: 'quit'});
			if (type === 'purge') return to(view, {cleanup: false}, {type: 'purge'});
			if (type === 'ignore-scanners') return to(view, {cleanup: false}, {type: 'ignore-scanners'});
			return to(view, {cleanup: false});
		}

		case 'verify': {
			return onScreen(view, action.intent, facts);
		}
	}
}

function onScreen(view: VerifyView, intent: Intent<'verify'>, facts: VerifyFacts): Reduced<VerifyView, VerifyEffect> {
	switch (intent.type) {
		case 'quit': {
			return to(view, {}, {type: 'quit'});
		}

		case 'back': {
			return to(view, {}, {type: 'back'});
		}

		case 'help': {
			return to(view, {help: true});
		}

		case 'probe-old': {
			return to(view, {}, {type: 'probe', which: 'old'});
		}

		case 'probe-new': {
			return to(view, {}, {type: 'probe', which: 'new'});
		}

		case 'rescan': {
			return to(view, {}, {type: 'rescan'});
		}

		case 'health': {
			return to(view, {}, {type: 'health'});
		}

		case 'cleanup': {
			if (facts.oldKeyRevoked) return to(view, {cleanup: true});
			return to(view, {}, {type: 'say', text: `The clean-up comes after the old key is proven revoked (${keyOf('verify', 'probe-old')}).`, error: true});
		}

		case 'move': {
			return to(view, {cursor: Math.max(0, Math.min(facts.followUps.length - 1, view.cursor + (intent.key === 'up' ? -1 : 1)))});
		}

		case 'follow-up-done': {
			// A verdict never moves the cursor: the follow-up marked stays highlighted.
			const followUp = facts.followUps[view.cursor];
			return followUp ? to(view, {}, {type: 'follow-up-done', id: followUp.id}) : to(view, {});
		}

		case 'hand-check': {
			return to(view, {handQueue: queue(facts.unchecked)});
		}

		case 'none': {
			return to(view, {});
		}
	}
}
