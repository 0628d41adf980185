// The app shell: which screen is up (home, intake, key re-entry, wizard) and the key, in memory
// only, as one LeakedKey. The session, its saving and the end of the app are useIncident's; step
// 1's and step 2's jobs are useAssess's and useLogsJob's; steps 3–5's useWork's. Every engine is
// reached through the ports in deps (src/ui/ports.ts), built by the composition root (run.tsx).
import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {keyFactsFor} from '../core/key-facts.js';
import {keyFormatOf, keyRecord, leakedKey, type LeakedKey} from '../core/leaked-key.js';
import type {Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import {createSession} from '../core/session.js';
import type {Clock} from '../infra/clock.js';
import {UserError} from '../infra/errors.js';
import type {Lock, SessionStore} from '../infra/store.js';
import {openIncident} from './open.js';
import {checklistFor, findProvider, type Playbooks} from '../playbooks/load.js';
import {Home} from './Home.js';
import {Intake, type IntakeResult} from './Intake.js';
import {KeyPrompt} from './KeyPrompt.js';
import {Wizard} from './Wizard.js';
import path from 'node:path';
import {useWork} from './useWork.js';
import {useInputGuard} from './inputGuard.js';
import {firstScreen, homeList, type AppStart, type Phase} from './appStart.js';
import type {DemoDashboard, ProbePort, Ports} from './ports.js';
import {useIncident, type Outcome} from './useIncident.js';
import {useAssess} from './useAssess.js';
import {useLogsJob} from './useLogsJob.js';

export type {Outcome} from './useIncident.js';
export type {AppStart} from './appStart.js';
export type {LogsPort, FetchLogsPort, ProbePort, ScanPort, Ports} from './ports.js';

export type AppDeps = {
	store: SessionStore;
	playbooks: Playbooks;
	redactor: Redactor;
	clock: Clock;
	cwd: string;
	/** Who acts (OS user and git user.name), recorded on every timeline entry. */
	actor?: string;
	/** Every engine the UI reaches (src/ui/enginePorts.ts builds the real ones; tests fake some). */
	ports: Ports;
	/** The demo's fake CloudSight dashboard: makes the new key, deactivates the old one. */
	demoDashboard?: DemoDashboard;
	/** LEAKFIX_PROBE_BASE_URL, already checked (loopback only): shown in the consent text. */
	probeBaseUrl?: string;
	/** A demo incident's fake services, started before the App (`leakfix demo`, `leakfix resume <id>`). */
	demo?: DemoServices;
	/** Starts a demo incident's fake services when one is picked from the list (src/infra/demo.ts). */
	openDemo?: (session: Session) => Promise<DemoServices>;
};

/** A demo's loopback CloudSight (its origin and dashboard) and where its fake key can be read. */
export type DemoServices = {baseUrl: string; dashboard: DemoDashboard; keyWhere?: string};

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
	useInputGuard(); // no escape sequence pasted or typed can crash a screen
	const {store, playbooks, redactor, clock} = deps;
	const now = useNow(clock, tickMs);
	const incident = useIncident({store, redactor, clock, actor: deps.actor, ...(start.kind === 'open' ? {opened: start} : {}), onDone});
	const {session, saveError, finish, apply, dispatch} = incident;
	const providerOf = (of: Session) => playbooks.providers.find(candidate => candidate.id === of.provider.id);
	/** The key as one value, for this incident's provider; the redactor learns every secret form of it. */
	const keyFor = (raw: string, of: Session): LeakedKey => {
		const made = leakedKey(raw, keyFormatOf(providerOf(of)));
		for (const secret of made.redactions) redactor.add(secret);
		return made;
	};
	const [key, setKey] = useState<LeakedKey | undefined>(() => {
		// Whatever key this app holds, the redactor knows before anything is drawn.
		if (pipedKey !== undefined) redactor.add(pipedKey);
		if (start.kind !== 'open') return undefined;
		redactor.addFingerprint(start.session.key);
		return start.key === undefined ? undefined : keyFor(start.key, start.session);
	});
	// A demo's fake services: every probe and dashboard action of a demo incident goes there.
	const [demoServices, setDemoServices] = useState<DemoServices | undefined>(deps.demo);
	const probeBaseUrl = demoServices?.baseUrl ?? deps.probeBaseUrl;
	const demoDashboard = demoServices?.dashboard ?? deps.demoDashboard;
	// The probe bound to this incident's origin (a demo's loopback CloudSight, or the setting).
	const probe: ProbePort = (provider, raw, options) => deps.ports.probe(provider, raw, {...options, ...(probeBaseUrl === undefined ? {} : {baseUrl: probeBaseUrl})});
	const ports = {...deps.ports, probe};

	// The first screen is decided before the first frame: `leakfix` with nothing to resume goes
	// straight to intake, with no flash of an empty list.
	const readList = (onlyOpen: boolean) => homeList(store, onlyOpen);
	const [initial] = useState(() => firstScreen(start, store));
	const [phase, setPhase] = useState<Phase>(initial.phase);
	const [notices, setNotices] = useState<string[]>(initial.notices);
	const [listed, setListed] = useState<Session[]>(initial.listed);

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
			incident.hold(loaded, lock);
			redactor.addFingerprint(loaded.key);
			if (pipedKey === undefined) setPhase({kind: 'key'});
			else {
				setKey(keyFor(pipedKey, loaded));
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
			const entered = leakedKey(result.key, keyFormatOf(provider));
			for (const secret of entered.redactions) redactor.add(secret);
			const at = clock.now().toISOString();
			const id = store.newId();
			const created = createSession(
				redactor.value({
					id,
					name: result.name,
					demo: demo !== undefined,
					at,
					provider: {id: provider.id, name: provider.name},
					key: keyRecord(entered),
					leak: {where: result.where, ...(result.url ? {url: result.url} : {}), noticedAt: result.noticedAt.toISOString()},
					repoPath: demo?.repoPath ?? deps.cwd,
					steps: checklistFor(playbooks, provider),
					...(deps.actor ? {by: deps.actor} : {}),
					keyFacts: keyFactsFor(provider, entered),
				}),
			);
			const lock = store.lock(id);
			try {
				store.save(created);
			} catch (error) {
				// Nothing was half-made: the user is told why and nothing is left locked.
				lock.release();
				throw error;
			}
			incident.hold(created, lock);
			setKey(entered);
			setPhase({kind: 'wizard'});
		} catch (error) {
			finish(error);
		}
	};

	const provider = session ? providerOf(session) : undefined;
	const nowIso = () => clock.now().toISOString();
	const assess = useAssess({getSession: incident.getSession, provider, key, ports, probe, probeBaseUrl, redactor, apply, now: nowIso, cwd: deps.cwd});
	const logs = useLogsJob({session, provider, key, ports, redactor, apply, now: nowIso});
	const quit = () =>
		incident.quit(() => {
			assess.cancelScan();
			logs.cancelLogs();
		});
	const work = useWork({session, provider, oldKey: key, redactor, dispatch, ports, demoDashboard, cwd: deps.cwd, now: () => clock.now(), backupDir: path.join(path.dirname(store.dir), 'backups', session?.id ?? 'none')});
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
					format={keyFormatOf(provider)}
					{...(demoServices?.keyWhere ? {demoKeyWhere: demoServices.keyWhere} : {})}
					onKey={entered => {
						setKey(keyFor(entered.raw, session!));
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
					access={ports.access}
					session={session!}
					getSession={() => incident.getSession()!}
					now={now}
					keyPresent={key !== undefined}
					{...(saveError ? {saveError} : {})}
					dispatch={dispatch}
					redact={redactor.text}
					onKeyEntered={entered => {
						setKey(keyFor(entered.raw, session!));
						dispatch({type: 'key.entered'});
					}}
					onQuit={quit}
					scan={assess.scan}
					onScan={assess.startScan}
					onCancelScan={assess.cancelScan}
					probe={assess.probe}
					probeRequest={assess.probeRequest}
					onProbe={assess.runProbe}
					logs={logs.logs}
					onAnalyseLogs={logs.startLogs}
					onCancelLogs={logs.cancelLogs}
					logsCommand={logs.logsCommand}
					onLogsCommand={logs.runLogsCommand}
					providerLogsNote={provider?.logs?.note ?? null}
					keyIdAvailable={logs.keyIdAvailable}
					{...(demoLogs ? {demoLogs} : {})}
					work={work}
					provider={provider!}
				/>
			);
		}
	}
}
