// A rotation schedule: set from the rotation's end, shown due by `leakfix status`, exported as an
// RFC 5545 calendar (checked with a small parser written here: CRLF, folding, properties).
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {sessionSchema} from '../../src/core/model.js';
import {buildJsonReport} from '../../src/core/report.js';
import {foldLine, icsText, renderIcs} from '../../src/core/report/ics.js';
import {rotationRows, scheduleBase} from '../../src/core/schedule.js';
import {createRedactor, fingerprint, mask} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {sessionsDir} from '../../src/infra/paths.js';
import {SessionStore} from '../../src/infra/store.js';
import {findProvider, loadPlaybooks} from '../../src/playbooks/load.js';
import {providerPlaybookSchema} from '../../src/playbooks/schema.js';
import {tempDir} from '../helpers/fs.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from '../unit/session-fixture.js';

const BIN = path.resolve('bin/leakfix.js');

function leakfix(args: string[], home: string) {
	const env: NodeJS.ProcessEnv = {...process.env, LEAKFIX_HOME: home};
	delete env.CI;
	const result = spawnSync(process.execPath, [BIN, ...args], {env, input: '', encoding: 'utf8', cwd: tempDir()});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

type Component = {name: string; props: Array<{name: string; params: Record<string, string>; value: string}>; children: Component[]};

/** A small RFC 5545 reader: every line ends in CRLF and is at most 75 octets; unfold, then nest. */
function parseIcs(text: string): Component {
	expect(text.endsWith('\r\n')).toBe(true);
	const physical = text.slice(0, -2).split('\r\n');
	for (const line of physical) {
		expect(line.includes('\n') || line.includes('\r'), 'a bare LF or CR').toBe(false);
		expect(Buffer.byteLength(line, 'utf8'), `over 75 octets: ${line}`).toBeLessThanOrEqual(75);
	}
	const logical: string[] = [];
	for (const line of physical) {
		if (line.startsWith(' ') || line.startsWith('\t')) logical[logical.length - 1] += line.slice(1);
		else logical.push(line);
	}
	const stack: Component[] = [{name: 'ROOT', props: [], children: []}];
	for (const line of logical) {
		const match = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=[^;:]*)*):(.*)$/.exec(line);
		expect(match, `not a content line: ${line}`).not.toBeNull();
		const [, name, params, value] = match!;
		if (name === 'BEGIN') {
			const component = {name: value!, props: [], children: []};
			stack.at(-1)!.children.push(component);
			stack.push(component);
		} else if (name === 'END') {
			expect(stack.pop()!.name).toBe(value);
		} else {
			stack.at(-1)!.props.push({name: name!, params: Object.fromEntries((params ?? '').split(';').filter(Boolean).map(pair => pair.split('=') as [string, string])), value: value!});
		}
	}
	expect(stack).toHaveLength(1);
	return stack[0]!.children[0]!;
}

const prop = (component: Component, name: string) => component.props.find(candidate => candidate.name === name)?.value;
const unescape = (value: string) => value.replace(/\\([\\;,nN])/g, (_all, char: string) => (char === 'n' || char === 'N' ? '\n' : char));

function rotatedSession(key: string) {
	let session = makeSession(key);
	const newKey = fakeCloudSightKey();
	session = transition(session, {type: 'newkey.entered', at: '2026-11-27T13:00:00.000Z', key: {fingerprint: fingerprint(newKey), masked: mask(newKey), length: newKey.length}});
	session = transition(session, {type: 'oldkey.deactivated', at: '2026-11-27T14:00:00.000Z', how: 'revoked in the dashboard'});
	return {session, newKey};
}

describe('a rotation schedule', () => {
	it('counts from the rotation\'s end, is saved in the session (old sessions load without it), and a bad interval changes nothing', () => {
		const key = fakeCloudSightKey();
		const plain = makeSession(key);
		expect(sessionSchema.parse(plain).schedule).toBeUndefined();
		expect(scheduleBase(plain, '2026-11-28T09:00:00.000Z')).toEqual({from: '2026-11-28T09:00:00.000Z', why: '2026-11-28, when it was set (the rotation has not ended yet)'});
		const {session, newKey} = rotatedSession(key);
		const base = scheduleBase(session, '2026-11-28T09:00:00.000Z');
		expect(base).toEqual({from: '2026-11-27T14:00:00.000Z', why: 'the old key was deactivated (2026-11-27)'});
		const next = transition(session, {type: 'schedule.set', at: '2026-11-28T09:00:00.000Z', days: 90, ...base});
		expect(next.schedule).toEqual({nextRotation: '2027-02-25T14:00:00.000Z', setAt: '2026-11-28T09:00:00.000Z', days: 90, from: '2026-11-27T14:00:00.000Z'});
		expect(next.timeline.at(-1)!.text).toBe(`Next rotation of ${mask(newKey)}: 2027-02-25 (90 days after the old key was deactivated (2026-11-27))`);
		expect(sessionSchema.parse(next).schedule).toEqual(next.schedule);
		expect(transition(session, {type: 'schedule.set', at: '2026-11-28T09:00:00.000Z', days: 0, ...base})).toBe(session);
		expect(rotationRows([next], new Date('2027-02-26T00:00:00.000Z'))).toEqual([{incident: next.id, name: next.name, masked: mask(newKey), provider: 'CloudSight', due: '2027-02-25T14:00:00.000Z', days: 90, overdue: true}]);
	});

	it('takes the provider\'s interval from its playbook (rotation.intervalDays), 90 when absent', async () => {
		const playbooks = await loadPlaybooks();
		const cloudsight = findProvider(playbooks, 'cloudsight');
		expect(cloudsight.rotation.intervalDays).toBeUndefined();
		const raw = {...structuredClone(cloudsight), probe: cloudsight.probe, rotation: {...cloudsight.rotation, intervalDays: 30}};
		delete (raw as {noProbe?: string}).noProbe;
		expect(providerPlaybookSchema.parse(raw).rotation.intervalDays).toBe(30);
		expect(() => providerPlaybookSchema.parse({...raw, rotation: {...raw.rotation, intervalDays: 0}})).toThrow();
	});

	it('renders an RFC 5545 calendar: CRLF, folded at 75 octets, UID, DTSTAMP, DTSTART, SUMMARY with the masked key only', () => {
		const key = fakeCloudSightKey();
		const {session, newKey} = rotatedSession(key);
		const named = {...session, name: `Ünïcödé incident; with, commas \\ and a very long name that must be folded somewhere ${'ä'.repeat(40)} \u001b[2J`};
		const scheduled = transition(named, {type: 'schedule.set', at: '2026-11-28T09:00:00.000Z', days: 90, from: '2026-11-27T14:00:00.000Z', why: 'the old key was deactivated'});
		const redactor = createRedactor([key, newKey]);
		const text = renderIcs(redactor.value(buildJsonReport(scheduled, '2026-11-28T09:30:15.123Z')));
		expect(text).not.toContain(key);
		expect(text).not.toContain(newKey);
		const calendar = parseIcs(text);
		expect(calendar.name).toBe('VCALENDAR');
		expect(prop(calendar, 'VERSION')).toBe('2.0');
		expect(prop(calendar, 'PRODID')).toMatch(/^-\/\/leakfix\/\//);
		const [event] = calendar.children;
		expect(event!.name).toBe('VEVENT');
		expect(prop(event!, 'UID')).toBe(`leakfix-rotation-${session.id}@leakfix`);
		expect(prop(event!, 'DTSTAMP')).toBe('20261128T093015Z');
		expect(prop(event!, 'DTSTART')).toBe('20270225T140000Z');
		expect(prop(event!, 'DURATION')).toBe('PT30M');
		expect(unescape(prop(event!, 'SUMMARY')!)).toBe(`Rotate the CloudSight key ${mask(newKey)}`);
		const description = unescape(prop(event!, 'DESCRIPTION')!);
		expect(description).toContain(`incident ${session.id}: Ünïcödé incident; with, commas \\ and a very long name`);
		expect(description).toContain('\\x1b[2J'); // the control made visible, never raw
		expect(description.split('\n')).toHaveLength(3);
		expect(event!.children.map(child => [child.name, prop(child, 'TRIGGER'), prop(child, 'ACTION')])).toEqual([['VALARM', '-P1D', 'DISPLAY']]);
		// Folding never cuts a UTF-8 character, and unfolds to the line it was.
		const long = `DESCRIPTION:${'ä'.repeat(100)}`;
		const folded = foldLine(long);
		expect(folded.split('\r\n').every(line => Buffer.byteLength(line) <= 75)).toBe(true);
		expect(folded.replace(/\r\n /g, '')).toBe(long);
		expect(icsText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
	});

	it('leakfix schedule sets it (saved), status shows it due (exit 1), report --format ics and schedule --ics --out export it; bad input is a clear error', () => {
		const key = fakeCloudSightKey();
		const home = tempDir();
		const store = new SessionStore(sessionsDir(home), createRedactor([key]));
		const {session, newKey} = rotatedSession(key);
		store.save(session);

		const noSchedule = leakfix(['report', session.id, '--format', 'ics'], home);
		expect(noSchedule).toMatchObject({code: 2, stderr: expect.stringContaining('has no rotation scheduled')});
		expect(noSchedule.stderr).not.toMatch(/^\s+at /m);
		expect(leakfix(['schedule', session.id, '--days', 'soon'], home)).toMatchObject({code: 2, stderr: expect.stringContaining('--days soon: a whole number of days from 1 to 3650')});

		const set = leakfix(['schedule', session.id], home);
		expect(set.code).toBe(0);
		expect(set.stdout).toContain(`Next rotation of the CloudSight key ${mask(newKey)} (incident ${session.id}): 2027-02-25`);
		expect(set.stdout).toContain('90 days after the old key was deactivated (2026-11-27) (90 days: the default; --days N sets another). Saved.');
		expect(store.load(session.id).schedule).toMatchObject({days: 90, nextRotation: '2027-02-25T14:00:00.000Z'});

		// Due already (a schedule from long ago): status says DUE and exits 1; later: exit 0.
		expect(leakfix(['schedule', session.id, '--days', '1'], home).code).toBe(0);
		const due = leakfix(['status'], home);
		expect(due.code).toBe(1);
		expect(due.stdout).toMatch(new RegExp(`1 rotation\\(s\\) due now, 0 scheduled later:\\n  DUE {3}.*${session.id}  rotate the CloudSight key ${mask(newKey).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(every 1 days\\)`));
		const json = JSON.parse(leakfix(['status', '--json'], home).stdout) as {rotations: Array<{incident: string; overdue: boolean}>};
		expect(json.rotations).toEqual([expect.objectContaining({incident: session.id, overdue: true})]);

		expect(leakfix(['schedule', session.id, '--days', '3650'], home).code).toBe(0);
		const ics = leakfix(['report', session.id, '--format', 'ics'], home);
		expect(ics.code).toBe(0);
		const event = parseIcs(ics.stdout).children[0]!;
		expect(prop(event, 'DTSTART')).toBe(icsDate('2026-11-27T14:00:00.000Z', 3650));
		const out = path.join(tempDir(), 'rotation.ics');
		const exported = leakfix(['schedule', session.id, '--ics', '--out', out], home);
		expect(exported).toMatchObject({code: 0, stdout: '', stderr: expect.stringContaining('Wrote the rotation reminder')});
		expect(fs.statSync(out).mode & 0o777).toBe(0o600);
		expect(prop(parseIcs(fs.readFileSync(out, 'utf8')).children[0]!, 'DTSTART')).toBe(icsDate('2026-11-27T14:00:00.000Z', 3650));
		for (const text of [ics.stdout, fs.readFileSync(out, 'utf8'), due.stdout, set.stdout]) {
			expect(text).not.toContain(key);
			expect(text).not.toContain(newKey);
		}
		// The session file holds the schedule, never the key.
		const file = fs.readFileSync(store.fileOf(session.id), 'utf8');
		expect(file).toContain('"schedule"');
		expect(file).not.toContain(newKey);
	});
});

function icsDate(from: string, days: number): string {
	return new Date(Date.parse(from) + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
