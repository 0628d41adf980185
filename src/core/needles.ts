// The byte patterns that betray a key: as typed, percent-encoded (every spelling an encoder
// gives: JavaScript's encodeURIComponent, Python's quote() and quote_plus(), every character
// escaped; upper- and lower-case hex), and base64-encoded at any alignment (a key inside
// `base64("user:" + key)` in a Basic auth header or an .npmrc `_auth`). The scan, the log search,
// the redactor and the pre-commit guard all take their forms from here.
export type KeyForm = 'raw' | 'url-encoded' | 'base64';

/** Where a copy of the key lies in a buffer: [start, end). */
export type Span = {start: number; end: number};

/**
 * A byte pattern. An exact needle is a copy of the key wherever it matches. A partial needle (the
 * key's longest run of letters and digits) only says where to look: a match stands when `confirm`
 * finds the whole key, percent-decoded, around it (`ghp%5F…`: some characters escaped, others not).
 */
export type Needle = {
	form: KeyForm;
	bytes: Buffer;
	/** Partial needles only: the span of the encoded copy the match at `at` belongs to, or null. */
	confirm?: (content: Buffer, at: number) => Span | null;
	/** Partial needles only: how many bytes before and after the match `confirm` reads. */
	reach?: {before: number; after: number};
};

/**
 * The base64 text that is certain to appear when `key` is encoded after `offset` bytes of
 * anything (0, 1 or 2 mod 3): the characters that depend only on the key's own bytes.
 */
export function base64Core(key: Buffer, offset: 0 | 1 | 2): string {
	const encoded = Buffer.concat([Buffer.alloc(offset), key]).toString('base64').replace(/=+$/, '');
	// Characters touching the preceding bytes, or the unknown bytes after the key, vary.
	const start = offset === 0 ? 0 : offset === 1 ? 2 : 3;
	const totalBits = (offset + key.length) * 8;
	const end = Math.floor(totalBits / 6);
	return encoded.slice(start, end);
}

const HEX = '0123456789ABCDEF';

/** Percent-encodes every byte of `key` that `keep` does not leave as it is. */
function percentEncode(key: Buffer, keep: (byte: number) => boolean, lower: boolean): string {
	let out = '';
	for (const byte of key) out += keep(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
	return lower ? out.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase()) : out;
}

const isAlnum = (byte: number) => (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122);
/** The percent-encoders' spellings: which bytes each leaves unescaped. */
const SPELLINGS: Array<(byte: number) => boolean> = [
	// encodeURIComponent: A-Z a-z 0-9 - _ . ! ~ * ' ( )
	byte => isAlnum(byte) || "-_.!~*'()".includes(String.fromCharCode(byte)),
	// Python's urllib.parse.quote() (safe='/' by default): A-Z a-z 0-9 _ . - ~ and /
	byte => isAlnum(byte) || '_.-~/'.includes(String.fromCharCode(byte)),
	// quote(safe='') and quote_plus() (a key holds no space): A-Z a-z 0-9 _ . - ~
	byte => isAlnum(byte) || '_.-~'.includes(String.fromCharCode(byte)),
	// Every byte escaped.
	() => false,
];

/** Shorter partial needles would match by chance too often to be worth confirming. */
export const PARTIAL_MIN = 8;

/**
 * Every form of the key. With `partial`, also the key's longest run of letters and digits as a
 * partial needle (see `Needle`), for copies with any of its other characters percent-encoded
 * (and the letters and digits around that run as typed or escaped); only consumers that confirm
 * partial matches (the scan, the log search) ask for it.
 */
export function keyNeedles(key: string, options: {partial?: boolean} = {}): Needle[] {
	const raw = Buffer.from(key, 'utf8');
	const needles: Needle[] = [{form: 'raw', bytes: raw}];
	const exact = new Set<string>([raw.toString('latin1')]);
	for (const keep of SPELLINGS) {
		for (const lower of [false, true]) {
			const form = percentEncode(raw, keep, lower);
			if (exact.has(form)) continue;
			exact.add(form);
			needles.push({form: 'url-encoded', bytes: Buffer.from(form, 'latin1')});
		}
	}
	const seen = new Set<string>();
	for (const offset of [0, 1, 2] as const) {
		for (const variant of [base64Core(raw, offset), base64Core(raw, offset).replace(/\+/g, '-').replace(/\//g, '_')]) {
			// Too short a fragment would match by chance; keys are long enough that this never drops all.
			if (variant.length < 12 || seen.has(variant)) continue;
			seen.add(variant);
			needles.push({form: 'base64', bytes: Buffer.from(variant, 'ascii')});
		}
	}
	if (options.partial) {
		const partial = partialNeedle(raw, exact);
		if (partial) needles.push(partial);
	}
	return needles;
}

const hexValue = (byte: number | undefined): number => {
	if (byte === undefined) return -1;
	if (byte >= 48 && byte <= 57) return byte - 48;
	if (byte >= 65 && byte <= 70) return byte - 55;
	if (byte >= 97 && byte <= 102) return byte - 87;
	return -1;
};

/**
 * Percent-decodes `content[from, to)` as a decoder reading the whole text would (a valid `%XX` is
 * one byte, anything else stays as it is), with `map[i]` the offset in `content` where decoded
 * byte i starts (and `map[length]` = `to`).
 */
export function percentDecode(content: Buffer, from = 0, to = content.length): {bytes: Buffer; map: number[]} {
	const bytes = Buffer.allocUnsafe(to - from);
	const map: number[] = [];
	let length = 0;
	for (let at = from; at < to; ) {
		map.push(at);
		if (content[at] === 37 && at + 2 < to) {
			const high = hexValue(content[at + 1]);
			const low = hexValue(content[at + 2]);
			if (high !== -1 && low !== -1) {
				bytes[length++] = high * 16 + low;
				at += 3;
				continue;
			}
		}
		bytes[length++] = content[at]!;
		at++;
	}
	map.push(to);
	return {bytes: bytes.subarray(0, length), map};
}

/** The key's longest run of letters and digits, confirmed by decoding around each match. */
function partialNeedle(key: Buffer, exact: Set<string>): Needle | null {
	let best = {start: 0, length: 0};
	for (let start = 0; start < key.length; ) {
		if (!isAlnum(key[start]!)) {
			start++;
			continue;
		}
		let end = start;
		while (end < key.length && isAlnum(key[end]!)) end++;
		if (end - start > best.length) best = {start, length: end - start};
		start = end;
	}
	// A key of letters and digits only is its own run: its raw needle already finds it.
	if (best.length === key.length || best.length < PARTIAL_MIN) return null;
	const before = best.start;
	const after = key.length - best.start - best.length;
	// Each byte of the key takes at most 3 bytes; 2 more on each side put the decoder in step with
	// one that reads the whole text (no escape can straddle into the part that matters).
	const reach = {before: 3 * before + 2, after: 3 * after + 2};
	return {
		form: 'url-encoded',
		bytes: key.subarray(best.start, best.start + best.length),
		reach,
		confirm(content, at) {
			const from = Math.max(0, at - reach.before);
			const to = Math.min(content.length, at + best.length + reach.after);
			const {bytes, map} = percentDecode(content, from, to);
			// The decoded byte where the match starts (none: the match is inside an escape).
			let index = -1;
			for (let i = 0; i < map.length - 1; i++) {
				if (map[i] === at) {
					index = i;
					break;
				}
				if (map[i]! > at) break;
			}
			const first = index - before;
			if (index === -1 || first < 0 || first + key.length > bytes.length) return null;
			if (!bytes.subarray(first, first + key.length).equals(key)) return null;
			const span = {start: map[first]!, end: map[first + key.length]!};
			// A copy an exact needle matches (as typed, or a whole spelling) is that needle's.
			if (exact.has(content.toString('latin1', span.start, span.end))) return null;
			return span;
		},
	};
}

/** The span of the copy of the key that `needle` matches at `at`: exact, or confirmed, or null. */
export function matchSpan(needle: Needle, content: Buffer, at: number): Span | null {
	return needle.confirm ? needle.confirm(content, at) : {start: at, end: at + needle.bytes.length};
}

/** Every copy of the key in `content` (exact matches, and confirmed partial ones), in order. */
export function findKey(content: Buffer, needles: Needle[]): Array<Span & {needle: number}> {
	const found: Array<Span & {needle: number}> = [];
	for (const [index, needle] of needles.entries()) {
		for (let at = content.indexOf(needle.bytes); at !== -1; at = content.indexOf(needle.bytes, at + 1)) {
			const span = matchSpan(needle, content, at);
			if (span) found.push({...span, needle: index});
		}
	}
	return found.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * The needles worth searching for when every match of a partial needle is then checked with
 * `holdsKey` (a log line): an exact needle that holds a partial needle's bytes is found by it
 * anyway (as typed, and every spelling that leaves letters and digits alone). One pattern fewer
 * matters: grep -F with two patterns reads about half as fast as with one.
 */
export function searchNeedles(needles: Needle[]): Needle[] {
	const partial = needles.filter(needle => needle.confirm);
	return needles.filter(needle => needle.confirm || !partial.some(part => needle.bytes.includes(part.bytes)));
}

/** Does `content` hold a copy of the key (an exact needle, or a confirmed partial one)? */
export function holdsKey(content: Buffer, needles: Needle[]): boolean {
	for (const needle of needles) {
		for (let at = content.indexOf(needle.bytes); at !== -1; at = content.indexOf(needle.bytes, at + 1)) {
			if (!needle.confirm || needle.confirm(content, at)) return true;
		}
	}
	return false;
}

/**
 * Text with its escapes decoded (`%XX`, `\xXX`, `\uXXXX`, `\u{X…}`), each decoded character
 * mapped to the offset of what it came from in `text` (`map[length]` = `text.length`): a key
 * found in the decoded text is masked over its span in the original. A `%XX` is one byte, kept
 * as the character of that code (keys are ASCII; a UTF-8 key is compared by its bytes too).
 */
export function decodeEscapes(text: string): {text: string; map: number[]} {
	const map: number[] = [];
	let out = '';
	const pattern = /%([0-9A-Fa-f]{2})|\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\u\{([0-9A-Fa-f]{1,6})\}/g;
	let last = 0;
	for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
		for (let at = last; at < match.index; at++) map.push(at);
		out += text.slice(last, match.index);
		const code = parseInt(match[1] ?? match[2] ?? match[3] ?? match[4]!, 16);
		const char = code <= 0x10ffff ? String.fromCodePoint(code) : match[0];
		for (let i = 0; i < char.length; i++) map.push(match.index);
		out += char;
		last = match.index + match[0].length;
	}
	if (last === 0) return {text, map: Array.from({length: text.length + 1}, (_, at) => at)};
	for (let at = last; at < text.length; at++) map.push(at);
	out += text.slice(last);
	map.push(text.length);
	return {text: out, map};
}

/** 1-based line and column of a byte offset in a text buffer. */
export function lineAt(content: Buffer, offset: number): {line: number; column: number} {
	let line = 1;
	let lineStart = 0;
	for (let index = content.indexOf(10); index !== -1 && index < offset; index = content.indexOf(10, index + 1)) {
		line++;
		lineStart = index + 1;
	}
	return {line, column: offset - lineStart + 1};
}

/**
 * The line holding `offset`, with every copy of the key in it masked (a confirmed partial match
 * over its whole encoded span; an unconfirmed partial needle's bytes too, as a precaution),
 * trimmed to `width` characters.
 */
export function maskedLine(content: Buffer, offset: number, needles: Needle[], masked: string, width = 160): string {
	const start = content.lastIndexOf(10, offset) + 1;
	let end = content.indexOf(10, offset);
	if (end === -1) end = content.length;
	const bytes = content.subarray(start, Math.min(end, start + 4096));
	const spans: Span[] = findKey(bytes, needles);
	for (const needle of needles) {
		if (!needle.confirm) continue;
		for (let at = bytes.indexOf(needle.bytes); at !== -1; at = bytes.indexOf(needle.bytes, at + 1)) spans.push({start: at, end: at + needle.bytes.length});
	}
	spans.sort((a, b) => a.start - b.start);
	let line = '';
	let from = 0;
	for (const span of spans) {
		if (span.end <= from) continue;
		// Overlapping copies (a base64 fragment inside a longer one) are masked once.
		if (span.start >= from) line += bytes.toString('utf8', from, span.start) + masked;
		from = span.end;
	}
	line += bytes.toString('utf8', from);
	line = line.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '?').trim();
	return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
