// A terminal frame read back from tmux (capture-pane -e): each visible row's text and whether
// any of its text is drawn inverse (how the work screens mark the selected row). Plus the two
// ways the e2e walks wait: for a frame to settle, and for what a key leads to.
import {setTimeout as delay} from 'node:timers/promises';
import type {Terminal} from './tmux.js';

export type FrameRow = {text: string; inverse: boolean};

// SGR (colours, bold, inverse …) and OSC (titles, links) sequences as tmux writes them back.
const ESCAPE = /\u001B\[([0-9;:]*)m|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[^[\]]/g;

/** Splits a styled capture into rows; tmux carries a style across row ends, and so does this. */
export function parseFrame(styled: string): FrameRow[] {
	let inverse = false;
	return styled
		.replace(/\n$/, '')
		.split('\n')
		.map(line => {
			let text = '';
			let inverseText = false;
			let at = 0;
			const take = (until: number) => {
				const part = line.slice(at, until);
				text += part;
				if (inverse && /\S/.test(part)) inverseText = true;
			};
			for (const match of line.matchAll(ESCAPE)) {
				take(match.index);
				at = match.index + match[0].length;
				if (match[1] === undefined) continue;
				const params = match[1] === '' ? ['0'] : match[1].split(/[;:]/);
				for (let index = 0; index < params.length; index++) {
					const param = params[index]!;
					if (param === '0' || param === '') inverse = false;
					else if (param === '7') inverse = true;
					else if (param === '27') inverse = false;
					// 38;5;n, 38;2;r;g;b (and 48, 58): their numbers are no attributes.
					else if (['38', '48', '58'].includes(param)) index += params[index + 1] === '5' ? 2 : params[index + 1] === '2' ? 4 : 0;
				}
			}
			take(line.length);
			return {text: text.replace(/\s+$/, ''), inverse: inverseText};
		});
}

/** The styled screen once two reads 50 ms apart agree (a frame can be caught half drawn). */
export async function settled(t: Terminal, timeoutMs = 3000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let last = t.styled();
	for (;;) {
		await delay(50);
		const now = t.styled();
		if (now === last || Date.now() > deadline) return now;
		last = now;
	}
}

/**
 * Sends keys and waits for what they lead to. Ink listens to a new screen's keys only after its
 * first frame is drawn, so a key sent in that gap is dropped: when the screen has not changed at
 * all (the key was not taken), the keys are sent again. A key that changed anything is never re-sent.
 */
export async function press(t: Terminal, keys: string[], expected: string | RegExp): Promise<string> {
	const before = await settled(t);
	t.keys(...keys);
	for (let attempt = 1; ; attempt++) {
		try {
			return await t.waitFor(expected, 2000);
		} catch (error) {
			if (attempt >= 4 || (await settled(t)) !== before) return t.waitFor(expected, 6000).catch(() => Promise.reject(error));
			t.keys(...keys);
		}
	}
}
