// The report starts with a headline and a summary a post-mortem reader can quote, and never
// contradicts itself: severity now and at its peak, notes said as notes, repeats folded.
import {describe, expect, it} from 'vitest';
import {createAnalyzer} from '../../src/core/logs/analyze.js';
import {logSummary} from '../../src/core/logs/summary.js';
import {renderReport} from '../../src/core/report.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from './session-fixture.js';

const T = (h: number, m: number) => new Date(Date.UTC(2026, 10, 27, h, m)).toISOString();

function logs(at: string) {
	const analyzer = createAnalyzer({exposureStart: Date.parse('2026-11-26T00:00:00Z'), allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC', redact: text => text});
	const event = (t: string, ip: string) => ({t: Date.parse(t), ip, status: 200, path: '/', ua: 'ua', country: null, keyId: null});
	for (let hour = 9; hour < 17; hour++) analyzer.add(event(`2026-11-25T${String(hour).padStart(2, '0')}:00:00Z`, '203.0.113.1'), () => 'line');
	analyzer.add(event('2026-11-26T03:00:00Z', '185.220.101.7'), () => 'foreign line');
	return logSummary({files: [{path: 'access.log', format: 'combined', gzip: false, lines: 9, keyLines: 9, malformed: 0}], skipped: [], lines: 9, analysis: analyzer.result()}, {at, source: 'access.log', match: 'key', timeZone: 'UTC', businessHours: {from: 8, to: 19}, allow: []});
}

function finished(key: string) {
	let session = makeSession(key, T(10, 0)); // noticed 10:00
	const probe = (status: 'live' | 'revoked', at: string) => ({status, reason: status === 'live' ? 'HTTP 404: accepted' : 'HTTP 401: rejected', request: 'GET …', provider: 'cloudsight', at});
	session = transition(session, {type: 'probe.completed', result: probe('live', T(12, 1)), at: T(12, 1)});
	session = transition(session, {type: 'logs.analyzed', summary: logs(T(12, 10)), at: T(12, 10)});
	const [first, second] = session.logs!.findings;
	session = transition(session, {type: 'finding.marked', id: first!.id, verdict: 'suspicious', at: T(12, 11)});
	session = transition(session, {type: 'finding.marked', id: second!.id, verdict: 'open', note: 'ask the night team', at: T(12, 12)});
	session = transition(session, {type: 'incident.resumed', keyEntered: true, at: T(12, 13)});
	session = transition(session, {type: 'incident.resumed', keyEntered: true, at: T(12, 13)});
	session = transition(session, {type: 'oldkey.deactivated', how: 'CloudSight dashboard: key deactivated', at: T(12, 5 + 60)});
	session = transition(session, {type: 'verify.probed', which: 'old', result: probe('revoked', T(13, 14)), at: T(13, 14)});
	return session;
}

describe('the report headline and summary', () => {
	it('opens with the state now and the way there, quotable', () => {
		const key = fakeCloudSightKey();
		const md = renderReport(finished(key), 'md', T(14, 0), createRedactor([key]));
		const lines = md.split('\n');
		expect(lines[0]).toBe('# Incident report: Key in public repo');
		expect(lines[2]).toBe('**Contained 3h 5m after detection; old key probed revoked 2026-11-27 13:14 UTC; severity was critical: live key, public repo, 1 suspicious log finding.**');
		expect(md.indexOf('## Summary')).toBeLessThan(md.indexOf('## 1. Assess risk'));
		expect(md).toContain('- Used by someone else, likely: 1 suspicious log finding(s): ');
		expect(md).toContain('- Contained 2026-11-27 13:05 UTC: old key probed revoked 2026-11-27 13:14 UTC');
		expect(md).not.toContain(key);
	});

	it('never reads "critical — the key answers as revoked": the reason that set the level comes first', () => {
		const key = fakeCloudSightKey();
		const md = renderReport(finished(key), 'md', T(14, 0), createRedactor([key]));
		const severity = md.split('\n').find(line => line.startsWith('- **Severity now:**'))!;
		expect(severity).toMatch(/^- \*\*Severity now:\*\* CRITICAL — 1 suspicious finding\(s\) in the logs: misuse is likely; the key answers as revoked/);
	});

	it('says a note on a finding is a note, and folds identical events in the same minute', () => {
		const key = fakeCloudSightKey();
		const md = renderReport(finished(key), 'md', T(14, 0), createRedactor([key]));
		expect(md).not.toContain('marked open');
		expect(md).toMatch(/Note on log finding .*: ask the night team/);
		expect(md).toContain('Resumed; key re-entered and fingerprint matched (×2)');
		expect(md.match(/Resumed; key re-entered/g)).toHaveLength(1);
		const html = renderReport(finished(key), 'html', T(14, 0), createRedactor([key]));
		expect(html).toContain('<p class="headline"><b>Contained 3h 5m after detection;');
		expect(html).toContain('(×2)');
	});

	it('an open incident says it is not contained', () => {
		const key = fakeCloudSightKey();
		const md = renderReport(makeSession(key, T(10, 0)), 'md', T(11, 30), createRedactor([key]));
		expect(md.split('\n')[2]).toMatch(/^\*\*Not contained: the old key was never probed; noticed 1h 30m ago; severity is /);
		expect(JSON.parse(renderReport(makeSession(key, T(10, 0)), 'json', T(11, 30), createRedactor([key]))).summary.headline).toMatch(/^Not contained/);
	});
});

describe('one model for every format', () => {
	it('md and html state every fact of the one document, and json holds the same summary', async () => {
		const {buildJsonReport, reportDocument} = await import('../../src/core/report.js');
		const key = fakeCloudSightKey();
		const session = finished(key);
		const redactor = createRedactor([key]);
		const doc = reportDocument(redactor.value(buildJsonReport(session, T(14, 0))));
		const texts: string[] = [];
		const collect = (parts: Array<string | {code: string} | {strong: string}>) => texts.push(parts.map(part => (typeof part === 'string' ? part : 'code' in part ? part.code : part.strong)).join(''));
		for (const block of [...doc.top, ...doc.sections.flatMap(section => section.blocks)]) {
			if (block.kind === 'headline') texts.push(block.text);
			else if (block.kind === 'p' || block.kind === 'note') collect(block.text);
			else if (block.kind === 'facts') for (const item of block.items) collect(item.text);
			else if (block.kind === 'table') for (const row of block.rows) for (const cell of row) collect(cell);
		}
		expect(texts.length).toBeGreaterThan(30);
		const md = renderReport(session, 'md', T(14, 0), redactor)
			.replace(/\\([|\\`*[\]<>])/g, '$1')
			.replace(/\*\*|`/g, '');
		const html = renderReport(session, 'html', T(14, 0), redactor)
			.replace(/<[^>]+>/g, '')
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&quot;/g, '"')
			.replace(/&#39;/g, "'")
			.replace(/&amp;/g, '&');
		for (const text of texts) {
			expect(md, text).toContain(text);
			expect(html, text).toContain(text);
		}
		const json = JSON.parse(renderReport(session, 'json', T(14, 0), redactor));
		expect(texts).toContain(json.summary.headline);
		for (const line of json.summary.lines) expect(texts).toContain(line);
	});

	it('folds a run of the responder\'s own ticks in one step into one timeline line', () => {
		const key = fakeCloudSightKey();
		let session = makeSession(key, T(10, 0));
		for (const item of ['confirm-key', 'check-live', 'find-copies']) session = transition(session, {type: 'item.done', step: 'assess', item, at: T(10, 5)});
		const md = renderReport(session, 'md', T(11, 0), createRedactor([key]));
		expect(md).toMatch(/\| 2026-11-27 10:05 \| 1\. Assess risk \| Ticked 3 items: Confirm which key leaked[^|]*; Check whether the key is still live; [^|]+\|/);
	});

	it('--format status: a short plain update to paste, masked, headline first', () => {
		const key = fakeCloudSightKey();
		const status = renderReport(finished(key), 'status', T(14, 0), createRedactor([key]));
		const lines = status.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^\[leakfix\] Key in public repo \(20261127-abcd\): Contained 3h 5m after detection;/);
		expect(lines.length).toBeLessThan(16);
		expect(status).toContain('Next: ');
		expect(status).not.toContain(key);
		expect(status).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
	});
});

describe('outside text in the report', () => {
	it('a BEL or an escape sequence in a note or a name reaches no format raw', () => {
		const key = fakeCloudSightKey();
		let session = {...makeSession(key, T(10, 0)), name: 'evil \u001b]52;c;aGk=\u0007 name'};
		session = transition(session, {type: 'item.noted', step: 'assess', item: 'confirm-key', note: 'ding\u0007 \u001b[31mred\u202e', at: T(10, 1)});
		for (const format of ['md', 'html', 'json', 'status'] as const) {
			const text = renderReport(session, format, T(11, 0), createRedactor([key]));
			expect(text, format).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
			if (format !== 'json') expect(text, format).toContain('\\x1b');
		}
	});
});
