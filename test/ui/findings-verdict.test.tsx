// Issue 13: `Space` on the checklist kept the cursor but `s`/`x` on the findings moved it, so a
// responder marked the wrong finding. One rule now: a verdict never moves the cursor.
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {createAnalyzer} from '../../src/core/logs/analyze.js';
import {logSummary} from '../../src/core/logs/summary.js';
import {LogsReview} from '../../src/ui/LogsReview.js';
import {KEY, press, waitForText} from '../helpers/ink.js';

afterEach(() => {
	cleanup();
});

function summary() {
	const analyzer = createAnalyzer({exposureStart: Date.parse('2026-11-26T00:00:00Z'), allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC', redact: text => text});
	const event = (t: string, ip: string, status = 200) => ({t: Date.parse(t), ip, status, path: '/', ua: 'ua', country: null, keyId: null});
	for (let hour = 9; hour < 17; hour++) analyzer.add(event(`2026-11-25T${String(hour).padStart(2, '0')}:00:00Z`, '203.0.113.1'), () => 'line');
	analyzer.add(event('2026-11-26T03:00:00Z', '185.220.101.7'), () => 'foreign line');
	analyzer.add(event('2026-11-26T04:00:00Z', '198.51.100.9', 403), () => 'another line');
	const result = {files: [{path: '/var/log/access.log', format: 'combined', gzip: false, lines: 10, keyLines: 10, malformed: 0}], skipped: [], lines: 10, analysis: analyzer.result()};
	return logSummary(result, {at: '2026-11-27T12:00:00.000Z', source: '/var/log/access.log', match: 'key', timeZone: 'UTC', businessHours: {from: 8, to: 19}, allow: []});
}

describe('the findings review', () => {
	it('!, o and u mark the finding under the cursor and leave the cursor on it; ↓ moves on', async () => {
		const logs = summary();
		expect(logs.findings.length).toBeGreaterThan(1);
		const marks: string[] = [];
		const app = render(<LogsReview summary={logs} redact={text => text} onMark={(id, verdict) => marks.push(`${id} ${verdict}`)} onBack={() => undefined} onQuit={() => undefined} />);
		await waitForText(app, 'Findings (');
		const [first, second] = logs.findings;
		for (const key of ['!', 'o', 'u']) await press(app, key, {expectChange: false});
		await press(app, KEY.down);
		await press(app, '!', {expectChange: false});
		expect(marks).toEqual([`${first!.id} suspicious`, `${first!.id} expected`, `${first!.id} open`, `${second!.id} suspicious`]);
		// s and x are not verdicts here (skip and done elsewhere): nothing is marked.
		for (const key of ['s', 'x']) await press(app, key, {expectChange: false});
		expect(marks).toHaveLength(4);
	});
});
