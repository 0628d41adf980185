// What the key can do, after the analyzer: the severity weighs it, the session keeps it (and a
// session without it still loads), the Assess panel shows it (with AWS's quarantine), and the
// report's md, html and json carry the same facts.
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {sessionSchema} from '../../src/core/model.js';
import {renderReport} from '../../src/core/report.js';
import {awsReading, QUARANTINE_DENIES, weigh, jsonValues, type BlastRadius} from '../../src/core/scopes.js';
import {createRedactor} from '../../src/core/secrets.js';
import {transition} from '../../src/core/session.js';
import {assessSeverity, type SeverityFacts} from '../../src/core/severity.js';
import {AssessPanel, assessPanelLines} from '../../src/ui/AssessPanel.js';
import {fakeCloudSightKey} from '../helpers/keys.js';
import {makeSession} from './session-fixture.js';

const base: SeverityFacts = {liveness: 'live', where: 'private-repo', pushed: true, publicForge: false, exposedDays: 1, scopes: 'per-key', testMode: false, suspicious: 0};

describe('the severity weighs what the key can do', () => {
	it('admin or write scopes raise it, read-only lowers it, unknown leaves the old rule', () => {
		expect(assessSeverity(base).level).toBe('medium');
		expect(assessSeverity({...base, power: {level: 'admin', why: 'admin: admin:org'}})).toMatchObject({level: 'high', reasons: expect.arrayContaining(['the provider says it can administer: admin: admin:org'])});
		expect(assessSeverity({...base, power: {level: 'write', why: 'can change things: repo'}}).level).toBe('high');
		expect(assessSeverity({...base, power: {level: 'read-only', why: 'read-only: read:user'}})).toMatchObject({level: 'low', reasons: expect.arrayContaining(['the provider says it can only read: read-only: read:user'])});
		expect(assessSeverity({...base, power: {level: 'unknown', why: 'x'}}).level).toBe('medium');
		// An unscoped provider's key that reads only is not also raised as "unknown: assume everything".
		expect(assessSeverity({...base, scopes: 'unknown', power: {level: 'read-only', why: 'r'}}).reasons).not.toContain('what the key can do is unknown: assume everything');
		// A dead key's former power changes nothing.
		expect(assessSeverity({...base, liveness: 'revoked', power: {level: 'admin', why: 'a'}}).level).toBe(assessSeverity({...base, liveness: 'revoked'}).level);
	});

	it('weighs scopes by the playbook rules', () => {
		const rules = {admin: ['^admin'], write: [':write$'], read: [':read$']};
		expect(weigh(['chat:write', 'users:read'], rules).power).toBe('write');
		expect(weigh(['users:read'], rules).power).toBe('read-only');
		expect(weigh(['admin.users:read'], rules).power).toBe('admin');
		expect(weigh(['odd'], rules)).toMatchObject({power: 'unknown', why: expect.stringContaining('odd')});
		expect(weigh([], rules).power).toBe('unknown');
	});

	it('reads JSON paths over arrays', () => {
		const body = {orgs: {data: [{title: 'A'}, {title: 'B'}]}, policies: [{groups: [{name: 'x'}, {name: 'y'}]}], n: 3, flag: false};
		expect(jsonValues(body, 'orgs.data[].title')).toEqual(['A', 'B']);
		expect(jsonValues(body, 'orgs.data[1].title')).toEqual(['B']);
		expect(jsonValues(body, 'policies[].groups[].name')).toEqual(['x', 'y']);
		expect(jsonValues(body, 'n')).toEqual(['3']);
		expect(jsonValues(body, 'flag')).toEqual(['false']);
		expect(jsonValues(body, 'missing.path')).toEqual([]);
		expect(jsonValues('not an object', 'a')).toEqual([]);
	});
});

describe('AWS readings (pure)', () => {
	const identity = (arn: string) => ({exitCode: 0, stdout: JSON.stringify({Account: '123456789012', Arn: arn}), stderr: ''});
	const ok = (value: unknown) => ({exitCode: 0, stdout: JSON.stringify(value), stderr: ''});
	it('knows every quarantine version by its name, and weighs the other policies', () => {
		for (const policy of ['AWSCompromisedKeyQuarantine', 'AWSCompromisedKeyQuarantineV2', 'AWSCompromisedKeyQuarantineV3']) {
			const blast = awsReading({identity: identity('arn:aws:iam::123456789012:user/ci'), attached: ok({AttachedPolicies: [{PolicyName: policy}, {PolicyName: 'ReadOnlyAccess'}]}), inline: ok({PolicyNames: []}), groups: ok({Groups: []})});
			expect(blast.quarantine).toEqual({policy});
			expect(blast.power).toBe('read-only');
		}
	});

	it('an assumed role is not read as a user; a denied listing is said plainly', () => {
		expect(awsReading({identity: identity('arn:aws:sts::123456789012:assumed-role/deploy/session')})).toMatchObject({power: 'unknown', notes: [expect.stringContaining('not an IAM user')]});
		const denied = {exitCode: 254, stdout: '', stderr: 'An error occurred (AccessDenied) when calling the ListGroupsForUser operation'};
		const blast = awsReading({identity: identity('arn:aws:iam::123456789012:user/ci'), attached: ok({AttachedPolicies: [{PolicyName: 'AdministratorAccess'}]}), inline: ok({PolicyNames: []}), groups: denied});
		expect(blast.power).toBe('admin');
		expect(blast.notes).toContain('the key may not read its groups (AccessDenied): read them as another principal in the IAM console');
	});
});

const at = '2026-11-27T12:10:00.000Z';
const blast: BlastRadius = {
	power: 'write',
	why: 'can change things: AmazonS3FullAccess',
	facts: [
		{label: 'identity', value: 'arn:aws:iam::123456789012:user/deployer'},
		{label: 'attached policies', value: 'AmazonS3FullAccess, AWSCompromisedKeyQuarantineV3'},
		{label: 'team', value: 'Evil\u001b[2JCorp'},
	],
	notes: [`AWS attached AWSCompromisedKeyQuarantineV3 to this user: ${QUARANTINE_DENIES}.`],
	quarantine: {policy: 'AWSCompromisedKeyQuarantineV3'},
};

function probed(key: string, withBlast: boolean) {
	const session = makeSession(key);
	return transition(session, {type: 'probe.completed', at, result: {status: 'live', reason: 'sts get-caller-identity answered', request: 'aws sts get-caller-identity', provider: 'cloudsight', at, ...(withBlast ? {blastRadius: blast} : {})}});
}

describe('the session, the panel and the report', () => {
	it('keeps the blast radius in the session (schema-checked), feeds the severity, and an old session loads without it', () => {
		const key = fakeCloudSightKey();
		const session = probed(key, true);
		expect(sessionSchema.parse(JSON.parse(JSON.stringify(session))).probe!.blastRadius).toEqual(blast);
		expect(session.severity!.reasons.join(' ')).toContain('the provider says it can change things: can change things: AmazonS3FullAccess');
		expect(session.timeline.at(-1)!.text).toBe('Liveness probe: live (sts get-caller-identity answered); what the key can do: write (can change things: AmazonS3FullAccess)');
		const old = probed(key, false);
		expect(sessionSchema.parse(JSON.parse(JSON.stringify(old))).probe!.blastRadius).toBeUndefined();
	});

	it('the Assess panel shows the power, the facts (controls visible) and the quarantine, within its line budget', () => {
		const key = fakeCloudSightKey();
		const session = probed(key, true);
		const {lastFrame} = render(<AssessPanel session={session} scan={{kind: 'idle'}} probe={{kind: 'idle'}} keyPresent canProbe />);
		const frame = lastFrame()!;
		expect(frame).toContain('What the key can do: WRITE (can change things: AmazonS3FullAccess)');
		expect(frame).toContain('identity: arn:aws:iam::123456789012:user/deployer');
		expect(frame).not.toContain('\u001b[2J');
		const flat = frame.replace(/\s+/g, ' ');
		expect(flat).toContain('AWS quarantine (AWSCompromisedKeyQuarantineV3) attached');
		expect(flat).toContain('does NOT disable the key');
		expect(flat).toContain('Keep it until the key is rotated');
		expect(flat).toContain('cloudtrail:LookupEvents: run the logs step as another principal');
		expect(assessPanelLines(session, {kind: 'idle'})).toBe(assessPanelLines(probed(key, false), {kind: 'idle'}) + 5);
	});

	it('the report says what the key can do in md, html and json alike', () => {
		const key = fakeCloudSightKey();
		const session = probed(key, true);
		const redactor = createRedactor([key]);
		const md = renderReport(session, 'md', at, redactor);
		const html = renderReport(session, 'html', at, redactor);
		const json = JSON.parse(renderReport(session, 'json', at, redactor)) as {probe: {blastRadius: BlastRadius}};
		expect(md).toContain('## What the key can do');
		expect(md).toContain('WRITE (can change things: AmazonS3FullAccess)');
		expect(md).toContain('AWSCompromisedKeyQuarantineV3 is attached to the key\'s user: do not detach it until the key is rotated');
		expect(html).toContain('<h2>What the key can do</h2>');
		expect(html).toContain('AmazonS3FullAccess, AWSCompromisedKeyQuarantineV3');
		expect(json.probe.blastRadius).toEqual(blast);
		expect(md).not.toContain('\u001b');
		expect(html).not.toContain('\u001b');
		expect(renderReport(probed(key, false), 'md', at, redactor)).not.toContain('What the key can do');
	});
});
