// De-hard-coding, the pure half: a line that holds the key as a string literal becomes a read of
// the environment variable, in the file's language, with a comment on how the value gets there.
// Only the key's lines change (plus an import the lookup needs); anything less certain (the key
// in a comment, inside a larger or multi-line string, a Go const block, an annotation) is refused
// for that line, with a snippet to paste instead. The line edits and their diff: ./edits.ts.
import {applyEdits, type Edit, editsDiff} from './edits.js';
import type {Store} from './model.js';

export {applyEdits, type Edit, editsDiff} from './edits.js';
export const LANGUAGES = ['javascript', 'typescript', 'python', 'go', 'java', 'ruby'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Where the services will read the key from, in the order the prompts number them (1 env … 4 Conjur). */
export const HARDEN_STORES = ['env', 'aws-sm', 'vault', 'conjur'] as const;
export type HardenStore = (typeof HARDEN_STORES)[number];
export const isHardenStore = (text: string): text is HardenStore => (HARDEN_STORES as readonly string[]).includes(text);

export function languageOf(file: string): Language | null {
	if (/\.(tsx?|cts|mts)$/.test(file) && !file.endsWith('.d.ts')) return 'typescript';
	if (/\.(m?jsx?|cjs)$/.test(file)) return 'javascript';
	if (/\.py$/.test(file)) return 'python';
	if (/\.go$/.test(file)) return 'go';
	if (/\.java$/.test(file)) return 'java';
	if (/\.rb$/.test(file)) return 'ruby';
	return null;
}

const COMMENT: Record<Language, string> = {javascript: '//', typescript: '//', python: '#', go: '//', java: '//', ruby: '#'};

export function lookupExpression(language: Language, variable: string): string {
	switch (language) {
		case 'javascript':
			return `process.env.${variable}`;
		case 'typescript':
			return `process.env.${variable}!`; // a string, as the literal was (the variable must be set)
		case 'python':
			return `os.environ["${variable}"]`;
		case 'go':
			return `os.Getenv("${variable}")`;
		case 'java':
			return `System.getenv("${variable}")`;
		case 'ruby':
			return `ENV.fetch("${variable}")`;
	}
}

/** Client libraries of the secret stores the project already depends on. */
export type ProjectLibraries = {python: {boto3: boolean; hvac: boolean}; ruby: {awsSecretsManager: boolean}};
export const NO_LIBRARIES: ProjectLibraries = {python: {boto3: false, hvac: false}, ruby: {awsSecretsManager: false}};

/** A store's address, as `leakfix harden --address` or the inventory gives it. */
export type StoreAddress = {secretId?: string; jsonKey?: string; mount?: string; path?: string; field?: string; variableId?: string};

/** `prod/api#api_key` (AWS SM), `secret/api/prod#key` (Vault: mount/path#field), `prod/api/key` (Conjur). */
export function parseAddress(store: HardenStore, text: string | undefined): StoreAddress {
	if (!text) return {};
	const [main = '', key] = text.split('#');
	if (store === 'aws-sm') return {secretId: main, ...(key ? {jsonKey: key} : {})};
	if (store === 'vault') {
		const [mount = '', ...rest] = main.replace(/^\/+/, '').split('/');
		return {mount, path: rest.join('/'), ...(key ? {field: key} : {})};
	}
	if (store === 'conjur') return {variableId: main};
	return {};
}

/** The store's address as the inventory knows it: the first entry of that store type (none: {}). */
export function storeAddressFromInventory(inventory: ReadonlyArray<{store: Store}> | undefined, store: HardenStore): StoreAddress {
	for (const {store: s} of inventory ?? []) {
		if (store === 'aws-sm' && s.type === 'aws-sm') return {secretId: s.secretId, ...(s.jsonKey ? {jsonKey: s.jsonKey} : {})};
		if (store === 'vault' && s.type === 'vault') return {mount: s.mount, path: s.path, field: s.field};
		if (store === 'conjur' && s.type === 'conjur') return {variableId: s.variableId};
	}
	return {};
}

/**
 * The variable the rewritten code reads: the one named (--env-var), else the provider's
 * convention (its first envVars), else why there is none. The wizard and `leakfix harden` both ask.
 */
export function hardenVariable(provider: {name: string; envVars: readonly string[]} | undefined, named?: string): {variable: string} | {reason: string} {
	const variable = named ?? provider?.envVars[0];
	if (variable) return {variable};
	return {reason: provider ? `${provider.name}'s playbook names no variable its services read the key from` : 'no provider is known, so no variable name is'};
}

export function describeAddress(store: HardenStore, address: StoreAddress): string | undefined {
	if (store === 'aws-sm' && address.secretId) return `secret ${address.secretId}${address.jsonKey ? `, key ${address.jsonKey}` : ''}`;
	if (store === 'vault' && address.mount && address.path) return `${address.mount}/${address.path}${address.field ? ` field ${address.field}` : ''}`;
	if (store === 'conjur' && address.variableId) return `variable ${address.variableId}`;
	return undefined;
}

export type Lookup = {expression: string; imports: string[]; how: 'client' | 'environment'};

const quoted = (text: string) => JSON.stringify(text);

/**
 * The lookup for a line: the store's official client where the project already uses it and the
 * address is known (Python boto3 or hvac, Ruby aws-sdk-secretsmanager: calls that fit in an
 * expression), else a read of the environment variable the store fills at deploy time.
 */
export function lookupFor(language: Language, variable: string, store: HardenStore, address: StoreAddress, libraries: ProjectLibraries): Lookup {
	if (language === 'python' && store === 'aws-sm' && libraries.python.boto3 && address.secretId) {
		const value = `boto3.client("secretsmanager").get_secret_value(SecretId=${quoted(address.secretId)})["SecretString"]`;
		return address.jsonKey ? {expression: `json.loads(${value})[${quoted(address.jsonKey)}]`, imports: ['import boto3', 'import json'], how: 'client'} : {expression: value, imports: ['import boto3'], how: 'client'};
	}
	if (language === 'python' && store === 'vault' && libraries.python.hvac && address.mount && address.path && address.field) {
		return {
			expression: `hvac.Client(url=os.environ["VAULT_ADDR"], token=os.environ["VAULT_TOKEN"]).secrets.kv.v2.read_secret_version(path=${quoted(address.path)}, mount_point=${quoted(address.mount)})["data"]["data"][${quoted(address.field)}]`,
			imports: ['import hvac', 'import os'],
			how: 'client',
		};
	}
	if (language === 'ruby' && store === 'aws-sm' && libraries.ruby.awsSecretsManager && address.secretId) {
		const value = `Aws::SecretsManager::Client.new.get_secret_value(secret_id: ${quoted(address.secretId)}).secret_string`;
		return address.jsonKey
			? {expression: `JSON.parse(${value}).fetch(${quoted(address.jsonKey)})`, imports: ['require "aws-sdk-secretsmanager"', 'require "json"'], how: 'client'}
			: {expression: value, imports: ['require "aws-sdk-secretsmanager"'], how: 'client'};
	}
	return {expression: lookupExpression(language, variable), imports: language === 'python' ? ['import os'] : language === 'go' ? ['"os"'] : [], how: 'environment'};
}

/** How the value reaches the variable, per store: the comment beside the lookup. */
export function provenance(store: HardenStore, variable: string, address?: string): string {
	switch (store) {
		case 'env':
			return `${variable} comes from the environment (an ignored .env locally, the platform's settings in production); never commit it`;
		case 'aws-sm':
			return `${variable} is set from AWS Secrets Manager${address ? ` (${address})` : ''} at deploy time (ECS task secrets, External Secrets or the Lambda extension)`;
		case 'vault':
			return `${variable} is set from HashiCorp Vault KV v2${address ? ` (${address})` : ''} by the Vault Agent or the deploy`;
		case 'conjur':
			return `${variable} is set from CyberArk Conjur${address ? ` (${address})` : ''} by Summon or the Secrets Provider`;
	}
}

/** The comment above a rewritten line. */
function commentFor(lookup: Lookup, variable: string, store: HardenStore, address?: string): string {
	if (lookup.how === 'environment') return provenance(store, variable, address);
	return `read from ${store === 'aws-sm' ? 'AWS Secrets Manager' : 'HashiCorp Vault KV v2'}${address ? ` (${address})` : ''} with the client this project already uses; ${variable} is no longer in the code`;
}

export function snippetFor(language: Language | null, variable: string, store: HardenStore, address?: string): string {
	if (language) return `${COMMENT[language]} ${provenance(store, variable, address)}\n${lookupExpression(language, variable)}`;
	return `\${${variable}}   (a placeholder your config loader fills from the environment; ${provenance(store, variable, address)})`;
}

/** Lines that are minified (very long) or generated are never rewritten. */
const MAX_LINE = 400;

export type LinePlan = {ok: true; edit: Edit; imports: string[]} | {ok: false; line: number; reason: string};

const count = (text: string, token: string) => text.split(token).length - 1;

/** Is line `index` inside a multi-line string (a template, a triple-quoted string, a raw string, a text block)? */
function insideMultiline(lines: string[], index: number, language: Language): boolean {
	const before = lines.slice(0, index).join('\n');
	if (language === 'javascript' || language === 'typescript') return count(before.replace(/\\`/g, ''), '`') % 2 === 1;
	if (language === 'python') return count(before, '"""') % 2 === 1 || count(before, "'''") % 2 === 1;
	if (language === 'go') return count(before, '`') % 2 === 1;
	if (language === 'java') return count(before, '"""') % 2 === 1;
	return false;
}

/** The rewrite of the key's literal on line `index`, or why it cannot be done safely. */
export function planLine(lines: string[], index: number, key: string, language: Language, variable: string, store: HardenStore, address?: string, lookup: Lookup = lookupFor(language, variable, store, {}, NO_LIBRARIES)): LinePlan {
	const line = lines[index]!;
	const refuse = (reason: string): LinePlan => ({ok: false, line: index + 1, reason});
	if (line.length > MAX_LINE) return refuse('the line looks minified or generated');
	if (insideMultiline(lines, index, language)) return refuse('the key is inside a multi-line string or template');
	const head = line.slice(0, Math.max(0, line.indexOf(key)));
	if ((head.includes(COMMENT[language]) && !/["'`]/.test(head.slice(0, head.indexOf(COMMENT[language])))) || /^\s*(\*|\/\*)/.test(line)) return refuse('the key is in a comment: delete it there');
	const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const quotes = language === 'javascript' || language === 'typescript' ? `["'\`]` : language === 'go' ? '["`]' : language === 'java' ? '"' : `["']`;
	const prefix = language === 'python' ? '(?:[rRbBuUfF]{0,2})' : '';
	const literal = new RegExp(`(?<![A-Za-z0-9_$])${prefix}(${quotes})${escaped}\\1`, 'g');
	const found = [...line.matchAll(literal)];
	if (found.length !== 1 || line.split(key).length !== 2) return refuse(line.includes(key) ? 'the key is inside a larger string or template, or appears more than once on the line' : 'the key is not on that line');
	const match = found[0]!;
	const before = line.slice(0, match.index);
	if (before.includes(COMMENT[language]) || /^\s*(\*|\/\*)/.test(line)) return refuse('the key is in a comment: delete it there');
	if (/^\s*@/.test(line)) return refuse('the key is in an annotation, which cannot read the environment');
	if (language === 'go') {
		// A constant cannot hold a function call: `const x = …` becomes `var`; a const block is refused.
		const above = lines.slice(0, index).reverse();
		const open = above.findIndex(candidate => /^\s*const\s*\($/.test(candidate));
		const close = above.findIndex(candidate => /^\s*\)\s*$/.test(candidate));
		if (open !== -1 && (close === -1 || open < close)) return refuse('the key is in a Go const block: move it to a var');
	}
	let replaced = `${before}${lookup.expression}${line.slice(match.index! + match[0].length)}`;
	if (language === 'go') replaced = replaced.replace(/^(\s*)const(\s)/, '$1var$2');
	const indent = /^\s*/.exec(line)![0];
	return {ok: true, edit: {at: index, remove: 1, add: [`${indent}${COMMENT[language]} ${commentFor(lookup, variable, store, address)}`, replaced]}, imports: lookup.imports};
}

/** Where imports go, and the edit for those the file does not have yet. */
export function importEdit(lines: string[], language: Language, imports: string[]): Edit | null {
	const text = lines.join('\n');
	if (language === 'python') {
		const missing = imports.filter(statement => {
			const module = statement.replace(/^import\s+/, '');
			return !new RegExp(`^\\s*import\\s+(.*,\\s*)?${module}(\\s|,|$)`, 'm').test(text);
		});
		if (missing.length === 0) return null;
		let at = 0;
		while (at < lines.length && (lines[at]!.startsWith('#') || lines[at]!.trim() === '')) at++;
		// A module docstring stays first (it is the module's __doc__), then __future__ imports.
		const doc = /^\s*[rRuU]?("\"\"|''')/.exec(lines[at] ?? '');
		if (doc) {
			const quote = doc[1]!;
			const rest = lines[at]!.slice(lines[at]!.indexOf(quote) + 3);
			if (!rest.includes(quote)) {
				at++;
				while (at < lines.length && !lines[at]!.includes(quote)) at++;
			}
			at++;
		}
		let last = at - 1;
		for (let index = at; index < lines.length; index++) if (/^from\s+__future__\s+import/.test(lines[index]!)) last = index;
		return {at: last + 1, remove: 0, add: missing};
	}
	if (language === 'go') {
		if (/"os"/.test(text) || !imports.includes('"os"')) return null;
		const block = lines.findIndex(candidate => /^import\s*\($/.test(candidate.trim()));
		if (block !== -1) return {at: block + 1, remove: 0, add: ['\t"os"']};
		const pkg = lines.findIndex(candidate => /^package\s/.test(candidate));
		return {at: pkg + 1, remove: 0, add: ['', 'import "os"']};
	}
	if (language === 'ruby') {
		const missing = imports.filter(statement => !text.includes(statement) && !text.includes(statement.replace(/"/g, "'")));
		if (missing.length === 0) return null;
		let at = 0;
		while (at < lines.length && lines[at]!.startsWith('#')) at++; // shebang, magic comments
		return {at, remove: 0, add: missing};
	}
	return null;
}

export type FilePlan = {edits: Edit[]; refused: Array<{line: number; reason: string}>; text: string; diff: string};

/** Every line of a file that holds the key: the rewrites that are safe, the refusals for the rest. */
export function planFile(file: string, text: string, key: string, variable: string, store: HardenStore, address?: string, storeAddress: StoreAddress = {}, libraries: ProjectLibraries = NO_LIBRARIES): FilePlan | {unsupported: string} {
	const language = languageOf(file);
	if (language === null) return {unsupported: 'not a language leakfix rewrites (JavaScript/TypeScript, Python, Go, Java, Ruby)'};
	if (text.includes('\r\n') && /(^|[^\r])\n/.test(text)) return {unsupported: 'the file mixes line endings'};
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	const lines = text.split(eol);
	const edits: Edit[] = [];
	const refused: Array<{line: number; reason: string}> = [];
	const imports = new Set<string>();
	const lookup = lookupFor(language, variable, store, storeAddress, libraries);
	lines.forEach((line, index) => {
		if (!line.includes(key)) return;
		const plan = planLine(lines, index, key, language, variable, store, address, lookup);
		if (plan.ok) {
			edits.push(plan.edit);
			for (const statement of plan.imports) imports.add(statement);
		} else refused.push({line: plan.line, reason: plan.reason});
	});
	const imported = imports.size > 0 ? importEdit(lines, language, [...imports]) : null;
	if (imported) edits.push(imported);
	return {edits, refused, text: applyEdits(lines, edits).join(eol), diff: editsDiff(file, lines, edits)};
}

/** For tests and one-line callers: a single line's rewrite, as before. */
export function rewriteFile(text: string, lineIndex: number, key: string, language: Language | null, variable: string, store: HardenStore, address?: string): {ok: true; text: string} | {ok: false; reason: string; snippet: string} {
	if (language === null) return {ok: false, reason: 'not a language leakfix rewrites (JavaScript/TypeScript, Python, Go, Java, Ruby)', snippet: snippetFor(null, variable, store, address)};
	const lines = text.split('\n');
	const plan = planLine(lines, lineIndex, key, language, variable, store, address);
	if (!plan.ok) return {ok: false, reason: plan.reason, snippet: snippetFor(language, variable, store, address)};
	const imported = plan.imports.length > 0 ? importEdit(lines, language, plan.imports) : null;
	return {ok: true, text: applyEdits(lines, imported ? [plan.edit, imported] : [plan.edit]).join('\n')};
}
