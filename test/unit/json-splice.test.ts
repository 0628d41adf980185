// The JSON secret's one member is changed in its text; every other byte stays.
import {describe, expect, it} from 'vitest';
import {spliceJsonMember} from '../../src/core/jsonSplice.js';

const NEW = 'new-' + 'value-' + '0123456789';

describe('spliceJsonMember', () => {
	it('keeps big integers, 1.0, 1e2 and -0 exactly as written (a parse and stringify would not)', () => {
		const text = '{"id":123456789012345678901,"ratio":1.0,"scale":1e2,"neg":-0,"api_key":"old"}';
		const result = spliceJsonMember(text, 'api_key', NEW);
		expect(result).toEqual({ok: true, text: `{"id":123456789012345678901,"ratio":1.0,"scale":1e2,"neg":-0,"api_key":"${NEW}"}`});
	});

	it('keeps a pretty document pretty: indentation, CRLF, key order and the final newline', () => {
		const text = '{\r\n    "db_password" : "unchanged",\r\n    "api_key":\t"old",\r\n    "z": [1, 2,\r\n      3]\r\n}\r\n';
		const result = spliceJsonMember(text, 'api_key', NEW);
		expect(result).toEqual({ok: true, text: text.replace('"old"', JSON.stringify(NEW))});
	});

	it('keeps other members\' escapes (\\u00e9, \\/, \\n) and non-ASCII text byte for byte, and escapes the new value as JSON', () => {
		const text = '{"name":"caf\\u00e9 \\/ r\\u00e9sum\\u00e9\\n","city":"Zürich 🚀","api_key":"o\\"ld"}';
		const result = spliceJsonMember(text, 'api_key', 'a"b\\c\u0001');
		expect(result).toEqual({ok: true, text: '{"name":"caf\\u00e9 \\/ r\\u00e9sum\\u00e9\\n","city":"Zürich 🚀","api_key":"a\\"b\\\\c\\u0001"}'});
		expect(JSON.parse((result as {text: string}).text).api_key).toBe('a"b\\c\u0001');
	});

	it('changes only the top-level member: the same name inside nested objects and arrays is left', () => {
		const text = '{"nested":{"api_key":"inner","deeper":[{"api_key":"x"}]},"api_key":"outer","after":{"api_key":"y"}}';
		const result = spliceJsonMember(text, 'api_key', NEW);
		expect(result).toEqual({ok: true, text: `{"nested":{"api_key":"inner","deeper":[{"api_key":"x"}]},"api_key":"${NEW}","after":{"api_key":"y"}}`});
	});

	it('matches a key written with escapes by what it says', () => {
		const result = spliceJsonMember('{"api\\u005fkey":"old"}', 'api_key', NEW);
		expect(result).toEqual({ok: true, text: `{"api\\u005fkey":"${NEW}"}`});
	});

	it('refuses, with the reason, a document that is not an object, a missing, repeated or non-string member, and broken JSON', () => {
		expect(spliceJsonMember('"just a string"', 'api_key', NEW)).toMatchObject({ok: false, reason: expect.stringContaining('not a JSON object')});
		expect(spliceJsonMember('[{"api_key":"old"}]', 'api_key', NEW)).toMatchObject({ok: false, reason: expect.stringContaining('not a JSON object')});
		expect(spliceJsonMember('{"other":"x"}', 'api_key', NEW)).toMatchObject({ok: false, reason: expect.stringContaining('has no key "api_key"')});
		expect(spliceJsonMember('{"other":{"api_key":"x"}}', 'api_key', NEW)).toMatchObject({ok: false, reason: expect.stringContaining('has no key "api_key"')});
		expect(spliceJsonMember('{"api_key":"a","api_key":"b"}', 'api_key', NEW)).toMatchObject({ok: false, reason: expect.stringContaining('2 times')});
		expect(spliceJsonMember('{"api_key":42}', 'api_key', NEW)).toMatchObject({ok: false, reason: expect.stringContaining('is not a string')});
		expect(spliceJsonMember('{"api_key":null}', 'api_key', NEW)).toMatchObject({ok: false, reason: expect.stringContaining('is not a string')});
		for (const broken of ['{"api_key":"old"', '{"api_key":"old",}', '{"api_key":"old"} x', '{"api_key":01}', '{"api_key":"a\u0001"}', '{"api_key":"\\x"}', '{"a":tru}', "{'api_key':'old'}"]) {
			expect(spliceJsonMember(broken, 'api_key', NEW), broken).toMatchObject({ok: false, reason: expect.stringMatching(/not valid JSON|not a JSON object/)});
		}
	});

	it('agrees with JSON.parse on what the result holds', () => {
		const text = '{ "a" : [ 1 , { "b" : "c" } ] , "k" : "" , "e" : { } , "f" : [ ] }';
		const result = spliceJsonMember(text, 'k', NEW);
		expect(result.ok).toBe(true);
		expect(JSON.parse((result as {text: string}).text)).toEqual({...JSON.parse(text), k: NEW});
	});
});
