// Setting one member of a JSON secret by editing its text: only that member's value changes,
// every other byte (indentation, key order, numbers such as 123456789012345678901 or 1.0 or
// 1e2, escapes) stays as it was. A parse-and-stringify round trip would rewrite them all.

export type SpliceResult = {ok: true; text: string} | {ok: false; reason: string};

class Refusal extends Error {}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const MAX_DEPTH = 512;
const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A strict JSON tokenizer over the text: positions only, values are never rebuilt. */
class Scanner {
	index = 0;
	constructor(readonly text: string) {}

	fail(what: string): never {
		throw new Refusal(`it is not valid JSON (${what} at character ${this.index + 1})`);
	}

	skipWhitespace() {
		while (this.index < this.text.length && WHITESPACE.has(this.text[this.index]!)) this.index++;
	}

	expect(char: string) {
		if (this.text[this.index] !== char) this.fail(`expected "${char}"`);
		this.index++;
	}

	/** A string token: its span [start, end). */
	string(): [number, number] {
		const start = this.index;
		this.expect('"');
		for (;;) {
			if (this.index >= this.text.length) this.fail('an unterminated string');
			const code = this.text.charCodeAt(this.index);
			if (code === 0x22) {
				this.index++;
				return [start, this.index];
			}
			if (code < 0x20) this.fail('a control character inside a string');
			if (code === 0x5c) {
				const next = this.text[this.index + 1];
				if (next === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.index + 2, this.index + 6))) this.fail('a bad \\u escape');
					this.index += 6;
				} else if (next !== undefined && '"\\/bfnrt'.includes(next)) this.index += 2;
				else this.fail('a bad escape');
			} else this.index++;
		}
	}

	/** Any value: its span and whether it is a string. */
	value(depth: number): {start: number; end: number; kind: 'string' | 'other'} {
		if (depth > MAX_DEPTH) this.fail('nesting deeper than 512 levels');
		const start = this.index;
		const char = this.text[this.index];
		if (char === '"') {
			const [, end] = this.string();
			return {start, end, kind: 'string'};
		}
		if (char === '{' || char === '[') {
			const close = char === '{' ? '}' : ']';
			this.index++;
			this.skipWhitespace();
			if (this.text[this.index] === close) {
				this.index++;
				return {start, end: this.index, kind: 'other'};
			}
			for (;;) {
				if (char === '{') {
					this.string();
					this.skipWhitespace();
					this.expect(':');
					this.skipWhitespace();
				}
				this.value(depth + 1);
				this.skipWhitespace();
				if (this.text[this.index] === ',') {
					this.index++;
					this.skipWhitespace();
					continue;
				}
				this.expect(close);
				return {start, end: this.index, kind: 'other'};
			}
		}
		LITERAL.lastIndex = this.index;
		const literal = LITERAL.exec(this.text);
		if (!literal) this.fail('an unexpected character');
		this.index += literal[0].length;
		return {start, end: this.index, kind: 'other'};
	}
}

/**
 * The document with the top-level member `key` set to the string `value`, and nothing else
 * changed. Refuses (with the reason) a document that is not a JSON object, and a member that is
 * missing, present more than once, or not a string.
 */
export function spliceJsonMember(text: string, key: string, value: string): SpliceResult {
	const scanner = new Scanner(text);
	const matches: Array<{start: number; end: number; kind: 'string' | 'other'}> = [];
	try {
		scanner.skipWhitespace();
		if (scanner.text[scanner.index] !== '{') return {ok: false, reason: `the current secret is not a JSON object, so its key "${key}" cannot be set (clear the JSON key in the entry to replace the whole value)`};
		scanner.index++;
		scanner.skipWhitespace();
		if (scanner.text[scanner.index] === '}') scanner.index++;
		else {
			for (;;) {
				const [keyStart, keyEnd] = scanner.string();
				const name = JSON.parse(text.slice(keyStart, keyEnd)) as string;
				scanner.skipWhitespace();
				scanner.expect(':');
				scanner.skipWhitespace();
				const member = scanner.value(1);
				if (name === key) matches.push(member);
				scanner.skipWhitespace();
				if (scanner.text[scanner.index] === ',') {
					scanner.index++;
					scanner.skipWhitespace();
					continue;
				}
				scanner.expect('}');
				break;
			}
		}
		scanner.skipWhitespace();
		if (scanner.index !== text.length) scanner.fail('text after the object');
	} catch (error) {
		if (error instanceof Refusal) return {ok: false, reason: `the current secret cannot be changed key by key: ${error.message}`};
		throw error;
	}
	if (matches.length === 0) return {ok: false, reason: `the current secret has no key "${key}": nothing was written (check the entry's JSON key; clear it to replace the whole value)`};
	if (matches.length > 1) return {ok: false, reason: `the current secret has the key "${key}" ${matches.length} times: which one the services read is unclear, so nothing was written`};
	const [member] = matches as [{start: number; end: number; kind: 'string' | 'other'}];
	if (member.kind !== 'string') return {ok: false, reason: `the current secret's "${key}" is not a string: nothing was written (check the entry's JSON key)`};
	return {ok: true, text: `${text.slice(0, member.start)}${JSON.stringify(value)}${text.slice(member.end)}`};
}
