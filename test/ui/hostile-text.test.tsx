// Issue 12, break 4, the Ink screens: outside text in an incident (its name and notes, checklist
// text from a playbook, the scan's authors, paths and lines, the probe's answer, log file names
// and fields, inventory services and outcomes) reaches no frame raw. Every frame drawn while
// walking the five steps and their panels is checked, not only the last one.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {summarize, type RepoExposure} from '../../src/core/exposure.js';
import {logSummary} from '../../src/core/logs/summary.js';
import {DEFAULT_FIELDS} from '../../src/core/logs/formats.js';
import type {Session} from '../../src/core/model.js';
import {createRedactor, mask} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {RAW_CONTROL} from '../../src/core/text.js';
import {analyzeLogs} from '../../src/engines/logs/index.js';
import {SessionStore} from '../../src/infra/store.js';
import type {ProbePort, ScanPort} from '../../src/ui/App.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

const HOSTILE = 'Eve\u001B]52;c;aGFja2Vk\u0007\u001B[31m\u202Edcba\u009B2J\u007F\u0085\u2066x\u2069\rZ';
const FORGING = `${HOSTILE}\nforged line`;
const AT = '2026-11-27T12:00:00.000Z';

function hostileExposure(key: string): RepoExposure {
	return {
		repo: `/srv/${HOSTILE}`,
		bare: false,
		shallow: false,
		objects: 10,
		bytes: 1000,
		files: 2,
		durationMs: 10,
		remotes: [{name: HOSTILE, url: `https://git.example.com/${HOSTILE}.git`, forge: null}],
		history: [
			{kind: 'blob', commit: 'abcdef1234567890', author: FORGING, date: '2026-01-10T09:30:00.000Z', path: `src/${FORGING}.js`, line: 3, form: 'raw', text: `k='${mask(key)}' ${HOSTILE}`},
			{kind: 'commit-message', commit: 'abcdef1234567890', author: FORGING, date: '2026-01-10T09:30:00.000Z', line: 2, form: 'raw', text: `old key ${mask(key)} ${HOSTILE}`},
		],
		worktree: [{path: `evil${HOSTILE}.env`, line: 1, offset: 4, form: 'raw', text: `KEY=${mask(key)} ${HOSTILE}`, binary: false, status: 'tracked'}],
		firstExposure: {commit: 'abcdef1234567890', author: FORGING, date: '2026-01-10T09:30:00.000Z', where: `src/${FORGING}.js:3`, pushed: true, remoteRefs: [`origin/${HOSTILE}`]},
		warnings: [FORGING],
		cancelled: false,
	} as RepoExposure;
}

async function hostileSession(key: string): Promise<Session> {
	let session: Session = {...makeSession(key), name: FORGING, repoPath: '/srv/shop'};
	// Checklist text comes from a playbook (a user's folder is outside text too).
	session = {...session, steps: session.steps.map(step => ({...step, items: step.items.map((item, n) => (n === 0 ? {...item, title: `${item.title} ${HOSTILE}`} : item))}))};
	session = transition(session, {type: 'item.noted', step: 'assess', item: session.steps[0]!.items[0]!.id, note: FORGING, at: AT});
	session = transition(session, {type: 'scan.completed', at: AT, summary: summarize([hostileExposure(key)], AT)});
	session = transition(session, {type: 'probe.completed', at: AT, result: {status: 'live', reason: `auth.test answered ${FORGING}`, request: 'GET https://api.example.com', provider: 'cloudsight', at: AT, details: {team: FORGING, user: HOSTILE}}});
	// A real log analysis of a real file whose name and fields are hostile.
	const dir = tempDir();
	const file = path.join(dir, `access${HOSTILE.replace('\r', '')}.jsonl`);
	const lines = [
		JSON.stringify({time: '2026-11-19T10:00:00Z', ip: '198.51.100.1', path: '/v1/ok', status: 200, ua: 'app/1.0'}),
		...Array.from({length: 5}, (_, index) => JSON.stringify({time: `2026-11-22T03:0${index}:00Z`, ip: '203.0.113.9', path: `/v1/${FORGING}`, status: 200, ua: FORGING})),
		`garbage ${HOSTILE}`,
	];
	fs.writeFileSync(file, `${lines.join('\n')}\n`);
	const businessHours = {from: 8, to: 19};
	const result = await analyzeLogs([file], {match: {kind: 'all'}, fields: DEFAULT_FIELDS, analysis: {exposureStart: Date.parse('2026-11-20T00:00:00Z'), allow: [], businessHours, timeZone: 'UTC'}});
	session = transition(session, {type: 'logs.analyzed', at: AT, summary: logSummary(result, {at: AT, source: file, match: 'all', timeZone: 'UTC', businessHours, allow: []})});
	session = transition(session, {
		type: 'inventory.saved',
		at: AT,
		entry: {id: 'e1', service: FORGING, owner: HOSTILE, environment: 'prod', store: {type: 'env-file', path: `/srv/${HOSTILE}/.env`, variable: 'CLOUDSIGHT_API_KEY'}, evidence: [`src/${FORGING}.js:3`], origin: 'discovered'},
	});
	session = transition(session, {type: 'entry.result', at: AT, id: 'e1', action: 'update', result: {status: 'failed', at: AT, detail: FORGING}});
	session = transition(session, {type: 'verify.rescanned', at: AT, remaining: 1, files: [`evil${HOSTILE}.env`]});
	return session;
}

describe('hostile text on the screens', () => {
	it('no frame of the five steps and their panels holds a raw control character; the text is shown visibly', async () => {
		const key = fakeCloudSightKey();
		const scan: ScanPort = async () => hostileExposure(key);
		const probe: ProbePort = async () => ({status: 'live', reason: `auth.test answered ${FORGING}`, request: 'GET https://api.example.com', provider: 'cloudsight', at: AT, details: {team: FORGING}});
		const h = harness(path.join(tempDir(), 'incidents'), scan, probe);
		const session = await hostileSession(key);
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		const seen: string[] = [];
		const visit = async (input: string | null, text?: string) => {
			const frame = input === null ? (app.lastFrame() ?? '') : await press(app, input, {expectChange: false});
			if (text) await waitForText(app, text);
			seen.push(app.lastFrame() ?? frame);
		};
		await waitForText(app, 'Step 1 of 5');
		await visit(null);
		expect(app.lastFrame()).toContain('Eve\\x1b]52;c;aGFja2Vk\\x07');
		await visit('l'); // the places the scan found
		await visit(KEY.escape);
		await visit('e'); // a new scan through the port
		await visit('2', 'Step 2 of 5');
		await visit('f'); // the findings review
		await visit(KEY.escape);
		await visit('3', 'Step 3 of 5');
		await visit('w');
		await visit(KEY.escape);
		await visit('4', 'Step 4 of 5');
		await visit('w');
		await visit(KEY.escape);
		await visit('5', 'Step 5 of 5');
		await visit('w');
		await visit(KEY.escape);
		await visit('?'); // help
		await visit(KEY.escape);
		for (const [index, frame] of app.frames.entries()) {
			const raw = RAW_CONTROL.exec(frame);
			expect(raw, `frame ${index}: raw U+${raw?.[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(frame.slice(Math.max(0, (raw?.index ?? 0) - 60), (raw?.index ?? 0) + 10))}`).toBeNull();
			expect(frame, `frame ${index}`).not.toMatch(/^\s*forged line/m);
		}
		const all = seen.join('\n');
		for (const screen of ['Every place the key was found', 'Findings (', 'Inventory: 1 consumer', 'Rotate · ', 'Verify: prove the old key is dead']) expect(all, screen).toContain(screen);
		expect(all).toContain('\\u202e');
		expect(all).toContain('Note: Eve\\x1b]52;c;aGFja2Vk\\x07');
	});

	it('the incident list shows a hostile incident name visibly', async () => {
		const key = fakeCloudSightKey();
		const h = harness();
		h.store.save(await hostileSession(key));
		const app = h.start({kind: 'pick'});
		const frame = await waitForText(app, 'Eve\\x1b]52;c;aGFja2Vk');
		for (const each of app.frames) expect(each).not.toMatch(RAW_CONTROL);
		expect(frame).toContain('\\u202edcba'); // the rest of the row is cut at the terminal's width
	});
});
