// The byte patterns that betray a key: as typed, URL-encoded, and base64-encoded at any
// alignment (a key inside `base64("user:" + key)` in a Basic auth header or an .npmrc `_auth`).
export type KeyForm = 'raw' | 'url-encoded' | 'base64';

export type Needle = {form: KeyForm; bytes: Buffer};

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

export function keyNeedles(key: string): Needle[] {
	const raw = Buffer.from(key, 'utf8');
	const needles: Needle[] = [{form: 'raw', bytes: raw}];
	const url = encodeURIComponent(key);
	if (url !== key) {
		needles.push({form: 'url-encoded', bytes: Buffer.from(url, 'utf8')});
		const lower = url.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase());
		if (lower !== url) needles.push({form: 'url-encoded', bytes: Buffer.from(lower, 'utf8')});
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
	return needles;
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

/** The line holding `offset`, with every needle in it masked, trimmed to `width` characters. */
export function maskedLine(content: Buffer, offset: number, needles: Needle[], masked: string, width = 160): string {
	const start = content.lastIndexOf(10, offset) + 1;
	let end = content.indexOf(10, offset);
	if (end === -1) end = content.length;
	let line = content.subarray(start, Math.min(end, start + 4096)).toString('utf8');
	for (const needle of needles) line = line.split(needle.bytes.toString('utf8')).join(masked);
	line = line.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '?').trim();
	return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
