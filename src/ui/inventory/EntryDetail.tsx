// The selected inventory entry's box: where it was found, its restart and health check, and who
// can read its store (the summary, then the first readers, those to fix first).
import {Box, Text} from 'ink';
import {accessSummary, VERDICT_WORDS} from '../../core/access.js';
import type {InventoryEntry} from '../../core/model.js';
import {visible} from '../../core/text.js';
import {keyOf} from '../keymap.js';

/** The readers shown under the entry, those to fix first. */
export function shownReaders(entry: InventoryEntry | undefined) {
	const access = entry?.access;
	return access ? [...access.findings].sort((a, b) => Number(b.verdict === 'to-fix') - Number(a.verdict === 'to-fix')).slice(0, 3) : [];
}

/** Rows the access part of the box takes. */
export function accessRows(entry: InventoryEntry | undefined): number {
	const access = entry?.access;
	const readers = shownReaders(entry);
	return access ? 1 + readers.length + (access.findings.length > readers.length ? 1 : 0) : 1;
}

export function EntryDetail({entry, sessionId}: {entry: InventoryEntry; sessionId: string}) {
	const access = entry.access;
	const readers = shownReaders(entry);
	return (
		<Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
			<Text wrap="truncate">
				{entry.origin === 'discovered' ? 'Found in' : 'Added by hand'}
				{entry.evidence.length > 0 ? ` ${visible(entry.evidence.slice(0, 4).join(', '))}${entry.evidence.length > 4 ? ` +${entry.evidence.length - 4}` : ''}` : ''}
				{entry.owner ? ` · owner ${visible(entry.owner)}` : ''}
			</Text>
			<Text wrap="truncate" dimColor>
				restart: {visible(entry.restart?.join(' ') ?? 'none')} · health: {visible(entry.health ? (entry.health.type === 'http' ? entry.health.url : entry.health.argv.join(' ')) : 'none')}
			</Text>
			{access ? (
				<>
					<Text wrap="truncate">
						Who can read it: {accessSummary(access)}
						{access.unread.length > 0 ? <Text dimColor>{` · not read: ${visible(access.unread[0]!)}`}</Text> : null}
					</Text>
					{readers.map(finding => (
						<Text key={finding.id} wrap="truncate">
							<Text color={finding.verdict === 'to-fix' ? 'red' : finding.verdict === 'expected' ? 'green' : 'yellow'}>{`  [${VERDICT_WORDS[finding.verdict]}] `}</Text>
							{visible(finding.who)}
							<Text dimColor>{` ${visible(finding.how)}`}</Text>
						</Text>
					))}
					{access.findings.length > readers.length ? <Text dimColor>{`  +${access.findings.length - readers.length} more (leakfix access ${sessionId})`}</Text> : null}
				</>
			) : (
				<Text dimColor wrap="truncate">Who can read it: not read yet ({keyOf('inventory', 'access')})</Text>
			)}
		</Box>
	);
}
