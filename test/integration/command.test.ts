import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {resolveBinary, runCommand} from '../../src/infra/command.js';
import {tempDir} from '../helpers/fs.js';

function stub(dir: string, name: string, script: string): string {
	const file = path.join(dir, name);
	fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, {mode: 0o755});
	return file;
}

describe('resolveBinary', () => {
	it('never takes a binary from the current folder, even when PATH names it', () => {
		const cwd = tempDir();
		const elsewhere = tempDir();
		stub(cwd, 'git', 'echo evil');
		const safe = stub(elsewhere, 'git', 'echo safe');
		expect(resolveBinary('git', cwd, [cwd, '.', '', elsewhere].join(path.delimiter))).toBe(safe);
		fs.mkdirSync(path.join(cwd, 'bin'));
		stub(path.join(cwd, 'bin'), 'aws', 'echo evil');
		expect(() => resolveBinary('aws', cwd, path.join(cwd, 'bin'))).toThrow(/"aws" was not found on PATH/);
	});

	it('refuses a path instead of a name', () => {
		expect(() => resolveBinary('./git')).toThrow(/looked up on PATH only/);
	});
});

describe('runCommand', () => {
	it('passes arguments as an array (no shell) and the secret on stdin', async () => {
		const dir = tempDir();
		stub(dir, 'echoargs', 'printf "%s|" "$@"; printf "stdin=%s" "$(cat)"');
		const result = await runCommand('echoargs', ['a b', '$(whoami)', ';ls'], {cwd: tempDir(), env: {PATH: [dir, '/usr/bin', '/bin'].join(path.delimiter)}, input: 'secret-on-stdin'});
		expect(result).toEqual({stdout: 'a b|$(whoami)|;ls|stdin=secret-on-stdin', stderr: '', exitCode: 0});
	});
});
