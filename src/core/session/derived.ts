// What the reducer derives from the session: severity, the exposure's start, follow-ups, and
// the timeline's wording of some events.
import {
	type Hardening,
	type ActionResult,
	type InventoryEntry,
	type LogSummary,
	type Session,
} from '../model.js';

import {assessSeverity} from '../severity.js';
import {firstExposureOf} from '../exposure.js';
import {readersLine} from '../claims.js';

import type {SessionEvent} from './events.js';
import {recorded} from './record.js';

/**
 * An action's result on an entry. A re-run of an update that had succeeded and now failed keeps
 * the proven update (the store holds the new key) and records the failure beside it.
 */
export function withResult(entry: InventoryEntry, field: 'update' | 'restarted' | 'healthResult' | 'verifyHealth', result: ActionResult): InventoryEntry {
	if (field !== 'update') return {...entry, [field]: result};
	const proven = entry.update?.status === 'done' || entry.update?.status === 'manual';
	if (proven && (result.status === 'failed' || result.status === 'skipped')) return {...entry, updateRetry: result};
	const {updateRetry: _old, ...rest} = entry;
	return {...rest, update: result};
}

/** What a hardening record says, exactly: what was written and what was not. */
export function hardenedLine(hardening: Omit<Hardening, 'at'>): string {
	const manual = new Set(hardening.files.filter(file => file.status === 'manual').map(file => file.file)).size;
	const parts = [readersLine({...hardening, at: ''})];
	if (manual > 0) parts.push(`${manual} file(s) to change by hand`);
	if (hardening.config.length > 0) parts.push(`written: ${hardening.config.join('; ')}`);
	if ((hardening.configPending ?? []).length > 0) parts.push(`not written: ${hardening.configPending!.join('; ')}`);
	parts.push(hardening.guard ? `guard in ${hardening.guard.where}${hardening.guard.proven === false ? ' (not proven)' : hardening.guard.proven ? ' (proven)' : ''}` : 'guard: none');
	return `Kept out of code: ${parts.join('; ')}`;
}

export function verifyProbed(session: Session, event: Extract<SessionEvent, {type: 'verify.probed'}>): Session {
	const verification = {...session.verification, [event.which === 'old' ? 'oldKey' : 'newKey']: event.result};
	const done = verification.oldKey?.status === 'revoked' && verification.newKey?.status === 'live';
	const first = done && !session.verification?.verifiedAt;
	return recorded(
		session,
		{verification: {...verification, ...(first ? {verifiedAt: event.at} : {})}, followUps: first ? followUpsFrom(session, event.at) : session.followUps},
		{kind: 'verify.probed', step: 'verify', text: `${event.which === 'old' ? 'Old' : 'New'} key probe: ${event.result.status} (${event.result.reason})`},
		event.at,
	);
}

/** Re-check the logs after a day and after a week, from the rotation's end (set once). */
export function followUpsFrom(session: Session, at: string) {
	const existing = session.followUps ?? [];
	if (existing.some(followUp => followUp.id === 'logs-24h')) return existing;
	const day = 86_400_000;
	return [
		...existing,
		{id: 'logs-24h', title: 'Re-check the logs for the old key (24 hours after the rotation)', due: new Date(Date.parse(at) + day).toISOString()},
		{id: 'logs-7d', title: 'Re-check the logs for the old key (7 days after the rotation)', due: new Date(Date.parse(at) + 7 * day).toISOString()},
	];
}

/** When the exposure began, as best known: the scan's first exposure, else when it was noticed. */
export function exposureStartOf(session: Session): {at: string; from: 'scan' | 'noticed'} {
	const first = firstExposureOf(session.exposure?.repos ?? []);
	return first ? {at: first.date, from: 'scan'} : {at: session.leak.noticedAt, from: 'noticed'};
}

/** One line for the timeline: what the log analysis read and found. */
export function logsLine(summary: LogSummary): string {
	return `Logs analysed (${summary.source}): ${summary.keyLines} request(s) with the key in ${summary.lines} line(s), ${summary.baselineLines} before the exposure and ${summary.exposureLines} after; ${summary.findings.length} finding(s)${summary.malformed.count > 0 ? `; ${summary.malformed.count} malformed line(s) skipped` : ''}`;
}

/** The facts for the severity, as the session knows them now. */
export function severityFor(session: Session, at: string) {
	const repos = session.exposure?.repos ?? [];
	const first = firstExposureOf(repos);
	const since = Date.parse(first?.date ?? session.leak.noticedAt);
	// The latest word on the old key: the assess probe, or the verification's.
	const latest = [session.probe, session.verification?.oldKey].filter(probe => probe !== undefined).sort((a, b) => a!.at.localeCompare(b!.at)).at(-1);
	return assessSeverity({
		liveness: latest?.status ?? null,
		where: session.leak.where,
		pushed: first ? first.pushed : null,
		publicForge: repos.some(repo => repo.remotes.some(remote => remote.forge !== null)),
		exposedDays: Math.max(0, (Date.parse(at) - since) / 86_400_000),
		scopes: session.keyFacts?.scopes ?? 'unknown',
		testMode: session.keyFacts?.testMode ?? false,
		fullAccess: session.keyFacts?.fullAccess ?? false,
		suspicious: session.logs?.findings.filter(finding => finding.verdict === 'suspicious').length ?? 0,
		...(session.probe?.blastRadius ? {power: {level: session.probe.blastRadius.power, why: session.probe.blastRadius.why}} : {}),
	});
}

/** Re-derives the severity after a fact changed; the timeline says when the level moves. */
export function withSeverity(session: Session, at: string): Session {
	const severity = severityFor(session, at);
	if (session.severity?.level === severity.level && session.severity.reasons.join() === severity.reasons.join()) return session;
	const moved = session.severity?.level !== severity.level;
	// Every caller has just recorded an event at `at`, so setting updatedAt again changes nothing.
	return recorded(session, {severity}, moved ? {kind: 'severity.assessed', step: 'assess', text: `Severity ${severity.level}: ${severity.reasons.join('; ')}`} : [], at);
}

