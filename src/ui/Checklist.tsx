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
			{step.items.slice(start, end).map((item, offset) => {
				const index = start + offset;
				const progress = itemProgress(step, item.id);
				const selected = index === cursor;
				const color = progress.status === 'done' ? 'green' : progress.status === 'skipped' ? 'yellow' : undefined;
				return (
					<Text key={item.id} wrap="truncate" color={color} bold={selected}>
						{selected ? '› ' : '  '}
						{BOX[progress.status]} {visible(item.title)}
						{item.required ? '' : ' (optional)'}
						{item.source === 'generic' ? '' : ` · ${visible(sourceName)}`}
						{progress.note ? ' ✎' : ''}
						{partial?.has(item.id) ? ' · partly proven' : ''}
					</Text>
				);
			})}
			{end < step.items.length ? <Text dimColor>  ↓ {step.items.length - end} more</Text> : null}
		</Box>
	);
}
