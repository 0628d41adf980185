// The report document as Markdown. Every piece of text is made visible (no control character
// reaches the file) and escaped so it cannot open a table, code span, link or HTML tag.
import {visible} from '../text.js';
import type {Block, ReportDocument, Rich} from './document.js';

/**
 * Markdown-safe inline text: no line breaks, no accidental table, code, link or HTML syntax.
 * `_` is left alone: GFM reads it literally inside words, and masked keys often contain it.
 */
function inline(text: string): string {
	return visible(text).replace(/([|\\`*[\]<>])/g, '\\$1');
}

function code(text: string): string {
	const safe = visible(text);
	return safe.includes('`') ? `\`\` ${safe} \`\`` : `\`${safe}\``;
}

function rich(parts: Rich): string {
	return parts.map(part => (typeof part === 'string' ? inline(part) : 'code' in part ? code(part.code) : `**${inline(part.strong)}**`)).join('');
}

function block(value: Block): string[] {
	switch (value.kind) {
		case 'headline':
			return [`**${inline(value.text)}.**`, ''];
		case 'note':
			return [`> ${rich(value.text)}`, ''];
		case 'p':
			return [rich(value.text), ''];
		case 'facts':
			return [
				...value.items.flatMap(item => [
					`- ${item.check ? `${item.check === 'done' ? '[x]' : '[ ]'} ` : ''}${item.label ? `**${inline(item.label)}:** ` : ''}${rich(item.text)}`,
					...(item.sub ?? []).map(sub => `  - ${rich(sub)}`),
				]),
				'',
			];
		case 'table':
			return [`| ${value.head.map(inline).join(' | ')} |`, `| ${value.head.map(() => '---').join(' | ')} |`, ...value.rows.map(row => `| ${row.map(rich).join(' | ')} |`), ''];
		case 'pre':
			return ['```text', ...value.lines.map(line => visible(line).replace(/```/g, "'''")), '```', ''];
	}
}

export function renderMarkdown(document: ReportDocument): string {
	const lines = [`# ${inline(document.title)}`, '', ...document.top.flatMap(block)];
	for (const section of document.sections) {
		lines.push(`${'#'.repeat(section.level)} ${inline(section.title)}`, '', ...section.blocks.flatMap(block));
	}
	return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
