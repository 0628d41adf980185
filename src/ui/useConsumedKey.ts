// The key that closes a prompt (Enter, Esc) reaches every input handler in the same emit. After
// a prompt closes, `consume()` marks the key taken until the emit is over (a microtask), so the
// screen under the prompt does not also act on it.
import {useRef} from 'react';

export function useConsumedKey(): {consumed: {readonly current: boolean}; consume(): void} {
	const consumed = useRef(false);
	return {
		consumed,
		consume() {
			consumed.current = true;
			queueMicrotask(() => {
				consumed.current = false;
			});
		},
	};
}
