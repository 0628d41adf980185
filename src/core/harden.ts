// De-hard-coding, the pure half: a line that holds the key as a string literal becomes a read of
// the environment variable, in the file's language, with a comment on how the value gets there.
// Only the key's line changes (plus an import the lookup needs); anything less certain is a
// snippet to paste instead.

export const LANGUAGES = ['javascript', 'python', 'go', 'java', 'ruby'] as const;
export type Language = (typeof LANGUAGES)[number];
export type HardenStore = 'env' | 'aws-sm' | 'vault' | 'conjur';

export function languageOf(file: string): Language | null {
	if (/\.(m?[jt]sx?|cjs|cts|mts)$/.test(file)) return 'javascript';
	if (/\.py$/.test(file)) return 'python';
	if (/\.go$/.test(file)) return 'go';
	if (/\.(java|kt)$/.test(file)) return file.endsWith('.kt') ? null : 'java';
	if (/\.rb$/.test(file)) return 'ruby';
	return null;
}

const COMMENT: Record<Language, string> = {javascript: '//', python: '#', go: '//', java: '//', ruby: '#'};

export function lookupExpression(language: Language, variable: string): string {
	switch (language) {
		case 'javascript':
			return `process.env.${variable}`;
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

export type Rewrite =
	| {ok: true; text: string; changed: number[]; added: string[]}
	| {ok: false; reason: string; snippet: string};

/** Lines that are minified (very long) or generated are never rewritten. */
const MAX_LINE = 400;

/**
 * The key's string literal on `lineIndex` (0-based) replaced by the lookup. Refused when the key
 * is not a whole literal of its own ("Bearer KEY", a template with ${…}), the line looks minified,
 * or the language is unknown.
 */
export function rewriteFile(text: string, lineIndex: number, key: string, language: Language | null, variable: string, store: HardenStore, address?: string): Rewrite {
	const snippetFor = (lang: Language | null) =>
		lang ? `${COMMENT[lang]} ${provenance(store, variable, address)}\n${lookupExpression(lang, variable)}` : `read ${variable} from the environment (${provenance(store, variable, address)})`;
	if (language === null) return {ok: false, reason: 'not a language leakfix rewrites (JavaScript/TypeScript, Python, Go, Java, Ruby)', snippet: snippetFor(null)};
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	const lines = text.split(eol);
	const line = lines[lineIndex];
	if (line === undefined) return {ok: false, reason: 'the line is gone (the file changed since the scan)', snippet: snippetFor(language)};
	if (line.length > MAX_LINE) return {ok: false, reason: 'the line looks minified or generated', snippet: snippetFor(language)};
	const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const quotes = language === 'javascript' ? `["'\`]` : language === 'go' ? '["`]' : language === 'java' ? '"' : `["']`;
	const literal = new RegExp(`(?<![A-Za-z0-9_$])(?:[rRbBuUfF]{0,2})?(${quotes})${escaped}\\1`, 'g');
	const found = [...line.matchAll(literal)];
	if (found.length !== 1 || line.split(key).length !== 2) {
		return {ok: false, reason: line.includes(key) ? 'the key is inside a larger string or template, or appears more than once' : 'the key is not on that line', snippet: snippetFor(language)};
	}
	const match = found[0]!;
	let replaced = `${line.slice(0, match.index)}${lookupExpression(language, variable)}${line.slice(match.index! + match[0].length)}`;
	// Go: a constant cannot hold a function call.
	if (language === 'go') replaced = replaced.replace(/^(\s*)const(\s)/, '$1var$2');
	const indent = /^\s*/.exec(line)![0];
	const out = [...lines];
	out.splice(lineIndex, 1, `${indent}${COMMENT[language]} ${provenance(store, variable, address)}`, replaced);
	const added: string[] = [];
	const changed = [lineIndex];
	// The import the lookup needs, when the file does not have it.
	if (language === 'python' && !/^\s*import\s+os\b|^\s*import\s+.*\bos\b/m.test(text)) {
		const at = out.findIndex(candidate => /^(import|from)\s/.test(candidate));
		out.splice(at === -1 ? firstCodeLine(out, '#') : at, 0, 'import os');
		added.push('import os');
	}
	if (language === 'go' && !/"os"/.test(text)) {
		const block = out.findIndex(candidate => /^import\s*\($/.test(candidate.trim()));
		if (block !== -1) out.splice(block + 1, 0, '\t"os"');
		else {
			const pkg = out.findIndex(candidate => /^package\s/.test(candidate));
			out.splice(pkg + 1, 0, '', 'import "os"');
		}
		added.push('import "os"');
	}
	return {ok: true, text: out.join(eol), changed, added};
}

/** After a shebang, encoding line and leading comments/docstring. */
function firstCodeLine(lines: string[], comment: string): number {
	let index = 0;
	while (index < lines.length && (lines[index]!.startsWith(comment) || lines[index]!.trim() === '')) index++;
	return index;
}

/** A minimal unified diff of two texts (whole-file context free), for the screen and --dry-run. */
export function unifiedDiff(file: string, before: string, after: string): string {
	const a = before.split('\n');
	const b = after.split('\n');
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) start++;
	let endA = a.length - 1;
	let endB = b.length - 1;
	while (endA >= start && endB >= start && a[endA] === b[endB]) {
		endA--;
		endB--;
	}
	const from = Math.max(0, start - 2);
	const out = [`--- a/${file}`, `+++ b/${file}`, `@@ -${from + 1},${endA - from + 3} +${from + 1},${endB - from + 3} @@`];
	for (let index = from; index < start; index++) out.push(` ${a[index]}`);
	for (let index = start; index <= endA; index++) out.push(`-${a[index]}`);
	for (let index = start; index <= endB; index++) out.push(`+${b[index]}`);
	for (let index = endA + 1; index <= Math.min(a.length - 1, endA + 2); index++) out.push(` ${a[index]}`);
	return out.join('\n');
}
