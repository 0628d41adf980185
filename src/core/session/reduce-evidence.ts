// The assess and logs evidence: the scan, the probe and its consent, the log analysis and its findings.
import {
	type Session,
} from '../model.js';
import {summaryLine} from '../exposure.js';

import type {SessionEvent} from './events.js';

import {logsLine, withSeverity} from './derived.js';
import {recorded} from './record.js';

export type EvidenceEvent = Extract<SessionEvent, {type: 'scan.completed' | 'probe.consented' | 'probe.completed' | 'logs.analyzed' | 'finding.marked'}>;

export function reduceEvidence(session: Session, event: EvidenceEvent): Session {
	switch (event.type) {
		case 'scan.completed': {
			return withSeverity(
				recorded(session, {exposure: event.summary}, {kind: 'scan.completed', step: 'assess', text: summaryLine(event.summary)}, event.at),
				event.at,
			);
		}

		case 'probe.consented': {
			return recorded(session, {probeConsent: {at: event.at, request: event.request}}, {kind: 'probe.consented', step: 'assess', text: `Agreed to probe the key: ${event.request}`}, event.at);
		}

		case 'probe.completed': {
			return withSeverity(
				recorded(session, {probe: event.result}, {kind: 'probe.completed', step: 'assess', text: `Liveness probe: ${event.result.status} (${event.result.reason})${event.result.blastRadius ? `; what the key can do: ${event.result.blastRadius.power} (${event.result.blastRadius.why})` : ''}`}, event.at),
				event.at,
			);
		}

		case 'logs.analyzed': {
			// A re-run of the same logs keeps the verdicts already given (findings have stable ids).
			const previous = new Map((session.logs?.findings ?? []).map(finding => [finding.id, finding]));
			const findings = event.summary.findings.map(finding => {
				const old = previous.get(finding.id);
				return old && old.verdict !== 'open' ? {...finding, verdict: old.verdict, ...(old.note ? {note: old.note} : {}), ...(old.markedAt ? {markedAt: old.markedAt} : {})} : finding;
			});
			// Findings judged in an earlier analysis that this one does not find again (other files,
			// another window) are kept with their verdict: a judgement is never lost.
			const ids = new Set(findings.map(finding => finding.id));
			const earlier = (session.logs?.findings ?? [])
				.filter(finding => finding.verdict !== 'open' && !ids.has(finding.id))
				.map(finding => ({...finding, detail: finding.detail?.includes('earlier analysis') ? finding.detail : `${finding.detail ? `${finding.detail}; ` : ''}from an earlier analysis (${session.logs!.source})`}));
			const summary = {...event.summary, findings: [...findings, ...earlier]};
			return withSeverity(
				recorded(session, {logs: summary}, {kind: 'logs.analyzed', step: 'logs', text: logsLine(summary)}, event.at),
				event.at,
			);
		}

		case 'finding.marked': {
			if (!session.logs) return session;
			const target = session.logs.findings.find(finding => finding.id === event.id);
			if (!target) return session;
			const findings = session.logs.findings.map(finding =>
				finding.id === event.id ? {...finding, verdict: event.verdict, markedAt: event.at, ...(event.note === undefined ? {} : {note: event.note})} : finding,
			);
			// Say what happened: a verdict given or changed, or only a note on the finding.
			const verdictWords = {open: 'reopened (not reviewed)', expected: 'judged expected', suspicious: 'judged suspicious'} as const;
			const text =
				event.verdict === target.verdict
					? event.note === undefined || event.note === (target.note ?? '')
						? `Log finding unchanged: ${target.title}`
						: event.note
							? `Note on log finding ${target.title}: ${event.note}`
							: `Note removed from log finding ${target.title}`
					: `Log finding ${verdictWords[event.verdict]}: ${target.title}${event.note ? ` — ${event.note}` : ''}`;
			return withSeverity(
				recorded(session, {logs: {...session.logs, findings}}, {kind: 'finding.marked', step: 'logs', text}, event.at),
				event.at,
			);
		}
	}
}
