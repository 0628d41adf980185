// Fingerprints, masking and the one redactor that guards every sink.
// The key itself only ever lives in memory; what is kept is its fingerprint and masked form.
import {createHash} from 'node:crypto';
import {decodeEscapes, keyNeedles} from './needles.js';

export function fingerprint(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

// Well-known, non-secret prefixes tell a responder which key this is. Only these are shown:
// the first characters of a prefix-less key (CloudSight, generic) are as secret as the rest.
const KNOWN_PREFIXES = [
	'sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'pk_live_', 'pk_test_', 'whsec_',
	'github_pat_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'glpat-',
	'xoxb-', 'xoxp-', 'xoxa-', 'xoxe-', 'xapp-',
	'sk-ant-', 'sk-proj-', 'sk-svcacct-', 'sk-',
	'AKIA', 'ASIA', 'AIza', 'SG.', 'hf_', 'gsk_', 'npm_', 'dop_v1_', 'doo_v1_', 'dckr_pat_', 'shpat_',
].sort((a, b) => b.length - a.length);

/** `sk_live_…a1b2`: a well-known provider prefix (if any) and the last four characters. */
export function mask(secret: string): string {
	let prefix = KNOWN_PREFIXES.find(candidate => secret.startsWith(candidate)) ?? '';
	// Never reveal more than a third of the key through the prefix.
	if (prefix.length > secret.length / 3) prefix = '';
	const tailLength = secret.length >= 16 ? 4 : secret.length >= 10 ? 2 : 0;
	const tail = tailLength > 0 ? secret.slice(-tailLength) : '';
	return `${prefix}…${tail}`;
}

export type Fingerprinted = {fingerprint: string; masked: string; length: number};

export type Redactor = {
	/** Replace every known secret (in any of its forms) with its masked form. */
	text(value: string): string;
	/** Deep copy of a JSON-like value with every string redacted. */
	value<T>(value: T): T;
	/** Teach the redactor a secret held in memory (the leaked key, the new key). */
	add(secret: string): void;
	/** Teach it a secret known only by fingerprint (a resumed incident before the key is re-entered). */
	addFingerprint(known: Fingerprinted): void;
};

/** Runs of text that may be an encoded key: base64 (either alphabet) or URL-encoded. */
const ENCODED_RUN = /[A-Za-z0-9+/_\-%.~!*'()]{12,}={0,2}/g;

/** Does some window of `text` hash to the fingerprint? Returns the window's start, or -1. */
function findByFingerprint(text: string, fp: Fingerprinted): number {
	for (let start = 0; start + fp.length <= text.length; start++) {
		if (fingerprint(text.slice(start, start + fp.length)) === fp.fingerprint) return start;
	}
	return -1;
}

/**
 * Masks every copy of a key found in the text with its escapes decoded (`ghp%5F…`, every
 * character as `%xx`, `\xXX` or `\uXXXX`, some escaped and some not): `find` gives the start
 * and length of a copy in the decoded text; its span in the original is masked. Two layers at most
 * (a `%255F` decodes to `%5F`, then `_`).
 */
function maskDecoded(value: string, find: (decoded: string) => Array<{at: number; length: number; masked: string}>): string {
	let out = value;
	// Each round masks what it found and decodes again (bounded: a few rounds at most).
	for (let round = 0; round < 4 && ESCAPED.test(out); round++) {
		let text = out;
		let map: number[] | null = null; // decoded offset -> offset in `out`
		let spans: Array<{start: number; end: number; masked: string}> = [];
		for (let layer = 0; layer < 2 && spans.length === 0; layer++) {
			const decoded = decodeEscapes(text);
			if (decoded.text === text) break;
			const previous: number[] | null = map;
			map = previous === null ? decoded.map : decoded.map.map(at => previous[at]!);
			text = decoded.text;
			const origin = map;
			spans = find(text).map(copy => ({start: origin[copy.at]!, end: origin[copy.at + copy.length]!, masked: copy.masked}));
		}
		if (spans.length === 0) break;
		// Right to left; a copy overlapping one already masked is covered by it.
		spans.sort((a, b) => b.start - a.start);
		let limit = Infinity;
		for (const span of spans) {
			if (span.end > limit) continue;
			out = out.slice(0, span.start) + span.masked + out.slice(span.end);
			limit = span.start;
		}
	}
	return out;
}

const ESCAPED = /%[0-9A-Fa-f]{2}|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f{]/;

/** Every start of `needle` in `text`. */
function allIndexes(text: string, needle: string): number[] {
	const found: number[] = [];
	for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) found.push(at);
	return found;
}

function decodings(run: string): string[] {
	const out: string[] = [];
	if (run.includes('%')) {
		try {
			out.push(decodeURIComponent(run));
		} catch {}
	}
	if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(run)) {
		// Any alignment: the key may sit after "user:" inside the encoded text.
		for (let skip = 0; skip < 4; skip++) out.push(Buffer.from(run.slice(skip), 'base64').toString('latin1'));
	}
	return out;
}

export function createRedactor(secrets: string[] = []): Redactor {
	const known = new Map<string, string>(); // form -> masked
	const fingerprints = new Map<string, Fingerprinted>();
	const held = new Set<string>(); // fingerprints of keys held in memory: their forms are known
	// The held keys themselves (memory only), as text and, for a non-ASCII key, as its UTF-8 bytes
	// one character each (what percent-decoding gives): found in the text with escapes decoded.
	const heldKeys: Array<{spellings: string[]; masked: string}> = [];

	// Base64 fragments of held keys (any alignment): the whole encoded run around one is masked.
	const encodedCores: Array<{core: string; masked: string}> = [];

	const add = (secret: string): void => {
		if (secret.length === 0) return;
		const masked = mask(secret);
		// The same patterns the scan looks for: raw and URL-encoded forms are replaced where they
		// stand; a base64 form masks the whole encoded run around it (a Basic header, an _auth).
		for (const needle of keyNeedles(secret)) {
			const text = needle.bytes.toString('utf8');
			if (needle.form === 'base64') encodedCores.push({core: text, masked});
			else known.set(text, masked);
		}
		const bytes = Buffer.from(secret, 'utf8').toString('latin1');
		if (!held.has(fingerprint(secret))) heldKeys.push({spellings: bytes === secret ? [secret] : [secret, bytes], masked});
		held.add(fingerprint(secret));
	};

	const text = (value: string): string => {
		let out = value;
		// Longest forms first so a base64 form is not half-replaced by a shorter one.
		const forms = [...known.keys()].sort((a, b) => b.length - a.length);
		for (const form of forms) {
			if (out.includes(form)) out = out.split(form).join(known.get(form)!);
		}
		for (const {core, masked} of encodedCores) {
			if (!out.includes(core)) continue;
			out = out.replace(/[A-Za-z0-9+/_-]+={0,2}/g, run => (run.includes(core) ? masked : run));
		}
		// Escaped copies: the text with its escapes decoded is searched, the original span masked.
		if (heldKeys.length > 0) {
			out = maskDecoded(out, decoded => heldKeys.flatMap(({spellings, masked}) => spellings.flatMap(spelling => allIndexes(decoded, spelling).map(at => ({at, length: spelling.length, masked})))));
		}
		// A key known only by its fingerprint (resumed without it): every window of the text, and
		// of every decoded run in it, and of the text with its escapes decoded, is hashed. Texts
		// here are short (names, notes, timeline lines).
		for (const fp of fingerprints.values()) {
			if (held.has(fp.fingerprint)) continue;
			out = maskDecoded(out, decoded => {
				const copies: Array<{at: number; length: number; masked: string}> = [];
				for (let from = 0; ; ) {
					const at = findByFingerprint(decoded.slice(from), fp);
					if (at === -1) break;
					copies.push({at: from + at, length: fp.length, masked: fp.masked});
					from += at + fp.length;
				}
				return copies;
			});
			for (let at = findByFingerprint(out, fp); at !== -1; at = findByFingerprint(out, fp)) {
				out = out.slice(0, at) + fp.masked + out.slice(at + fp.length);
			}
			out = out.replace(ENCODED_RUN, run => (decodings(run).some(decoded => findByFingerprint(decoded, fp) !== -1) ? fp.masked : run));
		}
		return out;
	};

	const value = <T>(input: T): T => {
		const walk = (node: unknown): unknown => {
			if (typeof node === 'string') return text(node);
			if (Array.isArray(node)) return node.map(walk);
			if (node !== null && typeof node === 'object') {
				const copy: Record<string, unknown> = {};
				for (const [k, v] of Object.entries(node)) copy[k] = walk(v);
				return copy;
			}
			return node;
		};
		return walk(input) as T;
	};

	for (const secret of secrets) add(secret);
	return {
		text,
		value,
		add,
		addFingerprint(fp) {
			fingerprints.set(fp.fingerprint, fp);
		},
	};
}
