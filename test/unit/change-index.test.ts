import {describe, expect, it} from 'vitest';
import {ChangeIndex} from '../../src/engines/scan/history.js';

const id = (n: number, width = 40) => n.toString(16).padStart(width, '0');

describe('ChangeIndex (the mapping pass, held compactly)', () => {
	it('finds the changes that wrote a blob, in log order, and only at whole-id positions', () => {
		const index = new ChangeIndex();
		index.addCommit(`${id(0xc2)}\u0000Ann\u00002026-02-01T10:00:00+01:00`);
		index.addChange(id(0xb1), 'a.txt');
		// An id whose bytes straddle two entries must not match: b1 followed by ab...
		index.addChange(`ab${id(0, 38)}`, 'b.txt');
		index.addCommit(`${id(0xc1)}\u0000Bo\u00002026-01-01T00:00:00Z`);
		index.addChange(id(0xb1), 'a.txt');
		index.addChange(id(0xb2), 'dir/c.txt');
		expect(index.changes).toBe(4);
		expect(index.find([id(0xb1)])).toEqual([
			{commit: {commit: id(0xc2), author: 'Ann', date: '2026-02-01T09:00:00.000Z'}, sha: id(0xb1), path: 'a.txt'},
			{commit: {commit: id(0xc1), author: 'Bo', date: '2026-01-01T00:00:00.000Z'}, sha: id(0xb1), path: 'a.txt'},
		]);
		expect(index.find([id(0xb2), id(0xb1)]).map(change => change.path)).toEqual(['a.txt', 'a.txt', 'dir/c.txt']);
		expect(index.find([id(0xff)])).toEqual([]);
		// A substring that spans the end of one id and the start of the next is not an id.
		const straddle = id(0xb1).slice(2) + 'ab';
		expect(index.find([straddle])).toEqual([]);
	});

	it('grows past its first allocation and holds SHA-256 ids', () => {
		const index = new ChangeIndex();
		index.addCommit(`${id(1, 64)}\u0000Cy\u00002026-03-01T00:00:00Z`);
		for (let n = 0; n < 10_000; n++) index.addChange(id(n, 64), `f${n % 7}`);
		expect(index.changes).toBe(10_000);
		expect(index.find([id(9_999, 64)])).toEqual([{commit: expect.objectContaining({author: 'Cy'}), sha: id(9_999, 64), path: 'f3'}]);
	});

	it('drops everything once it holds more than its limit (locate then streams the pass)', () => {
		const index = new ChangeIndex(3);
		index.addCommit(`${id(1)}\u0000Di\u00002026-03-01T00:00:00Z`);
		for (let n = 0; n < 5; n++) index.addChange(id(n), 'x');
		expect(index.overflow).toBe(true);
		expect(index.changes).toBe(0);
	});
});
