// `leakfix identify --key-stdin [--env-var NAME]... [--json]`: which provider issued a key, with
// the confidence and the reason (prefix, shape, context). The key is never printed: only its
// masked form and length. A piped "NAME=value" line gives its NAME as context.
import {mask} from '../core/secrets.js';
import {safeJson, visible} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import {loadPlaybooks} from '../playbooks/load.js';
import {identifyKey, MAX_KEY_LENGTH, splitAssignment, strongCandidate, type Candidate} from '../playbooks/recognise.js';
import type {CommandIo, Values} from './options.js';

type Io = {stdout: {write(text: string): unknown}; stdin: NodeJS.ReadableStream & {isTTY?: boolean}};

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stdin) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
		size += buffer.length;
		if (size > MAX_KEY_LENGTH) throw new UserError(`--key-stdin: more than ${MAX_KEY_LENGTH / 1024} KiB arrived; a key (even a PEM or a key file) is smaller.`);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export type IdentifyRow = {id: string; name: string; kind: string; confidence: Candidate['confidence']; reasons: string[]; testMode?: true; fullAccess?: true};

export function identifyRows(candidates: Candidate[]): IdentifyRow[] {
	return candidates.map(candidate => ({
		id: candidate.provider.id,
		name: candidate.provider.name,
		kind: candidate.provider.kind,
		confidence: candidate.confidence,
		reasons: candidate.reasons,
		...(candidate.testMode ? {testMode: true as const} : {}),
		...(candidate.fullAccess ? {fullAccess: true as const} : {}),
	}));
}

/** Exit 0: at least one candidate; 1: none (use --provider generic, or give --env-var NAME). */
export async function runIdentify(io: Io, options: {json: boolean; envVars: string[]}): Promise<number> {
	if (io.stdin.isTTY) throw new UserError('--key-stdin expects the key on stdin, but stdin is a terminal.', 'Pipe it in: some-secret-manager get key | leakfix identify --key-stdin');
	const {key, context} = splitAssignment(await readAll(io.stdin));
	if (key.length === 0) throw new UserError('--key-stdin: nothing arrived on stdin.');
	const allContext = [...context, ...options.envVars];
	const playbooks = await loadPlaybooks();
	const candidates = identifyKey(playbooks, key, allContext);
	const rows = identifyRows(candidates);
	const best = strongCandidate(candidates) ?? (candidates[0]?.confidence === 'high' || candidates[0]?.confidence === 'medium' ? candidates[0] : undefined);
	const shownKey = {masked: visible(mask(key)), length: key.length};
	if (options.json) {
		io.stdout.write(`${safeJson({key: shownKey, context: allContext.map(text => visible(text)), best: best?.provider.id ?? null, candidates: rows}, 2)}\n`);
	} else {
		const lines = [`key ${shownKey.masked} (${shownKey.length} characters)${allContext.length > 0 ? `, context: ${allContext.map(text => visible(text)).join(', ')}` : ''}`];
		if (rows.length === 0) lines.push('No provider recognises this key. Use --provider generic, or give the variable it was stored under: --env-var NAME.');
		for (const row of rows) {
			lines.push(`${row.confidence.padEnd(6)} ${row.id.padEnd(22)} ${row.name}${row.testMode ? ' (test mode)' : ''}`);
			for (const reason of row.reasons) lines.push(`       ${reason}`);
		}
		if (best) lines.push(`Most likely: ${best.provider.id} (leakfix verify --provider ${best.provider.id} --key-stdin)`);
		io.stdout.write(`${lines.join('\n')}\n`);
	}
	return rows.length > 0 ? 0 : 1;
}

/** leakfix identify --key-stdin [--env-var NAME]... [--json]. */
export async function run(values: Values, _rest: string[], io: CommandIo): Promise<number> {
	if (values['key-stdin'] !== true) throw new UserError('leakfix identify needs the key on stdin: --key-stdin.', 'Example: pbpaste | leakfix identify --key-stdin');
	return runIdentify(io, {json: values.json === true, envVars: values['env-var'] ?? []});
}
