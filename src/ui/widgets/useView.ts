// A screen's view state as a pure reducer's output, kept in a ref as well as in React state: keys
// can arrive faster than frames, and Ink hands them to the handler of an earlier render, so each
// key must reduce the latest view, not the one a render closed over.
import {useRef, useState} from 'react';

export type Reduced<V, E> = {view: V; effects: E[]};

export function useView<V, A, F, E>(initial: V, reduce: (view: V, action: A, facts: F) => Reduced<V, E>) {
	const ref = useRef(initial);
	const [view, setView] = useState(initial);
	/** Reduces the latest view; returns the effects for the caller to run. */
	const apply = (action: A, facts: F): E[] => {
		const next = reduce(ref.current, action, facts);
		if (next.view !== ref.current) {
			ref.current = next.view;
			setView(next.view);
		}
		return next.effects;
	};
	return {view, latest: () => ref.current, apply};
}
