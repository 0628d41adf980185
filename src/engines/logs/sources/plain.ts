// Plain files: two reused buffers, the next read in flight while one is searched. Lines are
// counted here, or (big files) by a worker reading the same file on the other core.
import {open} from 'node:fs/promises';
import {countLinesInWorker, countNewlines} from '../newlines.js';
import type {Source} from './source.js';

const CHUNK = 4 * 1024 * 1024;

export function plainSource(path: string, size = CHUNK, worker = false): Source {
	let position = 0;
	let newlines = 0;
	let lastByte = 10;
	const counting = worker ? countLinesInWorker(path) : null;
	async function* chunks(): AsyncGenerator<Buffer> {
		const handle = await open(path, 'r');
		const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
		let which = 0;
		let pending = handle.read(buffers[0]!, 0, size, null);
		let finished = false;
		try {
			for (;;) {
				const {bytesRead} = await pending;
				if (bytesRead === 0) {
					finished = true;
					break;
				}
				position += bytesRead;
				const current = buffers[which]!;
				which ^= 1;
				pending = handle.read(buffers[which]!, 0, size, null);
				if (!counting) newlines += countNewlines(current, 0, bytesRead);
				lastByte = current[bytesRead - 1]!;
				yield current.subarray(0, bytesRead);
			}
		} finally {
			await pending.catch(() => undefined);
			await handle.close();
			if (!finished) counting?.stop(); // cancelled: the count is not needed
		}
	}
	return {
		chunks: chunks(),
		position: () => position,
		newlines: () => newlines,
		lines: async () => (counting ? counting.lines : newlines + (position > 0 && lastByte !== 10 ? 1 : 0)),
	};
}
