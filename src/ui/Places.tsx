// Every place the exposure scan found, masked: history first, then the working tree.
import {Box, Text} from 'ink';
import type {ExposureSummary} from '../core/model.js';
import {footerHint} from './keymap.js';
import {visible} from '../core/text.js';

export function Places({summary, rows}: {summary: ExposureSummary; rows: number}) {
	const lines: string[] = [];
	for (const repo of summary.repos) {
		lines.push(`${repo.repo}: ${repo.historyCount} in history, ${repo.worktreeCount} in the working tree`);
		for (const place of repo.places) lines.push(`  ${place}`);
		if (repo.historyCount > repo.places.length) lines.push(`  … ${repo.historyCount - repo.places.length} more: leakfix scan --json lists them all`);
		for (const file of repo.worktreeFiles) lines.push(`  now in the working tree: ${file}`);
	}
	// Repository names, paths, authors and lines are outside text.
	const shown = lines.slice(0, rows).map(line => visible(line));
	return (
		<Box flexDirection="column" borderStyle="round" paddingX={1}>
			<Text bold>Every place the key was found (masked)</Text>
			{shown.map((line, index) => (
				// Lines may repeat and never reorder: the index is their identity.
				<Text key={index} wrap="truncate">
					{line}
				</Text>
			))}
			{lines.length > shown.length ? <Text dimColor>… {lines.length - shown.length} more lines: leakfix report prints them all</Text> : null}
			<Text dimColor>{footerHint('places')}</Text>
		</Box>
	);
}
