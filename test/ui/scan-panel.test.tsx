import {describe, expect, it} from 'vitest';
import type {RepoExposure} from '../../src/core/exposure.js';
import {createRedactor, mask} from '../../src/core/secrets.js';
import type {ScanProgress} from '../../src/engines/scan/history.js';
import {SessionStore} from '../../src/infra/store.js';
import type {ScanPort} from '../../src/ui/App.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';
import path from 'node:path';

/** A scan the test drives: it reports progress and finishes when told. */
function controlledScan() {
	const calls: Array<{repo: string; key: string; signal: AbortSignal; progress(p: ScanProgress): void; finish(result: RepoExposure): void}> = [];
	const scan: ScanPort = (repo, key, options) =>
		new Promise(resolve => {
			calls.push({repo, key, signal: options.signal, progress: options.onProgress, finish: resolve});
			options.signal.addEventListener('abort', () => resolve({...result(key), cancelled: true}));
		});
	return {scan, calls};
}

function result(key: string): RepoExposure {
	return {
		repo: '/srv/shop',
		bare: false,
		shallow: false,
		objects: 120,
		bytes: 5_000_000,
		files: 12,
		durationMs: 900,
		remotes: [{name: 'origin', url: 'https://github.com/acme/shop.git', forge: 'github.com'}],
		history: [{kind: 'blob', commit: 'abcdef1234567890', author: 'Bo Leaker', date: '2026-01-10T09:30:00.000Z', path: 'src/config.js', line: 3, form: 'raw', text: `apiKey: '${mask(key)}'`}],
		worktree: [{path: '.env', line: 1, offset: 19, form: 'raw', text: `KEY=${mask(key)}`, binary: false, status: 'ignored'}],
		firstExposure: {commit: 'abcdef1234567890', author: 'Bo Leaker', date: '2026-01-10T09:30:00.000Z', where: 'src/config.js:3', pushed: true, remoteRefs: ['origin/main']},
		warnings: [],
		cancelled: false,
	};
}

function opened(scan: ScanPort) {
	const key = fakeCloudSightKey();
	const h = harness(path.join(tempDir(), 'incidents'), scan);
	const session = {...makeSession(key), repoPath: '/srv/shop'};
	new SessionStore(h.dir, createRedactor([key])).save(session);
	const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
	return {h, app, key, session};
}

describe('the exposure panel on the assess step', () => {
	it('runs the scan on e with a progress bar, saves what it found, and shows the first exposure', async () => {
		const {scan, calls} = controlledScan();
		const {h, app, key, session} = opened(scan);
		let frame = await waitForText(app, 'e: scan /srv/shop for every copy of the key');
		await press(app, 'e');
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({repo: '/srv/shop', key});
		calls[0]!.progress({phase: 'history', objects: 60, totalObjects: 120, bytes: 2 * 1024 * 1024, elapsedMs: 1000});
		frame = await waitForText(app, '50% · 60/120 objects · 2 MB · 2 MB/s · ETA 1s · Esc cancels');
		expect(frame).toContain('██████████░░░░░░░░░░');
		calls[0]!.finish(result(key));
		frame = await waitForText(app, 'Exposure: 1 place(s) in history, 1 in the working tree (.env (ignored))');
		expect(frame).toContain('First exposure abcdef1234 on 2026-01-10 09:30 by Bo Leaker (src/config.js:3) · pushed (origin/');
		const saved = h.store.load(session.id);
		expect(saved.exposure?.repos[0]).toMatchObject({historyCount: 1, worktreeCount: 1, worktreeFiles: ['.env (ignored)']});
		expect(saved.timeline.at(-1)).toMatchObject({kind: 'scan.completed', step: 'assess'});
		expect(JSON.stringify(saved)).not.toContain(key);
		frame = await press(app, 'l');
		expect(frame).toContain('Every place the key was found (masked)');
		expect(frame).toContain(`abcdef1234 2026-01-10 Bo Leaker: src/config.js:3  apiKey: '${mask(key)}'`);
		expect(frame).toContain('now in the working tree: .env (ignored)');
		frame = await press(app, 'z');
		expect(frame).not.toContain('Every place the key was found');
	});

	it('cancels a running scan with Esc and records nothing', async () => {
		const {scan, calls} = controlledScan();
		const {h, app, session} = opened(scan);
		await waitForText(app, 'e: scan /srv/shop');
		await press(app, 'e');
		await waitForText(app, 'Esc cancels');
		await press(app, KEY.escape);
		const frame = await waitForText(app, 'scan cancelled · e: scan /srv/shop');
		expect(calls[0]!.signal.aborted).toBe(true);
		expect(frame).not.toContain('Exposure:');
		expect(h.store.load(session.id).exposure).toBeUndefined();
	});
});
