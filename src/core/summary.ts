// The report's first lines: a headline a post-mortem reader can quote (the state now and the way
// there) and a short summary. Every word comes from the session's own evidence. Pure.
import {claimFor} from './claims.js';
import {LEAK_PLACE_LABELS, type Session} from './model.js';
import {incidentStatus, itemProgress} from './session.js';
import {formatDuration, formatTime} from './time.js';

export type IncidentSummary = {headline: string; lines: string[]};

const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
type Level = (typeof LEVELS)[number];

const SHORT_PLACE: Record<Session['leak']['where'], string> = {
	'public-repo': 'public repo',
	'private-repo': 'private repo',
	chat: 'chat',
	logs: 'logs',
	ticket: 'ticket',
	other: 'other',
};

/** The highest severity the incident reached, from the timeline (the level is re-assessed as facts change). */
export function peakSeverity(session: Session): {level: Level; at: string; reasons: string} | null {
	let peak: {level: Level; at: string; reasons: string} | null = null;
	for (const entry of session.timeline) {
		if (entry.kind !== 'severity.assessed') continue;
		const match = /^Severity (low|medium|high|critical): (.*)$/s.exec(entry.text);
		if (!match) continue;
		const level = match[1] as Level;
		if (!peak || LEVELS.indexOf(level) > LEVELS.indexOf(peak.level)) peak = {level, at: entry.at, reasons: match[2]!};
	}
	if (!peak && session.severity) peak = {level: session.severity.level, at: session.updatedAt, reasons: session.severity.reasons.join('; ')};
	return peak;
}

/** The key's state now, in words, from the latest evidence. */
function keyState(session: Session): {contained: boolean; words: string} {
	const deactivated = session.rotation?.deactivatedAt;
	const latest = [session.probe, session.verification?.oldKey].filter(probe => probe !== undefined).sort((a, b) => a!.at.localeCompare(b!.at)).at(-1);
	if (latest?.status === 'revoked') return {contained: true, words: `old key probed revoked ${formatTime(latest.at)}`};
	if (deactivated) return {contained: true, words: `old key deactivated ${formatTime(deactivated)}${latest && latest.at > deactivated ? `, but it still probed ${latest.status} ${formatTime(latest.at)}` : ', not yet proven dead'}`};
	if (latest) return {contained: false, words: `the old key probed ${latest.status} ${formatTime(latest.at)}`};
	return {contained: false, words: 'the old key was never probed'};
}

function peakFacts(session: Session): string {
	const facts: string[] = [];
	const everLive = [session.probe, session.verification?.oldKey].some(probe => probe?.status === 'live') || session.timeline.some(entry => /^Liveness probe: live/.test(entry.text));
	if (everLive) facts.push('live key');
	facts.push(SHORT_PLACE[session.leak.where]);
	const suspicious = session.logs?.findings.filter(finding => finding.verdict === 'suspicious') ?? [];
	if (suspicious.length > 0) facts.push(`${suspicious.length} suspicious log finding${suspicious.length === 1 ? '' : 's'}`);
	return facts.join(', ');
}

export function incidentSummary(session: Session, now: string): IncidentSummary {
	const noticed = Date.parse(session.leak.noticedAt);
	const state = keyState(session);
	const peak = peakSeverity(session);
	const deactivated = session.rotation?.deactivatedAt;
	const containedAt = deactivated ?? (state.contained ? [session.probe, session.verification?.oldKey].find(probe => probe?.status === 'revoked')?.at : undefined);
	const severityWords = peak ? `severity ${incidentStatus(session) === 'complete' || state.contained ? 'was' : 'is'} ${peak.level}: ${peakFacts(session)}` : 'severity not assessed';
	let headline: string;
	if (containedAt) {
		headline = `Contained ${formatDuration(Date.parse(containedAt) - noticed)} after detection; ${state.words}; ${severityWords}`;
	} else {
		headline = `Not contained: ${state.words}; noticed ${formatDuration(Date.parse(now) - noticed)} ago; ${severityWords}`;
	}

	const lines: string[] = [];
	const first = (session.exposure?.repos ?? []).map(repo => repo.firstExposure).filter(candidate => candidate !== null).sort((a, b) => a.date.localeCompare(b.date))[0];
	lines.push(`What leaked: a ${session.provider.name} key (${session.key.masked}) in ${LEAK_PLACE_LABELS[session.leak.where]}${session.leak.url ? ` (${session.leak.url})` : ''}, noticed ${formatTime(session.leak.noticedAt)}`);
	if (first) lines.push(`Exposed since ${formatTime(first.date)} (first commit ${first.commit.slice(0, 10)}); ${first.pushed ? 'pushed' : 'not on any remote-tracking branch'}`);
	else if (!session.exposure) lines.push('The repository was not scanned: when the exposure began is not known');
	const logs = session.logs;
	if (logs) {
		const suspicious = logs.findings.filter(finding => finding.verdict === 'suspicious');
		const open = logs.findings.filter(finding => finding.verdict === 'open').length;
		lines.push(
			suspicious.length > 0
				? `Used by someone else, likely: ${suspicious.length} suspicious log finding(s): ${suspicious.map(finding => finding.title).join('; ')}${open > 0 ? `; ${open} not reviewed` : ''}`
				: `Logs: ${logs.keyLines} request(s) with the key, ${logs.findings.length} finding(s)${open > 0 ? `, ${open} not reviewed` : ', none judged suspicious'}`,
		);
	} else lines.push('Logs: not analysed: whether the key was used is not known');
	lines.push(containedAt ? `Contained ${formatTime(containedAt)}: ${state.words}` : `Not contained: ${state.words}`);
	const entries = session.inventory ?? [];
	if (entries.length > 0) {
		const updated = entries.filter(entry => entry.update?.status === 'done' || entry.update?.status === 'manual').length;
		lines.push(`Rotated: ${updated} of ${entries.length} consumer(s) updated${session.rotation?.newKey ? ` to the new key ${session.rotation.newKey.masked}` : ''}`);
	}
	if (session.verification?.verifiedAt) lines.push(`Verified ${formatTime(session.verification.verifiedAt)}: the old key is rejected and the new key works`);
	else {
		// Say what is proven and what is missing, never only the half that is there.
		const halves = [claimFor(session, 'verify', 'old-key-dead')!, claimFor(session, 'verify', 'new-key-live')!];
		const missing = halves.filter(claim => claim.status !== 'done').map(claim => claim.why);
		const proven = halves.filter(claim => claim.status === 'done').map(claim => claim.why);
		lines.push(`Not verified yet: ${missing.join('; ')}${proven.length > 0 ? ` (proven: ${proven.join('; ')})` : ''}`);
	}
	const openRequired = session.steps.flatMap(step => step.items.filter(item => item.required && itemProgress(step, item.id).status === 'open').map(item => item.title));
	const due = (session.followUps ?? []).filter(followUp => !followUp.doneAt);
	if (openRequired.length > 0) lines.push(`Still open: ${openRequired.length} checklist item(s)${openRequired.length <= 3 ? `: ${openRequired.join('; ')}` : ''}`);
	for (const followUp of due) lines.push(`Follow-up due ${formatTime(followUp.due)}: ${followUp.title}`);
	return {headline, lines};
}
