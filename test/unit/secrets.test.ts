import {describe, expect, it} from 'vitest';
import {keyNeedles} from '../../src/core/needles.js';
import {createRedactor, fingerprint, mask} from '../../src/core/secrets.js';

/** Every form of the key the scan looks for: the one definition of "a form of the key". */
const secretForms = (key: string) => keyNeedles(key).map(needle => needle.bytes.toString('utf8'));
import {fakeCloudSightKey, fakeKeys, fakeStripeKey} from '../helpers/keys.js';

describe('fingerprint', () => {
	it('is the sha256 of the key, hex', () => {
		expect(fingerprint('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('mask', () => {
	it('keeps a well-known provider prefix and the last four characters', () => {
		const key = fakeStripeKey();
		expect(mask(key)).toBe(`sk_live_…${key.slice(-4)}`);
	});

	it('shows no leading characters of a prefix-less key', () => {
		const key = 'Ti_' + 'x'.repeat(15) + 'abcd';
		expect(mask(key)).toBe('…abcd');
		const cloud = fakeCloudSightKey();
		expect(mask(cloud)).toBe(`…${cloud.slice(-4)}`);
	});

	it('reveals less of short keys, and nothing of very short ones', () => {
		expect(mask('abcdefghij12')).toBe('…12');
		expect(mask('abcdefgh')).toBe('…');
	});
});

describe('redactor', () => {
	it('replaces the key in every form it takes when it leaves our hands', () => {
		const key = fakeStripeKey();
		const redactor = createRedactor([key]);
		for (const form of secretForms(key)) {
			const out = redactor.text(`before ${form} after`);
			expect(out).not.toContain(form);
			expect(out).toContain(mask(key));
		}
		expect(secretForms(key).some(form => Buffer.from(key).toString('base64').includes(form))).toBe(true);
	});

	it('masks a held key inside base64 at any alignment (Basic auth with any user name)', () => {
		const key = fakeCloudSightKey();
		const redactor = createRedactor([key]);
		for (const user of ['u', 'us', 'user', 'deploy-bot']) {
			const header = `Authorization: Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
			const out = redactor.text(header);
			expect(out, user).toBe(`Authorization: Basic ${mask(key)}`);
		}
		expect(redactor.text(`?k=${encodeURIComponent(`${key}/`).toLowerCase()}`)).not.toContain(key);
	});

	it('redacts deep values without touching their shape', () => {
		const key = fakeCloudSightKey();
		const redactor = createRedactor();
		redactor.add(key);
		const out = redactor.value({a: [`x ${key}`, 3, null], b: {c: key}, d: true});
		expect(out).toEqual({a: [`x ${mask(key)}`, 3, null], b: {c: mask(key)}, d: true});
	});

	it('finds a key with any characters, and its encoded forms, knowing only its fingerprint', () => {
		const key = 'Ab3#xY9!kLm2@pQ7$zz';
		const redactor = createRedactor();
		redactor.addFingerprint({fingerprint: fingerprint(key), masked: mask(key), length: key.length});
		const texts = [
			`the key is ${key}.`,
			`Authorization: Basic ${Buffer.from(`deploy:${key}`).toString('base64')}`,
			`Authorization: Basic ${Buffer.from(`ci-bot-user:${key}`).toString('base64')}`,
			`token=${Buffer.from(key).toString('base64url')}`,
			`curl https://x.example/?k=${encodeURIComponent(key)}&a=1`,
		];
		for (const text of texts) {
			const out = redactor.text(text);
			for (const form of secretForms(key)) expect(out, text).not.toContain(form);
			expect(out, text).toContain(mask(key));
		}
		expect(redactor.text('nothing to see, no key here')).toBe('nothing to see, no key here');
	});

	it('finds a key it knows only by fingerprint, even inside punctuation', () => {
		const key = fakeCloudSightKey();
		const redactor = createRedactor();
		redactor.addFingerprint({fingerprint: fingerprint(key), masked: mask(key), length: key.length});
		const out = redactor.text(`note: CLOUDSIGHT_API_KEY=${key}, and "${key}".`);
		expect(out).not.toContain(key);
		expect(out).toBe(`note: CLOUDSIGHT_API_KEY=${mask(key)}, and "${mask(key)}".`);
	});

	it('masks a key with some or all of its characters escaped (%5F, %5f, every character, \\x, \\u), held or known by fingerprint', () => {
		const key = fakeKeys.github();
		const hex = (code: number, upper: boolean) => (upper ? code.toString(16).toUpperCase() : code.toString(16)).padStart(2, '0');
		const spellings = [
			`ghp%5F${key.slice(4)}`,
			`ghp%5f${key.slice(4)}`,
			[...key].map(char => `%${hex(char.charCodeAt(0), false)}`).join(''),
			[...key].map(char => `\\x${hex(char.charCodeAt(0), true)}`).join(''),
			[...key].map(char => `\\x${hex(char.charCodeAt(0), false)}`).join(''),
			[...key].map(char => `\\u00${hex(char.charCodeAt(0), false)}`).join(''),
			`\\u0067hp\\u005f${key.slice(4)}`,
			`ghp%255F${key.slice(4)}`,
		];
		const held = createRedactor([key]);
		const byFingerprint = createRedactor();
		byFingerprint.addFingerprint({fingerprint: fingerprint(key), masked: mask(key), length: key.length});
		for (const spelled of spellings) {
			for (const redactor of [held, byFingerprint]) {
				const out = redactor.text(`note: saw ${spelled} in the proxy log, 100% sure`);
				expect(out, spelled).toBe(`note: saw ${mask(key)} in the proxy log, 100% sure`);
			}
		}
		// The session sink: a note event's text is stored masked.
		expect(JSON.stringify(held.value({timeline: [{note: `key ${spellings[0]}`}]}))).not.toContain(key.slice(4));
	});
});
