// A random string matching a playbook's recogniser, built at run time, so the repo never holds a
// key-shaped literal. Supports the subset the playbooks use: literals, escapes (\d \w \s \S \. …),
// classes with ranges, (?:…) and (…) groups with |, and the quantifiers ? * + {n} {n,} {n,m}.
import {randomInt} from 'node:crypto';

type Node = {kind: 'chars'; set: string} | {kind: 'group'; alternatives: Node[][]} | {kind: 'repeat'; node: Node; min: number; max: number};

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const WORD = LOWER + UPPER + DIGITS + '_';
const SPACE = ' \n';
const PRINTABLE = WORD + '+/=-.';

function escapeSet(char: string): string {
	switch (char) {
		case 'd':
			return DIGITS;
		case 'w':
			return WORD;
		case 's':
			return SPACE;
		case 'S':
			return PRINTABLE;
		default:
			return char;
	}
}

function parse(source: string): Node[] {
	let index = 0;
	const sequence = (): Node[][] => {
		const alternatives: Node[][] = [[]];
		while (index < source.length && source[index] !== ')') {
			const char = source[index]!;
			if (char === '|') {
				index++;
				alternatives.push([]);
				continue;
			}
			let node: Node;
			if (char === '(') {
				index++;
				if (source.startsWith('?:', index)) index += 2;
				node = {kind: 'group', alternatives: sequence()};
				index++; // ')'
			} else if (char === '[') {
				index++;
				const negated = source[index] === '^';
				if (negated) index++;
				let set = '';
				while (source[index] !== ']') {
					const from = source[index]!;
					if (from === '\\') {
						index++;
						set += escapeSet(source[index]!);
						index++;
						continue;
					}
					if (source[index + 1] === '-' && source[index + 2] !== ']') {
						const to = source[index + 2]!;
						for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) set += String.fromCharCode(code);
						index += 3;
					} else {
						set += from;
						index++;
					}
				}
				index++;
				if (negated) set = [...PRINTABLE].filter(candidate => !set.includes(candidate)).join('');
				node = {kind: 'chars', set};
			} else if (char === '\\') {
				index++;
				node = {kind: 'chars', set: escapeSet(source[index]!)};
				index++;
			} else if (char === '.') {
				node = {kind: 'chars', set: PRINTABLE};
				index++;
			} else {
				node = {kind: 'chars', set: char};
				index++;
			}
			const quantifier = /^(?:\?|\*|\+|\{(\d+)(,(\d*))?\})\??/.exec(source.slice(index));
			if (quantifier) {
				index += quantifier[0].length;
				const q = quantifier[0][0];
				const [min, max] = q === '?' ? [0, 1] : q === '*' ? [0, 3] : q === '+' ? [1, 4] : [Number(quantifier[1]), quantifier[2] === undefined ? Number(quantifier[1]) : quantifier[3] === '' ? Number(quantifier[1]) + 3 : Number(quantifier[3])];
				// Long ranges ({40,16000}) are kept short: any length in range matches.
				node = {kind: 'repeat', node, min, max: Math.min(max, min + 40)};
			}
			alternatives.at(-1)!.push(node);
		}
		return alternatives;
	};
	return [{kind: 'group', alternatives: sequence()}];
}

function render(nodes: Node[], pick: (n: number) => number): string {
	return nodes
		.map(node => {
			switch (node.kind) {
				case 'chars':
					return node.set[pick(node.set.length)]!;
				case 'group':
					return render(node.alternatives[pick(node.alternatives.length)]!, pick);
				case 'repeat': {
					const count = node.min + pick(node.max - node.min + 1);
					return Array.from({length: count}, () => render([node.node], pick)).join('');
				}
			}
		})
		.join('');
}

/** A random string that matches `^(?:regex)$`. */
export function sampleOf(regex: string): string {
	return render(parse(regex), n => (n <= 1 ? 0 : randomInt(n)));
}
