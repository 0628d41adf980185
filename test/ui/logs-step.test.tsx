import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {demoAccessLog} from '../../src/infra/demo-logs.js';
import {SessionStore} from '../../src/infra/store.js';
import {tempDir} from '../helpers/fs.js';
import {KEY, press, waitForText} from '../helpers/ink.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';
import {harness} from './app-harness.js';

describe('the log step in the wizard', () => {
	it('asks for the files and the window, analyses, shows the answer, and saves each verdict', async () => {
		const key = fakeCloudSightKey();
		const dir = tempDir();
		const log = path.join(dir, 'access.log');
		fs.writeFileSync(log, demoAccessLog({key, exposureAt: Date.parse('2026-11-25T14:00:00Z'), format: 'combined', broken: true}));
		const h = harness(path.join(dir, 'incidents'));
		let session = makeSession(key);
		session = transition(session, {type: 'cursor.moved', step: 'logs', item: 0});
		new SessionStore(h.dir, createRedactor([key])).save(session);
		const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key});
		let frame = await waitForText(app, 'Logs not analysed yet');
		expect(frame).toContain('CloudSight keeps no per-request log');
		await press(app, 'a');
		await press(app, log);
		frame = await press(app, KEY.enter);
		expect(frame).toContain("Which lines are this key's?");
		frame = await press(app, KEY.enter);
		expect(frame).toContain('The exposure began: 2026-11-27T10:00Z'); // when it was noticed: no scan yet
		for (let i = 0; i < 17; i++) await press(app, KEY.backspace);
		await press(app, '2026-11-25T14:00Z');
		frame = await press(app, KEY.enter);
		expect(frame).toContain('Your own addresses (optional):');
		await press(app, '203.0.113.0/33');
		frame = await press(app, KEY.enter);
		expect(frame).toContain('the prefix length must be 0–32');
		await press(app, KEY.backspace);
		await press(app, '2');
		await press(app, KEY.enter);
		frame = await waitForText(app, 'Business hours and time zone:');
		const hours = /Business hours and time zone: (\S+ \S+)/.exec(frame)?.[1] ?? '';
		for (let i = 0; i < hours.length; i++) await press(app, KEY.backspace);
		await press(app, '08-19 UTC');
		await press(app, KEY.enter);
		frame = await waitForText(app, 'finding(s):');
		expect(frame).toMatch(/Logs: 1,101 request\(s\) with the key in 1,968 lines \(630 before the exposure, 471 after\)/);
		expect(frame).toMatch(/8 finding\(s\): 0 suspicious · 0 expected · 8 to review/);
		expect(frame).not.toContain(key);

		frame = await press(app, 'f');
		expect(frame).toContain('Findings (8)');
		expect(frame).toContain('^ exposure');
		expect(frame).toContain('[ ? ] Unfamiliar address 185.220.101.7');
		frame = await press(app, '!');
		expect(frame).toContain('[ ! ] Unfamiliar address 185.220.101.7');
		await press(app, 'n');
		await press(app, 'not one of ours');
		frame = await press(app, KEY.escape); // closes the note only
		expect(frame).toContain('Findings (8)');
		await press(app, 'n');
		await press(app, 'scanner in RU');
		frame = await press(app, KEY.enter);
		expect(frame).toContain('Note: scanner in RU');
		frame = await press(app, KEY.escape);
		expect(frame).toMatch(/8 finding\(s\): 1 suspicious · 0 expected · 7 to review/);

		const saved = h.store.load(session.id);
		expect(saved.logs?.allow).toEqual(['203.0.113.0/32']);
		// A verdict never moves the cursor (issue 13): the note is on the finding just marked, and the next is untouched.
		expect(saved.logs?.findings.find(finding => finding.id === 'ip:185.220.101.7')).toMatchObject({verdict: 'suspicious', note: 'scanner in RU'});
		expect(saved.logs?.findings.find(finding => finding.id === 'ip:45.155.205.33')).toMatchObject({verdict: 'open'});
		expect(saved.logs?.findings.find(finding => finding.id === 'ip:45.155.205.33')?.note).toBeUndefined();
		expect(saved.severity?.level).toBe('critical');
		expect(JSON.stringify(saved)).not.toContain(key);
	});
});

describe("the provider's own logs (AWS CloudTrail) from the wizard", () => {
	it('shows the command with the key id only, runs it on y through the aws on PATH, and analyses its output', async () => {
		const {createSession} = await import('../../src/core/session.js');
		const {fingerprint, mask} = await import('../../src/core/secrets.js');
		const {checklistFor, findProvider} = await import('../../src/playbooks/load.js');
		const {playbooks} = await import('../unit/session-fixture.js');
		const {demoCloudTrail} = await import('../../src/infra/demo-logs.js');
		const {fakeKeys} = await import('../helpers/keys.js');
		const pair = fakeKeys.awsPair();
		const [keyId, secret] = pair.split(':') as [string, string];
		const dir = tempDir();
		const records = (JSON.parse(demoCloudTrail(keyId, Date.parse('2026-11-27T10:00:00Z'))) as {Records: object[]}).Records;
		const answer = path.join(dir, 'answer.json');
		fs.writeFileSync(answer, JSON.stringify({Events: records.map((record, index) => ({EventId: String(index), CloudTrailEvent: JSON.stringify(record)}))}));
		const calls = path.join(dir, 'calls.log');
		fs.writeFileSync(path.join(dir, 'aws'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\ncat '${answer}'\n`, {mode: 0o755});
		const aws = findProvider(playbooks, 'aws');
		const session = transition(
			createSession({
				id: '20261127-aaaa',
				name: 'AWS key in a gist',
				demo: false,
				at: '2026-11-27T12:00:00.000Z',
				provider: {id: aws.id, name: aws.name},
				key: {fingerprint: fingerprint(pair), masked: mask(pair), length: pair.length},
				leak: {where: 'chat', noticedAt: '2026-11-27T10:00:00.000Z'},
				steps: checklistFor(playbooks, aws),
			}),
			{type: 'cursor.moved', step: 'logs', item: 0},
		);
		const h = harness(path.join(dir, 'incidents'));
		new SessionStore(h.dir, createRedactor([pair])).save(session);
		const savedPath = process.env.PATH;
		process.env.PATH = `${dir}${path.delimiter}${savedPath}`;
		try {
			const app = h.start({kind: 'open', session, lock: h.store.lock(session.id), key: pair});
			let frame = await waitForText(app, "c fetches the provider's own");
			frame = await press(app, 'c');
			expect(frame).toContain('Run this read-only command with your own credentials (not the leaked key)?');
			expect(frame).toContain(`AttributeValue=${keyId} --start-time 2026-11-20T10:00:00Z`);
			expect(frame).not.toContain(secret);
			await press(app, 'y');
			frame = await waitForText(app, 'finding(s):');
			expect(frame).toMatch(/Logs: 60 request\(s\) with the key in 61 lines/);
			const invoked = fs.readFileSync(calls, 'utf8');
			expect(invoked).toContain(`cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=${keyId}`);
			expect(invoked).not.toContain(secret);
			const saved = h.store.load(session.id);
			expect(saved.logs?.source).toMatch(/^aws cloudtrail lookup-events .* \(saved to .*aws-logs\.json\)$/);
			expect(saved.logs?.findings.map(finding => finding.id)).toContain('ip:185.220.101.7');
		} finally {
			process.env.PATH = savedPath;
		}
	});
});
