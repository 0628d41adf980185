import {Box, Text} from 'ink';
import type {Session, StepId} from '../core/model.js';
import {stepNumber, stepStatus} from '../core/session.js';
import {formatDuration} from '../core/time.js';
import {visible} from '../core/text.js';

const GLYPH = {todo: '○', 'in-progress': '◐', complete: '✓'} as const;
/** Short tab labels: all five fit on one line of an 80-column terminal. */
const TAB: Record<StepId, string> = {assess: 'Assess', logs: 'Logs', inventory: 'Inventory', rotate: 'Rotate', verify: 'Verify'};
const COLOR = {todo: 'gray', 'in-progress': 'yellow', complete: 'green'} as const;

export function Header({session, current, now, keyPresent}: {session: Session; current: StepId; now: Date; keyPresent: boolean}) {
	const age = formatDuration(now.getTime() - Date.parse(session.leak.noticedAt));
	return (
		<Box flexDirection="column">
			<Box justifyContent="space-between">
				<Text bold color="red" wrap="truncate">
					leakfix · {visible(session.name)}
				</Text>
				<Text dimColor>{session.id}</Text>
			</Box>
			<Text wrap="truncate">
				{session.provider.name} · key {session.key.masked}
				{keyPresent ? '' : ' (not entered)'} · noticed {age} ago{session.demo ? ' · DEMO' : ''}
			</Text>
			<Box>
				{session.steps.map(step => {
					const status = stepStatus(step);
					const label = `${stepNumber(step.id)} ${TAB[step.id]} ${GLYPH[status]}`;
					return (
						<Box key={step.id} marginRight={1}>
							{step.id === current ? (
								<Text inverse bold>
									{` ${label} `}
								</Text>
							) : (
								<Text color={COLOR[status]}>{` ${label} `}</Text>
							)}
						</Box>
					);
				})}
			</Box>
		</Box>
	);
}
