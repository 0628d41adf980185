import {describe, expect, it} from 'vitest';
import {assessSeverity, type SeverityFacts} from '../../src/core/severity.js';

const base: SeverityFacts = {liveness: 'live', where: 'public-repo', pushed: true, publicForge: true, exposedDays: 1, scopes: 'none', testMode: false, suspicious: 0};

describe('assessSeverity', () => {
	it('a live, all-powerful key in a public repo is critical, and says to contain first', () => {
		const severity = assessSeverity(base);
		expect(severity.level).toBe('critical');
		expect(severity.reasons).toEqual(['the key is live', 'exposed in a public repository: bots scrape new keys within minutes', 'the key has no scopes: it can do everything the account can']);
		expect(severity.containFirst).toMatch(/^Contain first: deactivate or restrict the old key now/);
	});

	it('grades down for a revoked key, a private place and scoped keys; up for time and misuse', () => {
		expect(assessSeverity({...base, liveness: 'revoked'}).level).toBe('medium');
		expect(assessSeverity({...base, liveness: 'revoked', where: 'chat', publicForge: false}).level).toBe('low');
		expect(assessSeverity({...base, where: 'private-repo', publicForge: false, scopes: 'per-key'}).level).toBe('medium');
		expect(assessSeverity({...base, where: 'private-repo', publicForge: false, scopes: 'per-key', exposedDays: 30})).toMatchObject({level: 'high', reasons: expect.arrayContaining(['exposed for 30 days'])});
		expect(assessSeverity({...base, liveness: 'revoked', where: 'chat', suspicious: 2})).toMatchObject({level: 'critical', containFirst: null});
	});

	it('caps a revoked key at medium without evidence of misuse; a full-access key counts as unscoped', () => {
		expect(assessSeverity({...base, liveness: 'revoked', exposedDays: 30}).level).toBe('medium');
		expect(assessSeverity({...base, where: 'private-repo', publicForge: false, scopes: 'per-key', fullAccess: true})).toMatchObject({
			level: 'high',
			reasons: expect.arrayContaining(['a full-access key: it can do everything the account can']),
		});
		expect(assessSeverity({...base, testMode: true, suspicious: 1}).level).toBe('medium');
	});

	it('treats unknown or unprobed liveness as live, and test-mode keys as low', () => {
		expect(assessSeverity({...base, liveness: 'unknown'}).reasons[0]).toBe('liveness unknown: assume the key is live');
		expect(assessSeverity({...base, liveness: null}).level).toBe('critical');
		expect(assessSeverity({...base, testMode: true})).toEqual({level: 'low', reasons: ['a test-mode key: no real money or customer data behind it'], containFirst: null});
	});
});

describe('awsAccountFromKeyId', () => {
	it('decodes the account offline, and refuses what is not a key id', async () => {
		const {awsAccountFromKeyId} = await import('../../src/core/probe.js');
		expect(awsAccountFromKeyId('AS' + 'IA' + 'Y34FZKBOKMUTVV7A')).toBe('609629065308');
		expect(awsAccountFromKeyId('not-a-key-id')).toBeNull();
		expect(awsAccountFromKeyId('AK' + 'IA' + '7777777777777777')).toBeNull(); // decodes past 12 digits
	});
});
