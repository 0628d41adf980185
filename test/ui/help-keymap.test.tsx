// The keys leakfix lists are the keys that act, on every screen: each screen is rendered (the real
// Wizard and work screens, with recording stubs for the work behind them), then every key its `?`
// overlay lists as working now is pressed on a fresh render and must change the screen or reach
// a callback, and every other printable character and named key must do nothing at all.
import {render} from 'ink-testing-library';
import {useState} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {createAnalyzer} from '../../src/core/logs/analyze.js';
import {logSummary} from '../../src/core/logs/summary.js';
import type {InventoryEntry, Session} from '../../src/core/model.js';
import {transition, type UnstampedEvent} from '../../src/core/session.js';
import type {ProviderLogsCommand} from '../../src/engines/logs/provider.js';
import {findProvider} from '../../src/playbooks/load.js';
import type {ScanState} from '../../src/ui/ExposurePanel.js';
import {entriesOf, helpRows, NAMED_KEYS, SCREEN_TITLE, type KeyContext, type Screen} from '../../src/ui/keymap.js';
import type {LogsState} from '../../src/ui/LogsPanel.js';
import type {Work} from '../../src/ui/useWork.js';
import {Wizard} from '../../src/ui/Wizard.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {KEY, press, settle, waitForText} from '../helpers/ink.js';
import {makeSession, playbooks} from '../unit/session-fixture.js';

afterEach(() => {
	cleanup();
});

const provider = findProvider(playbooks, 'cloudsight');
const AT = '2026-11-27T12:00:00.000Z';

/** What a named key sends, as a terminal would. */
const SEQUENCE: Record<string, string> = {
	up: KEY.up, down: KEY.down, left: KEY.left, right: KEY.right, enter: KEY.enter, escape: KEY.escape,
	tab: '\t', 'shift-tab': '\u001B[Z', delete: '\u001B[3~', 'ctrl-c': KEY.ctrlC,
};
const send = (spec: string) => SEQUENCE[spec] ?? (spec === 'any' ? '%' : spec);
const PRINTABLE = Array.from({length: 95}, (_, index) => String.fromCharCode(32 + index));

function findingsSummary() {
	const analyzer = createAnalyzer({exposureStart: Date.parse('2026-11-26T00:00:00Z'), allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC', redact: text => text});
	const event = (t: string, ip: string, status = 200) => ({t: Date.parse(t), ip, status, path: '/', ua: 'ua', country: null, keyId: null});
	for (let hour = 9; hour < 17; hour++) analyzer.add(event(`2026-11-25T${String(hour).padStart(2, '0')}:00:00Z`, '203.0.113.1'), () => 'line');
	analyzer.add(event('2026-11-26T03:00:00Z', '185.220.101.7'), () => 'foreign line');
	analyzer.add(event('2026-11-26T04:00:00Z', '198.51.100.9', 403), () => 'another line');
	const result = {files: [{path: '/var/log/access.log', format: 'combined', gzip: false, lines: 10, keyLines: 10, malformed: 0}], skipped: [], lines: 10, analysis: analyzer.result()};
	const summary = logSummary(result, {at: AT, source: '/var/log/access.log', match: 'key', timeZone: 'UTC', businessHours: {from: 8, to: 19}, allow: []});
	// Two findings at least, so moving between them does something.
	const [first] = summary.findings;
	return summary.findings.length > 1 || !first ? summary : {...summary, findings: [first, {...first, id: `${first.id}-2`, title: `${first.title} (again)`}]};
}

const entry = (id: string, service: string, environment: InventoryEntry['environment'], variable: string): InventoryEntry => ({
	id,
	service,
	environment,
	store: {type: 'env-file', path: `/srv/${service}/.env`, variable},
	restart: ['systemctl', 'restart', service],
	health: {type: 'http', url: `http://127.0.0.1:9/${service}`},
	evidence: [`${service}/.env:1`],
	origin: 'discovered',
});

function baseSession(step: Session['cursor']['step']): Session {
	const session: Session = {
		...makeSession(fakeCloudSightKey()),
		exposure: {scannedAt: AT, repos: [{repo: '/srv/shop', objects: 10, files: 3, durationMs: 5, historyCount: 1, worktreeCount: 1, firstExposure: null, remotes: [], warnings: [], places: ['abc1234 config.js:3 (2026-11-01, Dev)'], worktreeFiles: ['config.js']}]} as unknown as Session['exposure'],
		logs: findingsSummary(),
		inventory: [entry('svc-a', 'api', 'staging', 'API_KEY'), entry('svc-b', 'worker', 'prod', 'WORKER_KEY')],
		followUps: [
			{id: 'f1', title: 'Re-check the logs for the old key', due: '2026-11-28T12:00:00.000Z'},
			{id: 'f2', title: 'Rotate again in 90 days', due: '2027-02-25T12:00:00.000Z'},
		],
	};
	return transition(session, {type: 'cursor.moved', step, item: 1, at: AT} as Parameters<typeof transition>[1]);
}

type Setup = {
	screen: Screen;
	step: Session['cursor']['step'];
	/** Keys that reach the screen from the checklist. */
	open: string[];
	/** Text only that screen shows: the keys reached it. */
	shows: string;
	/** What holds on the screen in this setup (the keys the overlay shows as working now). */
	context: KeyContext;
	keyPresent?: boolean;
	scan?: ScanState;
	logs?: LogsState;
	session?: (session: Session) => Session;
	work?: Record<string, unknown>;
};

const stepContext = {hasPlaces: true, logsIdle: true, hasFindings: true, canFetchLogs: true} as const;
const SETUPS: Record<string, Setup> = {
	'step:assess with the key': {shows: 'Step 1 of 5', screen: 'step:assess', step: 'assess', open: [], keyPresent: true, context: {...stepContext, canProbe: true}},
	'step:assess without the key, a scan running': {shows: 'Step 1 of 5', screen: 'step:assess', step: 'assess', open: [], keyPresent: false, scan: {kind: 'running', repo: '/srv/shop'}, context: {...stepContext, keyMissing: true, running: true}},
	'step:logs': {shows: 'Step 2 of 5', screen: 'step:logs', step: 'logs', open: [], keyPresent: true, context: {...stepContext, canProbe: true}},
	'step:logs, an analysis running': {shows: 'Step 2 of 5', screen: 'step:logs', step: 'logs', open: [], keyPresent: true, logs: {kind: 'running', what: 'Reading'}, context: {hasPlaces: true, hasFindings: true, canProbe: true, running: true}},
	'step:inventory': {shows: 'Step 3 of 5', screen: 'step:inventory', step: 'inventory', open: [], keyPresent: false, context: {...stepContext, keyMissing: true}},
	'step:rotate': {shows: 'Step 4 of 5', screen: 'step:rotate', step: 'rotate', open: [], keyPresent: true, context: {...stepContext, canProbe: true}},
	'step:verify': {shows: 'Step 5 of 5', screen: 'step:verify', step: 'verify', open: [], keyPresent: true, context: {...stepContext, canProbe: true}},
	places: {shows: 'Every place the key was found', screen: 'places', step: 'assess', open: ['l'], keyPresent: true, context: {}},
	findings: {shows: 'Findings (', screen: 'findings', step: 'logs', open: ['f'], keyPresent: true, context: {finding: true, several: true}},
	inventory: {shows: 'Inventory: 2 consumers', screen: 'inventory', step: 'inventory', open: ['w'], context: {idle: true, selected: true, several: true}},
	'inventory-merge': {shows: 'Merge into which entry?', screen: 'inventory-merge', step: 'inventory', open: ['w', 'm'], context: {several: true, otherSelected: false}},
	'inventory-merge, on the other entry': {shows: 'Merge into which entry?', screen: 'inventory-merge', step: 'inventory', open: ['w', 'm', KEY.down], context: {several: true, otherSelected: true}},
	'inventory-delete': {shows: 'Delete api', screen: 'inventory-delete', step: 'inventory', open: ['w', 'd'], context: {}},
	'rotate, on an update': {shows: 'rewrite /srv/api/.env', screen: 'rotate', step: 'rotate', open: ['w', KEY.down, KEY.down], context: {several: true, task: true, update: true, checkable: true}},
	'rotate, busy': {shows: 'Updating api…', screen: 'rotate', step: 'rotate', open: ['w', KEY.down, KEY.down], work: {busy: {what: 'Updating api'}}, context: {several: true}},
	'rotate-confirm': {
		shows: 'Run it?',
		screen: 'rotate-confirm',
		step: 'rotate',
		open: ['w', KEY.down, KEY.down, KEY.enter],
		work: {newKey: 'the-new-key'},
		session: session => ({...session, rotation: {newKey: {fingerprint: 'a'.repeat(64), masked: 'sk_…new1', length: 20, enteredAt: AT}, newKeyProbe: {status: 'live', reason: 'HTTP 200', request: 'GET …', provider: 'cloudsight', at: AT}}}),
		context: {},
	},
	'rotate-harden-file': {
		shows: '1/1 client.js',
		screen: 'rotate-harden-file',
		step: 'rotate',
		open: ['w', ...Array.from({length: 6}, () => KEY.down), KEY.enter, KEY.enter],
		// The harden flow's first question (src/engines/harden/flow.ts), asked through the screen's prompt.
		work: {
			harden: {
				run: async (_store: string, prompts: {confirm(file: unknown): Promise<unknown>; confirmAll(summary: unknown): Promise<boolean>}) => {
					// Another store (1–4) plans the file again and asks about it once more; y or n goes on to the one confirmation.
					for (let store = 'env', ownStore = false; ; ) {
						const answer = await prompts.confirm({index: 0, total: 1, file: 'client.js', language: 'javascript', lines: [1], diff: '--- a/client.js\n+++ b/client.js\n@@ -1 +1 @@\n-const KEY = "…";\n+const KEY = process.env.CLOUDSIGHT_API_KEY;', store, ownStore});
						if (answer === 'cancel') return 'cancelled';
						if (typeof answer !== 'object' || answer === null) return (await prompts.confirmAll({variable: 'CLOUDSIGHT_API_KEY', files: 1, accepted: answer === 'accept' ? 1 : 0, config: [], guard: '.git/hooks/pre-commit', ci: null, scanners: []})) ? 'applied' : 'cancelled';
						store = (answer as {store: string}).store;
						ownStore = true;
					}
				},
			},
		},
		context: {},
	},
	'rotate-dry-run': {shows: 'Dry run:', screen: 'rotate-dry-run', step: 'rotate', open: ['w', 'l'], context: {}},
	verify: {shows: 'Follow-ups', screen: 'verify', step: 'verify', open: ['w'], context: {idle: true, followUps: true, followUp: true}},
	'verify, busy': {shows: 'Probing the old key…', screen: 'verify', step: 'verify', open: ['w'], work: {busy: {what: 'Probing the old key'}}, context: {}},
	'verify-cleanup': {
		shows: 'Purge the old key',
		screen: 'verify-cleanup',
		step: 'verify',
		open: ['w', 'g'],
		session: session => ({...session, verification: {oldKey: {status: 'revoked', reason: 'HTTP 401', request: 'GET …', provider: 'cloudsight', at: AT}}}),
		context: {},
	},
};

/** A recording stand-in for the work behind steps 3–5: every call is noted, nothing runs. */
function stubWork(overrides: Record<string, unknown>, calls: string[]): Work {
	const results: Record<string, unknown> = {preview: [], deactivationCommand: null};
	const base: Record<string, unknown> = {busy: null, message: null, newKey: undefined, demoIssueKey: undefined, ...overrides};
	return new Proxy(base, {
		get(target, property) {
			if (typeof property !== 'string' || property in target) return target[property as string];
			return (..._args: unknown[]) => {
				calls.push(property);
				return Promise.resolve(results[property]);
			};
		},
	}) as unknown as Work;
}

function start(setup: Setup) {
	const calls: string[] = [];
	const work = stubWork(setup.work ?? {}, calls);
	const initial = (setup.session ?? (session => session))(baseSession(setup.step));
	const logsCommand: ProviderLogsCommand = {bin: 'aws', args: ['cloudtrail', 'lookup-events'], format: 'cloudtrail', why: 'CloudTrail', display: 'aws cloudtrail lookup-events'};
	const note = (what: string) => () => {
		calls.push(what);
	};
	function Harness() {
		const [session, setSession] = useState(initial);
		let latest = session;
		return (
			<Wizard
				access={{plan: () => ['access plan'], read: async () => Promise.reject(new Error('not in this test'))}}
				session={session}
				getSession={() => latest}
				now={new Date(AT)}
				keyPresent={setup.keyPresent ?? true}
				dispatch={(event: UnstampedEvent) => {
					calls.push(`dispatch ${event.type}`);
					latest = transition(latest, {...event, at: AT} as Parameters<typeof transition>[1]);
					setSession(latest);
				}}
				redact={text => text}
				onKeyEntered={note('onKeyEntered')}
				onQuit={note('onQuit')}
				scan={setup.scan ?? {kind: 'idle'}}
				onScan={note('onScan')}
				onCancelScan={note('onCancelScan')}
				probe={{kind: 'idle'}}
				probeRequest="GET https://api.cloudsight.example/v1/me (key masked)"
				onProbe={note('onProbe')}
				logs={setup.logs ?? {kind: 'idle'}}
				onAnalyseLogs={note('onAnalyseLogs')}
				onCancelLogs={note('onCancelLogs')}
				logsCommand={logsCommand}
				onLogsCommand={note('onLogsCommand')}
				providerLogsNote={null}
				keyIdAvailable={false}
				work={work}
				provider={provider}
			/>
		);
	}
	const app = render(<Harness />);
	return {app, calls};
}

async function openScreen(setup: Setup) {
	const started = start(setup);
	await waitForText(started.app, 'leakfix');
	for (const key of setup.open) await press(started.app, key);
	expect(started.app.lastFrame()).toContain(setup.shows);
	started.calls.length = 0; // only what the key under test does counts
	return started;
}

/** The frame without borders and whitespace: the overlay's lines wrap. */
const flat = (text: string) => text.replace(/[\s│┌┐└┘─╭╮╰╯]+/g, '');

const active = (setup: Setup) => {
	const rows = helpRows(setup.screen, setup.context);
	return entriesOf(setup.screen).filter((_, index) => rows[index]!.active);
};
const backwards = new Set(['up', 'left', 'shift-tab']);

describe('help and hints come from the keymap', () => {
	it.each(Object.keys(SETUPS))('%s: the overlay lists every key of the screen, and closes back onto it', async name => {
		const setup = SETUPS[name]!;
		if (!entriesOf(setup.screen).some(entry => entry.intent === 'help')) return; // a y/n prompt: ? is any other key there
		const {app} = await openScreen(setup);
		const before = app.lastFrame() ?? '';
		const frame = await press(app, '?');
		expect(frame).toContain(`Keys · ${SCREEN_TITLE[setup.screen]}`);
		for (const row of helpRows(setup.screen, setup.context)) expect(flat(frame), `${name}: ${row.keys} ${row.what}`).toContain(flat(`${row.keys}${row.what}`));
		if (entriesOf(setup.screen).some(entry => entry.intent === 'quit' && entry.keys.includes('q'))) expect(flat(frame)).toContain(flat('q Ctrl-C quit'));
		await press(app, 'z');
		expect(app.lastFrame()).toBe(before);
	});

	it.each(Object.keys(SETUPS))('%s: every key it lists as working now does something', async name => {
		const setup = SETUPS[name]!;
		for (const entry of active(setup)) {
			for (const spec of entry.keys) {
				const {app, calls} = await openScreen(setup);
				// A key that moves needs somewhere to go: the other way first, when it is at the edge.
				if (entry.intent === 'move') await press(app, backwards.has(spec) ? KEY.down : KEY.up, {expectChange: false});
				calls.length = 0;
				const before = app.lastFrame();
				await press(app, send(spec), {expectChange: false});
				await settle();
				expect(app.lastFrame() !== before || calls.length > 0, `${name}: ${spec} (${entry.intent}) did nothing`).toBe(true);
				cleanup();
			}
		}
	});

	it.each(Object.keys(SETUPS))('%s: no key it does not list does anything', async name => {
		const setup = SETUPS[name]!;
		const listed = new Set(active(setup).flatMap(entry => entry.keys));
		if (listed.has('any')) return; // every key does something there, and the overlay says so
		const {app, calls} = await openScreen(setup);
		const before = app.lastFrame();
		for (const spec of [...PRINTABLE, ...NAMED_KEYS]) {
			if (listed.has(spec)) continue;
			await press(app, send(spec), {expectChange: false});
			expect(app.lastFrame(), `${name}: ${JSON.stringify(spec)} changed the screen`).toBe(before);
			expect(calls, `${name}: ${JSON.stringify(spec)} reached ${calls.join(', ')}`).toEqual([]);
		}
	});
});
