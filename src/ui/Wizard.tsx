// The five-step wizard: header, the current step's checklist, the selected item, the keys. The
// layout is wizardLayout's, the middle StepBody's, the bottom line WizardPrompt's; this file holds
// the UI mode and the one input handler.
import {Box, Text, useInput, useStdout} from 'ink';
import {useRef, useState} from 'react';
import type {LeakedKey} from '../core/leaked-key.js';
import {logsPlan} from '../core/logs-plan.js';
import {localTimeZone} from '../core/logs/options.js';
import {STEP_IDS, type Session} from '../core/model.js';
import {incidentStatus, type UnstampedEvent} from '../core/session.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {ProbeState} from './AssessPanel.js';
import type {ScanState} from './ExposurePanel.js';
import {Header} from './Header.js';
import {consentIntent, direction, intentFor, type KeyContext} from './keymap.js';
import type {LogsState} from './LogsPanel.js';
import type {LogsRequest} from './LogsForm.js';
import type {AccessPort, ProviderLogsCommand} from './ports.js';
import {StepBody} from './StepBody.js';
import {useConsumedKey} from './useConsumedKey.js';
import type {Work} from './useWork.js';
import {focus, wizardLayout} from './wizardLayout.js';
import {WizardPrompt} from './WizardPrompt.js';
import {initialWizardUi, wizardUi} from './wizardUi.js';

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
	onKeyEntered(key: LeakedKey): void;
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
	/** Who can read each store (the inventory's access reading), through its port. */
	access: AccessPort;
	provider: ProviderPlaybook;
};

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
	const {stdout} = useStdout();
	const height = stdout.rows || 30;
	const columns = stdout.columns || 100;
	const {evidence, prompting, compact, rows} = wizardLayout({
		session,
		mode: ui.mode,
		height,
		columns,
		saveError,
		keyPresent,
		scan,
		logs,
		providerLogsNote,
		consent: {question: consentQuestion, request: probeRequest ?? ''},
		logsConsent: {display: logsCommand?.display ?? '', why: logsCommand?.why ?? ''},
	});


	useInput((input, key) => {
		const mode = uiRef.current.mode;
		if (mode === 'findings' || mode === 'logs-form' || mode === 'work') return; // those screens read their own keys
		if (mode === 'logs-consent') {
			const answer = consentIntent(input, key);
			if (answer === 'none') return;
			setUi({type: 'close'});
			if (answer === 'quit') onQuit();
			else if (answer === 'yes') {
				// The plan's values as they are (core/logs-plan.ts), never formatted and parsed back.
				const plan = logsPlan(getSession(), {demoLogs, localZone: localTimeZone()});
				onLogsCommand({exposureStart: plan.exposureStart, allow: plan.allow, businessHours: plan.businessHours, timeZone: plan.timeZone});
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
			if (answer === 'quit') onQuit();
			else if (answer === 'yes') onProbe(true);
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

	const close = () => setUi({type: 'close'});
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
			<StepBody
				{...{ui, close, session, step, cursor, item, progress, evidence, compact, rows, prompting, height, now, keyPresent, scan, probe, probeRequest, logs, providerLogsNote, work, provider, dispatch, redact, onQuit}}
				stepContext={stepContext(session)}
				hasLogsCommand={logsCommand !== null}
				access={props.access}
			/>
			{ui.mode === 'findings' || ui.mode === 'work' || ui.mode === 'help' || ui.mode === 'places' ? null : (
				<Box marginTop={1}>
					<WizardPrompt
						{...{ui, setUi, session, step, item, provider, now, keyPresent, keyIdAvailable, consentQuestion, probeRequest, logsCommand, columns, dispatch, redact, onKeyEntered, onAnalyseLogs, onQuit}}
						demoLogs={demoLogs}
						stepContext={stepContext(session)}
					/>
				</Box>
			)}
		</Box>
	);
}
