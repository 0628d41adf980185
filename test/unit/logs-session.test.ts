// The log step in the session and the report: verdicts survive a re-run, suspicious raises the severity.
import {describe, expect, it} from 'vitest';
import {createAnalyzer} from '../../src/core/logs/analyze.js';
import {logSummary} from '../../src/core/logs/summary.js';
import {sessionSchema} from '../../src/core/model.js';
import {renderReport} from '../../src/core/report.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from './session-fixture.js';

function summary(at: string) {
	const analyzer = createAnalyzer({exposureStart: Date.parse('2026-11-26T00:00:00Z'), allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC', redact: text => text});
	const event = (t: string, ip: string) => ({t: Date.parse(t), ip, status: 200, path: '/', ua: 'ua', country: null, keyId: null});
	for (let hour = 9; hour < 17; hour++) analyzer.add(event(`2026-11-25T${String(hour).padStart(2, '0')}:00:00Z`, '203.0.113.1'), () => 'line');
	analyzer.add(event('2026-11-26T03:00:00Z', '185.220.101.7'), () => 'foreign line');
	const result = {files: [{path: '/var/log/access.log', format: 'combined', gzip: false, lines: 9, keyLines: 9, malformed: 0}], skipped: [], lines: 9, analysis: analyzer.result()};
	return logSummary(result, {at, source: '/var/log/access.log', match: 'key', timeZone: 'UTC', businessHours: {from: 8, to: 19}, allow: []});
}

describe('the log step in the session', () => {
	it('keeps the analysis, marks findings, raises the severity for suspicious ones, and keeps verdicts on a re-run', () => {
		const key = fakeCloudSightKey();
		let session = makeSession(key);
		session = transition(session, {type: 'logs.analyzed', at: '2026-11-27T12:05:00.000Z', summary: summary('2026-11-27T12:05:00.000Z')});
		expect(session.logs?.findings.map(finding => [finding.id, finding.verdict])).toEqual([
			['ip:185.220.101.7', 'open'],
			['odd-hours:2026-11-26T03', 'open'],
		]);
		expect(session.timeline.at(-1)?.text).toMatch(/^Logs analysed \(\/var\/log\/access.log\): 9 request\(s\) with the key in 9 line\(s\), 8 before the exposure and 1 after; 2 finding\(s\)/);
		const before = session.severity!;
		session = transition(session, {type: 'finding.marked', at: '2026-11-27T12:06:00.000Z', id: 'ip:185.220.101.7', verdict: 'suspicious', note: 'not ours'});
		session = transition(session, {type: 'finding.marked', at: '2026-11-27T12:07:00.000Z', id: 'odd-hours:2026-11-26T03', verdict: 'expected'});
		expect(session.severity?.level).toBe('critical');
		expect(session.severity?.reasons.at(-1)).toBe('1 suspicious finding(s) in the logs: misuse is likely');
		expect(before.reasons.join()).not.toContain('suspicious');
		expect(session.timeline.map(entry => entry.text)).toContain('Log finding judged suspicious: Unfamiliar address 185.220.101.7: 1 request after the exposure, none before — not ours');
		// The same logs analysed again: the verdicts stay.
		session = transition(session, {type: 'logs.analyzed', at: '2026-11-27T12:10:00.000Z', summary: summary('2026-11-27T12:10:00.000Z')});
		expect(session.logs?.findings.map(finding => [finding.verdict, finding.note ?? null])).toEqual([
			['suspicious', 'not ours'],
			['expected', null],
		]);
		expect(sessionSchema.parse(session)).toEqual(session);
		// Other logs, other findings: the earlier verdicts are kept, marked as from the earlier analysis.
		const other = {...summary('2026-11-27T12:20:00.000Z'), source: '/var/log/other.log', findings: []};
		const after = transition(session, {type: 'logs.analyzed', at: '2026-11-27T12:20:00.000Z', summary: other});
		expect(after.logs?.findings.map(finding => [finding.id, finding.verdict, finding.detail])).toEqual([
			['ip:185.220.101.7', 'suspicious', '1 of them at odd hours; from an earlier analysis (/var/log/access.log)'],
			['odd-hours:2026-11-26T03', 'expected', 'from 185.220.101.7 (1); from an earlier analysis (/var/log/access.log)'],
		]);
		expect(after.severity?.level).toBe('critical');
		// An unknown finding id changes nothing.
		expect(transition(session, {type: 'finding.marked', at: '2026-11-27T12:11:00.000Z', id: 'nope', verdict: 'expected'})).toBe(session);

		const md = renderReport(session, 'md', '2026-11-27T13:00:00.000Z', createRedactor([key]));
		expect(md).toContain('## Logs (analysed 2026-11-27 12:10 UTC)');
		expect(md).toContain('| **suspicious** | Unfamiliar address 185.220.101.7: 1 request after the exposure, none before (1 of them at odd hours) | 2026-11-26 03:00 UTC | 2026-11-26 03:00 UTC | not ours |');
		const json = JSON.parse(renderReport(session, 'json', '2026-11-27T13:00:00.000Z', createRedactor([key]))) as {logs: {findings: Array<{verdict: string}>}};
		expect(json.logs.findings[0]?.verdict).toBe('suspicious');
		expect(renderReport(session, 'html', '2026-11-27T13:00:00.000Z', createRedactor([key]))).toContain('<td><b>suspicious</b></td>');
	});
});

describe('prevent recurrence in the session and the report', () => {
	it('records what was de-hard-coded and the guard, ticks the checklist item when nothing is left by hand, and reports it', () => {
		const key = fakeCloudSightKey();
		let session = makeSession(key);
		session = transition(session, {
			type: 'hardened',
			at: '2026-11-27T13:00:00.000Z',
			hardening: {variable: 'CLOUDSIGHT_API_KEY', store: 'vault', files: [{file: 'api/client.js', lines: [2], status: 'rewritten'}], config: ['.env.example: add CLOUDSIGHT_API_KEY= (the name, never a value)'], guard: {where: '.husky/pre-commit (husky)', how: 'node .leakfix/guard.mjs'}},
		});
		expect(session.steps.find(step => step.id === 'rotate')!.progress['keep-out-of-code']).toMatchObject({status: 'done'});
		const md = renderReport(session, 'md', '2026-11-27T14:00:00.000Z', createRedactor([key]));
		expect(md).toContain('## Prevent recurrence');
		expect(md).toContain('- De-hard-coded api/client.js (line 2)');
		expect(md).toContain('- **Guard:** .husky/pre-commit (husky)');
		expect(sessionSchema.parse(session)).toEqual(session);
	});
});
