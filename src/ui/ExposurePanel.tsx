// The assess step's automated panel: the exposure scan, running or done. Four lines at most (the first exposure's refs and removal on the fourth).
import {keyOf} from './keymap.js';
import {Box, Text} from 'ink';
import {describeRefs, describeRemoval} from '../core/exposure.js';
import type {ExposureSummary} from '../core/model.js';
import type {ScanProgress} from '../engines/scan/history.js';
import {visible} from '../core/text.js';

export type ScanState = {kind: 'idle'; note?: string} | {kind: 'running'; repo: string; progress?: ScanProgress} | {kind: 'failed'; message: string};

function bar(fraction: number, width = 20): string {
	const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
	return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** The first exposure's refs and removal, one line; empty for a session scanned before they were kept. */
export function firstExposureFacts(first: NonNullable<ExposureSummary['repos'][number]['firstExposure']>): string {
	const parts = [first.refs ? `That commit is ${describeRefs(first.refs, 3)}` : '', first.removedIn === undefined ? '' : `in that file: ${describeRemoval(first.removedIn)}`].filter(Boolean);
	return parts.join(' · ');
}

export function ExposurePanel({scan, summary, keyPresent, repo}: {scan: ScanState; summary: ExposureSummary | undefined; keyPresent: boolean; repo: string}) {
	if (scan.kind === 'running') {
		const progress = scan.progress;
		if (!progress || progress.phase !== 'history') {
			return <Text color="cyan">Scanning {visible(scan.repo)}: {progress?.phase === 'worktree' ? `working tree, ${progress.objects} files` : progress?.phase === 'locate' ? 'mapping matches to commits…' : 'starting…'} · Esc cancels</Text>;
		}
		const fraction = progress.totalObjects > 0 ? progress.objects / progress.totalObjects : 0;
		const seconds = Math.max(progress.elapsedMs / 1000, 0.001);
		const mb = progress.bytes / 1024 / 1024;
		const eta = fraction > 0.02 ? Math.max(0, Math.round(seconds / fraction - seconds)) : undefined;
		return (
			<Text color="cyan" wrap="truncate">
				Scanning history {bar(fraction)} {Math.round(fraction * 100)}% · {progress.objects}/{progress.totalObjects} objects · {mb.toFixed(0)} MB · {(mb / seconds).toFixed(0)} MB/s
				{eta === undefined ? '' : ` · ETA ${eta}s`} · Esc cancels
			</Text>
		);
	}
	const lines: React.ReactNode[] = [];
	if (scan.kind === 'failed') lines.push(<Text key="failed" color="red">Scan failed: {visible(scan.message)} (e to retry)</Text>);
	if (summary) {
		for (const found of summary.repos) {
			const first = found.firstExposure;
			const total = found.historyCount + found.worktreeCount;
			lines.push(
				<Text key={`${found.repo}-1`} color={total > 0 ? 'yellow' : 'green'} wrap="truncate">
					Exposure: {found.historyCount} place(s) in history, {found.worktreeCount} in the working tree
					{found.worktreeFiles.length > 0 ? ` (${visible(found.worktreeFiles.slice(0, 3).join(', '))})` : ''}
				</Text>,
			);
			if (first) {
				lines.push(
					<Text key={`${found.repo}-2`} wrap="truncate">
						First exposure {first.commit.slice(0, 10)} on {first.date.slice(0, 16).replace('T', ' ')} by {visible(first.author)} ({visible(first.where)}) · {first.pushed ? `pushed (${visible(first.remoteRefs.join(', '))})` : 'not pushed'}
					</Text>,
				);
				const facts = firstExposureFacts(first);
				if (facts) {
					lines.push(
						<Text key={`${found.repo}-3`} wrap="truncate">
							{visible(facts)}
						</Text>,
					);
				}
			}
		}
		lines.push(<Text key="again" dimColor>l lists every place · e scans again</Text>);
	} else if (scan.kind !== 'failed') {
		lines.push(
			keyPresent ? (
				<Text key="offer" color="cyan" wrap="truncate">
					{scan.kind === 'idle' && scan.note ? `${visible(scan.note)} · ` : ''}e: scan {visible(repo)} for every copy of the key (history and working tree; read-only)
				</Text>
			) : (
				<Text key="nokey" dimColor>
					The exposure scan needs the key: press {keyOf('step:assess', 'enter-key')} to re-enter it.
				</Text>
			),
		);
	}
	return <Box flexDirection="column">{lines}</Box>;
}
