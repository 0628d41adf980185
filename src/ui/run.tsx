// Starts the interactive wizard. Loaded lazily by cli.ts, after it has checked the terminal.
import fs from 'node:fs';
import tty from 'node:tty';
import path from 'node:path';
import {render} from 'ink';
import {createRedactor} from '../core/secrets.js';
import {probeBaseUrl} from '../engines/probe-request.js';
import {transition} from '../core/session.js';
import {systemClock} from '../infra/clock.js';
import {UserError} from '../infra/errors.js';
import {leakfixHome, sessionsDir} from '../infra/paths.js';
import {SessionStore} from '../infra/store.js';
import {loadPlaybooks} from '../playbooks/load.js';
import {App, type AppStart, type Outcome} from './App.js';
import {openIncident} from './open.js';

export type InteractiveOptions = {
	command: 'start' | 'resume' | 'demo';
	id?: string;
	pipedKey?: string;
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
	let probeBase = probeBaseUrl();
	let closeDemoProvider: (() => void) | undefined;
	let demoDashboard: import('../infra/demo-provider.js').DemoDashboard | undefined;

	let start: AppStart;
	if (options.command === 'demo') {
		// Only the demo runs git; execa stays out of the wizard's start-up.
		const {createDemoRepo} = await import('../infra/demo.js');
		const demo = await createDemoRepo(clock.now());
		// The demo's key is fake: its probe goes to a loopback CloudSight, never to the real one.
		const {startDemoProvider} = await import('../infra/demo-provider.js');
		const provider = await startDemoProvider(demo.key);
		probeBase = provider.baseUrl;
		closeDemoProvider = provider.close;
		demoDashboard = provider.dashboard;
		// The demo's stand-in gh and kubectl come first, for this process only.
		process.env.PATH = `${demo.bin}${path.delimiter}${process.env.PATH ?? ''}`;
		const short = demo.leakCommit.slice(0, 7);
		start = {
			kind: 'new',
			demo: {repoPath: demo.repoPath},
			defaults: {
				name: 'DEMO: CloudSight key pushed to a public repo',
				key: demo.key,
				providerId: 'cloudsight',
				where: 'public-repo',
				url: `https://github.com/example/image-tagger/commit/${short}`,
				noticed: '2h ago',
			},
		};
	} else if (options.command === 'resume' && options.id !== undefined) {
		const {session, lock} = openIncident(store, store.resolveId(options.id), options.pipedKey);
		if (session.demo && session.repoPath) {
			// A demo incident comes back with its fake services, never the real ones.
			const {startDemoProvider} = await import('../infra/demo-provider.js');
			const {fingerprint} = await import('../core/secrets.js');
			const provider = await startDemoProvider(null, candidate => {
				const print = fingerprint(candidate);
				if (print === session.key.fingerprint) return session.rotation?.deactivatedAt === undefined;
				return print === session.rotation?.newKey?.fingerprint;
			});
			probeBase = provider.baseUrl;
			closeDemoProvider = provider.close;
			demoDashboard = provider.dashboard;
			const bin = path.join(path.dirname(session.repoPath), 'bin');
			if (fs.existsSync(bin)) process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
		}
		let opened = session;
		if (options.pipedKey !== undefined) {
			opened = transition(session, {type: 'incident.resumed', at: clock.now().toISOString(), keyEntered: true});
			store.save(opened);
		}
		start = {kind: 'open', session: opened, lock, ...(options.pipedKey === undefined ? {} : {key: options.pipedKey})};
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
			deps={{store, playbooks, redactor, clock, cwd: process.cwd(), ...(probeBase === undefined ? {} : {probeBaseUrl: probeBase}), ...(demoDashboard ? {demoDashboard} : {})}}
			start={start}
			{...(options.pipedKey === undefined ? {} : {pipedKey: options.pipedKey})}
			onDone={result => {
				outcome = result;
			}}
		/>,
		{stdin, exitOnCtrlC: false, patchConsole: false},
	);
	await instance.waitUntilExit();
	closeDemoProvider?.();
	if (stdin !== process.stdin) stdin.destroy();
	if (outcome.error !== undefined) throw outcome.error;
	if (outcome.sessionId) {
		process.stdout.write(
			outcome.complete
				? `Incident ${outcome.sessionId} is complete. Export the report: leakfix report ${outcome.sessionId} --format md --out incident.md\n`
				: `Saved. Pick up where you left off: leakfix resume ${outcome.sessionId}\n`,
		);
	}
	return 0;
}
