// De-hard-coding, the pure half: a line that holds the key as a string literal becomes a read of
// the environment variable, in the file's language, with a comment on how the value gets there.
// Only the key's lines change (plus an import the lookup needs); anything less certain (the key
// in a comment, inside a larger or multi-line string, a Go const block, an annotation) is refused
// for that line, with a snippet to paste instead.

export const LANGUAGES = ['javascript', 'typescript', 'python', 'go', 'java', 'ruby'] as const;
export type Language = (typeof LANGUAGES)[number];
export type HardenStore = 'env' | 'aws-sm' | 'vault' | 'conjur';

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

export function snippetFor(language: Language | null, variable: string, store: HardenStore, address?: string): string {
	if (language) return `${COMMENT[language]} ${provenance(store, variable, address)}\n${lookupExpression(language, variable)}`;
	return `\${${variable}}   (a placeholder your config loader fills from the environment; ${provenance(store, variable, address)})`;
}

/** Lines that are minified (very long) or generated are never rewritten. */
const MAX_LINE = 400;

/** An edit of the original file: at line `at` (0-based), remove `remove` lines, add `add`. */
export type Edit = {at: number; remove: number; add: string[]};

export type LinePlan = {ok: true; edit: Edit; needsImport: boolean} | {ok: false; line: number; reason: string};

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
export function planLine(lines: string[], index: number, key: string, language: Language, variable: string, store: HardenStore, address?: string): LinePlan {
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
	let replaced = `${before}${lookupExpression(language, variable)}${line.slice(match.index! + match[0].length)}`;
	if (language === 'go') replaced = replaced.replace(/^(\s*)const(\s)/, '$1var$2');
	const indent = /^\s*/.exec(line)![0];
	const needsImport = language === 'python' || language === 'go';
	return {ok: true, edit: {at: index, remove: 1, add: [`${indent}${COMMENT[language]} ${provenance(store, variable, address)}`, replaced]}, needsImport};
}

/** Where the import goes, and the edit, when the file does not have it yet. */
export function importEdit(lines: string[], language: Language): Edit | null {
	const text = lines.join('\n');
	if (language === 'python') {
		if (/^\s*import\s+(.*,\s*)?os(\s|,|$)/m.test(text)) return null;
		let at = 0;
		while (at < lines.length && (lines[at]!.startsWith('#') || lines[at]!.trim() === '')) at++;
		// A module docstring stays first (it is the module's __doc__), then __future__ imports.
		const doc = /^\s*[rRuU]?("""|''')/.exec(lines[at] ?? '');
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
		return {at: last + 1, remove: 0, add: ['import os']};
	}
	if (language === 'go') {
		if (/"os"/.test(text)) return null;
		const block = lines.findIndex(candidate => /^import\s*\($/.test(candidate.trim()));
		if (block !== -1) return {at: block + 1, remove: 0, add: ['\t"os"']};
		const pkg = lines.findIndex(candidate => /^package\s/.test(candidate));
		return {at: pkg + 1, remove: 0, add: ['', 'import "os"']};
	}
	return null;
}

/** Applies edits (on original line numbers) from the bottom up. */
export function applyEdits(lines: string[], edits: Edit[]): string[] {
	const out = [...lines];
	for (const edit of [...edits].sort((a, b) => b.at - a.at || b.remove - a.remove)) out.splice(edit.at, edit.remove, ...edit.add);
	return out;
}

/** A unified diff of the edits: one hunk per edit, two lines of context. */
export function editsDiff(file: string, lines: string[], edits: Edit[]): string {
	const out = [`--- a/${file}`, `+++ b/${file}`];
	let shift = 0;
	for (const edit of [...edits].sort((a, b) => a.at - b.at)) {
		const from = Math.max(0, edit.at - 2);
		const to = Math.min(lines.length, edit.at + edit.remove + 2);
		const context = lines.slice(from, edit.at);
		const after = lines.slice(edit.at + edit.remove, to);
		out.push(`@@ -${from + 1},${to - from} +${from + 1 + shift},${to - from - edit.remove + edit.add.length} @@`);
		out.push(...context.map(line => ` ${line}`), ...lines.slice(edit.at, edit.at + edit.remove).map(line => `-${line}`), ...edit.add.map(line => `+${line}`), ...after.map(line => ` ${line}`));
		shift += edit.add.length - edit.remove;
	}
	return out.join('\n');
}

export type FilePlan = {edits: Edit[]; refused: Array<{line: number; reason: string}>; text: string; diff: string};

/** Every line of a file that holds the key: the rewrites that are safe, the refusals for the rest. */
export function planFile(file: string, text: string, key: string, variable: string, store: HardenStore, address?: string): FilePlan | {unsupported: string} {
	const language = languageOf(file);
	if (language === null) return {unsupported: 'not a language leakfix rewrites (JavaScript/TypeScript, Python, Go, Java, Ruby)'};
	if (text.includes('\r\n') && /(^|[^\r])\n/.test(text)) return {unsupported: 'the file mixes line endings'};
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	const lines = text.split(eol);
	const edits: Edit[] = [];
	const refused: Array<{line: number; reason: string}> = [];
	let needsImport = false;
	lines.forEach((line, index) => {
		if (!line.includes(key)) return;
		const plan = planLine(lines, index, key, language, variable, store, address);
		if (plan.ok) {
			edits.push(plan.edit);
			needsImport ||= plan.needsImport;
		} else refused.push({line: plan.line, reason: plan.reason});
	});
	const imported = needsImport ? importEdit(lines, language) : null;
	if (imported) edits.push(imported);
	return {edits, refused, text: applyEdits(lines, edits).join(eol), diff: editsDiff(file, lines, edits)};
}

/** For tests and one-line callers: a single line's rewrite, as before. */
export function rewriteFile(text: string, lineIndex: number, key: string, language: Language | null, variable: string, store: HardenStore, address?: string): {ok: true; text: string} | {ok: false; reason: string; snippet: string} {
	if (language === null) return {ok: false, reason: 'not a language leakfix rewrites (JavaScript/TypeScript, Python, Go, Java, Ruby)', snippet: snippetFor(null, variable, store, address)};
	const lines = text.split('\n');
	const plan = planLine(lines, lineIndex, key, language, variable, store, address);
	if (!plan.ok) return {ok: false, reason: plan.reason, snippet: snippetFor(language, variable, store, address)};
	const imported = plan.needsImport ? importEdit(lines, language) : null;
	return {ok: true, text: applyEdits(lines, imported ? [plan.edit, imported] : [plan.edit]).join('\n')};
}
