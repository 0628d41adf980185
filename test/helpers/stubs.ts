// Stub executables on PATH for CLIs we cannot install (aws, vault, conjur, gh, kubectl): each
// records its argv, the environment variables that could carry a secret, and its stdin (read
// the way the real one reads it: from fd 0, or by opening /dev/stdin), then answers as told.
import fs from 'node:fs';
import path from 'node:path';
import {tempDir} from './fs.js';

export type StubCall = {argv: string[]; stdin: string; env: string};

export type StubAnswer = {exitCode?: number; stdout?: string; stderr?: string; /** Read stdin by opening /dev/stdin, as kubectl --patch-file and aws file:// do. */ openDevStdin?: boolean};

export function stubBin(answers: Record<string, StubAnswer>): {dir: string; calls(name: string): StubCall[]} {
	const dir = tempDir('leakfix-stubs-');
	for (const [name, answer] of Object.entries(answers)) {
		const log = path.join(dir, `${name}.calls`);
		const out = answer.stdout === undefined ? '' : path.join(dir, `${name}.stdout`);
		if (out) fs.writeFileSync(out, answer.stdout!);
		const script = [
			'#!/bin/sh',
			'PATH=/usr/bin:/bin # the stub\'s own tools, whatever PATH leakfix was given',
			`log='${log}'`,
			'{',
			'  printf "=== call\\n"',
			'  for arg in "$@"; do printf "argv %s\\n" "$arg"; done',
			'  printf "env %s\\n" "$(env | grep -E "KEY|SECRET|TOKEN|PASS" | tr "\\n" " ")"',
			`  printf "stdin %s\\n" "$(${answer.openDevStdin ? 'cat /dev/stdin' : 'cat'} | base64 | tr -d "\\n")"`,
			'} >> "$log"',
			out ? `cat '${out}'` : '',
			answer.stderr ? `printf '%s\\n' '${answer.stderr.replace(/'/g, '')}' >&2` : '',
			`exit ${answer.exitCode ?? 0}`,
			'',
		].join('\n');
		fs.writeFileSync(path.join(dir, name), script, {mode: 0o755});
	}
	return {
		dir,
		calls(name) {
			const log = path.join(dir, `${name}.calls`);
			if (!fs.existsSync(log)) return [];
			return fs
				.readFileSync(log, 'utf8')
				.split('=== call\n')
				.filter(Boolean)
				.map(block => {
					const lines = block.split('\n');
					return {
						argv: lines.filter(line => line.startsWith('argv ')).map(line => line.slice(5)),
						env: lines.find(line => line.startsWith('env '))?.slice(4) ?? '',
						stdin: Buffer.from(lines.find(line => line.startsWith('stdin '))?.slice(6) ?? '', 'base64').toString('utf8'),
					};
				});
		},
	};
}

/** Runs `work` with the stubs first on PATH. */
export async function withPath<T>(dir: string, work: () => Promise<T>): Promise<T> {
	const saved = process.env.PATH;
	process.env.PATH = `${dir}${path.delimiter}${saved}`;
	try {
		return await work();
	} finally {
		process.env.PATH = saved;
	}
}
