// The five-step wizard: header, the current step's checklist, the selected item, the keys.
import {Box, Text, useInput, useStdout} from 'ink';
import {useRef, useState} from 'react';
import {STEP_IDS, type Session} from '../core/model.js';
import {fingerprint} from '../core/secrets.js';
import {getStep, incidentStatus, itemProgress, stepNumber, type UnstampedEvent} from '../core/session.js';
import {Checklist} from './Checklist.js';
import {claimFor} from '../core/claims.js';
import type {Step} from '../core/model.js';
import {AssessPanel, assessPanelLines, type ProbeState} from './AssessPanel.js';
import type {ScanState} from './ExposurePanel.js';
import {Header} from './Header.js';
import {Help} from './Help.js';
import {Places} from './Places.js';
import {consentIntent, direction, footerHint, intentFor, type KeyContext} from './keymap.js';
import {TextInput} from './widgets/TextInput.js';
import {initialWizardUi, wizardUi} from './wizardUi.js';
import {useConsumedKey} from './useConsumedKey.js';
import {LogsPanel, logsPanelLines, type LogsState} from './LogsPanel.js';
import {LogsForm, type LogsMatch, type LogsRequest} from './LogsForm.js';
import {LogsReview} from './LogsReview.js';
import type {ProviderLogsCommand} from '../engines/logs/provider.js';
import {exposureStartOf} from '../core/session.js';
import {localTimeZone, parseHoursAndZone, parseSince} from '../core/logs/options.js';
import type {SelectItem} from './widgets/Select.js';
import {WorkPanel} from './WorkPanel.js';
import {InventoryScreen} from './InventoryScreen.js';
import {RotateScreen} from './RotateScreen.js';
import {VerifyScreen} from './VerifyScreen.js';
import type {Work} from './useWork.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import {visible, visibleBlock} from '../core/text.js';

type Props = {
	session: Session;
	/** The latest session, even before React re-renders (keys can arrive faster than frames). */
	getSession(): Session;
	now: Date;
	keyPresent: boolean;
	saveError?: string;
	/** Time stamps the event and applies it (the App saves it). */
	dispatch(event: UnstampedEvent): void;
	/** The redactor, for what is typed into notes and reasons. */
	redact(text: string): string;
	onKeyEntered(key: string): void;
	onQuit(): void;
	/** The exposure scan (assess step): its state, and starting and cancelling it. */
	scan: ScanState;
	onScan(): void;
	onCancelScan(): void;
	/** The liveness probe: what it will send (masked), its state, and running it. */
	probe: ProbeState;
	probeRequest: string | null;
	onProbe(consented: boolean): void;
	/** The log analysis (logs step): its state, starting and cancelling it, the provider's own logs. */
	logs: LogsState;
	onAnalyseLogs(request: LogsRequest): void;
	onCancelLogs(): void;
	logsCommand: ProviderLogsCommand | null;
	onLogsCommand(request: Omit<LogsRequest, 'inputs' | 'match'>): void;
	providerLogsNote: string | null;
	/** The key has a public id to match log lines by (an AWS access key id). */
	keyIdAvailable: boolean;
	/** The demo's access log, offered as the file to analyse. */
	demoLogs?: string;
	/** Steps 3–5: the work screens and what they act through. */
	work: Work;
	provider: ProviderPlaybook;
};

const NEEDS_KEY = 'Press k to re-enter the key this step works with (checked by fingerprint).';
const isoMinute = (iso: string) => `${iso.slice(0, 16)}Z`;
const quotePath = (file: string) => (/\s/.test(file) ? `"${file}"` : file);

/**
 * What the log questions start from: the last analysis, else the demo's log and the exposure. A
 * scan that has since found an earlier first exposure wins over the last analysis's start: the
 * leak is older than that analysis assumed.
 */
export function logsDefaults(session: Session, demoLogs: string | undefined) {
	const start = exposureStartOf(session);
	const last = session.logs;
	const previous = last?.window.exposureStart ?? null;
	const fromStart = previous === null || (start.from === 'scan' && Date.parse(start.at) < Date.parse(previous));
	return {
		files: last ? last.files.map(file => quotePath(file.path)).join(' ') : (demoLogs ?? ''),
		since: isoMinute(fromStart ? start.at : previous),
		sinceHint: !fromStart
			? 'As in the last analysis.'
			: start.from === 'scan'
				? "The scan's first exposure (the commit's date)."
				: 'When it was noticed; the leak may be older (the scan in step 1 finds the first exposure).',
		allow: last?.allow.join(' ') ?? '',
		hours: last ? `${last.businessHours} ${last.timeZone}` : `08-19 ${localTimeZone()}`,
	};
}

/** Lines a text takes when wrapped at `width` columns. */
const wrapped = (text: string, width: number) => Math.max(1, Math.ceil(text.length / Math.max(10, width)));

/** Where the cursor is in a session: the step, the item and its progress. */
function focus(session: Session) {
	const step = getStep(session, session.cursor.step);
	const cursor = Math.min(session.cursor.item, step.items.length - 1);
	const item = step.items[cursor]!;
	return {step, stepIndex: STEP_IDS.indexOf(step.id), cursor, item, progress: itemProgress(step, item.id)};
}

export function Wizard(props: Props) {
	const {session, getSession, now, keyPresent, saveError, dispatch, redact, onKeyEntered, onQuit, scan, onScan, onCancelScan, probe, probeRequest, onProbe} = props;
	const {logs, onAnalyseLogs, onCancelLogs, logsCommand, onLogsCommand, providerLogsNote, keyIdAvailable, demoLogs, work, provider} = props;
	// Ink re-subscribes input handlers in an effect after each frame, so a key can reach the
	// handler of an earlier render. This one handler therefore reads the UI mode and the session
	// from refs that change synchronously, never from its closure.
	const uiRef = useRef(initialWizardUi);
	const [ui, setUiState] = useState(initialWizardUi);
	// The key that closes a prompt (Enter, Esc) reaches this handler too, in the same emit; it is
	// marked consumed until the emit is over (a microtask), so it does not also act on the list.
	const {consumed: consumedRef, consume} = useConsumedKey();
	const setUi = (action: Parameters<typeof wizardUi>[1]) => {
		const before = uiRef.current.mode;
		uiRef.current = wizardUi(uiRef.current, action);
		if (before !== 'browse' && before !== 'help' && uiRef.current.mode === 'browse') {
			consume();
		}
		setUiState(uiRef.current);
	};
	const keyPresentRef = useRef(keyPresent);
	keyPresentRef.current = keyPresent;
	// What the step's keys can do now: the input handler, the footer and the help read the same.
	const stepContext = (current: Session): KeyContext => ({
		keyMissing: !keyPresentRef.current,
		canProbe: keyPresentRef.current && probeRequest !== null,
		hasPlaces: current.exposure !== undefined,
		running: scan.kind === 'running' || logs.kind === 'running',
		logsIdle: logs.kind !== 'running',
		hasFindings: current.logs !== undefined,
		canFetchLogs: logsCommand !== null && logs.kind !== 'running',
	});
	const {step, cursor, item, progress} = focus(session);
	const consentQuestion = `Send this read-only request to ${session.provider.name}? It creates nothing and is never billed.`;

	// The checklist gets what the terminal has left, so the header never scrolls away (80x24 too).
	// When even three rows do not fit, the item's explanation shrinks to one line.
	const {stdout} = useStdout();
	const height = stdout.rows || 30;
	const inner = (stdout.columns || 100) - 6; // padding and the detail box's border
	// What leakfix's own evidence says of the item, when it is still the responder's to tick.
	const claim = progress.status === 'open' ? claimFor(session, step.id, item.id) : null;
	const evidence = claim && claim.status === 'partial' ? claim : null;
	const detailLines =
		2 + wrapped(item.title, inner) + (item.detail ? wrapped(item.detail, inner) : 0) + (progress.status === 'skipped' ? 1 : 0) + (progress.note ? 1 : 0) + (evidence ? wrapped(evidence.why, inner - 20) : 0);
	const fixed =
		3 + // header: name, provider line, step tabs
		(saveError ? 2 : 0) +
		(incidentStatus(session) === 'complete' ? 1 : 0) +
		1 + 2 + (step.needsKey && !keyPresent ? wrapped(NEEDS_KEY, inner + 4) : 0) + // step title and purpose
		(step.id === 'assess' ? 1 + assessPanelLines(session, scan) : 0) +
		(step.id === 'logs' ? 1 + logsPanelLines(session, logs, providerLogsNote) : 0) +
		(step.id === 'inventory' || step.id === 'rotate' || step.id === 'verify' ? 2 : 0) +
		1 + 2 + // the list's "more" markers
		1 + 1 + 1 + // gaps and the footer
		(ui.mode === 'consent'
			? wrapped(consentQuestion, inner + 4) + wrapped(probeRequest ?? '', inner + 4) + 1
			: ui.mode === 'logs-consent'
				? 2 + wrapped(logsCommand?.display ?? '', inner + 4) + wrapped(logsCommand?.why ?? '', inner + 4)
				: ui.mode === 'logs-form'
					? 6
					: ui.mode === 'browse' || ui.mode === 'help' || ui.mode === 'findings'
						? 0
						: 2); // an open prompt
	// An open prompt takes the explanation's place (the list still marks the item it is about).
	const prompting = ui.mode !== 'browse' && ui.mode !== 'help' && ui.mode !== 'places';
	const compact = height - fixed - detailLines < 3;
	// On a short terminal the list shrinks (to one row) rather than push the header off the screen.
	const rows = Math.max(1, Math.min(14, height - fixed - (prompting ? 0 : compact ? 3 : detailLines)));


	useInput((input, key) => {
		const mode = uiRef.current.mode;
		if (mode === 'findings' || mode === 'logs-form' || mode === 'work') return; // those screens read their own keys
		if (mode === 'logs-consent') {
			const answer = consentIntent(input, key);
			if (answer === 'none') return;
			setUi({type: 'close'});
			if (answer === 'yes') {
				const defaults = logsDefaults(getSession(), demoLogs);
				const {businessHours, timeZone} = parseHoursAndZone(defaults.hours, localTimeZone());
				onLogsCommand({exposureStart: parseSince(defaults.since, now, timeZone), allow: defaults.allow.split(/\s+/).filter(Boolean), businessHours, timeZone});
			}
			return;
		}
		if (mode === 'help') {
			const intent = intentFor('help', input, key);
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'close') setUi({type: 'close'});
			return;
		}
		if (mode === 'places') {
			const intent = intentFor('places', input, key);
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'help') setUi({type: 'open', mode: 'help', back: 'places'});
			else if (intent.type === 'close') setUi({type: 'close'});
			return;
		}
		if (mode === 'consent') {
			const answer = consentIntent(input, key);
			if (answer === 'none') return;
			setUi({type: 'close'});
			if (answer === 'yes') onProbe(true);
			return;
		}
		if (mode !== 'browse' || consumedRef.current) return; // a prompt has (or just had) the key
		{
			const {step, stepIndex, cursor, item, progress} = focus(getSession());
			const intent = intentFor(`step:${step.id}`, input, key, stepContext(getSession()));
			switch (intent.type) {
				case 'move': {
					dispatch({type: 'cursor.moved', step: step.id, item: cursor + direction(intent)});
					break;
				}

				case 'step':
				case 'goto-step': {
					const target = intent.type === 'goto-step' ? Number(intent.key) - 1 : (stepIndex + direction(intent) + STEP_IDS.length) % STEP_IDS.length;
					const id = STEP_IDS[target]!;
					dispatch({type: 'cursor.moved', step: id, item: 0});
					break;
				}

				case 'toggle-done': {
					dispatch({type: progress.status === 'done' ? 'item.reopened' : 'item.done', step: step.id, item: item.id});
					break;
				}

				case 'skip': {
					setUi({type: 'open', mode: 'skip', text: progress.reason ?? ''});
					break;
				}

				case 'note': {
					setUi({type: 'open', mode: 'note', text: progress.note ?? ''});
					break;
				}

				case 'enter-key': {
					setUi({type: 'open', mode: 'key'});
					break;
				}

				case 'help': {
					setUi({type: 'open', mode: 'help'});
					break;
				}

				case 'scan': {
					onScan();
					break;
				}

				case 'places': {
					setUi({type: 'open', mode: 'places'});
					break;
				}

				case 'probe': {
					// Asked once per incident and per request: a different endpoint (another setting, an
					// edited playbook) is asked again.
					if (getSession().probeConsent?.request === probeRequest) onProbe(false);
					else setUi({type: 'open', mode: 'consent'});
					break;
				}

				case 'analyse-logs': {
					setUi({type: 'open', mode: 'logs-form'});
					break;
				}

				case 'findings': {
					setUi({type: 'open', mode: 'findings'});
					break;
				}

				case 'logs-command': {
					setUi({type: 'open', mode: 'logs-consent'});
					break;
				}

				case 'work': {
					work.clearMessage();
					setUi({type: 'open', mode: 'work'});
					break;
				}

				case 'cancel': {
					onCancelScan();
					onCancelLogs();
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
		}
	});

	let bottom: React.ReactNode;
	switch (ui.mode) {
		case 'skip': {
			bottom = (
				<TextInput
					label="Why skip it?"
					value={ui.text}
					redact={redact}
					error={ui.error}
					hint="Enter to save (the reason goes into the report) · Esc to cancel"
					onChange={text => setUi({type: 'edit', text})}
					onSubmit={text => {
						if (text.trim() === '') {
							setUi({type: 'error', message: 'A skipped item needs a reason.'});
							return;
						}
						dispatch({type: 'item.skipped', step: step.id, item: item.id, reason: text});
						setUi({type: 'close'});
					}}
					onCancel={() => setUi({type: 'close'})}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'note': {
			bottom = (
				<TextInput
					label="Note:"
					value={ui.text}
					redact={redact}
					hint="Enter to save (empty removes the note) · Esc to cancel"
					onChange={text => setUi({type: 'edit', text})}
					onSubmit={text => {
						dispatch({type: 'item.noted', step: step.id, item: item.id, note: text});
						setUi({type: 'close'});
					}}
					onCancel={() => setUi({type: 'close'})}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'key': {
			bottom = (
				<TextInput
					mask
					label={`Re-enter the key ${session.key.masked}:`}
					value={ui.text}
					error={ui.error}
					hint="Enter to check · Esc to cancel"
					onChange={text => setUi({type: 'edit', text})}
					onSubmit={text => {
						if (fingerprint(text.trim()) !== session.key.fingerprint) {
							setUi({type: 'edit', text: ''});
							setUi({type: 'error', message: 'That is not the key of this incident (fingerprint differs).'});
							return;
						}
						onKeyEntered(text.trim());
						setUi({type: 'close'});
					}}
					onCancel={() => setUi({type: 'close'})}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'consent': {
			bottom = (
				<Box flexDirection="column">
					<Text bold>{consentQuestion}</Text>
					<Text color="cyan" wrap="wrap">
						{probeRequest}
					</Text>
					<Text dimColor>y to send (remembered for this incident) · n or Esc to cancel</Text>
				</Box>
			);
			break;
		}

		case 'logs-form': {
			const matchOptions: Array<SelectItem<LogsMatch>> = [
				...(keyPresent && !keyIdAvailable ? [{key: 'key', label: 'Lines that hold the key (as typed or URL-encoded)', value: 'key' as const}] : []),
				...(keyIdAvailable ? [{key: 'key-id', label: 'Lines of the access key id (CloudTrail userIdentity.accessKeyId)', value: 'key-id' as const}] : []),
				{key: 'all', label: "Every line: the file is a usage export for this key alone", value: 'all' as const},
			];
			bottom = (
				<LogsForm
					defaults={logsDefaults(session, demoLogs)}
					matchOptions={matchOptions}
					{...(keyPresent ? {} : {matchHint: 'Enter the key (k) to find the lines that hold it.'})}
					now={now}
					redact={redact}
					onSubmit={request => {
						setUi({type: 'close'});
						onAnalyseLogs(request);
					}}
					onCancel={() => setUi({type: 'close'})}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'logs-consent': {
			bottom = (
				<Box flexDirection="column">
					<Text bold>Run this read-only command with your own credentials (not the leaked key)?</Text>
					<Text color="cyan" wrap="wrap">
						{visible(redact(logsCommand?.display ?? ''))}
					</Text>
					<Text dimColor wrap="wrap">
						{visible(logsCommand?.why ?? '')} Its output goes to a private file (0600) and is analysed here. y to run · n or Esc to cancel
					</Text>
				</Box>
			);
			break;
		}

		case 'findings':
		case 'work': {
			bottom = null; // those screens have their own keys line
			break;
		}

		case 'help':
		case 'places': {
			bottom = null; // the overlay says its own keys
			break;
		}

		case 'browse': {
			bottom = (
				<Text dimColor wrap="truncate">
					{footerHint(`step:${step.id}`, stepContext(session), (stdout.columns || 100) - 2)}
				</Text>
			);
			break;
		}
	}

	const done = step.items.filter(candidate => itemProgress(step, candidate.id).status !== 'open').length;
	return (
		<Box flexDirection="column" paddingX={1}>
			<Header session={session} current={step.id} now={now} keyPresent={keyPresent} />
			{saveError ? (
				<Text color="red" bold>
					Not saved: {saveError}
				</Text>
			) : null}
			{incidentStatus(session) === 'complete' ? (
				<Text color="green">All five steps are complete. Export the report: leakfix report {session.id} --format md --out incident.md</Text>
			) : null}
			{ui.mode === 'help' ? (
				<Help {...(ui.back === 'places' ? {screen: 'places'} : {screen: `step:${step.id}`, context: stepContext(session)})} />
			) : ui.mode === 'places' && session.exposure ? (
				<Places summary={session.exposure} rows={Math.max(5, (stdout.rows || 30) - 10)} />
			) : ui.mode === 'work' && step.id === 'inventory' ? (
				<InventoryScreen
					session={session}
					discovery={work.busy?.what.startsWith('Discovering') ? {kind: 'running'} : work.message ? (work.message.error ? {kind: 'failed', message: work.message.text} : {kind: 'idle', note: work.message.text}) : {kind: 'idle'}}
					redact={redact}
					dispatch={dispatch}
					onDiscover={more => void work.discover(more)}
					onBack={() => setUi({type: 'close'})}
					onQuit={onQuit}
				/>
			) : ui.mode === 'work' && step.id === 'rotate' ? (
				<RotateScreen session={session} provider={provider} work={work} keyPresent={keyPresent} redact={redact} onBack={() => setUi({type: 'close'})} onQuit={onQuit} />
			) : ui.mode === 'work' && step.id === 'verify' ? (
				<VerifyScreen session={session} provider={provider} work={work} keyPresent={keyPresent} onBack={() => setUi({type: 'close'})} onQuit={onQuit} now={now} />
			) : ui.mode === 'findings' && session.logs ? (
				<LogsReview
					summary={session.logs}
					redact={redact}
					onMark={(id, verdict, note) => dispatch({type: 'finding.marked', id, verdict, ...(note === undefined ? {} : {note})})}
					onBack={() => setUi({type: 'close'})}
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
							<LogsPanel session={session} logs={logs} providerNote={providerLogsNote} hasCommand={logsCommand !== null} />
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
			{bottom ? <Box marginTop={1}>{bottom}</Box> : null}
		</Box>
	);
}

/** Open items whose rule has part of the evidence: marked on the checklist. */
function partialItems(session: Session, step: Step): Set<string> {
	return new Set(step.items.filter(item => (step.progress[item.id]?.status ?? 'open') === 'open' && claimFor(session, step.id, item.id)?.status === 'partial').map(item => item.id));
}
