// The incident report: headline and summary, the evidence, the checklist and the timeline, for
// the ticket or the post-mortem. One model (./report/model.ts) and one document
// (./report/document.ts) feed every format; every renderer takes the redactor: the report is a
// sink like any other.
import type {Session} from './model.js';
import type {Redactor} from './secrets.js';
import {safeJson} from './text.js';
import {reportDocument} from './report/document.js';
import {renderHtml} from './report/html.js';
import {renderIcs} from './report/ics.js';
import {renderMarkdown} from './report/markdown.js';
import {buildJsonReport, type ReportFormat} from './report/model.js';
import {renderStatus} from './report/status.js';

export {buildJsonReport, incidentTimes, REPORT_FORMATS, REPORT_VERSION, type JsonReport, type ReportFormat} from './report/model.js';
export {foldedTimeline, reportDocument} from './report/document.js';

/** Render a session as a report in the given format, through the redactor. */
export function renderReport(session: Session, format: ReportFormat, generatedAt: string, redactor: Redactor): string {
	const report = redactor.value(buildJsonReport(session, generatedAt));
	switch (format) {
		case 'md':
			return renderMarkdown(reportDocument(report));
		case 'json':
			return `${safeJson(report, 2)}\n`;
		case 'html':
			return renderHtml(reportDocument(report));
		case 'status':
			return renderStatus(report);
		case 'ics':
			return renderIcs(report);
	}
}
