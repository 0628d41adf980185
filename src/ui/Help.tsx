import {Box, Text} from 'ink';

const KEYS: Array<[string, string]> = [
	['↑ ↓', 'move between checklist items'],
	['← → or Tab', 'previous / next step (you can move freely)'],
	['1 … 5', 'jump to a step'],
	['Space, Enter or x', 'mark the item done (again: reopen it)'],
	['s', 'skip the item, with a reason (it goes into the report)'],
	['n', 'add or edit a note on the item (empty removes it)'],
	['p', 'assess step: probe whether the key is live (read-only; asked once)'],
	['e', 'assess step: scan the repository for every copy of the key (Esc cancels)'],
	['l', 'assess step: list every place the scan found'],
	['k', 're-enter the key, if you resumed without it'],
	['?', 'this help'],
	['q or Ctrl-C', 'quit: everything is already saved; `leakfix resume` picks up here'],
];

export function Help() {
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Text bold>Keys</Text>
			{KEYS.map(([keys, what]) => (
				<Text key={keys}>
					<Text color="cyan">{keys.padEnd(20)}</Text>
					{what}
				</Text>
			))}
			<Box marginTop={1} flexDirection="column">
				<Text>A step is complete when every required item is done or skipped with a reason.</Text>
				<Text>Every action is saved at once. The report: leakfix report &lt;id&gt; --format md|json|html</Text>
			</Box>
			<Text dimColor>Press any key to close.</Text>
		</Box>
	);
}
