// Home: unfinished incidents to resume, or a new one.
import {Box, Text} from 'ink';
import type {Session} from '../core/model.js';
import {incidentStatus, stepStatus} from '../core/session.js';
import {formatDuration} from '../core/time.js';
import {Select} from './widgets/Select.js';
import {visible} from '../core/text.js';
import {footerHint} from './keymap.js';

type Props = {
	sessions: Session[];
	now: Date;
	notices: string[];
	allowNew: boolean;
	onPick(id: string): void;
	onNew(): void;
	onQuit(): void;
};

export function Home({sessions, now, notices, allowNew, onPick, onNew, onQuit}: Props) {
	const items = sessions.map(session => {
		const complete = session.steps.filter(step => stepStatus(step) === 'complete').length;
		const status = incidentStatus(session) === 'complete' ? 'complete' : `${complete}/5 steps`;
		const age = formatDuration(now.getTime() - Date.parse(session.updatedAt));
		return {
			key: session.id,
			value: session.id,
			// The demo mark comes first: a long line is cut at the terminal's edge.
			label: `Resume ${session.id}${session.demo ? ' (demo)' : ''}  ${session.name} · ${session.provider.name} · ${status} · changed ${age} ago`,
		};
	});
	if (allowNew) items.push({key: '__new__', value: '__new__', label: 'Start a new incident'});
	return (
		<Box flexDirection="column" paddingX={1}>
			<Text bold color="red">
				leakfix
			</Text>
			{notices.map(notice => (
				<Text key={notice} color="yellow">
					{visible(notice)}
				</Text>
			))}
			<Box marginY={1}>
				<Text>{sessions.length === 0 ? 'No incidents to resume.' : allowNew ? 'Unfinished incidents on this machine:' : 'Incidents on this machine:'}</Text>
			</Box>
			{/* A new notice (a pick that failed) brings a fresh list: a chosen list stops listening. */}
			<Select key={notices.length} items={items} qQuits onSelect={item => (item.value === '__new__' ? onNew() : onPick(item.value))} onBack={onQuit} onQuit={onQuit} />
			<Text dimColor>{footerHint('home')}</Text>
		</Box>
	);
}
