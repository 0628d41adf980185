// Driving Ink in tests: write a key, wait for a new frame, then let React's effects re-subscribe
// the input handlers (two setImmediate turns; measured reliable in ../shared/STYLE.md).
import {setImmediate as tick} from 'node:timers/promises';
import type {render} from 'ink-testing-library';

type Rendered = ReturnType<typeof render>;

export const KEY = {
	enter: '\r',
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	escape: '\u001B',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

export async function settle(): Promise<void> {
	await tick();
	await tick();
}

/** Polls until `check` passes or the deadline; the failure shows the last frame. */
export async function waitFor(app: Rendered, check: (frame: string) => boolean, what: string, timeoutMs = 3000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = app.lastFrame() ?? '';
		if (check(frame)) return frame;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Last frame:\n${frame}`);
		await tick();
	}
}

/** Waits for a frame with `text`, then lets the new screen's input handlers subscribe. */
export async function waitForText(app: Rendered, text: string, timeoutMs = 3000): Promise<string> {
	await waitFor(app, frame => frame.includes(text), JSON.stringify(text), timeoutMs);
	await settle();
	return app.lastFrame() ?? '';
}

/** Writes one key (or a pasted string), waits for the frame to change, then settles. */
export async function press(app: Rendered, input: string, {expectChange = true} = {}): Promise<string> {
	const before = app.frames.length;
	app.stdin.write(input);
	if (input === KEY.escape) {
		// Ink holds a lone Escape until the next tick to tell it from an escape sequence.
		await tick();
	}
	if (expectChange) await waitFor(app, () => app.frames.length > before, `a new frame after ${JSON.stringify(input)}`);
	await settle();
	return app.lastFrame() ?? '';
}
