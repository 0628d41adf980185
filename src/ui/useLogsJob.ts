// Step 2's work, for the App: a log analysis (files the responder names, or the provider's own log
// command run first into a private file), with progress and Esc. Through ports, as one job.
import {keyOf} from './keymap.js';
import type {LeakedKey} from '../core/leaked-key.js';
import {providerLogsSince} from '../core/logs-plan.js';
import {DEFAULT_FIELDS} from '../core/logs/formats.js';
import {parseAllowList} from '../core/logs/options.js';
import {logSummary} from '../core/logs/summary.js';
import type {Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import type {SessionEvent} from '../core/session.js';
import type {LogsProgress} from '../engines/logs/index.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {LogsRequest} from './LogsForm.js';
import type {LogsState} from './LogsPanel.js';
import type {Ports} from './ports.js';
import {useJob, type JobControl} from './useJob.js';

type Options = {
	session: Session | undefined;
	provider: ProviderPlaybook | undefined;
	key: LeakedKey | undefined;
	ports: Ports;
	redactor: Redactor;
	apply(event: SessionEvent): void;
	now(): string;
};

type Source = {text: string; format: 'cloudtrail' | 'jsonl' | 'csv'};

export function useLogsJob({session, provider, key, ports, redactor, apply, now}: Options) {
	const job = useJob<LogsProgress>(redactor.text);
	const keyId = key?.keyId ?? null;

	/** The analysis itself, inside a job: the summary goes into the session; a cancel leaves a note. */
	const analyse = async (control: JobControl<LogsProgress>, request: LogsRequest, source?: Source): Promise<string | void> => {
		let lastDraw = 0;
		const result = await ports.logs(request.inputs, {
			match: request.match === 'key' ? {kind: 'key', key: key!.secret} : request.match === 'key-id' ? {kind: 'key-id', id: keyId!} : {kind: 'all'},
			...(source ? {format: source.format} : {}),
			fields: DEFAULT_FIELDS,
			analysis: {exposureStart: request.exposureStart, allow: parseAllowList(request.allow), businessHours: request.businessHours, timeZone: request.timeZone},
			signal: control.signal,
			onProgress: progress => {
				if (progress.elapsedMs - lastDraw < 100) return;
				lastDraw = progress.elapsedMs;
				control.progress(progress);
			},
		});
		if (result.cancelled) return 'Log analysis cancelled.';
		const at = now();
		const summary = logSummary(result, {at, source: source ? source.text : request.inputs.join(' '), match: request.match, timeZone: request.timeZone, businessHours: request.businessHours, allow: request.allow});
		apply({type: 'logs.analyzed', at, summary});
	};

	const startLogs = (request: LogsRequest) => {
		if (!session || !provider || job.running()) return;
		if ((request.match === 'key' && key === undefined) || (request.match === 'key-id' && keyId === null)) {
			job.say(`the key is needed to find its lines: press ${keyOf('step:logs', 'enter-key')} to enter it`, true);
			return;
		}
		void job.run(`Reading ${request.inputs.join(' ')}`, control => analyse(control, request));
	};

	// The provider's own log command (AWS CloudTrail), from a week before the exposure.
	const logsCommand = provider && session ? ports.logsCommand(provider, keyId, providerLogsSince(session)) : null;
	const runLogsCommand = (request: Omit<LogsRequest, 'inputs' | 'match'>) => {
		if (!logsCommand || job.running()) return;
		void job.run(`Running ${logsCommand.display}`, async control => {
			let file: string;
			try {
				file = await ports.fetchLogs(logsCommand, {signal: control.signal, redact: redactor.text});
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				const tail = error && typeof error === 'object' && 'outputTail' in error ? `: ${String((error as {outputTail: string}).outputTail).split('\n').filter(Boolean).at(-1) ?? ''}` : '';
				throw new Error(`${message}${tail}`);
			}
			if (control.signal.aborted) return 'Cancelled.';
			const source = {text: `${logsCommand.display} (saved to ${file})`, format: logsCommand.format};
			control.retitle(`Reading ${source.text}`);
			return analyse(control, {...request, inputs: [file], match: 'key-id'}, source);
		});
	};

	const state: LogsState = job.state;
	return {logs: state, startLogs, cancelLogs: job.cancel, logsCommand, runLogsCommand, keyIdAvailable: keyId !== null};
}
