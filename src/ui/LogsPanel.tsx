// The log step's panel: not analysed yet (and what the provider offers), running, or the answer
// at a glance with the verdicts so far. Three lines at most; the findings have their own screen.
import {Box, Text} from 'ink';
import type {Session} from '../core/model.js';
import type {LogsProgress} from '../engines/logs/index.js';
import {visible} from '../core/text.js';

export type LogsState = {kind: 'idle'; note?: string} | {kind: 'running'; what: string; progress?: LogsProgress} | {kind: 'failed'; message: string};

function bar(fraction: number, width = 20): string {
	const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
	return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** How many lines the panel draws (the wizard budgets the terminal's height with it). */
export function logsPanelLines(session: Session, logs: LogsState, providerNote: string | null): number {
	if (logs.kind === 'running') return 1;
	return (logs.kind === 'failed' || logs.note ? 1 : 0) + (session.logs ? 2 : 1 + (providerNote ? 2 : 0));
}

export function LogsPanel({session, logs, providerNote, hasCommand}: {session: Session; logs: LogsState; providerNote: string | null; hasCommand: boolean}) {
	if (logs.kind === 'running') {
		const p = logs.progress;
		if (!p) return <Text color="cyan">{visible(logs.what)}: starting… · Esc cancels</Text>;
		const fraction = p.totalBytes > 0 ? p.bytes / p.totalBytes : 0;
		const seconds = Math.max(p.elapsedMs / 1000, 0.001);
		const mb = p.bytes / 1024 / 1024;
		const eta = fraction > 0.02 && fraction < 1 ? ` · ETA ${Math.max(0, Math.round(seconds / fraction - seconds))}s` : '';
		return (
			<Text color="cyan" wrap="truncate">
				Reading logs {bar(fraction)} {Math.round(fraction * 100)}% · {mb.toFixed(0)} MB · {p.lines.toLocaleString('en-US')} lines · {p.keyLines.toLocaleString('en-US')} with the key · {(mb / seconds).toFixed(0)} MB/s{eta} · Esc cancels
			</Text>
		);
	}
	const lines: React.ReactNode[] = [];
	if (logs.kind === 'failed') lines.push(<Text key="failed" color="red" wrap="truncate">Log analysis failed: {visible(logs.message)} (a to try again)</Text>);
	if (logs.kind === 'idle' && logs.note) lines.push(<Text key="note" dimColor>{visible(logs.note)}</Text>);
	const summary = session.logs;
	if (summary) {
		const count = (verdict: string) => summary.findings.filter(finding => finding.verdict === verdict).length;
		const suspicious = count('suspicious');
		const open = count('open');
		lines.push(
			<Text key="read" wrap="truncate">
				Logs: {summary.keyLines.toLocaleString('en-US')} request(s) with the key in {summary.lines.toLocaleString('en-US')} lines ({summary.baselineLines} before the exposure, {summary.exposureLines} after) · {summary.distinctIps} address(es)
				{summary.malformed.count > 0 ? ` · ${summary.malformed.count} malformed skipped` : ''}
			</Text>,
			summary.findings.length === 0 ? (
				<Text key="findings" color="green" wrap="truncate">No findings: nothing unfamiliar, odd-hour, spiking or erroring after the exposure. a analyses again</Text>
			) : (
				<Text key="findings" color={suspicious > 0 ? 'red' : open > 0 ? 'yellow' : 'green'} wrap="truncate">
					{summary.findings.length} finding(s): {suspicious} suspicious · {count('expected')} expected · {open} to review — f to review them · a analyses again
				</Text>
			),
		);
	} else {
		lines.push(
			<Text key="none" color="yellow" wrap="truncate">
				Logs not analysed yet: {hasCommand ? "c fetches the provider's own · " : ''}a analyses log files (nginx/Apache, JSON lines, CloudTrail, CSV; .gz too)
			</Text>,
		);
		if (providerNote) {
			lines.push(
				<Box key="provider" height={2} overflow="hidden">
					<Text dimColor wrap="wrap">
						{visible(providerNote)}
					</Text>
				</Box>,
			);
		}
	}
	return <Box flexDirection="column">{lines}</Box>;
}
