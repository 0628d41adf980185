// A short status update to paste into the incident channel or the ticket: plain text, masked,
// every piece of outside text made visible. The same facts as the report's summary.
import {visible} from '../text.js';
import {formatTime} from '../time.js';
import type {JsonReport} from './model.js';

export function renderStatus(report: JsonReport): string {
	const {incident} = report;
	const open = report.steps.flatMap(step => step.items.filter(item => item.required && item.status === 'open').map(item => `${step.number}. ${item.title}`));
	const due = report.followUps.filter(followUp => !followUp.doneAt);
	const lines = [
		`[leakfix] ${incident.name} (${incident.id})${incident.demo ? ' [demo]' : ''}: ${report.summary.headline}.`,
		...report.summary.lines.map(line => `- ${line}`),
		...(report.severity ? [`- Severity now: ${report.severity.level}`] : []),
		...(open.length > 0 ? [`Next: ${open.slice(0, 3).join('; ')}${open.length > 3 ? ` (+${open.length - 3} more)` : ''}`] : []),
		...due.map(followUp => `Due ${formatTime(followUp.due)}: ${followUp.title}`),
		`As of ${formatTime(report.generatedAt)}.`,
	];
	return `${lines.map(line => visible(line)).join('\n')}\n`;
}
