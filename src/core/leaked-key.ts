// The leaked (or new) key as one value, made once where the key arrives (intake, --key-stdin, a
// re-entered key): the secret as entered, the part that sits in files and stores, the public key
// id, its fingerprint and masked form, and every value a redactor must hide. An AWS pair is split
// here and nowhere else. Lives in memory only: never stored, logged or passed in argv.
import {fingerprint, mask} from './secrets.js';

export type KeyFormat = 'aws-pair' | 'single';

export type LeakedKey = {
	/** Exactly what was entered (an AWS pair as "AKIA…:secret"): what probes and the session fingerprint use. */
	readonly raw: string;
	readonly format: KeyFormat;
	/**
	 * The value that sits in code, files, logs and stores: a pair's secret half, else the raw key.
	 * Every search looks for this (the scan and re-scan, the purge, discovery, log lines, the
	 * harden flow): a copy of the whole pair contains it, a copy of the secret alone is only found
	 * by it. Its search forms (quoted, URL-encoded, base64, …) are `keyNeedles(secret)` in needles.ts.
	 */
	readonly secret: string;
	/** The public key id (an AWS access key id), or null: the only part ever put on a command line. */
	readonly keyId: string | null;
	/** sha256 of `raw`: what the session keeps to recognise the key again. */
	readonly fingerprint: string;
	readonly masked: string;
	readonly length: number;
	/** Every value a redactor must hide: the raw key and a pair's secret half (the key id is public). */
	readonly redactions: readonly string[];
};

const AWS_ID = /^(?:AKIA|ASIA)[A-Z2-7]{16}$/;

/** An AWS pair's halves, as entered ("id:secret", "id secret" or two lines); null when it is not a well-formed pair. */
export function splitPair(raw: string): {id: string; secret: string} | null {
	const [id = '', secret = ''] = raw.trim().split(/[:\s]+/, 2);
	return AWS_ID.test(id) && secret.length >= 20 ? {id, secret} : null;
}

/**
 * The key as one value. For an AWS pair that does not parse (a secret pasted alone), `secret` is
 * what follows the first separator when there is one, else the whole text, and `keyId` is null: a
 * pasted secret is never taken for an id.
 */
export function leakedKey(raw: string, format: KeyFormat = 'single'): LeakedKey {
	const text = raw.trim();
	let secret = text;
	let keyId: string | null = null;
	if (format === 'aws-pair') {
		const pair = splitPair(text);
		if (pair) {
			secret = pair.secret;
			keyId = pair.id;
		} else {
			const parts = text.split(/[:\s]+/);
			if (parts.length > 1 && parts[1]) secret = parts[1];
		}
	}
	const redactions = [...new Set([text, secret])];
	return {raw: text, format, secret, keyId, fingerprint: fingerprint(text), masked: mask(text), length: text.length, redactions};
}

/** The key's format from a playbook's `keyFormat` (absent: a single key). */
export function keyFormatOf(provider: {keyFormat?: string} | undefined): KeyFormat {
	return provider?.keyFormat === 'aws-pair' ? 'aws-pair' : 'single';
}

/** The session's record of a key (no secret in it). */
export function keyRecord(key: LeakedKey): {fingerprint: string; masked: string; length: number} {
	return {fingerprint: key.fingerprint, masked: key.masked, length: key.length};
}
