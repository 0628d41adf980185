import {describe, expect, it} from 'vitest';
import {ChangeIndex, indexParser} from '../../src/engines/scan/changes.js';
import {commitList, Meet, restOf} from '../../src/engines/scan/tail.js';

const id = (n: number, width = 40) => n.toString(16).padStart(width, '0');
/** An id that starts with `n`'s digits (the index keeps an id's first bytes). */
const lead = (n: number, width = 40) => n.toString(16).padEnd(width, '7');
const word = (hex: string) => Number.parseInt(hex.slice(0, 8), 16) >>> 0;
const commitLine = (sha: string) => `\u0001${sha}\n`;
const changeLine = (old: string, next: string, file: string) => `:100644 100644 ${old} ${next} M\t${file}\n`;

describe('ChangeIndex (the mapping pass, held as fingerprints)', () => {
	it('names the commits that wrote or changed a blob, in log order, each once', () => {
		const index = new ChangeIndex();
		const parser = indexParser(index);
		const zero = id(0);
		const log =
			commitLine(id(0xc3)) +
			changeLine(lead(0xb1), zero, 'gone.txt') + // deleted: the old id matches
			commitLine(id(0xc2)) +
			changeLine(zero, lead(0xb1), 'a.txt') +
			changeLine(zero, lead(0xb1), 'b.txt') +
			commitLine(id(0xc1)) +
			changeLine(zero, lead(0xb2), 'dir/c.txt');
		// Fed in 1-byte pieces: lines that straddle chunks are whole.
		for (const byte of Buffer.from(log)) parser.push(Buffer.from([byte]));
		parser.end();
		expect(index.changes).toBe(4);
		expect(index.commits).toBe(3);
		expect(index.candidates([lead(0xb1)])).toEqual([id(0xc3), id(0xc2)]);
		expect(index.candidates([lead(0xb2), lead(0xb1)])).toEqual([id(0xc3), id(0xc2), id(0xc1)]);
		expect(index.candidates([lead(0xff)])).toEqual([]);
	});

	it('holds SHA-256 ids, and a change line of another layout found from its tab', () => {
		const index = new ChangeIndex();
		const parser = indexParser(index);
		parser.push(Buffer.from(commitLine(id(1, 64)) + `:160000 100644 ${id(7, 64)} ${lead(9_999, 64)} T\tsub\n` + `:0 100644 ${id(0, 64)} ${lead(5, 64)} A\tx\n`));
		parser.end();
		expect(index.changes).toBe(2);
		expect(index.candidates([lead(9_999, 64)])).toEqual([id(1, 64)]);
		expect(index.candidates([lead(5, 64)])).toEqual([id(1, 64)]);
	});

	it('narrows the fingerprints to stay in its budget (more candidates, none lost), then overflows past one byte', () => {
		// 48 bytes: 6 changes at 4 bytes an id, 8 at 3, 12 at 2, 24 at 1.
		const index = new ChangeIndex(Number.POSITIVE_INFINITY, 48);
		const blob = 'ab12cd34' + id(1, 32);
		const lookalike = 'ab' + 'ffffff' + id(2, 32); // the same first byte
		index.addCommit(Buffer.from(id(0xc1)));
		for (let n = 0; n < 9; n++) index.addChange(word(lead(n + 16)), 0);
		expect(index.width).toBe(2);
		index.addCommit(Buffer.from(id(0xc2)));
		index.addChange(word(lookalike), 0);
		index.addCommit(Buffer.from(id(0xc3)));
		index.addChange(word(blob), 0);
		expect(index.candidates([blob])).toEqual([id(0xc3)]);
		for (let n = 0; n < 10; n++) index.addChange(0, word(lead(n + 32)));
		expect(index.width).toBe(1);
		// One byte: the lookalike is a candidate too (the confirmation drops it), the blob still found.
		expect(index.candidates([blob])).toEqual([id(0xc2), id(0xc3)]);
		expect(index.overflow).toBe(false);
		for (let n = 0; n < 4; n++) index.addChange(0, 0);
		expect(index.overflow).toBe(true);
		expect(index.changes).toBe(0);
		expect(index.candidates([blob])).toEqual([]);
	});

	it('drops everything once it holds more than its limit of changes (locate then filters one pass)', () => {
		const index = new ChangeIndex(3);
		index.addCommit(Buffer.from(id(1)));
		for (let n = 0; n < 5; n++) index.addChange(n, n);
		expect(index.overflow).toBe(true);
		expect(index.changes).toBe(0);
	});
});

describe('the rest of the history after the mapping pass stopped (restOf)', () => {
	// rev-list --parents: the commit, then its parents (two or more: a merge). Ids as hex.
	const [a, b, c, d, e] = ['aa', 'bb', 'cc', 'dd', 'ee'];
	const list = commitList(Buffer.from(`${e} ${d}\n${d} ${c} ${b}\n${c} ${a}\n${b} ${a}\n${a}\n`))!;
	const stoppedAfter = (taken: string[], refused: string) => {
		const meet = new Meet(taken.length);
		for (const id of [...taken, refused]) meet.takeHead(id);
		return meet;
	};
	it('the commits after the stop, the merges among them named', () => {
		expect(restOf(list, stoppedAfter([e], d))).toEqual({commits: [c, b, a], merges: [d]});
		expect(restOf(list, stoppedAfter([], e))).toEqual({commits: [e, c, b, a], merges: [d]});
		expect(restOf(list, stoppedAfter([e, d, c, b], a))).toEqual({commits: [a], merges: []});
	});
	it('a list that disagrees with what the pass read (a ref moved between the walks) gives null: the scan falls back', () => {
		expect(restOf(list, stoppedAfter([e], 'ff'))).toBeNull();
		expect(restOf(list, stoppedAfter(['ff'], d))).toBeNull();
		expect(restOf(commitList(Buffer.from(`${e} ${d}\n`))!, stoppedAfter([e, d], c))).toBeNull();
	});
	it('the list holds each id as bytes at one width: other widths and non-hex ids are refused, and a commit is found only at its own place', () => {
		expect(commitList(Buffer.from('ab cd\nabcd\n'))).toBeNull();
		expect(commitList(Buffer.from('zz\n'))).toBeNull();
		const ids = commitList(Buffer.from('0a\nbc 11 22\nab\n'))!;
		expect([ids.count, ids.id(1), ids.isMerge(1), ids.isMerge(0)]).toEqual([3, 'bc', true, false]);
		// The bytes 0a bc ab hold "abc" across ids, but only whole ids at their own place count.
		expect(ids.indexOf('ab')).toBe(2);
		expect(ids.indexOf('0abc')).toBe(-1);
		expect(ids.indexOf('ff')).toBe(-1);
	});
	it('past one page (65,536 commits): every id kept, in order', () => {
		const count = 70_000;
		const hex = (n: number) => n.toString(16).padStart(40, '0');
		const lines = Array.from({length: count}, (_, n) => (n % 1000 === 0 ? `${hex(n)} ${hex(n + 1)} ${hex(n + 2)}` : `${hex(n)} ${hex(n + 1)}`)).join('\n');
		const big = commitList(Buffer.from(`${lines}\n`))!;
		expect(big.count).toBe(count);
		for (const n of [0, 65_535, 65_536, 69_999]) {
			expect(big.id(n)).toBe(hex(n));
			expect(big.indexOf(hex(n))).toBe(n);
			expect(big.isMerge(n)).toBe(n % 1000 === 0);
		}
	});
});
