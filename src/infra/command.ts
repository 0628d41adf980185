// The helper-command runner: execa with an argument array, never a shell string, and never a
// binary found in the current directory (a security tool must not be tricked into running ./git).
import fs from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import {ExternalError, UserError} from './errors.js';

/**
 * While a demo incident is open (src/infra/demo.ts), every helper is looked up through this rule
 * first: it answers a stand-in's absolute path, undefined for a local tool looked up as usual,
 * or throws a UserError for anything the demo must not run. PATH order alone is not trusted.
 */
let confinement: ((name: string) => string | undefined) | undefined;
export function confineHelpers(rule: ((name: string) => string | undefined) | undefined): void {
	confinement = rule;
}

/** Whether a demo's rule is in force (network updates that use no helper check it too: Conjur). */
export function helpersConfined(): boolean {
	return confinement !== undefined;
}

/** Finds `name` on PATH, skipping relative entries and anything inside `cwd`. */
export function resolveBinary(name: string, cwd: string = process.cwd(), pathEnv: string = process.env.PATH ?? ''): string {
	if (name.includes('/') || name.includes('\\')) throw new UserError(`Refusing to run "${name}": helper commands are looked up on PATH only.`);
	const confined = confinement?.(name);
	if (confined !== undefined) return confined;
	const here = path.resolve(cwd);
	// From the root folder every PATH entry is "inside": only relative entries are refused there.
	const everything = here === path.parse(here).root;
	for (const entry of pathEnv.split(path.delimiter)) {
		if (entry === '' || !path.isAbsolute(entry)) continue;
		const dir = path.resolve(entry);
		if (!everything && (dir === here || dir.startsWith(here + path.sep))) continue;
		const candidate = path.join(dir, name);
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			if (fs.statSync(candidate).isFile()) return candidate;
		} catch {}
	}
	throw new UserError(`"${name}" was not found on PATH.`, `Install ${name} or add it to PATH (leakfix never runs a ${name} from the current folder).`);
}

export type CommandResult = {stdout: string; stderr: string; exitCode: number};

export type CommandRunner = (
	bin: string,
	args: string[],
	/** env: merged over ours; a key set to undefined is removed from the child's environment. */
	options?: {
		cwd?: string;
		env?: Record<string, string | undefined>;
		input?: string;
		redact?: (text: string) => string;
		/**
		 * The helper opens /dev/stdin by name (kubectl --patch-file, aws file://): Node gives a child
		 * a socket, which cannot be opened, so the input goes through `cat` into a real pipe. The
		 * shell script is a constant; the binary, `cat` (both resolved to absolute paths) and the
		 * arguments are passed as its own arguments.
		 */
		pipeStdin?: boolean;
	},
) => Promise<CommandResult>;

export const runCommand: CommandRunner = async (bin, args, options = {}) => {
	const file = resolveBinary(bin, options.cwd ?? process.cwd(), options.env?.PATH ?? process.env.PATH);
	const redact = options.redact ?? ((text: string) => text);
	// `cat` is looked up like the helper (never in the current folder) and passed by absolute path.
	const [command, argv] = options.pipeStdin
		? ['/bin/sh', ['-c', 'cat="$1"; shift; "$cat" | "$0" "$@"', file, resolveBinary('cat', options.cwd ?? process.cwd(), options.env?.PATH ?? process.env.PATH), ...args]]
		: [file, args];
	const result = await execa(command, argv, {
		cwd: options.cwd,
		env: options.env,
		input: options.input ?? '',
		reject: false,
		shell: false,
		stripFinalNewline: true,
	});
	if (result.failed && result.exitCode === undefined) {
		throw new ExternalError(`${bin} could not be started`, redact([bin, ...args].join(' ')), redact(String(result.stderr ?? '')).slice(-2000));
	}
	return {stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? 1};
};

/** A helper's stderr as text, whether execa kept it as a string or (encoding 'buffer', spawnStream) as bytes. */
export function stderrText(stderr: unknown): string {
	if (typeof stderr === 'string') return stderr;
	if (stderr instanceof Uint8Array) return Buffer.from(stderr.buffer, stderr.byteOffset, stderr.byteLength).toString('utf8');
	return '';
}

/** Like runCommand, for output that is bytes (object contents): stdout as a Buffer, input on stdin. */
export async function runBuffer(
	bin: string,
	args: string[],
	options: {cwd?: string; input?: string; maxBuffer?: number; signal?: AbortSignal; redact?: (text: string) => string} = {},
): Promise<Buffer> {
	const file = resolveBinary(bin, options.cwd ?? process.cwd());
	const redact = options.redact ?? ((text: string) => text);
	const result = await execa(file, args, {
		cwd: options.cwd,
		input: options.input ?? '',
		encoding: 'buffer',
		reject: false,
		shell: false,
		stripFinalNewline: false,
		...(options.maxBuffer ? {maxBuffer: options.maxBuffer} : {}),
		...(options.signal ? {cancelSignal: options.signal} : {}),
	});
	if (result.isCanceled) return Buffer.alloc(0);
	if (result.exitCode !== 0) throw new ExternalError(`${bin} failed (exit ${result.exitCode ?? 'none'})`, redact([bin, ...args].join(' ')), redact(Buffer.from(result.stderr ?? '').toString('utf8')).slice(-2000));
	return Buffer.from(result.stdout);
}

/**
 * Starts a long-running helper whose output is read as a stream (git cat-file over a whole
 * repository). Same rules as runCommand: PATH lookup that skips the cwd, an argument array.
 */
/** Runs a helper whose stdout goes straight to a file the caller made (mode 0600): big output never sits in memory. */
export async function runToFile(bin: string, args: string[], outFile: string, options: {cwd?: string; signal?: AbortSignal; redact?: (text: string) => string} = {}): Promise<{exitCode: number; stderr: string}> {
	const file = resolveBinary(bin, options.cwd ?? process.cwd());
	const redact = options.redact ?? ((text: string) => text);
	const result = await execa(file, args, {
		cwd: options.cwd,
		stdin: 'ignore',
		stdout: {file: outFile, append: true},
		reject: false,
		shell: false,
		...(options.signal ? {cancelSignal: options.signal} : {}),
	});
	if (result.failed && result.exitCode === undefined && !result.isCanceled) {
		throw new ExternalError(`${bin} could not be started`, redact([bin, ...args].join(' ')), redact(String(result.stderr ?? '')).slice(-2000));
	}
	return {exitCode: result.exitCode ?? 1, stderr: redact(String(result.stderr ?? ''))};
}

export function spawnStream(bin: string, args: string[], options: {cwd?: string; signal?: AbortSignal; input?: string; stdin?: 'pipe'} = {}) {
	const file = resolveBinary(bin, options.cwd ?? process.cwd());
	return execa(file, args, {
		cwd: options.cwd,
		buffer: {stdout: false, stderr: true},
		encoding: 'buffer',
		reject: false,
		shell: false,
		...(options.input !== undefined ? {input: options.input} : {stdin: options.stdin ?? ('ignore' as const)}),
		...(options.signal ? {cancelSignal: options.signal} : {}),
	});
}
