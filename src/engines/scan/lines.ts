// git's output as whole lines, for the parsers of `git log --raw` (log.ts) and of the mapping
// pass (changes.ts): only the line a chunk cut is copied, never the whole chunk.

export type LineReader = {push(buffer: Buffer): void; end(): void};

/** Bytes in, each line (without its newline, empty lines skipped) to `line`; nothing more once `stopped()`. */
export function lineReader(line: (buffer: Buffer, start: number, end: number) => void, stopped: () => boolean): LineReader {
	let carry: Buffer | null = null;
	return {
		push(buffer) {
			if (stopped()) return;
			let start = 0;
			if (carry) {
				const nl = buffer.indexOf(10);
				if (nl === -1) {
					carry = Buffer.concat([carry, buffer]);
					return;
				}
				const joined = Buffer.concat([carry, buffer.subarray(0, nl)]);
				carry = null;
				if (joined.length > 0) line(joined, 0, joined.length);
				start = nl + 1;
			}
			for (let nl = buffer.indexOf(10, start); nl !== -1 && !stopped(); nl = buffer.indexOf(10, start)) {
				if (nl > start) line(buffer, start, nl);
				start = nl + 1;
			}
			if (!stopped() && start < buffer.length) carry = Buffer.from(buffer.subarray(start));
		},
		end() {
			if (carry && !stopped()) line(carry, 0, carry.length);
			carry = null;
		},
	};
}
