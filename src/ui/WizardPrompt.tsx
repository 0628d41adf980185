// The wizard's bottom line: the open prompt (skip reason, note, key re-entry, probe consent, the
// log questions, the log command's consent) or, while browsing, the keys that work now.
import {keyOf} from './keymap.js';
import {Box, Text} from 'ink';
import {keyFormatOf, leakedKey, type LeakedKey} from '../core/leaked-key.js';
import {logsFormText, logsPlan} from '../core/logs-plan.js';
import {localTimeZone} from '../core/logs/options.js';
import type {Session, Step} from '../core/model.js';
import type {UnstampedEvent} from '../core/session.js';
import {visible} from '../core/text.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import {footerHint, type KeyContext} from './keymap.js';
import {LogsForm, type LogsMatch, type LogsRequest} from './LogsForm.js';
import type {ProviderLogsCommand} from './ports.js';
import {TextInput} from './widgets/TextInput.js';
import type {SelectItem} from './widgets/Select.js';
import type {WizardUi, WizardUiAction} from './wizardUi.js';

type Props = {
	ui: WizardUi;
	setUi(action: WizardUiAction): void;
	session: Session;
	step: Step;
	item: Step['items'][number];
	provider: ProviderPlaybook;
	now: Date;
	keyPresent: boolean;
	keyIdAvailable: boolean;
	demoLogs: string | undefined;
	consentQuestion: string;
	probeRequest: string | null;
	logsCommand: ProviderLogsCommand | null;
	stepContext: KeyContext;
	columns: number;
	dispatch(event: UnstampedEvent): void;
	redact(text: string): string;
	onKeyEntered(key: LeakedKey): void;
	onAnalyseLogs(request: LogsRequest): void;
	onQuit(): void;
};

export function WizardPrompt({ui, setUi, session, step, item, provider, now, keyPresent, keyIdAvailable, demoLogs, consentQuestion, probeRequest, logsCommand, stepContext, columns, dispatch, redact, onKeyEntered, onAnalyseLogs, onQuit}: Props) {
switch (ui.mode) {
	case 'skip': {
		return (
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
	}

	case 'note': {
		return (
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
	}

	case 'key': {
		return (
			<TextInput
				mask
				label={`Re-enter the key ${session.key.masked}:`}
				value={ui.text}
				error={ui.error}
				hint="Enter to check · Esc to cancel"
				onChange={text => setUi({type: 'edit', text})}
				onSubmit={text => {
					const key = leakedKey(text, keyFormatOf(provider));
					if (key.fingerprint !== session.key.fingerprint) {
						setUi({type: 'edit', text: ''});
						setUi({type: 'error', message: 'That is not the key of this incident (fingerprint differs).'});
						return;
					}
					onKeyEntered(key);
					setUi({type: 'close'});
				}}
				onCancel={() => setUi({type: 'close'})}
				onQuit={onQuit}
			/>
		);
	}

	case 'consent': {
		return (
			<Box flexDirection="column">
				<Text bold>{consentQuestion}</Text>
				<Text color="cyan" wrap="wrap">
					{probeRequest}
				</Text>
				<Text dimColor>y to send (remembered for this incident) · n or Esc to cancel · q quit</Text>
			</Box>
		);
	}

	case 'logs-form': {
		const matchOptions: Array<SelectItem<LogsMatch>> = [
			...(keyPresent && !keyIdAvailable ? [{key: 'key', label: 'Lines that hold the key (as typed or URL-encoded)', value: 'key' as const}] : []),
			...(keyIdAvailable ? [{key: 'key-id', label: 'Lines of the access key id (CloudTrail userIdentity.accessKeyId)', value: 'key-id' as const}] : []),
			{key: 'all', label: "Every line: the file is a usage export for this key alone", value: 'all' as const},
		];
		return (
			<LogsForm
				defaults={logsFormText(logsPlan(session, {demoLogs, localZone: localTimeZone()}))}
				matchOptions={matchOptions}
				{...(keyPresent ? {} : {matchHint: `Enter the key (${keyOf('step:logs', 'enter-key')}) to find the lines that hold it.`})}
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
	}

	case 'logs-consent': {
		return (
			<Box flexDirection="column">
				<Text bold>Run this read-only command with your own credentials (not the leaked key)?</Text>
				<Text color="cyan" wrap="wrap">
					{visible(redact(logsCommand?.display ?? ''))}
				</Text>
				<Text dimColor wrap="wrap">
					{visible(logsCommand?.why ?? '')} Its output goes to a private file (0600) and is analysed here. y to run · n or Esc to cancel · q quit
				</Text>
			</Box>
		);
	}

	case 'findings':
	case 'work': {
		return null; // those screens have their own keys line
	}

	case 'help':
	case 'places': {
		return null; // the overlay says its own keys
	}

	case 'browse': {
		return (
			<Text dimColor wrap="truncate">
				{footerHint(`step:${step.id}`, stepContext, columns - 2)}
			</Text>
		);
	}
}
}
