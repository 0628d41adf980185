// The files a user names: paths and simple globs, expanded and checked before anything is read.
import {readdir, stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import {basename, dirname, join, resolve} from 'node:path';
import {LogInputError} from './types.js';

function globRegex(pattern: string): RegExp {
	let source = '';
	for (const char of pattern) {
		if (char === '*') source += '[^/]*';
		else if (char === '?') source += '[^/]';
		else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${source}$`);
}

/** Files and simple globs (`*` and `?` in the file name: `logs/access.log*`), sorted, unique. */
export async function expandInputs(inputs: string[], cwd: string = process.cwd()): Promise<string[]> {
	const out = new Set<string>();
	for (const typed of inputs) {
		const input = typed.replace(/^~(?=\/|$)/, homedir());
		const absolute = resolve(cwd, input);
		if (/[*?]/.test(basename(absolute))) {
			if (/[*?]/.test(dirname(absolute))) throw new LogInputError(`${input}: wildcards work in the file name only (logs/*.gz, not */access.log).`);
			let names: string[];
			try {
				names = await readdir(dirname(absolute));
			} catch {
				throw new LogInputError(`${input}: the folder ${dirname(input)} does not exist.`);
			}
			const regex = globRegex(basename(absolute));
			const matches = names.filter(name => regex.test(name)).sort();
			if (matches.length === 0) throw new LogInputError(`${input}: no file matches.`);
			for (const name of matches) out.add(join(dirname(absolute), name));
			continue;
		}
		let info;
		try {
			info = await stat(absolute);
		} catch {
			throw new LogInputError(`${input}: no such file.`);
		}
		if (info.isDirectory()) throw new LogInputError(`${input} is a folder; pass the log files or a glob such as ${join(input, '*.log')}.`);
		out.add(absolute);
	}
	return [...out];
}

