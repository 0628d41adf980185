// What every command module shares with src/cli.ts: the options the parser knows, the values a
// command's run receives, and the streams it writes to. Types and one table only: nothing heavy.
import type {parseArgs} from 'node:util';

export const OPTIONS = {
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
	json: {type: 'boolean'},
	'key-stdin': {type: 'boolean'},
	format: {type: 'string'},
	out: {type: 'string'},
	repo: {type: 'string', multiple: true},
	provider: {type: 'string'},
	'key-id': {type: 'string'},
	'all-lines': {type: 'boolean'},
	since: {type: 'string'},
	allow: {type: 'string', multiple: true},
	'business-hours': {type: 'string'},
	tz: {type: 'string'},
	field: {type: 'string', multiple: true},
	'env-var': {type: 'string', multiple: true},
	'dry-run': {type: 'boolean'},
	yes: {type: 'boolean'},
	store: {type: 'string', multiple: true},
	address: {type: 'string'},
	ci: {type: 'string'},
	image: {type: 'string'},
	tar: {type: 'string'},
	days: {type: 'string'},
	ics: {type: 'boolean'},
	read: {type: 'boolean'},
	mark: {type: 'string', multiple: true},
	from: {type: 'string'},
	'from-github': {type: 'string'},
	'as-new': {type: 'boolean'},
	told: {type: 'string'},
	org: {type: 'string'},
} as const;

export type OptionName = keyof typeof OPTIONS;

/** The parsed options, as node:util's parseArgs types them for OPTIONS. */
export type Values = ReturnType<typeof parseArgs<{args: string[]; allowPositionals: true; strict: true; options: typeof OPTIONS}>>['values'];

export type CommandIo = {
	stdout: {write(text: string): unknown; isTTY?: boolean};
	stderr: {write(text: string): unknown};
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
};

/** A command: its options already checked against its table entry in src/cli.ts. */
export type Run = (values: Values, rest: string[], io: CommandIo) => Promise<number>;
