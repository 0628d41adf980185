// A helper's output read through a named pipe into one reused buffer (net.Socket's `onread`).
// Node reads a child's stdout into a new 64 KB buffer each time; at cat-file's hundreds of MB a
// second those float, tens of MB of them, until the garbage collector gets to them. Measured on
// git/git's 8.3 GB object stream: peak RSS 49 MB against 89–93 MB, and less CPU (6.6–6.9 s
// against 8.1–9.2 s), the same wall time.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type {Writable} from 'node:stream';
import {execa} from 'execa';
import {resolveBinary} from '../../infra/command.js';

const openFd = (file: string) => new Promise<number>((resolve, reject) => fs.open(file, 'r', (error, fd) => (error ? reject(error) : resolve(fd))));

export type FifoStream = {
	/** Hands each chunk to `onChunk` as it arrives (valid only during the call: the buffer is read into again); resolves at the end. */
	read(onChunk: (chunk: Buffer) => void): Promise<void>;
	/** The helper's exit: code (null for a signal or a failed start) and the end of its stderr. */
	done: Promise<{exitCode: number | null; stderr: string}>;
	/** The helper's standard input, when asked for (`stdin: 'pipe'`). */
	stdin: Writable | null;
};

/** Starts `bin args` with its output on a named pipe; null when `mkfifo` is not on PATH or fails (read a pipe as usual then). */
export async function spawnFifo(bin: string, args: string[], options: {cwd: string; signal?: AbortSignal; size?: number; stdin?: 'pipe'}): Promise<FifoStream | null> {
	let mkfifo: string;
	let file: string;
	try {
		mkfifo = resolveBinary('mkfifo', options.cwd);
		file = resolveBinary(bin, options.cwd);
	} catch {
		return null;
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakfix-fifo-'));
	const fifo = path.join(dir, 'out');
	let reader: number; // a plain descriptor: the socket below owns it and closes it
	let child;
	try {
		const made = await execa(mkfifo, ['-m', '600', '--', fifo], {reject: false, stdin: 'ignore'});
		if (made.exitCode !== 0) return null;
		// Opening either end waits for the other: both are asked at once.
		const [read, write] = await Promise.all([openFd(fifo), fs.promises.open(fifo, 'w')]);
		reader = read;
		try {
			// A descriptor is handed to spawn as it is (execa's types name only 3 to 9).
			const fd = write.fd as 3;
			child = execa(file, args, {cwd: options.cwd, stdin: options.stdin ?? 'ignore', stdout: fd, buffer: {stderr: true}, encoding: 'utf8', reject: false, ...(options.signal ? {cancelSignal: options.signal} : {})});
		} finally {
			await write.close(); // the child holds its own copy: its exit ends the stream
			if (child === undefined) fs.closeSync(read);
		}
	} finally {
		fs.rmSync(dir, {recursive: true, force: true});
	}
	const running = child;
	const done = (async () => {
		const result = await running;
		return {exitCode: result.exitCode ?? null, stderr: String(result.stderr ?? '').slice(-500)};
	})();
	done.catch(() => undefined);
	const buffer = Buffer.allocUnsafe(options.size ?? 256 * 1024);
	return {
		done,
		stdin: options.stdin === 'pipe' ? running.stdin : null,
		read: onChunk =>
			new Promise<void>((resolve, reject) => {
				let failed: unknown;
				// onread (Node ≥ 12.2) is in @types/node's connect options only.
				const socketOptions: net.SocketConstructorOpts & {onread: {buffer: Buffer; callback: (length: number, into: Uint8Array) => boolean}} = {
					fd: reader,
					readable: true,
					writable: false,
					onread: {
						buffer,
						callback: (length: number, into: Uint8Array) => {
							if (failed !== undefined) return false;
							try {
								onChunk((into as Buffer).subarray(0, length));
							} catch (error) {
								failed = error;
								running.kill();
								socket.destroy();
								return false;
							}
							return true;
						},
					},
				};
				const socket = new net.Socket(socketOptions);
				socket.once('close', () => {
					if (failed !== undefined) reject(failed as Error);
					else resolve();
				});
				socket.once('error', error => {
					failed ??= error;
					running.kill();
				});
				socket.once('end', () => socket.destroy());
			}),
	};
}
