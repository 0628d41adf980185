// The guard script leakfix writes (pre-commit, pre-push and CI run the same one): it knows each
// key only by its sha256, with the forms of the key it looks for and their rolling hashes.
import {keyNeedles} from '../../core/needles.js';
import {fingerprint} from '../../core/secrets.js';

/** One form of a key as the guard knows it: its sha256, length, character class and rolling hash. */
export type GuardForm = {fingerprint: string; length: number; charset: string; rolling: number};

/**
 * The guard: a Node script that reads the staged diff and refuses a commit whose added lines or
 * file names hold a leaked key, found by its sha256 (the script holds no secret): the key as
 * typed and base64-encoded, in the text as it is and with its escapes decoded (%XX in any case,
 * \xXX, \uXXXX), with wrapped base64 lines joined. Windows are taken only over runs of the
 * key's own characters.
 */
export function guardScript(keys: GuardForm[]): string {
	return String.raw`#!/usr/bin/env node
// leakfix guard: refuses a commit that adds a leaked key. It knows each key only by its sha256
// (and a 32-bit rolling hash that picks the windows worth hashing: a big diff stays fast).
import {createHash} from 'node:crypto';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
const KEYS = ${JSON.stringify(keys)};
const B = 257;
// --self-test reads a diff from stdin instead (leakfix proves the guard that way after installing it).
// --range A..B [--not REV | --remotes]...: the commits of a range, each commit's own patch (the
// pre-push guard, a CI job), so a key added by one commit and removed by the next is still seen.
const RANGE = process.argv.includes('--range') ? process.argv.slice(process.argv.indexOf('--range') + 1) : null;
if (RANGE && (RANGE.length === 0 || RANGE.some(arg => arg !== '--not' && arg !== '--remotes' && (arg.startsWith('-') || !/^[0-9A-Za-z_.\/@^~{}-]+$/.test(arg))))) {
	process.stderr.write('leakfix guard: --range takes A..B, then --not REV or --remotes\n');
	process.exit(2);
}
const logRange = () => {
	try {
		return execFileSync('git', ['log', '-p', '--cc', '--format=', '-U0', '--no-color', '--text', '--no-renames', '--no-ext-diff', ...RANGE], {encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe']});
	} catch (error) {
		process.stderr.write('leakfix guard: git could not read the commits of ' + RANGE.join(' ') + ': ' + String(error.stderr || error.message).trim() + '\n');
		process.exit(2);
	}
};
const diff = process.argv.includes('--self-test') ? readFileSync(0, 'utf8') : RANGE ? logRange() : execFileSync('git', ['diff', '--cached', '-U0', '--no-color', '--text', '--no-renames'], {encoding: 'utf8', maxBuffer: 512 * 1024 * 1024});
const FORMS = KEYS.map(key => {
	let top = 1;
	for (let i = 1; i < key.length; i++) top = Math.imul(top, B);
	// The form's characters as a byte table (forms are ASCII; any byte of a UTF-8 sequence is not one of them).
	const table = new Uint8Array(256);
	const member = new RegExp('[' + key.charset + ']');
	for (let byte = 0; byte < 128; byte++) table[byte] = member.test(String.fromCharCode(byte)) ? 1 : 0;
	return {...key, top, table};
});
// Where in bytes[from..] the rolling hash of a run of the form's characters matches (-1: nowhere).
const roll = (bytes, from, table, length, top, rolling) => {
	let run = 0;
	let hash = 0;
	for (let i = from; i < bytes.length; i++) {
		const byte = bytes[i];
		if (table[byte] === 0) {
			run = 0;
			hash = 0;
			continue;
		}
		if (run >= length) hash = (hash - Math.imul(bytes[i - length], top)) | 0;
		else run++;
		hash = (Math.imul(hash, B) + byte) | 0;
		if (run >= length && hash === rolling) return i + 1;
	}
	return -1;
};
// Does the text hold a form of a key? One pass over its bytes per form, rolling over runs of the
// form's characters; sha256 only where the rolling hash matches.
const holds = text => {
	const bytes = Buffer.from(text, 'utf8');
	for (const {fingerprint, length, rolling, top, table} of FORMS) {
		for (let end = roll(bytes, 0, table, length, top, rolling); end !== -1; end = roll(bytes, end - length + 1, table, length, top, rolling)) {
			if (createHash('sha256').update(bytes.subarray(end - length, end)).digest('hex') === fingerprint) return true;
		}
	}
	return false;
};
// Escapes decoded, two layers deep: ghp%5F..., %67%68..., \x67\x68..., "\u0067...", %255F.
const ESCAPE = /%([0-9A-Fa-f]{2})|\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\u\{([0-9A-Fa-f]{1,6})\}/g;
const decode = text => text.replace(ESCAPE, (all, a, b, c, d) => {
	const code = parseInt(a ?? b ?? c ?? d, 16);
	return code <= 0x10ffff ? String.fromCodePoint(code) : all;
});
const visible = text => text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, char => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'));
// where: the file whose added lines hold it, or null for a file's name (never printed: it holds the key).
const search = (text, where) => {
	for (let layer = 0, plain = text; layer < 3; layer++) {
		if (holds(plain)) {
			process.stderr.write('leakfix guard: this commit adds a leaked key (' + (where === null ? "in a file's name" : 'in ' + visible(where)) + '). Remove it and read it from a secret store instead.\n');
			process.exit(1);
		}
		const decoded = decode(plain);
		if (decoded === plain) break;
		plain = decoded;
	}
};
// The diff read by its structure: a file's header lines (diff --git, ---/+++, rename and copy)
// come before its first @@ hunk and are searched as names; inside a hunk every line whose prefix
// holds a + is an added line ("+++i" is the line "++i"). A file's added lines are searched
// together; consecutive lines that look like base64 are joined first (PEM, MIME: wrapped at 64
// or 76 columns), so a key's base64 split across lines is seen whole.
const BASE64_LINE = /^\s*[A-Za-z0-9+/_-]{8,}={0,2}\s*$/;
// Text is searched in pieces of about 4 MB (memory stays near the diff's own size); joined base64
// keeps the last bytes of a piece for the next, so a key across the cut is still seen whole.
const PIECE = 4 * 1024 * 1024;
const OVERLAP = Math.max(0, ...KEYS.map(key => key.length));
let file = '';
let inHunk = false;
let width = 1; // a hunk line's prefix: one column, or one per parent in a combined diff
let added = [];
let addedLength = 0;
let wrapped = [];
let wrappedLength = 0;
const addText = text => {
	added.push(text);
	addedLength += text.length + 1;
	if (addedLength > PIECE) flush();
};
const addWrapped = text => {
	wrapped.push(text);
	wrappedLength += text.length;
	if (wrappedLength > PIECE) {
		const joined = wrapped.join('');
		search(joined, file);
		wrapped = [joined.slice(-OVERLAP)];
		wrappedLength = wrapped[0].length;
	}
};
const endWrap = () => {
	const joined = wrapped.join('');
	wrapped = [];
	wrappedLength = 0;
	if (joined) addText(joined);
};
const flush = () => {
	const text = added.join('\n');
	added = [];
	addedLength = 0;
	if (text) search(text, file);
};
for (const line of diff.split('\n')) {
	if (line.startsWith('diff ')) {
		endWrap();
		flush();
		inHunk = false;
		width = 1;
		file = line.startsWith('diff --git ') ? line.slice(line.lastIndexOf(' b/') + 3) : line.slice(line.indexOf(' ', 5) + 1);
		search(line, null);
	} else if (!inHunk) {
		if (line.startsWith('@@')) {
			inHunk = true;
			width = /^@+/.exec(line)[0].length - 1;
			continue;
		}
		if (line.startsWith('+++ ') && line !== '+++ /dev/null') file = line.slice(line.startsWith('+++ b/') ? 6 : 4);
		search(line, null);
	} else if (line.startsWith('@@')) {
		endWrap();
	} else if (line.slice(0, width).includes('+')) {
		const text = line.slice(width);
		if (BASE64_LINE.test(text)) addWrapped(text.trim());
		else {
			endWrap();
			addText(text);
		}
	} else endWrap();
}
endWrap();
flush();
`;
}

/** The guard's 32-bit rolling hash of a string (the same arithmetic as in the script). */
export function rollingHash(text: string): number {
	let hash = 0;
	for (let index = 0; index < text.length; index++) hash = (Math.imul(hash, 257) + text.charCodeAt(index)) | 0;
	return hash;
}

/**
 * The characters a form is made of, as a class that says nothing of the form itself: letters and
 * digits as ranges, and the punctuation it uses, sorted (never the form's own characters in order).
 */
export function charClass(form: string): string {
	const specials = [...new Set(form.replace(/[A-Za-z0-9]/g, ''))].sort().map(char => char.replace(/[\]\\^-]/g, '\\$&'));
	return `A-Za-z0-9${specials.join('')}`;
}

/**
 * The forms of a key the guard looks for, from the scan's own (`keyNeedles`): as typed, and the
 * base64 runs that appear whatever precedes it (a Basic auth header's `user:KEY`), at every
 * alignment. The percent spellings are not needed: the guard searches the text with its escapes
 * decoded, which turns every one of them (and ones no list holds, `ghp%5F…`) into the key as typed.
 */
export function guardForms(key: string): GuardForm[] {
	const forms = [...new Set(keyNeedles(key).filter(needle => needle.form !== 'url-encoded').map(needle => needle.bytes.toString('utf8')))];
	return forms.map(form => ({fingerprint: fingerprint(form), length: form.length, charset: charClass(form), rolling: rollingHash(form)}));
}
