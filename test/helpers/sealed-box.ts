// libsodium's crypto_box_seal_open, for the GitHub stand-in to read what gh encrypted: X25519
// from node:crypto; BLAKE2b-192 (the nonce), HSalsa20/XSalsa20 and Poly1305 written out here,
// because node has none of them and a test should not add three packages for sixty lines.
// BigInt where it keeps the code short; speed does not matter for a few hundred bytes.
import crypto from 'node:crypto';

export type SealKeyPair = {publicKey: Buffer; privateKey: crypto.KeyObject};

export function sealKeyPair(): SealKeyPair {
	const {publicKey, privateKey} = crypto.generateKeyPairSync('x25519');
	return {publicKey: Buffer.from(publicKey.export({format: 'jwk'}).x!, 'base64url'), privateKey};
}

const MASK64 = (1n << 64n) - 1n;
const IV = [0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n, 0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n];
const SIGMA = [
	[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
	[14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
	[11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
	[7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
	[9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
	[2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
	[12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
	[13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
	[6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
	[10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/** BLAKE2b (RFC 7693), unkeyed, any output length up to 64 bytes. */
export function blake2b(input: Buffer, outLength: number): Buffer {
	const h = [...IV];
	h[0] = h[0]! ^ 0x01010000n ^ BigInt(outLength);
	const rotr = (x: bigint, n: bigint) => ((x >> n) | (x << (64n - n))) & MASK64;
	const blocks = Math.max(1, Math.ceil(input.length / 128));
	for (let block = 0; block < blocks; block++) {
		const chunk = Buffer.alloc(128);
		input.copy(chunk, 0, block * 128, Math.min(input.length, (block + 1) * 128));
		const m = Array.from({length: 16}, (_, i) => chunk.readBigUInt64LE(i * 8));
		const v = [...h, ...IV];
		const t = BigInt(Math.min(input.length, (block + 1) * 128));
		v[12] = v[12]! ^ (t & MASK64);
		v[13] = v[13]! ^ (t >> 64n);
		if (block === blocks - 1) v[14] = v[14]! ^ MASK64;
		const g = (a: number, b: number, c: number, d: number, x: bigint, y: bigint) => {
			v[a] = (v[a]! + v[b]! + x) & MASK64;
			v[d] = rotr(v[d]! ^ v[a]!, 32n);
			v[c] = (v[c]! + v[d]!) & MASK64;
			v[b] = rotr(v[b]! ^ v[c]!, 24n);
			v[a] = (v[a]! + v[b]! + y) & MASK64;
			v[d] = rotr(v[d]! ^ v[a]!, 16n);
			v[c] = (v[c]! + v[d]!) & MASK64;
			v[b] = rotr(v[b]! ^ v[c]!, 63n);
		};
		for (let round = 0; round < 12; round++) {
			const s = SIGMA[round % 10]!.map(index => m[index]!);
			g(0, 4, 8, 12, s[0]!, s[1]!);
			g(1, 5, 9, 13, s[2]!, s[3]!);
			g(2, 6, 10, 14, s[4]!, s[5]!);
			g(3, 7, 11, 15, s[6]!, s[7]!);
			g(0, 5, 10, 15, s[8]!, s[9]!);
			g(1, 6, 11, 12, s[10]!, s[11]!);
			g(2, 7, 8, 13, s[12]!, s[13]!);
			g(3, 4, 9, 14, s[14]!, s[15]!);
		}
		for (let i = 0; i < 8; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 8]!;
	}
	const out = Buffer.alloc(64);
	h.forEach((word, i) => out.writeBigUInt64LE(word, i * 8));
	return out.subarray(0, outLength);
}

/** The Salsa20 core: 20 rounds over 16 words; HSalsa20 returns 8 words without the final add. */
function salsaCore(input: Uint32Array, hsalsa: boolean): Uint32Array {
	const x = Uint32Array.from(input);
	const r = (a: number, b: number, c: number, n: number) => {
		const sum = (x[b]! + x[c]!) >>> 0;
		x[a] = x[a]! ^ ((sum << n) | (sum >>> (32 - n)));
	};
	for (let i = 0; i < 10; i++) {
		r(4, 0, 12, 7);
		r(8, 4, 0, 9);
		r(12, 8, 4, 13);
		r(0, 12, 8, 18);
		r(9, 5, 1, 7);
		r(13, 9, 5, 9);
		r(1, 13, 9, 13);
		r(5, 1, 13, 18);
		r(14, 10, 6, 7);
		r(2, 14, 10, 9);
		r(6, 2, 14, 13);
		r(10, 6, 2, 18);
		r(3, 15, 11, 7);
		r(7, 3, 15, 9);
		r(11, 7, 3, 13);
		r(15, 11, 7, 18);
		r(1, 0, 3, 7);
		r(2, 1, 0, 9);
		r(3, 2, 1, 13);
		r(0, 3, 2, 18);
		r(6, 5, 4, 7);
		r(7, 6, 5, 9);
		r(4, 7, 6, 13);
		r(5, 4, 7, 18);
		r(11, 10, 9, 7);
		r(8, 11, 10, 9);
		r(9, 8, 11, 13);
		r(10, 9, 8, 18);
		r(12, 15, 14, 7);
		r(13, 12, 15, 9);
		r(14, 13, 12, 13);
		r(15, 14, 13, 18);
	}
	if (hsalsa) return Uint32Array.from([0, 5, 10, 15, 6, 7, 8, 9].map(i => x[i]!));
	return x.map((word, i) => (word + input[i]!) >>> 0);
}

function salsaInput(key: Buffer, sixteen: Buffer): Uint32Array {
	const words = (buffer: Buffer) => Array.from({length: buffer.length / 4}, (_, i) => buffer.readUInt32LE(i * 4));
	const k = words(key);
	const n = words(sixteen);
	return Uint32Array.from([0x61707865, k[0]!, k[1]!, k[2]!, k[3]!, 0x3320646e, n[0]!, n[1]!, n[2]!, n[3]!, 0x79622d32, k[4]!, k[5]!, k[6]!, k[7]!, 0x6b206574]);
}

const wordsToBuffer = (words: Uint32Array) => {
	const out = Buffer.alloc(words.length * 4);
	words.forEach((word, i) => out.writeUInt32LE(word, i * 4));
	return out;
};

export const hsalsa20 = (key: Buffer, sixteen: Buffer) => wordsToBuffer(salsaCore(salsaInput(key, sixteen), true));

/** XSalsa20 key stream of `length` bytes for a 24-byte nonce. */
export function xsalsa20Stream(key: Buffer, nonce: Buffer, length: number): Buffer {
	const subkey = hsalsa20(key, nonce.subarray(0, 16));
	const blocks: Buffer[] = [];
	for (let counter = 0; counter * 64 < length; counter++) {
		const sixteen = Buffer.alloc(16);
		nonce.copy(sixteen, 0, 16, 24);
		sixteen.writeBigUInt64LE(BigInt(counter), 8);
		blocks.push(wordsToBuffer(salsaCore(salsaInput(subkey, sixteen), false)));
	}
	return Buffer.concat(blocks).subarray(0, length);
}

/** Poly1305 (RFC 8439) one-time MAC. */
export function poly1305(key: Buffer, message: Buffer): Buffer {
	const le = (buffer: Buffer) => BigInt(`0x${Buffer.from(buffer).reverse().toString('hex') || '0'}`);
	const r = le(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
	const s = le(key.subarray(16, 32));
	const p = (1n << 130n) - 5n;
	let acc = 0n;
	for (let at = 0; at < message.length; at += 16) {
		const chunk = message.subarray(at, at + 16);
		acc = ((acc + le(chunk) + (1n << BigInt(8 * chunk.length))) * r) % p;
	}
	const tag = (acc + s) & ((1n << 128n) - 1n);
	return Buffer.from(tag.toString(16).padStart(32, '0'), 'hex').reverse();
}

/** Opens a sealed box (ephemeral public key ‖ Poly1305 tag ‖ ciphertext); throws when it was not sealed to this key pair. */
export function sealOpen(sealed: Buffer, keys: SealKeyPair): Buffer {
	if (sealed.length < 48) throw new Error('sealed box too short');
	const ephemeral = sealed.subarray(0, 32);
	const nonce = blake2b(Buffer.concat([ephemeral, keys.publicKey]), 24);
	const shared = crypto.diffieHellman({privateKey: keys.privateKey, publicKey: crypto.createPublicKey({key: {kty: 'OKP', crv: 'X25519', x: ephemeral.toString('base64url')}, format: 'jwk'})});
	const key = hsalsa20(shared, Buffer.alloc(16));
	const tag = sealed.subarray(32, 48);
	const body = sealed.subarray(48);
	const stream = xsalsa20Stream(key, nonce, 32 + body.length);
	if (!crypto.timingSafeEqual(poly1305(stream.subarray(0, 32), body), tag)) throw new Error('sealed box: the tag does not match');
	return Buffer.from(body.map((byte, i) => byte ^ stream[32 + i]!));
}
