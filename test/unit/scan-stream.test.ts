import {describe, expect, it} from 'vitest';
import {base64Core, keyNeedles, lineAt, maskedLine} from '../../src/core/needles.js';
import {ObjectStreamScanner, type ObjectHit} from '../../src/engines/scan/objects.js';
import {StreamSearch, type Match} from '../../src/engines/scan/search.js';
import {fakeCloudSightKey} from '../helpers/keys.js';

function chunks(buffer: Buffer, size: number): Buffer[] {
	const out: Buffer[] = [];
	for (let at = 0; at < buffer.length; at += size) out.push(buffer.subarray(at, at + size));
	return out;
}

describe('StreamSearch', () => {
	it('finds every match at its offset whatever the chunk size, including across chunk edges', () => {
		const key = fakeCloudSightKey();
		const needles = keyNeedles(key);
		const text = Buffer.from(`a${key}bb\n${'x'.repeat(50)}${key}\n${key}${key}`);
		const reference: Match[] = [];
		new StreamSearch(needles).push(text, match => reference.push(match));
		expect(reference.map(match => match.offset)).toEqual([1, 1 + key.length + 3 + 50, 1 + key.length + 3 + 50 + key.length + 1, 1 + key.length + 3 + 50 + 2 * key.length + 1]);
		for (const size of [1, 2, 3, 7, key.length - 1, key.length, key.length + 1, 64]) {
			const found: Match[] = [];
			const search = new StreamSearch(needles);
			for (const chunk of chunks(text, size)) search.push(chunk, match => found.push(match));
			expect(found, `chunk size ${size}`).toEqual(reference);
		}
	});
});

describe('ObjectStreamScanner', () => {
	const object = (sha: string, type: string, content: Buffer) => Buffer.concat([Buffer.from(`${sha} ${type} ${content.length}\n`), content, Buffer.from('\n')]);

	it('parses cat-file --batch output in any chunking, skips trees, reports each hit once per object', () => {
		const key = fakeCloudSightKey();
		const needles = keyNeedles(key);
		const stream = Buffer.concat([
			object('a'.repeat(40), 'blob', Buffer.from(`const k = '${key}'; // again ${key}\n`)),
			object('b'.repeat(40), 'tree', Buffer.from(`100644 file\0${key}`)), // trees are skipped
			object('c'.repeat(40), 'commit', Buffer.from(`tree x\nauthor a\n\nmessage with ${key}\n`)),
			object('d'.repeat(40), 'blob', Buffer.alloc(0)),
			Buffer.from(`${'e'.repeat(40)} missing\n`),
			object('f'.repeat(40), 'tag', Buffer.from(`object x\ntag v1\n\n${Buffer.from(`u:${key}`).toString('base64')}\n`)),
			object('0'.repeat(40), 'blob', Buffer.from('nothing here\n')),
		]);
		for (const size of [1, 2, 5, 13, 40, 41, 100, stream.length]) {
			const hits: ObjectHit[] = [];
			const scanner = new ObjectStreamScanner(needles, hit => hits.push(hit));
			for (const chunk of chunks(stream, size)) scanner.push(chunk);
			expect(hits.map(hit => [hit.sha[0], hit.type, needles[hit.needle]!.form]), `chunk size ${size}`).toEqual([
				['a', 'blob', 'raw'],
				['c', 'commit', 'raw'],
				['f', 'tag', 'base64'],
			]);
			expect(scanner.objects).toBe(6);
		}
	});
});

describe('needles', () => {
	it('find a key base64-encoded after any number of leading bytes', () => {
		const key = Buffer.from(fakeCloudSightKey());
		for (const prefix of ['', 'u', 'us', 'user:', 'deploy-bot:']) {
			const encoded = Buffer.from(prefix).length;
			const text = Buffer.concat([Buffer.from(prefix), key]).toString('base64');
			const core = base64Core(key, (encoded % 3) as 0 | 1 | 2);
			expect(text, prefix).toContain(core);
			expect(core.length).toBeGreaterThan(key.length);
		}
	});

	it('number lines and mask the key in a shown line', () => {
		const key = fakeCloudSightKey();
		const content = Buffer.from(`one\ntwo\n  key = "${key}"  \nfour`);
		const offset = content.indexOf(key);
		expect(lineAt(content, offset)).toEqual({line: 3, column: 10});
		expect(maskedLine(content, offset, keyNeedles(key), '…MASK')).toBe('key = "…MASK"');
	});
});
