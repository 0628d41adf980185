// The partial needle (the key's longest letter-and-digit run) confirmed as the stream arrives, in
// chunks of any size: a match is decided once the bytes around it are in, never reported before.
import {describe, expect, it} from 'vitest';
import {keyNeedles} from '../../src/core/needles.js';
import {ObjectStreamScanner, type ObjectHit} from '../../src/engines/scan/objects.js';
import {type Match, StreamSearch} from '../../src/engines/scan/search.js';
import {fakeKeys} from '../helpers/keys.js';

function chunks(buffer: Buffer, size: number): Buffer[] {
	const out: Buffer[] = [];
	for (let at = 0; at < buffer.length; at += size) out.push(buffer.subarray(at, at + size));
	return out;
}
const sorted = (matches: Match[]) => [...matches].sort((a, b) => a.offset - b.offset || a.needle - b.needle);

describe('partial matches in a stream', () => {
	it('StreamSearch reports each escaped copy once, at its start, whatever the chunk size; a raw copy only as raw', () => {
		const key = fakeKeys.github();
		const needles = keyNeedles(key, {partial: true});
		const partial = needles.length - 1;
		const escaped = `ghp%5F${key.slice(4)}`;
		const text = Buffer.from(`${escaped}\nx ${key} y\n${key.slice(4)}\nghp%5f${key.slice(4)}`);
		const reference: Match[] = [];
		const whole = new StreamSearch(needles);
		whole.push(text, match => reference.push(match));
		whole.finish(match => reference.push(match));
		const second = escaped.length + 3;
		const last = text.length - escaped.length;
		expect(sorted(reference)).toEqual([{needle: partial, offset: 0}, {needle: 0, offset: second}, {needle: partial, offset: last}]);
		for (const size of [1, 2, 3, 5, 17, 40, 41, 64]) {
			const found: Match[] = [];
			const search = new StreamSearch(needles);
			for (const chunk of chunks(text, size)) search.push(chunk, match => found.push(match));
			search.finish(match => found.push(match));
			expect(sorted(found), `chunk size ${size}`).toEqual(sorted(reference));
		}
	});

	it('ObjectStreamScanner reports an object holding an escaped copy, and not one holding a fragment, whatever the chunk size', () => {
		const key = fakeKeys.stripeLive();
		const needles = keyNeedles(key, {partial: true});
		const object = (sha: string, type: string, content: Buffer) => Buffer.concat([Buffer.from(`${sha} ${type} ${content.length}\n`), content, Buffer.from('\n')]);
		const run = key.slice(8);
		const stream = Buffer.concat([
			object('a'.repeat(40), 'blob', Buffer.from(`token=sk%5Flive%5F${run}`)), // ends at the copy's last byte
			object('b'.repeat(40), 'blob', Buffer.from(`${run} only a fragment\n`)),
			object('c'.repeat(40), 'commit', Buffer.from(`tree x\n\nsk_live%5f${run}\n`)),
			object('d'.repeat(40), 'tree', Buffer.from(`100644 f\0sk%5Flive%5F${run}`)),
			object('e'.repeat(40), 'blob', Buffer.from(`sk%5Flive%5F${run.slice(0, -1)}`)), // one character short
			object('f'.repeat(40), 'blob', Buffer.from(`${key}\n`)),
		]);
		for (const size of [1, 2, 7, 31, 64, stream.length]) {
			const hits: ObjectHit[] = [];
			const scanner = new ObjectStreamScanner(needles, hit => hits.push(hit));
			for (const chunk of chunks(stream, size)) scanner.push(chunk);
			expect(hits.map(hit => [hit.sha[0], needles[hit.needle]!.form]).sort(), `chunk size ${size}`).toEqual([
				['a', 'url-encoded'],
				['c', 'url-encoded'],
				['f', 'raw'],
			]);
		}
	});
});
