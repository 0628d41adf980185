// The `?` overlay: the keys of the screen it was opened on, from the same table its input handler
// and footer use (src/ui/keymap.ts). A key that does nothing right now is dimmed and says when it does.
// `current` is the row the keys act on, drawn as the screen draws it, above the box: the overlay
// covers the list, never what the responder was on.
import type {ReactNode} from 'react';
import {Box, Text, useStdout} from 'ink';
import {footerHint, helpRows, SCREEN_TITLE, type KeyContext, type Screen} from './keymap.js';

export function Help({screen, context = {}, current}: {screen: Screen; context?: KeyContext; current?: ReactNode}) {
	const rows = helpRows(screen, context);
	const width = Math.max(...rows.map(row => row.keys.length)) + 2;
	// On a short terminal (under 30 rows) each key keeps one row, cut at the edge, so the title bar
	// and the row the keys act on stay on screen; the full text is in docs/user-guide.md.
	const {stdout} = useStdout();
	const wrap = (stdout.rows || 30) < 30 ? 'truncate-end' : 'wrap';
	return (
		<Box flexDirection="column">
			{current ?? null}
			<Box flexDirection="column" borderStyle="round" paddingX={1}>
				<Text bold>Keys · {SCREEN_TITLE[screen]}</Text>
				{rows.map(row => (
					<Box key={row.keys}>
						<Box width={width} flexShrink={0}>
							<Text color={row.active ? 'cyan' : undefined} dimColor={!row.active}>
								{row.keys}
							</Text>
						</Box>
						<Text wrap={wrap} dimColor={!row.active}>
							{row.what}
						</Text>
					</Box>
				))}
				{screen.startsWith('step:') ? (
					<Box flexDirection="column">
						<Text wrap={wrap}>A step is complete when every required item is done or skipped.</Text>
						<Text wrap={wrap}>Every action is saved at once. Report: leakfix report &lt;id&gt; --format md</Text>
					</Box>
				) : null}
				<Text dimColor>{footerHint('help')}</Text>
			</Box>
		</Box>
	);
}
