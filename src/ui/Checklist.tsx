import {Box, Text} from 'ink';
import type {Step} from '../core/model.js';
import {itemProgress} from '../core/session.js';
import {visibleWindow} from './wizardUi.js';
import {visible} from '../core/text.js';

const BOX = {open: '[ ]', done: '[x]', skipped: '[-]'} as const;

export function Checklist({step, cursor, rows, sourceName, partial}: {step: Step; cursor: number; rows: number; sourceName: string; partial?: Set<string>}) {
	const {start, end} = visibleWindow(step.items.length, cursor, rows);
	return (
		<Box flexDirection="column">
			{start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
			{step.items.slice(start, end).map((item, offset) => (
				<ChecklistItem key={item.id} step={step} index={start + offset} cursor={cursor} sourceName={sourceName} partial={partial} />
			))}
			{end < step.items.length ? <Text dimColor>  ↓ {step.items.length - end} more</Text> : null}
		</Box>
	);
}

/** One item as the checklist draws it (also above an overlay that covers the list: the help, the places). */
export function ChecklistItem({step, index, cursor, sourceName, partial}: {step: Step; index: number; cursor: number; sourceName: string; partial?: Set<string> | undefined}) {
	const item = step.items[index];
	if (!item) return null;
	const progress = itemProgress(step, item.id);
	const selected = index === cursor;
	const color = progress.status === 'done' ? 'green' : progress.status === 'skipped' ? 'yellow' : undefined;
	return (
		<Text wrap="truncate" color={color} bold={selected}>
			{selected ? '› ' : '  '}
			{BOX[progress.status]} {visible(item.title)}
			{item.required ? '' : ' (optional)'}
			{item.source === 'generic' ? '' : ` · ${visible(sourceName)}`}
			{progress.note ? ' ✎' : ''}
			{partial?.has(item.id) ? ' · partly proven' : ''}
		</Text>
	);
}
