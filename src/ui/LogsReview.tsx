// The log findings screen: the summary, the hourly chart with the exposure marked, the top
// addresses, and each finding to mark suspicious or expected (with a note). Fits 80x24.
import {Box, Text, useInput, useStdout} from 'ink';
import {useRef, useState} from 'react';
import type {FindingVerdict, LogSummary} from '../core/model.js';
import {hourlyChart} from '../core/logs/chart.js';
import {direction, footerHint, intentFor, textHint, type KeyContext} from './keymap.js';
import {Help} from './Help.js';
import {visibleWindow} from './wizardUi.js';
import {TextInput} from './widgets/TextInput.js';
import {useConsumedKey} from './useConsumedKey.js';
import {visible} from '../core/text.js';

const short = (iso: string | null) => (iso === null ? '–' : iso.slice(5, 16).replace('T', ' '));
const MARK: Record<FindingVerdict, {label: string; color: string}> = {
	open: {label: '[ ? ]', color: 'yellow'},
	suspicious: {label: '[ ! ]', color: 'red'},
	expected: {label: '[ok ]', color: 'green'},
};

type Props = {
	summary: LogSummary;
	redact(text: string): string;
	onMark(id: string, verdict: FindingVerdict, note?: string): void;
	onBack(): void;
	onQuit(): void;
};

export function LogsReview({summary, redact, onMark, onBack, onQuit}: Props) {
	const {stdout} = useStdout();
	const width = (stdout.columns || 100) - 4;
	const height = stdout.rows || 30;
	const cursorRef = useRef(0);
	const [cursor, setCursor] = useState(0);
	const noteRef = useRef<string | null>(null);
	const [note, setNote] = useState<string | null>(null);
	const findings = summary.findings;
	const move = (to: number) => {
		cursorRef.current = Math.max(0, Math.min(findings.length - 1, to));
		setCursor(cursorRef.current);
	};
	// The key that closes the note (Enter, Esc) reaches this handler too, in the same emit.
	const {consumed, consume} = useConsumedKey();
	const openNote = (text: string | null) => {
		noteRef.current = text;
		setNote(text);
		if (text === null) {
			consume();
		}
	};
	const helpRef = useRef(false);
	const [help, setHelp] = useState(false);
	const showHelp = (open: boolean) => {
		helpRef.current = open;
		setHelp(open);
	};
	const context = (): KeyContext => ({finding: findings[cursorRef.current] !== undefined, several: findings.length > 1});
	useInput((input, key) => {
		if (noteRef.current !== null || consumed.current) return; // the note's own input has the keys
		if (helpRef.current) {
			const intent = intentFor('help', input, key);
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'close') showHelp(false);
			return;
		}
		const intent = intentFor('findings', input, key, context());
		const finding = findings[cursorRef.current];
		switch (intent.type) {
			case 'move': {
				move(cursorRef.current + direction(intent));
				break;
			}

			case 'suspicious':
			case 'expected':
			case 'undecided': {
				if (!finding) break;
				// A verdict never moves the cursor (as on the checklist): the finding marked stays
				// highlighted, so the next key cannot land on a finding the responder did not read.
				onMark(finding.id, intent.type === 'undecided' ? 'open' : intent.type);
				break;
			}

			case 'note': {
				if (finding) openNote(finding.note ?? '');
				break;
			}

			case 'help': {
				showHelp(true);
				break;
			}

			case 'back': {
				onBack();
				break;
			}

			case 'quit': {
				onQuit();
				break;
			}

			case 'none': {
				break;
			}
		}
	});

	const row = (finding: (typeof findings)[number], selected: boolean) => (
		<Text key={finding.id} wrap="truncate" inverse={selected}>
			<Text color={MARK[finding.verdict].color}>{MARK[finding.verdict].label}</Text> {visible(finding.title)}
		</Text>
	);
	if (help) {
		const current = findings[Math.min(cursor, findings.length - 1)];
		return (
			<Box marginTop={1}>
				<Help screen="findings" context={context()} current={current ? row(current, true) : undefined} />
			</Box>
		);
	}

	const chart = hourlyChart(summary.hourly.counts, summary.hourly.exposureIndex, Math.min(72, width));
	let ips = summary.ips.slice(0, height >= 30 ? 5 : height >= 26 ? 3 : 2);
	const selected = findings[Math.min(cursor, findings.length - 1)];
	// The wizard's header (3), then: a gap, the summary (2), the chart (3), the addresses (1 + n),
	// a gap, the findings' title and its two "more" markers, the detail box (2 borders, 2 lines,
	// a note), a gap and the keys line (a note prompt: 3).
	const detail = 4 + (selected?.note ? 1 : 0);
	const rest = 3 + 1 + 2 + 1 + 1 + 2 + detail + 1 + (note === null ? 1 : 3);
	// On a short terminal the address table, then the chart, give way to the findings (3 rows at least).
	let showChart = chart.bars !== '';
	const fixed = () => rest + (showChart ? 3 : 0) + (ips.length > 0 ? 1 + ips.length : 0);
	if (height - fixed() < 3) ips = [];
	if (height - fixed() < 3) showChart = false;
	const rows = Math.max(2, height - fixed());
	const {start, end} = visibleWindow(findings.length, cursor, rows);
	const files = summary.files.map(file => `${file.path.split('/').at(-1)} (${file.format}${file.gzip ? ', gz' : ''})`).join(', ');

	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold wrap="truncate">
				Logs · {visible(files || summary.source)}
			</Text>
			<Text wrap="truncate">
				{summary.keyLines.toLocaleString('en-US')} request(s) with the key: {summary.baselineLines} before the exposure, {summary.exposureLines} after · {summary.distinctIps} address(es)
				{summary.typicalHour === null ? '' : ` · typical hour ${summary.typicalHour}`}
				{summary.malformed.count > 0 ? ` · ${summary.malformed.count} malformed skipped` : ''}
			</Text>
			{showChart ? (
				<Box flexDirection="column">
					<Text dimColor wrap="truncate">
						Requests per {chart.hoursPerColumn === 1 ? 'hour' : `${chart.hoursPerColumn} h`} from {short(summary.hourly.start)} UTC
					</Text>
					<Text color="cyan">{chart.bars}</Text>
					<Text color="yellow">{chart.marker || ' '}</Text>
				</Box>
			) : null}
			{ips.length > 0 ? (
				<Box flexDirection="column">
					<Text dimColor>{`${'address'.padEnd(26)} ${'before'.padStart(6)} ${'after'.padStart(6)}  last seen    flags`}</Text>
					{ips.map(row => (
						<Text key={row.ip} wrap="truncate" {...(row.flags.includes('new') ? {color: 'red'} : {})}>
							{`${visible(row.ip).slice(0, 26).padEnd(26)} ${String(row.baseline).padStart(6)} ${String(row.exposure).padStart(6)}  ${short(row.lastSeen)}  ${visible(row.flags.join(', '))}`}
						</Text>
					))}
				</Box>
			) : null}
			<Box marginTop={1} flexDirection="column">
				<Text bold>
					Findings ({findings.length}){findings.length === 0 ? ': none — nothing unfamiliar, odd-hour, spiking or erroring after the exposure' : ''}
				</Text>
				{start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
				{findings.slice(start, end).map((finding, offset) => row(finding, start + offset === cursor))}
				{end < findings.length ? <Text dimColor>  ↓ {findings.length - end} more</Text> : null}
			</Box>
			{selected ? (
				<Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
					<Text wrap="truncate">
						{short(selected.firstSeen)} → {short(selected.lastSeen)} UTC · {selected.count} request(s){selected.detail ? ` · ${visible(selected.detail)}` : ''}
					</Text>
					<Text dimColor wrap="truncate">
						{selected.examples[0] ? `e.g. ${visible(selected.examples[0])}` : ' '}
					</Text>
					{selected.note ? <Text color="cyan" wrap="truncate">Note: {visible(selected.note)}</Text> : null}
				</Box>
			) : null}
			<Box marginTop={1}>
				{note !== null && selected ? (
					<TextInput
						label="Note:"
						value={note}
						redact={redact}
						hint={textHint({submit: 'to save', cancel: 'to cancel'})}
						onChange={setNote}
						onSubmit={text => {
							onMark(selected.id, selected.verdict, text);
							openNote(null);
						}}
						onCancel={() => openNote(null)}
						onQuit={onQuit}
					/>
				) : (
					<Text dimColor wrap="truncate">
						{footerHint('findings', context(), width)} · suspicious findings raise the severity and go into the report
					</Text>
				)}
			</Box>
		</Box>
	);
}
