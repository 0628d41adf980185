// A small Bloom filter: "seen before the exposure" for addresses past the table's limit. Pure.

export function bloom(bits = 1 << 23) {
	const table = new Uint8Array(bits >> 3);
	let first = 0;
	let second = 0;
	const hash = (text: string) => {
		let a = 2_166_136_261;
		let b = 5381;
		for (let index = 0; index < text.length; index++) {
			const code = text.charCodeAt(index);
			a = Math.imul(a ^ code, 16_777_619);
			b = (Math.imul(b, 33) + code) | 0;
		}
		first = (a >>> 0) % bits;
		second = (b >>> 0) % bits;
	};
	return {
		add(text: string) {
			hash(text);
			table[first >> 3]! |= 1 << (first & 7);
			table[second >> 3]! |= 1 << (second & 7);
		},
		has(text: string) {
			hash(text);
			return (table[first >> 3]! & (1 << (first & 7))) !== 0 && (table[second >> 3]! & (1 << (second & 7))) !== 0;
		},
	};
}
