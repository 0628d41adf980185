// The incident report: checklist and timeline for the ticket or the post-mortem.
// Every renderer takes the redactor: the report is a sink like any other.
import {LEAK_PLACE_LABELS, type ExposureSummary, type FollowUp, type InventoryEntry, type LogSummary, type Session} from './model.js';
import {storeAddress} from './inventory/address.js';
import type {Redactor} from './secrets.js';
import {incidentStatus, itemProgress, stepNumber, stepStatus} from './session.js';
import {formatDuration, formatTime} from './time.js';
import {incidentSummary, peakSeverity, type IncidentSummary} from './summary.js';

export const REPORT_VERSION = 1;
export const REPORT_FORMATS = ['md', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type JsonReport = {
	schema: 'leakfix/report';
	reportVersion: typeof REPORT_VERSION;
	generatedAt: string;
	incident: {
		id: string;
		name: string;
		demo: boolean;
		status: 'open' | 'complete';
		provider: {id: string; name: string};
		key: {masked: string; fingerprint: string};
		leak: {where: string; url: string | null; noticedAt: string};
		createdAt: string;
		updatedAt: string;
		closedAt: string | null;
	};
	steps: Array<{
		number: number;
		id: string;
		title: string;
		status: 'todo' | 'in-progress' | 'complete';
		items: Array<{
			id: string;
			title: string;
			required: boolean;
			source: string;
			status: 'open' | 'done' | 'skipped';
			reason: string | null;
			note: string | null;
			updatedAt: string | null;
		}>;
	}>;
	/** The severity as last assessed, with its reasons. */
	severity: {level: string; reasons: string[]; containFirst: string | null} | null;
	/** The last liveness probe, or null. */
	probe: {status: string; reason: string; request: string; at: string; details?: Record<string, string>} | null;
	/** The last exposure scan, or null if none was run. Lines are masked. */
	exposure: ExposureSummary | null;
	/** The last log analysis with each finding's verdict (open, expected, suspicious), or null. */
	logs: LogSummary | null;
	/** Every consumer of the key, with the outcome of its update, restart and health checks. */
	inventory: Array<InventoryEntry & {address: string}>;
	/** The new key (masked) and its probe; when and how the old key was deactivated. */
	rotation: Session['rotation'] | null;
	verification: Session['verification'] | null;
	followUps: FollowUp[];
	/** Milliseconds: first exposure → noticed (detect), noticed → old key deactivated (contain), noticed → verified (recover). Null until known. */
	times: {detectMs: number | null; containMs: number | null; recoverMs: number | null};
	/** Prevent recurrence: what was de-hard-coded, where the key is read from now, the guard. */
	hardening: Session['hardening'] | null;
	timeline: Array<{at: string; kind: string; step: string | null; item: string | null; text: string}>;
	/** The first lines a reader quotes: the state now and the way there, then the key facts. */
	summary: IncidentSummary;
	/** The highest severity the incident reached, and why (the current one is `severity`). */
	peakSeverity: {level: string; at: string; reasons: string} | null;
};

export function incidentTimes(session: Session): JsonReport['times'] {
	const noticed = Date.parse(session.leak.noticedAt);
	const first = (session.exposure?.repos ?? []).map(repo => repo.firstExposure?.date).filter((date): date is string => date !== undefined).sort()[0];
	const since = (iso: string | undefined, from: number) => (iso === undefined ? null : Math.max(0, Date.parse(iso) - from));
	return {detectMs: first ? Math.max(0, noticed - Date.parse(first)) : null, containMs: since(session.rotation?.deactivatedAt, noticed), recoverMs: since(session.verification?.verifiedAt, noticed)};
}

export function buildJsonReport(session: Session, generatedAt: string): JsonReport {
	return {
		schema: 'leakfix/report',
		reportVersion: REPORT_VERSION,
		generatedAt,
		incident: {
			id: session.id,
			name: session.name,
			demo: session.demo,
			status: incidentStatus(session),
			provider: session.provider,
			key: {masked: session.key.masked, fingerprint: session.key.fingerprint},
			leak: {where: session.leak.where, url: session.leak.url ?? null, noticedAt: session.leak.noticedAt},
			createdAt: session.createdAt,
			updatedAt: session.updatedAt,
			closedAt: session.closedAt ?? null,
		},
		steps: session.steps.map(step => ({
			number: stepNumber(step.id),
			id: step.id,
			title: step.title,
			status: stepStatus(step),
			items: step.items.map(item => {
				const progress = itemProgress(step, item.id);
				return {
					id: item.id,
					title: item.title,
					required: item.required,
					source: item.source,
					status: progress.status,
					reason: progress.reason ?? null,
					note: progress.note ?? null,
					updatedAt: progress.updatedAt ?? null,
				};
			}),
		})),
		severity: session.severity ?? null,
		probe: session.probe ? {status: session.probe.status, reason: session.probe.reason, request: session.probe.request, at: session.probe.at, ...(session.probe.details ? {details: session.probe.details} : {})} : null,
		exposure: session.exposure ?? null,
		logs: session.logs ?? null,
		inventory: (session.inventory ?? []).map(entry => ({...entry, address: storeAddress(entry.store)})),
		rotation: session.rotation ?? null,
		verification: session.verification ?? null,
		followUps: session.followUps ?? [],
		times: incidentTimes(session),
		hardening: session.hardening ?? null,
		summary: incidentSummary(session, generatedAt),
		peakSeverity: peakSeverity(session),
		timeline: session.timeline.map(entry => ({
			at: entry.at,
			kind: entry.kind,
			step: entry.step ?? null,
			item: entry.item ?? null,
			text: entry.text,
		})),
	};
}

const STEP_STATUS_WORDS = {todo: 'not started', 'in-progress': 'in progress', complete: 'complete'} as const;

/** The severity's reasons, the one that set the level first (misuse in the logs outranks "revoked now"). */
function severityReasons(reasons: string[]): string {
	return [...reasons.filter(reason => /suspicious/.test(reason)), ...reasons.filter(reason => !/suspicious/.test(reason))].join('; ');
}

/** Consecutive timeline entries with the same text in the same minute are one line (×N). */
export function foldedTimeline(timeline: JsonReport['timeline']): Array<JsonReport['timeline'][number] & {times: number}> {
	const folded: Array<JsonReport['timeline'][number] & {times: number}> = [];
	for (const entry of timeline) {
		const last = folded.at(-1);
		if (last && last.text === entry.text && last.step === entry.step && last.at.slice(0, 16) === entry.at.slice(0, 16)) last.times++;
		else folded.push({...entry, times: 1});
	}
	return folded;
}

/**
 * Markdown-safe inline text: no line breaks, no accidental table, code, link or HTML syntax.
 * `_` is left alone: GFM reads it literally inside words, and masked keys often contain it.
 */
function inline(text: string): string {
	return text.replace(/\r?\n/g, ' ').replace(/([|\\`*[\]<>])/g, '\\$1');
}

export function renderMarkdown(report: JsonReport): string {
	const {incident} = report;
	const lines: string[] = [];
	const complete = report.steps.filter(step => step.status === 'complete').length;
	lines.push(`# Incident report: ${inline(incident.name)}`, '');
	if (incident.demo) lines.push('> Demo incident: the key is a fake planted by `leakfix demo`.', '');
	lines.push(`**${inline(report.summary.headline)}.**`, '', '## Summary', '', ...report.summary.lines.map(line => `- ${inline(line)}`), '', '## Incident', '');
	lines.push(
		`- **Incident:** \`${incident.id}\` (${incident.status === 'complete' ? 'complete' : `open, ${complete} of ${report.steps.length} steps complete`})`,
		`- **Provider:** ${inline(incident.provider.name)}`,
		`- **Key:** \`${incident.key.masked}\` (sha256 \`${incident.key.fingerprint.slice(0, 16)}…\`)`,
		`- **Leaked in:** ${LEAK_PLACE_LABELS[incident.leak.where as keyof typeof LEAK_PLACE_LABELS] ?? incident.leak.where}${incident.leak.url ? ` — ${inline(incident.leak.url)}` : ''}`,
		`- **Noticed:** ${formatTime(incident.leak.noticedAt)}`,
		`- **Opened:** ${formatTime(incident.createdAt)}; last change ${formatTime(incident.updatedAt)}`,
	);
	if (incident.closedAt) {
		lines.push(`- **Completed:** ${formatTime(incident.closedAt)} (${formatDuration(Date.parse(incident.closedAt) - Date.parse(incident.leak.noticedAt))} after it was noticed)`);
	}
	if (report.severity) lines.push(`- **Severity now:** ${report.severity.level.toUpperCase()} — ${inline(severityReasons(report.severity.reasons))}`);
	if (report.peakSeverity && report.severity && report.peakSeverity.level !== report.severity.level) lines.push(`- **Severity at its peak:** ${report.peakSeverity.level.toUpperCase()} (${formatTime(report.peakSeverity.at)}) — ${inline(report.peakSeverity.reasons)}`);
	if (report.severity?.containFirst) lines.push(`- **Contain first:** ${inline(report.severity.containFirst.replace(/^Contain first: /, ''))}`);
	if (report.probe) lines.push(`- **Liveness:** ${report.probe.status} at ${formatTime(report.probe.at)} — ${inline(report.probe.reason)} (${inline(report.probe.request)})`);
	lines.push(`- **Report generated:** ${formatTime(report.generatedAt)}`, '');

	for (const step of report.steps) {
		lines.push(`## ${step.number}. ${inline(step.title)} — ${STEP_STATUS_WORDS[step.status]}`, '');
		for (const item of step.items) {
			const box = item.status === 'done' ? '[x]' : '[ ]';
			const tags = [item.required ? '' : '(optional)', item.source === 'generic' ? '' : `(${item.source})`].filter(Boolean).join(' ');
			let line = `- ${box} ${inline(item.title)}${tags ? ` ${tags}` : ''}`;
			if (item.status === 'skipped') line += ` — **skipped:** ${inline(item.reason ?? '')}`;
			lines.push(line);
			if (item.note) lines.push(`  - Note: ${inline(item.note)}`);
		}
		lines.push('');
	}

	if (report.exposure) {
		lines.push(`## Exposure (scanned ${formatTime(report.exposure.scannedAt)})`, '');
		for (const repo of report.exposure.repos) {
			lines.push(`- **Repository:** ${inline(repo.repo)}: ${repo.historyCount} place(s) in history, ${repo.worktreeCount} in the working tree (${repo.objects} objects, ${repo.files} files read)`);
			const first = repo.firstExposure;
			if (first) {
				lines.push(`- **First exposure:** \`${first.commit.slice(0, 10)}\` on ${formatTime(first.date)} by ${inline(first.author)} (${inline(first.where)}); ${first.pushed ? `pushed (${inline(first.remoteRefs.join(', '))})` : 'not on any remote-tracking branch'}`);
			}
			for (const remote of repo.remotes) lines.push(`- **Remote ${inline(remote.name)}:** ${inline(remote.url)}${remote.forge ? ` (public forge: ${remote.forge})` : ''}`);
			for (const warning of repo.warnings) lines.push(`- **Warning:** ${inline(warning)}`);
			if (repo.places.length > 0) {
				lines.push('', '```text', ...repo.places.map(place => place.replace(/```/g, "'''")), '```');
			}
			if (repo.worktreeFiles.length > 0) lines.push('', `Still in the working tree: ${repo.worktreeFiles.map(inline).join(', ')}`);
			lines.push('');
		}
	}

	if (report.logs) {
		const logs = report.logs;
		lines.push(`## Logs (analysed ${formatTime(logs.analyzedAt)})`, '');
		lines.push(`- **Read:** ${inline(logs.source)}: ${logs.lines} line(s), ${logs.keyLines} request(s) with the key (${logs.baselineLines} before the exposure, ${logs.exposureLines} after), ${logs.distinctIps} address(es)`);
		if (logs.window.first) lines.push(`- **Window:** ${formatTime(logs.window.first)} → ${formatTime(logs.window.last!)}${logs.window.exposureStart ? `; exposure from ${formatTime(logs.window.exposureStart)}` : ''}`);
		lines.push(`- **Business hours:** ${logs.businessHours} Mon–Fri, ${inline(logs.timeZone)}${logs.allow.length > 0 ? `; allowlist ${inline(logs.allow.join(', '))}` : ''}`);
		if (logs.malformed.count > 0) lines.push(`- **Malformed lines skipped:** ${logs.malformed.count}`);
		for (const note of logs.notes) lines.push(`- **Note:** ${inline(note)}`);
		lines.push('');
		if (logs.findings.length === 0) lines.push('No findings.', '');
		else {
			lines.push('| Verdict | Finding | First seen | Last seen | Note |', '| --- | --- | --- | --- | --- |');
			const order = {suspicious: 0, open: 1, expected: 2} as const;
			for (const finding of [...logs.findings].sort((a, b) => order[a.verdict] - order[b.verdict])) {
				const verdict = finding.verdict === 'open' ? 'not reviewed' : finding.verdict === 'suspicious' ? '**suspicious**' : 'expected';
				lines.push(`| ${verdict} | ${inline(finding.title)}${finding.detail ? ` (${inline(finding.detail)})` : ''} | ${formatTime(finding.firstSeen)} | ${formatTime(finding.lastSeen)} | ${inline(finding.note ?? '')} |`);
			}
			lines.push('');
		}
	}

	const times = report.times;
	if (times.detectMs !== null || times.containMs !== null || times.recoverMs !== null) {
		lines.push('## Times', '');
		if (times.detectMs !== null) lines.push(`- **To detect** (first exposure → noticed): ${formatDuration(times.detectMs)}`);
		if (times.containMs !== null) lines.push(`- **To contain** (noticed → old key deactivated): ${formatDuration(times.containMs)}`);
		if (times.recoverMs !== null) lines.push(`- **To recover** (noticed → old key proven dead, new key live): ${formatDuration(times.recoverMs)}`);
		lines.push('');
	}

	if (report.inventory.length > 0) {
		const result = (value: {status: string; detail: string} | undefined) => (value ? `${value.status}: ${inline(value.detail)}` : '—');
		lines.push('## Inventory and updates', '', '| Service | Env | Where the key lives | Owner | Update | Restart | Health |', '| --- | --- | --- | --- | --- | --- | --- |');
		for (const entry of report.inventory) {
			lines.push(`| ${inline(entry.service)} | ${entry.environment} | ${inline(entry.address)} | ${inline(entry.owner ?? '')} | ${result(entry.update)} | ${entry.restart ? result(entry.restarted) : 'none'} | ${entry.health ? `${result(entry.healthResult)}${entry.verifyHealth ? `; verify ${result(entry.verifyHealth)}` : ''}` : 'none'} |`);
		}
		lines.push('');
	}

	if (report.rotation || report.verification) {
		const r = report.rotation ?? {};
		const v = report.verification ?? {};
		lines.push('## Rotation and verification', '');
		if (r.newKey) lines.push(`- **New key:** \`${r.newKey.masked}\` entered ${formatTime(r.newKey.enteredAt)}${r.newKeyProbe ? `; probed ${r.newKeyProbe.status} (${inline(r.newKeyProbe.reason)})` : ''}`);
		lines.push(`- **Old key deactivated:** ${r.deactivatedAt ? `${formatTime(r.deactivatedAt)} — ${inline(r.deactivation ?? '')}` : 'not yet'}`);
		if (v.oldKey) lines.push(`- **Old key probe:** ${v.oldKey.status} at ${formatTime(v.oldKey.at)} (${inline(v.oldKey.reason)})`);
		if (v.newKey) lines.push(`- **New key probe:** ${v.newKey.status} at ${formatTime(v.newKey.at)}`);
		if (v.rescan) lines.push(`- **Re-scan:** ${v.rescan.remaining === 0 ? 'no copy of the old key left in the working tree' : `still in ${inline(v.rescan.files.join(', '))}`} (${formatTime(v.rescan.at)})`);
		if (v.verifiedAt) lines.push(`- **Verified:** ${formatTime(v.verifiedAt)}`);
		lines.push('');
	}

	if (report.hardening) {
		const h = report.hardening;
		lines.push('## Prevent recurrence', '', `- **Services read:** \`${h.variable}\` (from ${h.store === 'env' ? 'the environment' : h.store === 'aws-sm' ? 'AWS Secrets Manager, through the environment' : h.store === 'vault' ? 'HashiCorp Vault, through the environment' : 'CyberArk Conjur, through the environment'}), ${formatTime(h.at)}`);
		const from = {env: 'the environment', 'aws-sm': 'AWS Secrets Manager', vault: 'HashiCorp Vault', conjur: 'CyberArk Conjur'} as const;
		for (const file of h.files) lines.push(`- ${file.status === 'rewritten' ? 'De-hard-coded' : '**By hand:**'} ${inline(file.file)} (line${file.lines.length === 1 ? '' : 's'} ${file.lines.join(', ')})${file.store ? `, reads from ${from[file.store]}` : ''}${file.reason ? ` — ${inline(file.reason)}` : ''}`);
		for (const change of h.config) lines.push(`- ${inline(change)}`);
		lines.push(`- **Guard:** ${h.guard ? `${inline(h.guard.where)} — ${inline(h.guard.how)}` : 'none installed'}`, '');
	}

	if (report.followUps.length > 0) {
		lines.push('## Follow-ups', '');
		for (const followUp of report.followUps) lines.push(`- [${followUp.doneAt ? 'x' : ' '}] ${inline(followUp.title)} — due ${formatTime(followUp.due)}${followUp.doneAt ? `, done ${formatTime(followUp.doneAt)}` : ''}`);
		lines.push('');
	}

	lines.push('## Timeline', '', '| Time (UTC) | Step | What happened |', '| --- | --- | --- |');
	for (const entry of foldedTimeline(report.timeline)) {
		const step = report.steps.find(candidate => candidate.id === entry.step);
		lines.push(`| ${formatTime(entry.at).replace(' UTC', '')} | ${step ? `${step.number}. ${inline(step.title)}` : ''} | ${inline(entry.text)}${entry.times > 1 ? ` (×${entry.times})` : ''} |`);
	}
	lines.push('');
	return lines.join('\n');
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, ch => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[ch]!);
}

export function renderHtml(report: JsonReport): string {
	const {incident} = report;
	const e = escapeHtml;
	const parts: string[] = [];
	parts.push(
		'<!doctype html>',
		'<html lang="en"><head><meta charset="utf-8">',
		`<title>Incident report: ${e(incident.name)}</title>`,
		'<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}.skipped{color:#8a5a00}.muted{color:#666}</style>',
		'</head><body>',
		`<h1>Incident report: ${e(incident.name)}</h1>`,
	);
	if (incident.demo) parts.push('<p class="muted">Demo incident: the key is a fake planted by <code>leakfix demo</code>.</p>');
	parts.push(`<p class="headline"><b>${e(report.summary.headline)}.</b></p>`, '<h2>Summary</h2>', '<ul>', ...report.summary.lines.map(line => `<li>${e(line)}</li>`), '</ul>', '<h2>Incident</h2>');
	parts.push(
		'<ul>',
		`<li><b>Incident:</b> <code>${e(incident.id)}</code> (${e(incident.status)})</li>`,
		`<li><b>Provider:</b> ${e(incident.provider.name)}</li>`,
		`<li><b>Key:</b> <code>${e(incident.key.masked)}</code> (sha256 <code>${e(incident.key.fingerprint.slice(0, 16))}…</code>)</li>`,
		`<li><b>Leaked in:</b> ${e(LEAK_PLACE_LABELS[incident.leak.where as keyof typeof LEAK_PLACE_LABELS] ?? incident.leak.where)}${incident.leak.url ? ` — ${e(incident.leak.url)}` : ''}</li>`,
		`<li><b>Noticed:</b> ${e(formatTime(incident.leak.noticedAt))}</li>`,
		`<li><b>Opened:</b> ${e(formatTime(incident.createdAt))}; last change ${e(formatTime(incident.updatedAt))}</li>`,
		...(report.severity ? [`<li><b>Severity now:</b> ${e(report.severity.level.toUpperCase())} — ${e(severityReasons(report.severity.reasons))}</li>`] : []),
		...(report.peakSeverity && report.severity && report.peakSeverity.level !== report.severity.level ? [`<li><b>Severity at its peak:</b> ${e(report.peakSeverity.level.toUpperCase())} (${e(formatTime(report.peakSeverity.at))}) — ${e(report.peakSeverity.reasons)}</li>`] : []),
		...(report.probe ? [`<li><b>Liveness:</b> ${e(report.probe.status)} at ${e(formatTime(report.probe.at))} — ${e(report.probe.reason)}</li>`] : []),
		`<li><b>Report generated:</b> ${e(formatTime(report.generatedAt))}</li>`,
		'</ul>',
	);
	for (const step of report.steps) {
		parts.push(`<h2>${step.number}. ${e(step.title)} — ${e(STEP_STATUS_WORDS[step.status])}</h2>`, '<ul>');
		for (const item of step.items) {
			const box = `<input type="checkbox" disabled${item.status === 'done' ? ' checked' : ''}>`;
			const tags = [item.required ? '' : '(optional)', item.source === 'generic' ? '' : `(${item.source})`].filter(Boolean).join(' ');
			let line = `<li>${box} ${e(item.title)}${tags ? ` <span class="muted">${e(tags)}</span>` : ''}`;
			if (item.status === 'skipped') line += ` — <span class="skipped"><b>skipped:</b> ${e(item.reason ?? '')}</span>`;
			if (item.note) line += `<br><span class="muted">Note: ${e(item.note)}</span>`;
			parts.push(`${line}</li>`);
		}
		parts.push('</ul>');
	}
	if (report.exposure) {
		parts.push(`<h2>Exposure (scanned ${e(formatTime(report.exposure.scannedAt))})</h2>`);
		for (const repo of report.exposure.repos) {
			const first = repo.firstExposure;
			parts.push(
				`<p><b>${e(repo.repo)}</b>: ${repo.historyCount} place(s) in history, ${repo.worktreeCount} in the working tree.${first ? ` First exposure <code>${e(first.commit.slice(0, 10))}</code> on ${e(formatTime(first.date))} by ${e(first.author)} (${e(first.where)}); ${first.pushed ? 'pushed' : 'not pushed'}.` : ''}</p>`,
			);
			if (repo.places.length > 0) parts.push(`<pre>${repo.places.map(e).join('\n')}</pre>`);
		}
	}
	if (report.logs) {
		const logs = report.logs;
		parts.push(
			`<h2>Logs (analysed ${e(formatTime(logs.analyzedAt))})</h2>`,
			`<p>${e(logs.source)}: ${logs.lines} line(s), ${logs.keyLines} request(s) with the key (${logs.baselineLines} before the exposure, ${logs.exposureLines} after)${logs.malformed.count > 0 ? `; ${logs.malformed.count} malformed line(s) skipped` : ''}.</p>`,
		);
		if (logs.findings.length > 0) {
			parts.push('<table><tr><th>Verdict</th><th>Finding</th><th>First seen</th><th>Last seen</th><th>Note</th></tr>');
			for (const finding of logs.findings) {
				parts.push(
					`<tr><td>${finding.verdict === 'open' ? 'not reviewed' : finding.verdict === 'suspicious' ? '<b>suspicious</b>' : 'expected'}</td><td>${e(finding.title)}</td><td>${e(formatTime(finding.firstSeen))}</td><td>${e(formatTime(finding.lastSeen))}</td><td>${e(finding.note ?? '')}</td></tr>`,
				);
			}
			parts.push('</table>');
		}
	}
	if (report.inventory.length > 0) {
		parts.push('<h2>Inventory and updates</h2>', '<table><tr><th>Service</th><th>Env</th><th>Where the key lives</th><th>Owner</th><th>Update</th><th>Restart</th><th>Health</th></tr>');
		for (const entry of report.inventory) {
			parts.push(
				`<tr><td>${e(entry.service)}</td><td>${e(entry.environment)}</td><td>${e(entry.address)}</td><td>${e(entry.owner ?? '')}</td><td>${e(entry.update ? `${entry.update.status}: ${entry.update.detail}` : '—')}</td><td>${e(entry.restart ? (entry.restarted ? `${entry.restarted.status}: ${entry.restarted.detail}` : '—') : 'none')}</td><td>${e(entry.healthResult ? entry.healthResult.status : entry.health ? '—' : 'none')}</td></tr>`,
			);
		}
		parts.push('</table>');
	}
	if (report.rotation || report.verification) {
		parts.push('<h2>Rotation and verification</h2>', '<ul>');
		const r = report.rotation ?? {};
		const v = report.verification ?? {};
		if (r.newKey) parts.push(`<li><b>New key:</b> <code>${e(r.newKey.masked)}</code> entered ${e(formatTime(r.newKey.enteredAt))}${r.newKeyProbe ? `; probed ${e(r.newKeyProbe.status)}` : ''}</li>`);
		if (v.oldKey) parts.push(`<li><b>Old key probe:</b> ${e(v.oldKey.status)} at ${e(formatTime(v.oldKey.at))} (${e(v.oldKey.reason)})</li>`);
		if (v.newKey) parts.push(`<li><b>New key probe:</b> ${e(v.newKey.status)} at ${e(formatTime(v.newKey.at))}</li>`);
		if (v.rescan) parts.push(`<li><b>Re-scan:</b> ${v.rescan.remaining === 0 ? 'no copy of the old key left in the working tree' : e(`still in ${v.rescan.files.join(', ')}`)}</li>`);
		if (report.times.detectMs !== null) parts.push(`<li><b>To detect:</b> ${e(formatDuration(report.times.detectMs))}</li>`);
		if (report.rotation?.deactivatedAt) parts.push(`<li><b>Old key deactivated:</b> ${e(formatTime(report.rotation.deactivatedAt))} — ${e(report.rotation.deactivation ?? '')}</li>`);
		if (report.verification?.verifiedAt) parts.push(`<li><b>Verified:</b> ${e(formatTime(report.verification.verifiedAt))}</li>`);
		if (report.times.containMs !== null) parts.push(`<li><b>To contain:</b> ${e(formatDuration(report.times.containMs))}</li>`);
		if (report.times.recoverMs !== null) parts.push(`<li><b>To recover:</b> ${e(formatDuration(report.times.recoverMs))}</li>`);
		parts.push('</ul>');
	}
	if (report.hardening) {
		parts.push('<h2>Prevent recurrence</h2>', '<ul>');
		for (const file of report.hardening.files) parts.push(`<li>${file.status === 'rewritten' ? 'De-hard-coded' : '<b>By hand:</b>'} ${e(file.file)}${file.reason ? ` — ${e(file.reason)}` : ''}</li>`);
		parts.push(`<li><b>Guard:</b> ${e(report.hardening.guard ? report.hardening.guard.where : 'none')}</li>`, '</ul>');
	}
	if (report.followUps.length > 0) {
		parts.push('<h2>Follow-ups</h2>', '<ul>', ...report.followUps.map(followUp => `<li>${followUp.doneAt ? '✓' : '☐'} ${e(followUp.title)} — due ${e(formatTime(followUp.due))}</li>`), '</ul>');
	}
	parts.push('<h2>Timeline</h2>', '<table><tr><th>Time (UTC)</th><th>Step</th><th>What happened</th></tr>');
	for (const entry of foldedTimeline(report.timeline)) {
		const step = report.steps.find(candidate => candidate.id === entry.step);
		parts.push(`<tr><td>${e(formatTime(entry.at).replace(' UTC', ''))}</td><td>${step ? `${step.number}. ${e(step.title)}` : ''}</td><td>${e(entry.text)}${entry.times > 1 ? ` (×${entry.times})` : ''}</td></tr>`);
	}
	parts.push('</table>', '</body></html>', '');
	return parts.join('\n');
}

/** Render a session as a report in the given format, through the redactor. */
export function renderReport(session: Session, format: ReportFormat, generatedAt: string, redactor: Redactor): string {
	const report = redactor.value(buildJsonReport(session, generatedAt));
	switch (format) {
		case 'md': {
			return renderMarkdown(report);
		}

		case 'json': {
			return `${JSON.stringify(report, null, 2)}\n`;
		}

		case 'html': {
			return renderHtml(report);
		}
	}
}
