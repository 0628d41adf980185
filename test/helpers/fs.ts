import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach} from 'vitest';

const made: string[] = [];

/** A temp folder removed after the test. */
export function tempDir(prefix = 'leakfix-test-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	made.push(dir);
	return dir;
}

afterEach(() => {
	for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
});

/** Every regular file below dir (recursively), with its bytes. */
export function allFiles(dir: string): Array<{file: string; content: Buffer}> {
	const out: Array<{file: string; content: Buffer}> = [];
	for (const entry of fs.readdirSync(dir, {withFileTypes: true, recursive: true})) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		out.push({file, content: fs.readFileSync(file)});
	}
	return out;
}
