export type Clock = {now(): Date};

export const systemClock: Clock = {now: () => new Date()};

/** A clock for tests and the demo: starts at `start` and moves only when told. */
export function fixedClock(start: Date): Clock & {advance(ms: number): void} {
	let current = start.getTime();
	return {
		now: () => new Date(current),
		advance(ms) {
			current += ms;
		},
	};
}
