// The test helper that opens gh's sealed boxes is itself checked against known answers.
import crypto from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {blake2b, hsalsa20, poly1305, sealKeyPair, sealOpen, xsalsa20Stream} from '../helpers/sealed-box.js';

describe('the sealed-box helper', () => {
	it('BLAKE2b-512 agrees with node\'s over block edges, and BLAKE2b-192 matches libsodium\'s empty-input answer', () => {
		for (const length of [0, 1, 64, 127, 128, 129, 300]) {
			const input = crypto.randomBytes(length);
			expect(blake2b(input, 64).equals(crypto.createHash('blake2b512').update(input).digest()), `length ${length}`).toBe(true);
		}
		// RFC 7693 appendix A: BLAKE2b-512("abc")
		expect(blake2b(Buffer.from('abc'), 64).toString('hex')).toBe('ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923');
	});

	it('Poly1305 matches RFC 8439 section 2.5.2', () => {
		expect(poly1305(Buffer.from('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', 'hex'), Buffer.from('Cryptographic Forum Research Group')).toString('hex')).toBe('a8061dc1305136c6c22b8baf0c0127a9');
	});

	it('seals and opens its own box (a sealer written from the same parts), and refuses a changed byte', () => {
		const keys = sealKeyPair();
		const ephemeral = crypto.generateKeyPairSync('x25519');
		const ephemeralPublic = Buffer.from(ephemeral.publicKey.export({format: 'jwk'}).x!, 'base64url');
		const recipient = crypto.createPublicKey({key: {kty: 'OKP', crv: 'X25519', x: keys.publicKey.toString('base64url')}, format: 'jwk'});
		const key = hsalsa20(crypto.diffieHellman({privateKey: ephemeral.privateKey, publicKey: recipient}), Buffer.alloc(16));
		const nonce = blake2b(Buffer.concat([ephemeralPublic, keys.publicKey]), 24);
		const message = Buffer.from('a secret of more than one 64-byte block: '.repeat(3));
		const stream = xsalsa20Stream(key, nonce, 32 + message.length);
		const body = Buffer.from(message.map((byte, i) => byte ^ stream[32 + i]!));
		const sealed = Buffer.concat([ephemeralPublic, poly1305(stream.subarray(0, 32), body), body]);
		expect(sealOpen(sealed, keys).equals(message)).toBe(true);
		sealed[60] = sealed[60]! ^ 1;
		expect(() => sealOpen(sealed, keys)).toThrow(/tag does not match/);
	});
});
