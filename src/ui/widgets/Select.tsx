// A pick list. Keys can arrive faster than frames (Down and Enter in one read), and Ink hands them
// to the handler of an earlier render, so the highlighted index lives in a ref, not in a closure.
import {Box, Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import {listIntent} from '../keymap.js';
import {visibleWindow} from '../wizardUi.js';
import {visible} from '../../core/text.js';

export type SelectItem<V> = {key: string; label: string; value: V};

type Props<V> = {
	items: Array<SelectItem<V>>;
	initialIndex?: number;
	onSelect(item: SelectItem<V>): void;
	onBack?: () => void;
	onQuit?: () => void;
	/** `q` quits too (a list that is a whole screen, not a question). */
	qQuits?: boolean;
	limit?: number;
};

export function Select<V>({items, initialIndex = 0, onSelect, onBack, onQuit, qQuits = false, limit = 10}: Props<V>) {
	const clamp = (index: number) => Math.max(0, Math.min(index, items.length - 1));
	const indexRef = useRef(clamp(initialIndex));
	const [index, setIndex] = useState(indexRef.current);
	const chosen = useRef(false);
	const move = (next: number) => {
		indexRef.current = clamp(next);
		setIndex(indexRef.current);
	};
	useInput((input, key) => {
		if (chosen.current) return; // keys after the choice belong to whatever comes next
		const intent = listIntent(input, key, {qQuits});
		switch (intent.type) {
			case 'up': {
				move(indexRef.current - 1);
				break;
			}

			case 'down': {
				move(indexRef.current + 1);
				break;
			}

			case 'choose': {
				const item = items[indexRef.current];
				if (item) {
					chosen.current = true;
					onSelect(item);
				}
				break;
			}

			case 'back': {
				onBack?.();
				break;
			}

			case 'quit': {
				onQuit?.();
				break;
			}

			case 'none': {
				break;
			}
		}
	});
	const {start, end} = visibleWindow(items.length, index, limit);
	return (
		<Box flexDirection="column">
			{start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
			{items.slice(start, end).map((item, offset) => {
				const selected = start + offset === index;
				return (
					<Text key={item.key} color={selected ? 'cyan' : undefined} wrap="truncate">
						{selected ? '❯ ' : '  '}
						{visible(item.label)}
					</Text>
				);
			})}
			{end < items.length ? <Text dimColor>  ↓ {items.length - end} more</Text> : null}
		</Box>
	);
}
