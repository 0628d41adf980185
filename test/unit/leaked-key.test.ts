import {describe, expect, it} from 'vitest';
import {keyFormatOf, leakedKey, splitPair} from '../../src/core/leaked-key.js';
import {fingerprint} from '../../src/core/secrets.js';

const id = 'AKIA' + 'Q3EGRZ7TMXNL4WPA';
const secret = 'wJalr' + 'XUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('LeakedKey', () => {
	it('splits an AWS pair once: secret half for files, key id for commands, fingerprint of what was entered', () => {
		const key = leakedKey(`${id}:${secret}`, 'aws-pair');
		expect(key.secret).toBe(secret);
		expect(key.keyId).toBe(id);
		expect(key.fingerprint).toBe(fingerprint(`${id}:${secret}`));
		expect(key.redactions).toEqual([`${id}:${secret}`, secret]);
		expect(key.masked).not.toContain(secret.slice(0, 8));
	});

	it('accepts a pair on two lines or with a space', () => {
		expect(splitPair(`${id}\n${secret}`)).toEqual({id, secret});
		expect(leakedKey(`${id} ${secret}`, 'aws-pair').keyId).toBe(id);
	});

	it('never takes a pasted secret for a key id', () => {
		const alone = leakedKey(secret, 'aws-pair');
		expect(alone.keyId).toBeNull();
		expect(alone.secret).toBe(secret);
		expect(splitPair(`NOTANID:${secret}`)).toBeNull();
		expect(splitPair(`${id}:short`)).toBeNull();
	});

	it('a single key is its own secret and has no id', () => {
		const raw = 'sk_' + 'live_' + 'x'.repeat(24);
		const key = leakedKey(`  ${raw}\n`);
		expect(key).toMatchObject({raw, secret: raw, keyId: null, format: 'single', length: raw.length});
		expect(keyFormatOf({keyFormat: 'aws-pair'})).toBe('aws-pair');
		expect(keyFormatOf(undefined)).toBe('single');
	});
});
