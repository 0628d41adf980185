// The wizard's middle: the help or places overlay, a step's work screen or the log findings, or
// the step itself (its title, its panel, the checklist and the selected item).
import {Box, Text} from 'ink';
import type {AccessPort} from './ports.js';
import type {Session, Step} from '../core/model.js';
import type {ItemProgress} from '../core/model.js';
import type {UnstampedEvent} from '../core/session.js';
import {itemProgress, stepNumber} from '../core/session.js';
import {visible, visibleBlock} from '../core/text.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import {AssessPanel, type ProbeState} from './AssessPanel.js';
import {Checklist, ChecklistItem} from './Checklist.js';
import type {ScanState} from './ExposurePanel.js';
import {Help} from './Help.js';
import {InventoryScreen} from './InventoryScreen.js';
import type {KeyContext} from './keymap.js';
import {LogsPanel, type LogsState} from './LogsPanel.js';
import {LogsReview} from './LogsReview.js';
import {Places} from './Places.js';
import {RotateScreen} from './RotateScreen.js';
import type {Work} from './useWork.js';
import {VerifyScreen} from './VerifyScreen.js';
import {NEEDS_KEY, partialItems} from './wizardLayout.js';
import type {WizardUi} from './wizardUi.js';
import {WorkPanel} from './WorkPanel.js';

type Props = {
	ui: WizardUi;
	close(): void;
	session: Session;
	step: Step;
	cursor: number;
	item: Step['items'][number];
	progress: ItemProgress;
	/** What leakfix's own evidence says of the item, when it is only partly proven. */
	evidence: {why: string} | null;
	compact: boolean;
	rows: number;
	prompting: boolean;
	height: number;
	now: Date;
	keyPresent: boolean;
	stepContext: KeyContext;
	scan: ScanState;
	probe: ProbeState;
	probeRequest: string | null;
	logs: LogsState;
	providerLogsNote: string | null;
	hasLogsCommand: boolean;
	work: Work;
	provider: ProviderPlaybook;
	dispatch(event: UnstampedEvent): void;
	redact(text: string): string;
	onQuit(): void;
	access: AccessPort;
};

export function StepBody({ui, close, session, step, cursor, item, progress, evidence, compact, rows, prompting, height, now, keyPresent, stepContext, scan, probe, probeRequest, logs, providerLogsNote, hasLogsCommand, work, provider, dispatch, redact, onQuit, access}: Props) {
	const done = step.items.filter(candidate => itemProgress(step, candidate.id).status !== 'open').length;
	// An overlay (help, places) covers the list, never the item the responder is on.
	const current = <ChecklistItem step={step} index={cursor} cursor={cursor} sourceName={session.provider.name} partial={partialItems(session, step)} />;
	return (
		<>
		{ui.mode === 'help' ? (
			<Help current={current} {...(ui.back === 'places' ? {screen: 'places'} : {screen: `step:${step.id}`, context: stepContext})} />
		) : ui.mode === 'places' && session.exposure ? (
			<Box flexDirection="column">
				{current}
				<Places summary={session.exposure} rows={Math.max(5, height - 11)} />
			</Box>
		) : ui.mode === 'work' && step.id === 'inventory' ? (
			<InventoryScreen
				access={access}
				session={session}
				discovery={work.busy?.what.startsWith('Discovering') ? {kind: 'running'} : work.message ? (work.message.error ? {kind: 'failed', message: work.message.text} : {kind: 'idle', note: work.message.text}) : {kind: 'idle'}}
				redact={redact}
				dispatch={dispatch}
				onDiscover={more => void work.discover(more)}
				onBack={close}
				onQuit={onQuit}
			/>
		) : ui.mode === 'work' && step.id === 'rotate' ? (
			<RotateScreen session={session} provider={provider} work={work} keyPresent={keyPresent} redact={redact} onBack={close} onQuit={onQuit} />
		) : ui.mode === 'work' && step.id === 'verify' ? (
			<VerifyScreen session={session} provider={provider} work={work} keyPresent={keyPresent} onBack={close} onQuit={onQuit} now={now} />
		) : ui.mode === 'findings' && session.logs ? (
			<LogsReview
				summary={session.logs}
				redact={redact}
				onMark={(id, verdict, note) => dispatch({type: 'finding.marked', id, verdict, ...(note === undefined ? {} : {note})})}
				onBack={close}
				onQuit={onQuit}
			/>
		) : (
			<>
				<Box marginTop={1} flexDirection="column">
					<Text bold>
						Step {stepNumber(step.id)} of 5 · {visible(step.title)}
						<Text dimColor>
							{'  '}
							{done}/{step.items.length} done or skipped
						</Text>
					</Text>
					<Text dimColor wrap="truncate">
						{visible(step.purpose)}
					</Text>
					{step.needsKey && !keyPresent ? (
						<Text color="yellow">{NEEDS_KEY}</Text>
					) : null}
				</Box>
				{step.id === 'assess' ? (
					<Box marginTop={1}>
						<AssessPanel session={session} scan={scan} probe={probe} keyPresent={keyPresent} canProbe={probeRequest !== null} />
					</Box>
				) : null}
				{step.id === 'inventory' || step.id === 'rotate' || step.id === 'verify' ? (
					<Box marginTop={1}>
						<WorkPanel session={session} step={step.id} />
					</Box>
				) : null}
				{step.id === 'logs' ? (
					<Box marginTop={1}>
						<LogsPanel session={session} logs={logs} providerNote={providerLogsNote} hasCommand={hasLogsCommand} />
					</Box>
				) : null}
				<Box marginTop={1}>
					<Checklist step={step} cursor={cursor} rows={rows} sourceName={session.provider.name} partial={partialItems(session, step)} />
				</Box>
				{prompting ? null : (
				<Box marginTop={1} flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
					<Text bold wrap={compact ? 'truncate' : 'wrap'}>
						{visible(compact && item.detail ? `${item.title} — ${item.detail}` : item.title)}
					</Text>
					{item.detail && !compact ? <Text wrap="wrap">{visibleBlock(item.detail)}</Text> : null}
					{progress.status === 'skipped' ? <Text color="yellow">Skipped: {visible(progress.reason ?? '')}</Text> : null}
					{progress.note ? <Text color="cyan">Note: {visible(progress.note)}</Text> : null}
					{evidence ? <Text color="yellow" wrap="wrap">Partly proven by leakfix: {visible(evidence.why)}. Tick it yourself once the rest is done.</Text> : null}
				</Box>
				)}
			</>
		)}
		</>
	);
}
