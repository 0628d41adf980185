// The log search finds the key however a client percent-encoded it: one character escaped
// (ghp%5F…), Python's urllib.parse.quote() (/ kept, + as %2B, = as %3D), every character escaped
// in upper or lower hex; never a fragment of it or another key. Node's search and grep's agree.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {DEFAULT_FIELDS} from '../../src/core/logs/formats.js';
import {keyNeedles} from '../../src/core/needles.js';
import {analyzeLogs, type LogsOptions} from '../../src/engines/logs/index.js';
import {tempDir} from '../helpers/fs.js';
import {fakeKeys} from '../helpers/keys.js';

const EXPOSURE = Date.parse('2026-11-25T14:00:00Z');
const options = (key: string, extra: Partial<LogsOptions> = {}): LogsOptions => ({match: {kind: 'key', key}, fields: DEFAULT_FIELDS, analysis: {exposureStart: EXPOSURE, allow: [], businessHours: {from: 8, to: 19}, timeZone: 'UTC'}, ...extra});
const line = (index: number, query: string) => `203.0.113.${(index % 200) + 1} - - [25/Nov/2026:15:${String(index % 60).padStart(2, '0')}:00 +0000] "GET /v1/items?${query} HTTP/1.1" 200 512 "-" "python-requests/2.31"`;
const hex = (byte: number, upper: boolean) => (upper ? byte.toString(16).toUpperCase() : byte.toString(16)).padStart(2, '0');
const everyChar = (key: string, upper: boolean) => [...Buffer.from(key)].map(byte => `%${hex(byte, upper)}`).join('');
/** Python's urllib.parse.quote(key) with its defaults: A-Z a-z 0-9 _ . - ~ and / kept. */
const pythonQuote = (key: string) => [...Buffer.from(key)].map(byte => (/[A-Za-z0-9_.\-~/]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${hex(byte, true)}`)).join('');
const alnum = (length: number) => randomBytes(length * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, length);

function logOf(lines: string[], padTo = 0): string {
	let text = `${lines.join('\n')}\n`;
	if (padTo > 0) {
		const filler = `${line(7, 'page=2&sort=name')}\n`;
		text = filler.repeat(Math.ceil((padTo - text.length) / filler.length)) + text;
	}
	return text;
}

describe('the log search and encoded keys', () => {
	it('counts ghp%5F…, every character escaped (upper and lower hex), and not a fragment or another key; grep agrees', async () => {
		const key = fakeKeys.github();
		const other = fakeKeys.github();
		const spelled = [`ghp%5F${key.slice(4)}`, `ghp%5f${key.slice(4)}`, everyChar(key, true), everyChar(key, false), `%67hp_${key.slice(4)}`];
		const decoys = [`ghp%5F${other.slice(4)}`, key.slice(4), `ghp%5F${key.slice(4, -2)}`, `xyz%5F${key.slice(4)}`];
		const lines = [...spelled.flatMap((form, index) => Array.from({length: 3}, (_, n) => line(index * 3 + n, `token=${form}&page=${n}`))), ...decoys.map((form, index) => line(100 + index, `token=${form}`))];
		const dir = tempDir();
		const small = path.join(dir, 'access.log');
		fs.writeFileSync(small, logOf(lines));
		const byNode = await analyzeLogs([small], options(key));
		expect(byNode.analysis.keyLines).toBe(spelled.length * 3);
		const big = path.join(dir, 'big.log');
		fs.writeFileSync(big, logOf(lines, 9 * 1024 * 1024));
		const byGrep = await analyzeLogs([big], options(key));
		expect(byGrep.files[0]?.searchedBy).toBe('grep');
		expect(byGrep.analysis.keyLines).toBe(spelled.length * 3);
		const byNodeBig = await analyzeLogs([big], options(key, {chunkSize: 4 * 1024 * 1024}));
		expect(byNodeBig.analysis.keyLines).toBe(spelled.length * 3);
		for (const result of [byNode, byGrep]) {
			const json = JSON.stringify(result);
			for (const needle of keyNeedles(key)) expect(json).not.toContain(needle.bytes.toString('latin1'));
			expect(json).not.toContain(key.slice(4));
		}
	});

	it("counts Python quote()'s spelling of a key holding / + and = (the 763 query-string lines a test log had)", async () => {
		const key = `${alnum(12)}+${alnum(10)}/${alnum(12)}=`;
		const quoted = pythonQuote(key);
		expect(quoted).toContain('/');
		expect(quoted).toContain('%2B');
		expect(quoted).toContain('%3D');
		const lines = Array.from({length: 763}, (_, index) => line(index, `AWSSecret=${quoted}&n=${index}`));
		const file = path.join(tempDir(), 'access.log');
		fs.writeFileSync(file, logOf([...lines, line(999, `AWSSecret=${encodeURIComponent(key)}`), line(998, 'AWSSecret=nothing')]));
		const result = await analyzeLogs([file], options(key));
		expect(result.analysis.keyLines).toBe(764);
	});
});
