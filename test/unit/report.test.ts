import {describe, expect, it} from 'vitest';
import {buildJsonReport, renderReport} from '../../src/core/report.js';
import {createRedactor, fingerprint, mask} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from './session-fixture.js';

const at = '2026-11-27T12:05:00.000Z';

function story(key: string) {
	let session = makeSession(key);
	session = transition(session, {type: 'item.done', step: 'assess', item: 'confirm-key', at});
	session = transition(session, {type: 'item.skipped', step: 'assess', item: 'check-live', reason: 'no probe | yet', at});
	// A responder pastes the key into a note by mistake: the report must not carry it.
	session = transition(session, {type: 'item.noted', step: 'assess', item: 'find-copies', note: `found ${key} in .env`, at});
	return session;
}

describe('report', () => {
	it('renders Markdown with a GitHub task list per step, skip reasons, notes and a timeline', () => {
		const key = fakeCloudSightKey();
		const redactor = createRedactor();
		redactor.addFingerprint({fingerprint: fingerprint(key), masked: mask(key), length: key.length});
		const md = renderReport(story(key), 'md', '2026-11-27T13:00:00.000Z', redactor);
		expect(md).toContain('# Incident report: Key in public repo');
		expect(md).toContain('### 1. Assess risk — in progress');
		expect(md).toContain('- [x] Confirm which key leaked');
		expect(md).toContain('- [ ] Check whether the key is still live — **skipped:** no probe \\| yet');
		expect(md).toContain(`  - Note: found ${mask(key)} in .env`);
		expect(md).toContain('### 2. Check logs — not started');
		expect(md).toContain('| 2026-11-27 12:05 | 1. Assess risk | Done: Confirm which key leaked');
		expect(md).toContain('(cloudsight)');
		expect(md).not.toContain(key);
	});

	it('keeps an underscore in a masked key as it is, and escapes what would break the table', () => {
		const key = 'AbCdEfGhIjKlMnOpQr_x_z';
		const md = renderReport({...story(key), name: 'a | b'}, 'md', at, createRedactor([key]));
		expect(md).toContain('`…_x_z`');
		expect(md).toContain('Note: found …_x_z in .env');
		expect(md).toContain('# Incident report: a \\| b');
	});

	it('renders versioned JSON that matches the documented shape', () => {
		const key = fakeCloudSightKey();
		const json = JSON.parse(renderReport(story(key), 'json', '2026-11-27T13:00:00.000Z', createRedactor([key])));
		expect(json).toMatchObject({schema: 'leakfix/report', reportVersion: 2, incident: {id: '20261127-abcd', status: 'open', key: {masked: mask(key)}}});
		expect(json.steps).toHaveLength(5);
		expect(json.steps[0].items[1]).toMatchObject({id: 'check-live', status: 'skipped', reason: 'no probe | yet', required: true, source: 'generic'});
		expect(Object.keys(json.timeline[0]).sort()).toEqual(['at', 'item', 'kind', 'step', 'text']);
		expect(JSON.stringify(json)).not.toContain(key);
		expect(buildJsonReport(story(key), at).incident.closedAt).toBeNull();
	});

	it('prints the exposure scan: first exposure, remotes, every place (masked) and what is still on disk', () => {
		const key = fakeCloudSightKey();
		const session = transition(story(key), {
			type: 'scan.completed',
			at,
			summary: {
				scannedAt: at,
				repos: [
					{
						repo: '/srv/shop',
						objects: 120,
						files: 12,
						durationMs: 900,
						historyCount: 1,
						worktreeCount: 1,
						firstExposure: {commit: 'abcdef1234567890', author: 'Bo Leaker', date: '2026-01-10T09:30:00.000Z', where: 'src/config.js:3', pushed: true, remoteRefs: ['origin/main']},
						remotes: [{name: 'origin', url: 'https://github.com/acme/shop.git', forge: 'github.com'}],
						warnings: [],
						places: [`abcdef1234 2026-01-10 Bo Leaker: src/config.js:3  apiKey: '${mask(key)}'`],
						worktreeFiles: ['.env (ignored)'],
					},
				],
			},
		});
		const md = renderReport(session, 'md', at, createRedactor([key]));
		expect(md).toContain('## Exposure (scanned 2026-11-27 12:05 UTC)');
		expect(md).toContain('- **First exposure:** `abcdef1234` on 2026-01-10 09:30 UTC by Bo Leaker (src/config.js:3); pushed (origin/main)');
		expect(md).toContain('- **Remote origin:** https://github.com/acme/shop.git (public forge: github.com)');
		expect(md).toContain(`abcdef1234 2026-01-10 Bo Leaker: src/config.js:3  apiKey: '${mask(key)}'`);
		expect(md).toContain('Still in the working tree: .env (ignored)');
		expect(md).toMatch(/\| 1\. Assess risk \| Exposure scan of \/srv\/shop: 1 place\(s\) in history, 1 in the working tree; first exposure abcdef1234 on 2026-01-10 by Bo Leaker \(pushed\) \|/);
		const json = JSON.parse(renderReport(session, 'json', at, createRedactor([key])));
		expect(json.exposure.repos[0].firstExposure.author).toBe('Bo Leaker');
		expect(renderReport(session, 'html', at, createRedactor([key]))).toContain('<h2>Exposure (scanned 2026-11-27 12:05 UTC)</h2>');
		expect(md + JSON.stringify(json)).not.toContain(key);
	});

	it('renders HTML with everything escaped', () => {
		const key = fakeCloudSightKey();
		let session = story(key);
		session = {...session, name: '<script>alert(1)</script>'};
		const html = renderReport(session, 'html', at, createRedactor([key]));
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).not.toContain('<script>');
		expect(html).toContain('<input type="checkbox" disabled checked> Confirm which key leaked');
		expect(html).not.toContain(key);
	});
});
