// The leaked key from --key-stdin: read whole, trimmed, one key or a clear error.
import {UserError} from '../infra/errors.js';
import type {CommandIo} from './options.js';

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
	return Buffer.concat(chunks).toString('utf8');
}

export async function readKey(io: CommandIo, {pair = false}: {pair?: boolean} = {}): Promise<string> {
	if (io.stdin.isTTY) throw new UserError('--key-stdin expects the key on stdin, but stdin is a terminal.', 'Pipe it in: some-secret-manager get key | leakfix --key-stdin');
	let key = (await readStdin(io.stdin)).trim();
	if (key.length === 0) throw new UserError('--key-stdin: nothing arrived on stdin.');
	// An AWS pair may come as two lines (id, then secret): one "id:secret" key from here on.
	if (pair) key = key.replace(/\s+/, ':');
	if (/\s/.test(key)) throw new UserError('--key-stdin: expected one key, got text with spaces or several lines.');
	return key;
}
