// No input may crash the wizard. Ink 6 reads each escape sequence from stdin as one input event
// and hands it to every `useInput` handler; for a sequence it has no name for but reads a
// modifier from (a pasted `ESC[31m`: "1" is no modifier, "31" has the ctrl bit), its useInput
// throws `Cannot read properties of undefined (reading 'startsWith')` inside the stdin listener,
// which ends the process and loses the unsaved form. Other unknown sequences (`ESC[200~`,
// `ESC[2m`) reach the handlers as text ("[200~").
//
// The guard sits between Ink's stdin reader and the handlers, once per app: it wraps the emit of
// Ink's internal input emitter so an unknown sequence (keymap.ts: isUnknownSequence) is dropped
// before any handler sees it. Ink's own handling (Ctrl+C, focus) has already run and is safe.
import {useStdin} from 'ink';
import type {EventEmitter} from 'node:events';
import {isUnknownSequence} from './keymap.js';

const guarded = new WeakSet<EventEmitter>();

// ESC ] (OSC), ESC P (DCS), ESC X (SOS), ESC ^ (PM), ESC _ (APC): a control string, ended by BEL
// or ESC \. Ink splits only at ESC, so its body arrives as the next event, as if typed.
const STRING_START = /^\u001B[\]PX^_]$/;
const C1_SEQUENCE = /\u009B|[\u0090\u0098\u009D\u009E\u009F]/;
const C1_SEQUENCE_ALL = /\u009B[\u0030-\u003F]*[\u0020-\u002F]*[\u0040-\u007E]?|[\u0090\u0098\u009D\u009E\u009F][^\u0007\u009C]*[\u0007\u009C]?/g;

/**
 * The input filter, one per app: what to hand to the handlers for each input event, or null to
 * drop it. A control string pasted in one read (an OSC 52 clipboard write) is dropped whole, its
 * body too; the string ends at BEL, at ESC \, or with the read (a microtask later), so an Alt key
 * pressed alone never swallows what is typed after it.
 */
export function createInputFilter(endOfRead: (callback: () => void) => void = queueMicrotask): (input: string) => string | null {
	let inString = false;
	return input => {
		if (inString) {
			if (input === '\u001B\\') {
				inString = false;
				return null;
			}
			const bel = input.indexOf('\u0007');
			if (bel === -1) return null;
			inString = false;
			const rest = input.slice(bel + 1);
			return rest === '' ? null : rest;
		}
		if (STRING_START.test(input)) {
			inString = true;
			endOfRead(() => {
				inString = false;
			});
			return null;
		}
		if (isUnknownSequence(input)) return null;
		// Their 8-bit forms (C1 CSI U+009B, OSC U+009D, DCS, SOS, PM, APC) come inside text: cut whole.
		const text = C1_SEQUENCE.test(input) ? input.replace(C1_SEQUENCE_ALL, '') : input;
		return text === '' ? null : text;
	};
}

/** Installs the guard on this Ink instance's input emitter (idempotent); call it in the root component. */
export function useInputGuard(): void {
	const {internal_eventEmitter: emitter} = useStdin();
	// In render, not an effect: the screens' handlers subscribe in effects, and keys only arrive
	// after the first commit, so the guard is in place before any key can reach a handler.
	if (emitter === undefined || guarded.has(emitter)) return;
	guarded.add(emitter);
	const filter = createInputFilter();
	const emit = emitter.emit.bind(emitter);
	emitter.emit = (event: string | symbol, ...args: unknown[]): boolean => {
		if (event !== 'input' || typeof args[0] !== 'string') return emit(event, ...args);
		const input = filter(args[0]);
		return input === null ? false : emit(event, input, ...args.slice(1));
	};
}
