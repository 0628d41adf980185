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

/** Installs the guard on this Ink instance's input emitter (idempotent); call it in the root component. */
export function useInputGuard(): void {
	const {internal_eventEmitter: emitter} = useStdin();
	// In render, not an effect: the screens' handlers subscribe in effects, and keys only arrive
	// after the first commit, so the guard is in place before any key can reach a handler.
	if (emitter === undefined || guarded.has(emitter)) return;
	guarded.add(emitter);
	const emit = emitter.emit.bind(emitter);
	emitter.emit = (event: string | symbol, ...args: unknown[]): boolean => {
		if (event === 'input' && typeof args[0] === 'string' && isUnknownSequence(args[0])) return false;
		return emit(event, ...args);
	};
}
