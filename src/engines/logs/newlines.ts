// Counting lines costs as much as searching for the key (one indexOf per line). For big plain
// files a worker thread reads the file a second time (from the page cache) and counts its lines
// on the other core while the main thread searches. (Sharing the read buffers instead, through
// a SharedArrayBuffer, was slower: Buffer.indexOf on shared memory is about twice as slow.)
import {Worker} from 'node:worker_threads';

const WORKER = `
const {parentPort, workerData} = require('node:worker_threads');
const fs = require('node:fs');
const fd = fs.openSync(workerData.path, 'r');
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
let newlines = 0;
let last = 10;
let read;
while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) {
	for (let at = buffer.indexOf(10); at !== -1 && at < read; at = buffer.indexOf(10, at + 1)) newlines++;
	last = buffer[read - 1];
}
fs.closeSync(fd);
parentPort.postMessage({lines: newlines + (last === 10 ? 0 : 1)});
`;

export function countNewlines(buffer: Buffer, from = 0, to = buffer.length): number {
	let count = 0;
	for (let at = buffer.indexOf(10, from); at !== -1 && at < to; at = buffer.indexOf(10, at + 1)) count++;
	return count;
}

/** The number of lines of a file (a last line without a newline counts), counted on a worker thread. */
export function countLinesInWorker(path: string): {lines: Promise<number>; stop(): void} {
	const worker = new Worker(WORKER, {eval: true, workerData: {path}, resourceLimits: {maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8, codeRangeSizeMb: 4}});
	const lines = new Promise<number>((resolve, reject) => {
		worker.once('message', (message: {lines: number}) => resolve(message.lines));
		worker.once('error', reject);
		worker.once('exit', code => reject(new Error(`the line-counting worker stopped (${code})`)));
	});
	lines.catch(() => undefined);
	return {lines, stop: () => void worker.terminate()};
}
