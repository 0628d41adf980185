// The report document as one self-contained HTML file: readable on screen, printable to PDF (a
// table row or a list item is never cut across pages, times never wrap). Every piece of text is
// made visible and HTML-escaped.
import {visible} from '../text.js';
import type {Block, ReportDocument, Rich} from './document.js';

function escape(text: string): string {
	return visible(text).replace(/[&<>"']/g, ch => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[ch]!);
}

function rich(parts: Rich): string {
	return parts.map(part => (typeof part === 'string' ? escape(part) : 'code' in part ? `<code>${escape(part.code)}</code>` : `<b>${escape(part.strong)}</b>`)).join('');
}

const STYLE = [
	'body{font:15px/1.5 system-ui,sans-serif;max-width:62rem;margin:1.5rem auto;padding:0 1rem;color:#111}',
	'h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin:1.4rem 0 .4rem;border-bottom:1px solid #ddd}h3{font-size:1.05rem;margin:1rem 0 .3rem}',
	'.headline{font-size:1.1rem;background:#f4f7fb;border-left:4px solid #2b6cb0;padding:.5rem .8rem;margin:.4rem 0 .8rem}',
	'.note{color:#666}ul{margin:.2rem 0;padding-left:1.3rem}li.check{list-style:none;margin-left:-1.3rem}',
	'code{background:#f3f3f3;padding:0 .2em}pre{background:#f7f7f7;padding:.5rem;overflow-x:auto;white-space:pre-wrap}',
	'table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}.t{white-space:nowrap}',
	'@media print{body{margin:0;max-width:none;font-size:11pt}tr,li,pre{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}h2,h3{break-after:avoid;page-break-after:avoid}pre{white-space:pre-wrap}}',
].join('');

function block(value: Block): string[] {
	switch (value.kind) {
		case 'headline':
			return [`<p class="headline"><b>${escape(value.text)}.</b></p>`];
		case 'note':
			return [`<p class="note">${rich(value.text)}</p>`];
		case 'p':
			return [`<p>${rich(value.text)}</p>`];
		case 'facts':
			return [
				'<ul>',
				...value.items.map(item => {
					const box = item.check ? `<input type="checkbox" disabled${item.check === 'done' ? ' checked' : ''}> ` : '';
					const sub = (item.sub ?? []).map(line => `<br><span class="note">${rich(line)}</span>`).join('');
					return `<li${item.check ? ' class="check"' : ''}>${box}${item.label ? `<b>${escape(item.label)}:</b> ` : ''}${rich(item.text)}${sub}</li>`;
				}),
				'</ul>',
			];
		case 'table': {
			const times = new Set(value.times ?? []);
			return [
				'<table>',
				`<thead><tr>${value.head.map(cell => `<th>${escape(cell)}</th>`).join('')}</tr></thead>`,
				'<tbody>',
				...value.rows.map(row => `<tr>${row.map((cell, index) => `<td${times.has(index) ? ' class="t"' : ''}>${rich(cell)}</td>`).join('')}</tr>`),
				'</tbody>',
				'</table>',
			];
		}
		case 'pre':
			return [`<pre>${value.lines.map(escape).join('\n')}</pre>`];
	}
}

export function renderHtml(document: ReportDocument): string {
	const parts = ['<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">', `<title>${escape(document.title)}</title>`, `<style>${STYLE}</style>`, '</head><body>', `<h1>${escape(document.title)}</h1>`, ...document.top.flatMap(block)];
	for (const section of document.sections) parts.push(`<h${section.level}>${escape(section.title)}</h${section.level}>`, ...section.blocks.flatMap(block));
	parts.push('</body></html>', '');
	return parts.join('\n');
}
