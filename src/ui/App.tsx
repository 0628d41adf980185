// The app shell: which screen is up (home, intake, key re-entry, wizard), the session in memory,
// and the one place that saves it and ends the app. The key lives here, in memory only.
import {Box, Text, useApp} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import {summarize, type RepoExposure} from '../core/exposure.js';
import type {Session} from '../core/model.js';
import type {ScanProgress} from '../engines/scan/history.js';
import type {ProbeResult} from '../engines/probe.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import {describeProbe} from '../engines/probe-request.js';
import type {Redactor} from '../core/secrets.js';
import {fingerprint, mask} from '../core/secrets.js';
import {createSession, incidentStatus, stamp, transition, type SessionEvent, type UnstampedEvent} from '../core/session.js';
import type {Clock} from '../infra/clock.js';
import {IoError, UserError} from '../infra/errors.js';
import type {Lock, SessionStore} from '../infra/store.js';
import {openIncident} from './open.js';
import {checklistFor, findProvider, type Playbooks} from '../playbooks/load.js';
import {Home} from './Home.js';
import {Intake, type IntakeDefaults, type IntakeResult} from './Intake.js';
import {KeyPrompt} from './KeyPrompt.js';
import {Wizard} from './Wizard.js';
import type {ProbeState} from './AssessPanel.js';
import type {ScanState} from './ExposurePanel.js';
import type {LogsState} from './LogsPanel.js';
import type {LogsRequest} from './LogsForm.js';
import type {LogsOptions, LogsResult} from '../engines/logs/index.js';
import {keyIdOf, providerLogsCommand, type ProviderLogsCommand} from '../engines/logs/provider.js';
import {logSummary} from '../core/logs/summary.js';
import {DEFAULT_FIELDS} from '../core/logs/formats.js';
import {parseAllowList} from '../core/logs/options.js';
import {exposureStartOf} from '../core/session.js';
import path from 'node:path';
import {useWork} from './useWork.js';
import {useInputGuard} from './inputGuard.js';

export type LogsPort = (inputs: string[], options: LogsOptions) => Promise<LogsResult>;

/** The production log engine, imported only when an analysis starts. */
export const lazyLogs: LogsPort = async (inputs, options) => (await import('../engines/logs/index.js')).analyzeLogs(inputs, options);

/** Runs the provider's log command into a 0600 file; returns its path. */
export type FetchLogsPort = (command: ProviderLogsCommand, options: {signal: AbortSignal; redact: (text: string) => string}) => Promise<string>;
export const lazyFetchLogs: FetchLogsPort = async (command, options) => (await import('../engines/logs/provider.js')).fetchProviderLogs(command, options);

export type ScanPort = (repo: string, key: string, options: {signal: AbortSignal; onProgress: (progress: ScanProgress) => void}) => Promise<RepoExposure>;

/** The production scan: the engine is imported only when a scan starts (not at start-up). */
export const lazyScan: ScanPort = async (repo, key, options) => (await import('../engines/scan/index.js')).scanRepo(repo, key, options);

/** `analyze: false`: liveness only (the new key: what it can do is not read). */
export type ProbePort = (provider: ProviderPlaybook, key: string, options?: {analyze?: boolean}) => Promise<ProbeResult>;

/** The production probe: the engine is imported only when a probe runs. */
export function lazyProbe(baseUrl: string | undefined): ProbePort {
	return async (provider, key, options) => (await import('../engines/probe.js')).probeKey(provider, key, {...(baseUrl === undefined ? {} : {baseUrl}), ...(options?.analyze === false ? {analyze: false} : {})});
}

export type AppDeps = {
	store: SessionStore;
	playbooks: Playbooks;
	redactor: Redactor;
	clock: Clock;
	cwd: string;
	/** Who acts (OS user and git user.name), recorded on every timeline entry. */
	actor?: string;
	scan?: ScanPort;
	probe?: ProbePort;
	logs?: LogsPort;
	fetchLogs?: FetchLogsPort;
	discover?: import('./useWork.js').WorkPorts['discover'];
	/** The demo's fake CloudSight dashboard: makes the new key, deactivates the old one. */
	demoDashboard?: {issueKey(): string; deactivate(key: string): void};
	/** LEAKFIX_PROBE_BASE_URL, already checked (loopback only): shown in the consent text. */
	probeBaseUrl?: string;
	/** A demo incident's fake services, started before the App (`leakfix demo`, `leakfix resume <id>`). */
	demo?: DemoServices;
	/** Starts a demo incident's fake services when one is picked from the list (src/infra/demo.ts). */
	openDemo?: (session: Session) => Promise<DemoServices>;
};

/** A demo's loopback CloudSight (its origin and dashboard) and where its fake key can be read. */
export type DemoServices = {baseUrl: string; dashboard: {issueKey(): string; deactivate(key: string): void}; keyWhere?: string};

export type AppStart =
	/** `leakfix`: offer unfinished incidents, or go straight to intake when there are none. */
	| {kind: 'auto'}
	/** `leakfix resume`: every incident, to pick one. */
	| {kind: 'pick'}
	| {kind: 'new'; defaults?: IntakeDefaults; demo?: {repoPath: string}}
	/** `leakfix resume <id>`: already loaded and locked by the caller. */
	| {kind: 'open'; session: Session; lock: Lock; key?: string};

export type Outcome = {
	sessionId?: string;
	complete?: boolean;
	/** Ended by an error the CLI reports. */ error?: unknown;
	/** Quit with a change the disk refused: why it was not saved. */ unsaved?: string;
};

type Phase =
	| {kind: 'home'; allowNew: boolean}
	| {kind: 'intake'; defaults: IntakeDefaults; demo?: {repoPath: string}}
	| {kind: 'key'}
	/** A demo picked from the list: its fake services are starting. */
	| {kind: 'opening'; allowNew: boolean}
	| {kind: 'wizard'};

type Props = {
	deps: AppDeps;
	start: AppStart;
	/** A key piped with --key-stdin. */
	pipedKey?: string;
	onDone(outcome: Outcome): void;
	/** How often the header's clock refreshes. */
	tickMs?: number;
};

/** The time now, read at every render; the interval only makes sure a render happens. */
function useNow(clock: Clock, tickMs: number): Date {
	const [, setTick] = useState(0);
	useEffect(() => {
		const timer = setInterval(() => setTick(tick => tick + 1), tickMs);
		return () => clearInterval(timer);
	}, [tickMs]);
	return clock.now();
}

export function App({deps, start, pipedKey, onDone, tickMs = 30_000}: Props) {
	const {exit} = useApp();
	useInputGuard(); // no escape sequence pasted or typed can crash a screen
	const {store, playbooks, redactor, clock} = deps;
	const now = useNow(clock, tickMs);
	const lockRef = useRef<Lock | undefined>(start.kind === 'open' ? start.lock : undefined);
	const sessionRef = useRef<Session | undefined>(start.kind === 'open' ? start.session : undefined);
	const [session, setSession] = useState<Session | undefined>(sessionRef.current);
	const [key, setKey] = useState<string | undefined>(() => {
		// Whatever key this app holds, the redactor knows before anything is drawn.
		const held = start.kind === 'open' ? start.key : pipedKey;
		if (held !== undefined) redactor.add(held);
		if (start.kind === 'open') redactor.addFingerprint(start.session.key);
		return held;
	});
	const [saveError, setSaveError] = useState<string | undefined>();
	const [scan, setScan] = useState<ScanState>({kind: 'idle'});
	const [probe, setProbe] = useState<ProbeState>({kind: 'idle'});
	const scanControl = useRef<AbortController | undefined>(undefined);
	const [logs, setLogs] = useState<LogsState>({kind: 'idle'});
	const logsControl = useRef<AbortController | undefined>(undefined);
	// A demo's fake services: every probe and dashboard action of a demo incident goes there.
	const [demoServices, setDemoServices] = useState<DemoServices | undefined>(deps.demo);
	const probeBaseUrl = demoServices?.baseUrl ?? deps.probeBaseUrl;
	const demoDashboard = demoServices?.dashboard ?? deps.demoDashboard;

	// The home list: read when home opens, and again after a failed pick.
	const readList = (onlyOpen: boolean) => {
		const {sessions, quarantined, unreadable, newer} = store.list();
		return {
			// `leakfix` offers only real unfinished incidents; demo ones are under `leakfix resume`.
			shown: onlyOpen ? sessions.filter(candidate => incidentStatus(candidate) === 'open' && !candidate.demo) : sessions,
			notices: [...unreadable.map(u => `Incident ${u.id} cannot be read: ${u.reason}. The file was left as it is.${u.hint ? ` ${u.hint}` : ''}`), ...quarantined.map(q => `Incident ${q.id} could not be read (${q.reason}); moved aside to ${q.movedTo}. Other incidents are untouched.`), ...newer],
		};
	};

	// The first screen is decided before the first frame: `leakfix` with nothing to resume goes
	// straight to intake, with no flash of an empty list.
	const [initial] = useState(() => {
		switch (start.kind) {
			case 'open': {
				return {phase: (start.key === undefined ? {kind: 'key'} : {kind: 'wizard'}) as Phase, listed: [], notices: []};
			}

			case 'new': {
				return {phase: {kind: 'intake', defaults: start.defaults ?? {}, ...(start.demo ? {demo: start.demo} : {})} as Phase, listed: [], notices: []};
			}

			case 'auto':
			case 'pick': {
				const {shown, notices} = readList(start.kind === 'auto');
				const phase: Phase = start.kind === 'auto' && shown.length === 0 ? {kind: 'intake', defaults: {}} : {kind: 'home', allowNew: start.kind === 'auto'};
				return {phase, listed: shown, notices};
			}
		}
	});
	const [phase, setPhase] = useState<Phase>(initial.phase);
	const [notices, setNotices] = useState<string[]>(initial.notices);
	const [listed, setListed] = useState<Session[]>(initial.listed);

	// A change the disk refused (full, read-only, an I/O error): why, while it is only in memory.
	// It stays on screen and is saved again with the next action; a quit asks twice.
	const unsavedRef = useRef<string | undefined>(undefined);
	const quitArmedRef = useRef(false);

	const finish = useCallback(
		(error?: unknown) => {
			lockRef.current?.release();
			const current = sessionRef.current;
			const unsaved = unsavedRef.current;
			onDone({
				...(current ? {sessionId: current.id, complete: incidentStatus(current) === 'complete'} : {}),
				...(error === undefined ? {} : {error}),
				...(unsaved === undefined || !current ? {} : {unsaved}),
			});
			exit();
		},
		[exit, onDone],
	);

	/** Saves the session in memory; on failure, says why on the banner and keeps it for the next try. */
	const save = useCallback(
		(next: Session): boolean => {
			try {
				store.save(next);
			} catch (error) {
				const reason = error instanceof IoError ? error.reason : error instanceof Error ? error.message : String(error);
				const hint = error instanceof UserError && error.hint ? ` ${error.hint}` : '';
				unsavedRef.current = reason;
				setSaveError(`${reason}. Your change is kept on screen and saved again with your next action.${hint}`);
				return false;
			}
			unsavedRef.current = undefined;
			quitArmedRef.current = false;
			setSaveError(undefined);
			return true;
		},
		[store],
	);

	const quit = useCallback(() => {
		const current = sessionRef.current;
		// The last change is only in memory: one more try (there may be room now), then a warning;
		// a second q quits anyway.
		if (current && unsavedRef.current !== undefined && !quitArmedRef.current && !save(current)) {
			quitArmedRef.current = true;
			setSaveError(`${unsavedRef.current}. Your last change is only on screen: press q again to quit without it.`);
			return;
		}
		scanControl.current?.abort();
		logsControl.current?.abort();
		finish();
	}, [finish, save]);

	const apply = useCallback(
		(event: SessionEvent) => {
			const current = sessionRef.current;
			if (!current) return;
			// User text (notes, reasons) passes the redactor before it enters the session, so the
			// screen, the file and the report all hold only the masked form.
			const next = transition(current, redactor.value(event), deps.actor);
			if (next === current && unsavedRef.current === undefined) return;
			sessionRef.current = next;
			setSession(next);
			save(next);
		},
		[redactor, save, deps.actor],
	);

	const dispatch = useCallback(
		(event: UnstampedEvent) => {
			apply(stamp(event, clock.now().toISOString()));
		},
		[apply, clock],
	);

	const open = (id: string) => {
		const allowNew = phase.kind === 'home' && phase.allowNew;
		const refused = (error: unknown) => {
			if (!(error instanceof UserError)) {
				finish(error);
				return;
			}
			const {shown, notices: moved} = readList(allowNew);
			setNotices(current => [...current, ...moved, error.hint ? `${error.message} ${error.hint}` : error.message]);
			setListed(shown);
			setPhase({kind: 'home', allowNew});
		};
		let opened: {session: Session; lock: Lock};
		try {
			opened = openIncident(store, id, pipedKey);
		} catch (error) {
			refused(error);
			return;
		}
		const enter = ({session: loaded, lock}: {session: Session; lock: Lock}) => {
			lockRef.current = lock;
			sessionRef.current = loaded;
			setSession(loaded);
			redactor.addFingerprint(loaded.key);
			if (pipedKey === undefined) setPhase({kind: 'key'});
			else {
				apply({type: 'incident.resumed', at: clock.now().toISOString(), keyEntered: true});
				setPhase({kind: 'wizard'});
			}
		};
		if (!opened.session.demo) {
			enter(opened);
			return;
		}
		// A demo opens with its fake CloudSight and stand-in CLIs running, or not at all.
		if (!deps.openDemo) {
			opened.lock.release();
			refused(new UserError(`Demo incident ${id} opens only with its fake services, and they cannot be started here.`));
			return;
		}
		setPhase({kind: 'opening', allowNew});
		deps.openDemo(opened.session).then(
			services => {
				setDemoServices(services);
				enter(opened);
			},
			(error: unknown) => {
				opened.lock.release();
				refused(error);
			},
		);
	};

	const create = (result: IntakeResult, demo?: {repoPath: string}) => {
		try {
			const provider = findProvider(playbooks, result.providerId);
			redactor.add(result.key);
			const at = clock.now().toISOString();
			const id = store.newId();
			const created = createSession(
				redactor.value({
					id,
					name: result.name,
					demo: demo !== undefined,
					at,
					provider: {id: provider.id, name: provider.name},
					key: {fingerprint: fingerprint(result.key), masked: mask(result.key), length: result.key.length},
					leak: {where: result.where, ...(result.url ? {url: result.url} : {}), noticedAt: result.noticedAt.toISOString()},
					repoPath: demo?.repoPath ?? deps.cwd,
					steps: checklistFor(playbooks, provider),
					...(deps.actor ? {by: deps.actor} : {}),
					keyFacts: {
						scopes: provider.scopes,
						testMode: provider.keyPatterns.some(pattern => pattern.testMode && new RegExp(`^(?:${pattern.regex})$`).test(result.key)),
						fullAccess: provider.keyPatterns.some(pattern => pattern.fullAccess && new RegExp(`^(?:${pattern.regex})$`).test(result.key)),
					},
				}),
			);
			lockRef.current = store.lock(id);
			store.save(created);
			sessionRef.current = created;
			setSession(created);
			setKey(result.key);
			setPhase({kind: 'wizard'});
		} catch (error) {
			// Nothing was half-made: the user is told why and nothing is left locked.
			finish(error);
		}
	};

	const startScan = () => {
		const current = sessionRef.current;
		if (!current || key === undefined || scanControl.current) return;
		const repo = current.repoPath ?? deps.cwd;
		const control = new AbortController();
		scanControl.current = control;
		setScan({kind: 'running', repo});
		(deps.scan ?? lazyScan)(repo, key, {signal: control.signal, onProgress: progress => setScan({kind: 'running', repo, progress})})
			.then(result => {
				if (result.cancelled) {
					setScan({kind: 'idle', note: 'scan cancelled'});
					return;
				}
				apply({type: 'scan.completed', at: clock.now().toISOString(), summary: summarize([result], clock.now().toISOString())});
				setScan({kind: 'idle'});
			})
			.catch((error: unknown) => {
				setScan({kind: 'failed', message: redactor.text(error instanceof Error ? error.message : String(error))});
			})
			.finally(() => {
				scanControl.current = undefined;
			});
	};

	const provider = session ? playbooks.providers.find(candidate => candidate.id === session.provider.id) : undefined;
	// What the probe will send, masked, as the consent question shows it (null: no probe).
	const probeRequest = provider?.probe && key !== undefined ? describeProbe(provider, key, probeBaseUrl) : null;

	const runProbe = (consented: boolean) => {
		if (!provider || key === undefined || probe.kind === 'running') return;
		if (session?.demo && probeBaseUrl === undefined) {
			setProbe({kind: 'failed', message: 'this demo incident\'s fake CloudSight is not running, so nothing was sent (a demo never probes the real one)'});
			return;
		}
		if (consented && probeRequest) apply({type: 'probe.consented', at: clock.now().toISOString(), request: probeRequest});
		setProbe({kind: 'running'});
		(deps.probe ?? lazyProbe(probeBaseUrl))(provider, key)
			.then(result => {
				apply({type: 'probe.completed', at: clock.now().toISOString(), result: {...result, at: clock.now().toISOString()}});
				setProbe({kind: 'idle'});
			})
			.catch((error: unknown) => setProbe({kind: 'failed', message: redactor.text(error instanceof Error ? error.message : String(error))}));
	};

	const startLogs = (request: LogsRequest, source?: {text: string; format: 'cloudtrail' | 'jsonl' | 'csv'}) => {
		const current = sessionRef.current;
		if (!current || logsControl.current || !provider) return;
		const keyId = keyIdOf(provider, key);
		if ((request.match === 'key' && key === undefined) || (request.match === 'key-id' && keyId === null)) {
			setLogs({kind: 'failed', message: 'the key is needed to find its lines: press k to enter it'});
			return;
		}
		const control = new AbortController();
		logsControl.current = control;
		const what = source ? `Reading ${source.text}` : `Reading ${request.inputs.join(' ')}`;
		setLogs({kind: 'running', what});
		let lastDraw = 0;
		(deps.logs ?? lazyLogs)(request.inputs, {
			match: request.match === 'key' ? {kind: 'key', key: key!} : request.match === 'key-id' ? {kind: 'key-id', id: keyId!} : {kind: 'all'},
			...(source ? {format: source.format} : {}),
			fields: DEFAULT_FIELDS,
			analysis: {exposureStart: request.exposureStart, allow: parseAllowList(request.allow), businessHours: request.businessHours, timeZone: request.timeZone},
			signal: control.signal,
			onProgress: progress => {
				if (progress.elapsedMs - lastDraw < 100) return;
				lastDraw = progress.elapsedMs;
				setLogs({kind: 'running', what, progress});
			},
		})
			.then(result => {
				if (result.cancelled) {
					setLogs({kind: 'idle', note: 'Log analysis cancelled.'});
					return;
				}
				const at = clock.now().toISOString();
				const summary = logSummary(result, {
					at,
					source: source ? source.text : request.inputs.join(' '),
					match: request.match,
					timeZone: request.timeZone,
					businessHours: request.businessHours,
					allow: request.allow,
				});
				apply({type: 'logs.analyzed', at, summary});
				setLogs({kind: 'idle'});
			})
			.catch((error: unknown) => {
				setLogs({kind: 'failed', message: redactor.text(error instanceof Error ? error.message : String(error))});
			})
			.finally(() => {
				logsControl.current = undefined;
			});
	};

	// The provider's own log command (AWS CloudTrail), from a week before the exposure.
	const exposureStart = session ? exposureStartOf(session) : undefined;
	const logsCommand = provider && exposureStart ? providerLogsCommand(provider, keyIdOf(provider, key), new Date(Date.parse(exposureStart.at) - 7 * 86_400_000)) : null;
	const runLogsCommand = (request: Omit<LogsRequest, 'inputs' | 'match'>) => {
		if (!logsCommand || logsControl.current) return;
		const control = new AbortController();
		logsControl.current = control;
		setLogs({kind: 'running', what: `Running ${logsCommand.display}`});
		(deps.fetchLogs ?? lazyFetchLogs)(logsCommand, {signal: control.signal, redact: redactor.text})
			.then(file => {
				logsControl.current = undefined;
				if (control.signal.aborted) {
					setLogs({kind: 'idle', note: 'Cancelled.'});
					return;
				}
				startLogs({...request, inputs: [file], match: 'key-id'}, {text: `${logsCommand.display} (saved to ${file})`, format: logsCommand.format});
			})
			.catch((error: unknown) => {
				logsControl.current = undefined;
				const message = error instanceof Error ? error.message : String(error);
				const tail = error && typeof error === 'object' && 'outputTail' in error ? `: ${String((error as {outputTail: string}).outputTail).split('\n').filter(Boolean).at(-1) ?? ''}` : '';
				setLogs({kind: 'failed', message: redactor.text(`${message}${tail}`)});
			});
	};
	const work = useWork({
		session,
		provider,
		oldKey: key,
		redactor,
		dispatch,
		ports: {probe: deps.probe ?? lazyProbe(probeBaseUrl), scan: deps.scan ?? lazyScan, ...(deps.discover ? {discover: deps.discover} : {}), ...(demoDashboard ? {demoDashboard} : {})},
		cwd: deps.cwd,
		now: () => clock.now(),
		backupDir: path.join(path.dirname(store.dir), 'backups', session?.id ?? 'none'),
	});
	// The demo's access log sits beside its repository.
	const demoLogs = session?.demo && session.repoPath ? path.join(path.dirname(session.repoPath), 'logs', 'access.log') : undefined;

	switch (phase.kind) {
		case 'home': {
			return <Home sessions={listed} now={now} notices={notices} allowNew={phase.allowNew} onPick={open} onNew={() => setPhase({kind: 'intake', defaults: {}})} onQuit={quit} />;
		}

		case 'opening': {
			return (
				<Box paddingX={1}>
					<Text>Starting the demo&apos;s fake CloudSight and stand-in gh and kubectl…</Text>
				</Box>
			);
		}

		case 'intake': {
			return (
				<Intake
					playbooks={playbooks}
					clock={clock}
					defaults={phase.defaults}
					{...(pipedKey === undefined ? {} : {pipedKey})}
					redact={redactor.text}
					onSubmit={result => create(result, phase.demo)}
					onQuit={quit}
				/>
			);
		}

		case 'key': {
			return (
				<KeyPrompt
					session={session!}
					{...(demoServices?.keyWhere ? {demoKeyWhere: demoServices.keyWhere} : {})}
					onKey={entered => {
						redactor.add(entered);
						setKey(entered);
						dispatch({type: 'incident.resumed', keyEntered: true});
						setPhase({kind: 'wizard'});
					}}
					onSkip={() => {
						dispatch({type: 'incident.resumed', keyEntered: false});
						setPhase({kind: 'wizard'});
					}}
					onQuit={quit}
				/>
			);
		}

		case 'wizard': {
			return (
				<Wizard
					session={session!}
					getSession={() => sessionRef.current!}
					now={now}
					keyPresent={key !== undefined}
					{...(saveError ? {saveError} : {})}
					dispatch={dispatch}
					redact={redactor.text}
					onKeyEntered={entered => {
						redactor.add(entered);
						setKey(entered);
						dispatch({type: 'key.entered'});
					}}
					onQuit={quit}
					scan={scan}
					onScan={startScan}
					onCancelScan={() => scanControl.current?.abort()}
					probe={probe}
					probeRequest={probeRequest}
					onProbe={runProbe}
					logs={logs}
					onAnalyseLogs={startLogs}
					onCancelLogs={() => logsControl.current?.abort()}
					logsCommand={logsCommand}
					onLogsCommand={runLogsCommand}
					providerLogsNote={provider?.logs?.note ?? null}
					keyIdAvailable={provider ? keyIdOf(provider, key) !== null : false}
					{...(demoLogs ? {demoLogs} : {})}
					work={work}
					provider={provider!}
				/>
			);
		}
	}
}
