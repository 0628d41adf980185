// Starts the interactive wizard. Loaded lazily by cli.ts, after it has checked the terminal.
import fs from 'node:fs';
import tty from 'node:tty';
import {currentActor} from '../infra/actor.js';
import {render} from 'ink';
import {createRedactor} from '../core/secrets.js';
import {probeBaseUrl} from '../engines/probe-request.js';
import {transition} from '../core/session.js';
import {systemClock} from '../infra/clock.js';
import {UserError} from '../infra/errors.js';
import {leakfixHome, sessionsDir} from '../infra/paths.js';
import {SessionStore} from '../infra/store.js';
import {loadPlaybooks} from '../playbooks/load.js';
import type {DemoTarget} from '../infra/demo.js';
import {App, type AppStart, type DemoServices, type Outcome} from './App.js';
import {openIncident} from './open.js';
import {enginePorts} from './enginePorts.js';
import {visible} from '../core/text.js';

export type InteractiveOptions = {
	command: 'start' | 'resume' | 'demo';
	id?: string;
	pipedKey?: string;
	/** `leakfix --from FILE` / `--from-github …`: read already; the pick screen comes first. */
	intake?: import('../commands/intake.js').IntakeRead;
};

/** Ink reads keys from stdin; when the key was piped in, the terminal itself serves instead. */
function openInput(): NodeJS.ReadStream {
	if (process.stdin.isTTY) return process.stdin;
	let fd: number;
	try {
		fd = fs.openSync('/dev/tty', 'r');
	} catch {
		throw new UserError('No terminal to read keys from (stdin is piped and /dev/tty cannot be opened).', 'Run leakfix in a terminal, or use the scriptable commands (leakfix --help).');
	}
	return new tty.ReadStream(fd) as unknown as NodeJS.ReadStream;
}

export async function runInteractive(options: InteractiveOptions): Promise<number> {
	const clock = systemClock;
	const redactor = createRedactor(options.pipedKey === undefined ? [] : [options.pipedKey]);
	const store = new SessionStore(sessionsDir(leakfixHome()), redactor, () => clock.now());
	const playbooks = await loadPlaybooks();
	// Before anyone answers a question: can incidents be saved here at all? Is the probe setting sane?
	store.checkWritable();
	const probeBase = probeBaseUrl();
	// A demo incident, however it is opened, runs with its fake services (src/infra/demo.ts): the
	// loopback CloudSight, the stand-in gh and kubectl, and the guard that runs nothing else.
	const closers: Array<() => void> = [];
	const openDemo = async (target: DemoTarget): Promise<DemoServices> => {
		const {demoEnvironment} = await import('../infra/demo.js');
		const environment = await demoEnvironment(target);
		closers.push(environment.close);
		return {baseUrl: environment.baseUrl, dashboard: environment.dashboard, ...(environment.keyWhere === undefined ? {} : {keyWhere: environment.keyWhere})};
	};
	let demo: DemoServices | undefined;

	let start: AppStart;
	if (options.command === 'demo') {
		// Only the demo runs git; execa stays out of the wizard's start-up.
		const {createDemoRepo} = await import('../infra/demo.js');
		const made = await createDemoRepo(clock.now());
		demo = await openDemo({repoPath: made.repoPath, planted: made.key});
		const short = made.leakCommit.slice(0, 7);
		start = {
			kind: 'new',
			demo: {repoPath: made.repoPath},
			defaults: {
				name: 'DEMO: CloudSight key pushed to a public repo',
				key: made.key,
				providerId: 'cloudsight',
				where: 'public-repo',
				url: `https://github.com/example/image-tagger/commit/${short}`,
				noticed: '2h ago',
			},
		};
	} else if (options.command === 'resume' && options.id !== undefined) {
		const {session, lock} = openIncident(store, store.resolveId(options.id), options.pipedKey);
		if (session.demo) {
			// A demo incident comes back with its fake services, never the real ones; its folder gone: said, and nothing opened.
			try {
				demo = await openDemo({repoPath: session.repoPath, session});
			} catch (error) {
				lock.release();
				throw error;
			}
		}
		let opened = session;
		if (options.pipedKey !== undefined) {
			opened = transition(session, {type: 'incident.resumed', at: clock.now().toISOString(), keyEntered: true});
			store.save(opened);
		}
		start = {kind: 'open', session: opened, lock, ...(options.pipedKey === undefined ? {} : {key: options.pipedKey})};
	} else if (options.intake) {
		const [{pickFromReport}, {openIncidents}] = await Promise.all([import('./fromReport.js'), import('../engines/intake/open.js')]);
		const opened = await pickFromReport(options.intake, {store, playbooks, redactor, clock, cwd: process.cwd(), stdin: openInput(), openIncidents});
		if (!opened) return 0;
		start = opened;
	} else {
		start = options.command === 'resume' ? {kind: 'pick'} : {kind: 'auto'};
	}

	const stdin = openInput();
	let outcome: Outcome = {};
	// A killed terminal: leave through process exit so the lock is released.
	const onSignal = (code: number) => () => process.exit(code);
	process.once('SIGHUP', onSignal(129));
	process.once('SIGTERM', onSignal(143));
	const instance = render(
		<App
			deps={{store, playbooks, redactor, clock, cwd: process.cwd(), ports: enginePorts(), actor: currentActor(process.cwd()), ...(probeBase === undefined ? {} : {probeBaseUrl: probeBase}), openDemo: session => openDemo({repoPath: session.repoPath, session}), ...(demo ? {demo} : {})}}
			start={start}
			{...(options.pipedKey === undefined ? {} : {pipedKey: options.pipedKey})}
			onDone={result => {
				outcome = result;
			}}
		/>,
		{stdin, exitOnCtrlC: false, patchConsole: false},
	);
	await instance.waitUntilExit();
	for (const close of closers) close();
	if (stdin !== process.stdin) stdin.destroy();
	if (outcome.error !== undefined) throw outcome.error;
	if (outcome.sessionId && outcome.unsaved !== undefined) {
		process.stderr.write(`leakfix: the last change to incident ${outcome.sessionId} was not saved (${visible(outcome.unsaved)}). leakfix resume ${outcome.sessionId} opens what is on disk.\n`);
		return 2;
	}
	if (outcome.sessionId) {
		process.stdout.write(
			outcome.complete
				? `Incident ${outcome.sessionId} is complete. Export the report: leakfix report ${outcome.sessionId} --format md --out incident.md\n`
				: `Saved. Pick up where you left off: leakfix resume ${outcome.sessionId}\n`,
		);
	}
	return 0;
}
