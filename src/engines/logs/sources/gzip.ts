// Gzip files, inflated by Node's zlib into ONE reused output buffer, the compressed bytes read
// into one reused input buffer. The zlib stream (createGunzip piped from a read stream) makes a
// new buffer for every piece of output: a 300 MB log is 300 MB of short-lived buffers outside the
// JavaScript heap, and up to ~40 MB of them float between garbage collections (peak RSS 98–101 MB
// against 65 MB for the same log plain). So the stream's own zlib handle is driven synchronously,
// as zlib's `*Sync` functions drive it (`handle.writeSync` into a buffer we own, the result in
// `_writeState`): peak RSS ~50 MB in a bare script, and as fast. Those two are Node internals, so
// their shape is checked first; without them the stream is read as before.
import {createReadStream} from 'node:fs';
import {open} from 'node:fs/promises';
import {constants, createGunzip, type Gunzip} from 'node:zlib';
import {countNewlines} from '../newlines.js';
import {LogInputError} from '../types.js';
import type {Source} from './source.js';

/** Compressed bytes per read. */
const INPUT = 64 * 1024;

type ZlibHandle = {writeSync(flush: number, input: Buffer, inOffset: number, inLength: number, output: Buffer, outOffset: number, outLength: number): void};

/** The stream's zlib handle and its [availOut, availIn] results, when this Node has them in the known shape. */
function internals(gunzip: Gunzip): {handle: ZlibHandle; state: Uint32Array} | null {
	const {_handle: handle, _writeState: state} = gunzip as unknown as {_handle?: Partial<ZlibHandle>; _writeState?: unknown};
	return typeof handle?.writeSync === 'function' && state instanceof Uint32Array && state.length === 2 ? {handle: handle as ZlibHandle, state} : null;
}

export type GzipOptions = {
	/** Use the zlib stream even when the handle could be driven directly (tests compare the two). */
	stream?: boolean;
};

export function gzipSource(path: string, size = 256 * 1024, options: GzipOptions = {}): Source {
	const outputSize = Math.max(64, size);
	let position = 0;
	let newlines = 0;
	let lastByte = 10;
	let any = false;
	const seen = (buffer: Buffer) => {
		newlines += countNewlines(buffer);
		lastByte = buffer[buffer.length - 1]!;
		any = true;
	};
	const failed = (error: unknown) => new LogInputError(`${path}: not a readable gzip file (${(error as Error).message}).`);

	async function* direct(gunzip: Gunzip, zlib: {handle: ZlibHandle; state: Uint32Array}): AsyncGenerator<Buffer> {
		let error: Error | null = null;
		// zlib reports an error through the stream: it is destroyed at once, the error emitted on the next tick.
		gunzip.on('error', caught => (error = caught));
		const file = await open(path, 'r');
		const input = Buffer.allocUnsafe(INPUT);
		const output = Buffer.allocUnsafe(outputSize);
		try {
			for (;;) {
				const {bytesRead} = await file.read(input, 0, INPUT, null);
				position += bytesRead;
				// The end of the file: Z_FINISH with no input (a truncated file is an error here).
				const flush = bytesRead === 0 ? constants.Z_FINISH : constants.Z_NO_FLUSH;
				let offset = 0;
				let available = bytesRead;
				for (;;) {
					zlib.handle.writeSync(flush, input, offset, available, output, 0, outputSize);
					if (gunzip.destroyed) {
						await new Promise(resolve => setImmediate(resolve));
						throw failed(error ?? new Error('zlib stopped'));
					}
					const [outLeft, inLeft] = zlib.state as unknown as [number, number];
					offset += available - inLeft;
					available = inLeft;
					const produced = outputSize - outLeft;
					if (produced > 0) {
						const chunk = output.subarray(0, produced);
						seen(chunk);
						yield chunk;
					}
					// Room left in the output: zlib took what it could of this input.
					if (outLeft !== 0) break;
				}
				if (bytesRead === 0) return;
			}
		} finally {
			await file.close();
			gunzip.destroy();
		}
	}

	async function* streamed(gunzip: Gunzip): AsyncGenerator<Buffer> {
		const raw = createReadStream(path, {highWaterMark: 1024 * 1024});
		raw.on('data', chunk => (position += chunk.length));
		raw.pipe(gunzip);
		try {
			for await (const chunk of gunzip) {
				const buffer = chunk as Buffer;
				if (buffer.length === 0) continue;
				seen(buffer);
				yield buffer;
			}
		} catch (error) {
			throw failed(error);
		} finally {
			raw.destroy();
			gunzip.destroy();
		}
	}

	async function* chunks(): AsyncGenerator<Buffer> {
		const gunzip = createGunzip({chunkSize: outputSize});
		const zlib = options.stream ? null : internals(gunzip);
		yield* zlib ? direct(gunzip, zlib) : streamed(gunzip);
	}
	return {chunks: chunks(), position: () => position, newlines: () => newlines, lines: async () => newlines + (any && lastByte !== 10 ? 1 : 0)};
}
