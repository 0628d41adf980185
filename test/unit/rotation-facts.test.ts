import {describe, expect, it} from 'vitest';
import {keyFactsFor} from '../../src/core/key-facts.js';
import {leakedKey} from '../../src/core/leaked-key.js';
import type {Session} from '../../src/core/model.js';
import {awsUserName, awsUserOf, deactivatedByRegeneration} from '../../src/core/rotation-facts.js';
import {firstExposureOf} from '../../src/core/exposure.js';

describe('rotation facts', () => {
	it("an IAM user's name comes from its ARN, path or not; any other principal has none", () => {
		expect(awsUserName('arn:aws:iam::123456789012:user/ci-deploy')).toBe('ci-deploy');
		expect(awsUserName('arn:aws:iam::123456789012:user/teams/web/ci.deploy@x')).toBe('ci.deploy@x');
		expect(awsUserName('arn:aws:sts::123456789012:assumed-role/admin/session')).toBeNull();
		expect(awsUserName('arn:aws:iam::123456789012:user/bad name')).toBeNull();
		expect(awsUserName(undefined)).toBeNull();
	});

	it("the key's user: the assess probe's word, else the verification's", () => {
		const probed = (arn: string) => ({status: 'live', details: {arn}});
		expect(awsUserOf({probe: probed('arn:aws:iam::1:user/a')} as unknown as Session)).toBe('a');
		expect(awsUserOf({verification: {oldKey: probed('arn:aws:iam::1:user/b')}} as unknown as Session)).toBe('b');
		expect(awsUserOf({} as unknown as Session)).toBeNull();
	});

	it('regenerating a key deactivates the old one, once', () => {
		expect(deactivatedByRegeneration({pattern: 'regenerate'}, {})).toBe('regenerated: the old key died when the new one was made');
		expect(deactivatedByRegeneration({pattern: 'regenerate'}, {rotation: {deactivatedAt: '2026-11-27T12:00:00.000Z'}} as unknown as Session)).toBeNull();
		expect(deactivatedByRegeneration({pattern: 'create-then-revoke'}, {})).toBeNull();
	});
});

describe('key facts', () => {
	it('test mode and full access come from a playbook pattern that matches the whole key', () => {
		const provider = {scopes: 'per-key' as const, keyPatterns: [{regex: 'tk_test_[a-z0-9]{8}', testMode: true}, {regex: 'tk_live_[a-z0-9]{8}', fullAccess: true}, {regex: 'tk_[a-z]+_[a-z0-9]{8}'}]};
		expect(keyFactsFor(provider, leakedKey('tk_' + 'test_abcd1234'))).toEqual({scopes: 'per-key', testMode: true, fullAccess: false});
		expect(keyFactsFor(provider, leakedKey('tk_' + 'live_abcd1234'))).toEqual({scopes: 'per-key', testMode: false, fullAccess: true});
		// The whole key, not a part of it.
		expect(keyFactsFor(provider, leakedKey('xtk_' + 'test_abcd1234'))).toMatchObject({testMode: false});
	});
});

describe('the first exposure', () => {
	it('is the earliest of every repository, or null when no scan found one', () => {
		expect(firstExposureOf([{firstExposure: {date: '2026-11-18T00:00:00Z'}}, {firstExposure: null}, {firstExposure: {date: '2026-11-12T00:00:00Z'}}])).toEqual({date: '2026-11-12T00:00:00Z'});
		expect(firstExposureOf([{firstExposure: null}])).toBeNull();
		expect(firstExposureOf([])).toBeNull();
	});
});
