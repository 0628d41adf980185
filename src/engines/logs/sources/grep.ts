// Big plain logs: GNU grep finds the key's lines (its search is faster than Buffer.indexOf, and
// the lines arrive while it reads), wc counts all lines on the other core. The key goes to grep
// on stdin (`-f -`), never in its arguments. Anything unusual falls back to the Node search.
import {open} from 'node:fs/promises';
import {execa} from 'execa';
import {holdsKey} from '../../../core/needles.js';
import {resolveBinary} from '../../../infra/command.js';
import type {LineHandler} from '../handler.js';
import type {KeySearch} from '../match.js';
import {LogInputError} from '../types.js';

export function grepTools(cwd: string = process.cwd()): {grep: string; wc: string} | null {
	try {
		return {grep: resolveBinary('grep', cwd), wc: resolveBinary('wc', cwd)};
	} catch {
		return null;
	}
}

/**
 * Streams the lines of `file` that hold a needle (`onLine(line, byteOffset)`, the line as bytes
 * without its newline, valid during the call), and counts every line. Resolves null when grep
 * cannot do it (the caller searches itself).
 */
export async function grepLines(
	tools: {grep: string; wc: string},
	file: string,
	needles: Buffer[],
	options: {wholeWord: boolean; signal?: AbortSignal; onLine: (line: Buffer, offset: number) => void},
): Promise<{lines: number} | null> {
	const patterns = needles.map(needle => needle.toString('utf8'));
	if (patterns.some(pattern => pattern.includes('\n'))) return null;
	const env = {...process.env, LC_ALL: 'C'};
	const grep = execa(tools.grep, ['-F', '-a', '-b', ...(options.wholeWord ? ['-w'] : []), '-f', '-', '--', file], {
		input: `${patterns.join('\n')}\n`,
		buffer: {stdout: false, stderr: true},
		encoding: 'buffer',
		reject: false,
		env,
		...(options.signal ? {cancelSignal: options.signal} : {}),
	});
	const wc = execa(tools.wc, ['-l', '--', file], {reject: false, env, ...(options.signal ? {cancelSignal: options.signal} : {})});
	// grep's output stays bytes: `OFFSET:line`, the offset read digit by digit, the line handed on
	// as a slice (no string for the whole output, no re-encoding to confirm a match).
	const take = (buffer: Buffer, start: number, end: number) => {
		let offset = 0;
		let at = start;
		for (; at < end && buffer[at] !== 58; at++) {
			const digit = buffer[at]! - 48;
			if (digit < 0 || digit > 9) return;
			offset = offset * 10 + digit;
		}
		if (at === start || at === end) return;
		options.onLine(buffer.subarray(at + 1, end), offset);
	};
	let carry: Buffer | null = null;
	for await (const chunk of grep.stdout!) {
		const buffer: Buffer = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
		let start = 0;
		for (let nl = buffer.indexOf(10); nl !== -1; nl = buffer.indexOf(10, start)) {
			take(buffer, start, nl);
			start = nl + 1;
		}
		carry = start < buffer.length ? buffer.subarray(start) : null;
	}
	if (carry) take(carry, 0, carry.length);
	const [done, counted] = await Promise.all([grep, wc]);
	if (options.signal?.aborted) return {lines: 0};
	// grep exits 1 when nothing matched; 2 (or a signal) is trouble: search ourselves.
	if ((done.exitCode !== 0 && done.exitCode !== 1) || counted.exitCode !== 0) return null;
	const newlines = Number(String(counted.stdout).trim().split(/\s+/)[0]);
	return Number.isFinite(newlines) ? {lines: newlines} : null;
}

/** The last byte of a file (does its last line end with a newline?). */
async function lastByte(path: string, size: number): Promise<number> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(1);
		await handle.read(buffer, 0, 1, size - 1);
		return buffer[0]!;
	} finally {
		await handle.close();
	}
}

/**
 * A big plain file's key lines, found by grep, into the handler. Resolves the file's line count,
 * or null when grep could not do it before any line was handled (the caller searches itself);
 * a grep that fails after some lines were handled is an error (their counts cannot be undone).
 */
export async function readViaGrep(
	tools: {grep: string; wc: string},
	path: string,
	size: number,
	search: KeySearch,
	handler: LineHandler,
	options: {handled: () => boolean; progress: (offset: number) => void; signal?: AbortSignal},
): Promise<number | null> {
	const result = await grepLines(tools, path, search.needles!, {
		wholeWord: search.keyId !== null,
		...(options.signal ? {signal: options.signal} : {}),
		onLine: (line, offset) => {
			if (search.confirmLines && !holdsKey(line, search.forms!)) return;
			handler.bytes(line);
			options.progress(offset);
		},
	}).catch(() => null);
	if (result === null) {
		if (options.handled()) throw new LogInputError(`${path}: grep stopped part-way; run again`);
		return null;
	}
	return result.lines + ((await lastByte(path, size)) === 10 ? 0 : 1);
}
