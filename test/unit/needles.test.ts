// The one definition of a key's forms: every encoder spelling, and the partial needle for copies
// with some characters percent-encoded, confirmed exactly by decoding around the match.
import {describe, expect, it} from 'vitest';
import {decodeEscapes, findKey, holdsKey, keyNeedles, maskedLine, percentDecode} from '../../src/core/needles.js';
import {fakeKeys} from '../helpers/keys.js';

const forms = (key: string) => keyNeedles(key).map(needle => needle.bytes.toString('latin1'));
/** Python's urllib.parse.quote(key) with its defaults (safe='/'), written out. */
const pythonQuote = (key: string) => [...Buffer.from(key)].map(byte => (/[A-Za-z0-9_.\-~/]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
const everyChar = (key: string) => [...Buffer.from(key)].map(byte => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

describe('keyNeedles', () => {
	it("holds every encoder's spelling: encodeURIComponent, Python's quote() and quote_plus(), every character escaped, upper and lower hex", () => {
		const aws = fakeKeys.awsPair().split(':')[1]! + '+/=';
		const all = forms(aws);
		expect(all).toContain(aws);
		expect(all).toContain(encodeURIComponent(aws));
		expect(all).toContain(encodeURIComponent(aws).replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase()));
		expect(all).toContain(pythonQuote(aws));
		expect(pythonQuote(aws)).toContain('/');
		expect(pythonQuote(aws)).toContain('%2B');
		expect(pythonQuote(aws)).toContain('%3D');
		expect(all).toContain(everyChar(aws));
		expect(all).toContain(everyChar(aws).toLowerCase());
		const github = fakeKeys.github();
		expect(forms(github)).toContain(everyChar(github).toLowerCase());
		// At most 31 needles (the object scanner's limit), partial one included.
		expect(keyNeedles(aws, {partial: true}).length).toBeLessThanOrEqual(31);
	});

	it('asks for the partial needle only when a consumer confirms it, and never for a key of letters and digits only', () => {
		const github = fakeKeys.github();
		expect(keyNeedles(github).some(needle => needle.confirm)).toBe(false);
		const partial = keyNeedles(github, {partial: true}).filter(needle => needle.confirm);
		expect(partial.map(needle => needle.bytes.toString())).toEqual([github.slice(4)]);
		expect(keyNeedles('A1b2C3d4E5f6G7h8', {partial: true}).some(needle => needle.confirm)).toBe(false);
	});
});

describe('the partial needle', () => {
	it('finds the key with any of its other characters escaped (ghp%5F…, %5f, mixed), and masks the whole span', () => {
		const key = fakeKeys.github();
		const needles = keyNeedles(key, {partial: true});
		for (const spelled of [`ghp%5F${key.slice(4)}`, `ghp%5f${key.slice(4)}`, `%67hp%5F${key.slice(4)}`, `%67%68%70_${key.slice(4)}`]) {
			const content = Buffer.from(`token=${spelled}&x=1\n`);
			expect(findKey(content, needles), spelled).toEqual([{start: 6, end: 6 + spelled.length, needle: needles.length - 1}]);
			expect(holdsKey(content, needles)).toBe(true);
			expect(maskedLine(content, 6, needles, '…MASK')).toBe('token=…MASK&x=1');
		}
		const stripe = fakeKeys.stripeLive();
		const content = Buffer.from(`sk%5Flive%5F${stripe.slice(8)} and sk_live%5f${stripe.slice(8)}`);
		expect(findKey(content, keyNeedles(stripe, {partial: true})).length).toBe(2);
	});

	it('is exact: a raw copy is the raw needle\'s, a fragment or another key is nothing, an escape that decodes differently is nothing', () => {
		const key = fakeKeys.github();
		const needles = keyNeedles(key, {partial: true});
		expect(findKey(Buffer.from(key), needles)).toEqual([{start: 0, end: key.length, needle: 0}]);
		expect(holdsKey(Buffer.from(`ghx%5F${key.slice(4)}`), needles)).toBe(false);
		expect(holdsKey(Buffer.from(`ghp%5F${key.slice(4, -1)}`), needles)).toBe(false);
		expect(holdsKey(Buffer.from(`ghp%5`), needles)).toBe(false);
		expect(holdsKey(Buffer.from(key.slice(4)), needles)).toBe(false);
		// "%5" followed by the run's first character, a hex digit, is another escape: no key there.
		const hexStart = 'ghp_' + 'A' + key.slice(5);
		const hexNeedles = keyNeedles(hexStart, {partial: true});
		expect(holdsKey(Buffer.from(`ghp%5F${hexStart.slice(4)}`), hexNeedles)).toBe(true);
		expect(holdsKey(Buffer.from(`ghp%5${hexStart.slice(4)}`), hexNeedles)).toBe(false);
	});
});

describe('decoding', () => {
	it('percent-decodes like a decoder reading the whole text, mapping each byte to its origin', () => {
		const {bytes, map} = percentDecode(Buffer.from('a%41%zz%4'));
		expect(bytes.toString()).toBe('aA%zz%4');
		expect(map).toEqual([0, 1, 4, 5, 6, 7, 8, 9]);
	});

	it('decodes %XX, \\xXX, \\uXXXX and \\u{X} escapes in any case, mapping back to the original', () => {
		const {text, map} = decodeEscapes('k=\\x61\\X62\\u0063\\u{64}%65%6A\\u006B!');
		expect(text).toBe('k=a\\X62cdejk!');
		expect(map[2]).toBe(2);
		expect(map[text.length]).toBe('k=\\x61\\X62\\u0063\\u{64}%65%6A\\u006B!'.length);
	});
});
