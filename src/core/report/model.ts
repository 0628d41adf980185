// The report's model: the JSON report, built once from the session. Markdown, HTML and the
// status update are rendered from it (through one document, ./document.ts), so every format
// states the same facts.
import {type ExposureSummary, type FollowUp, type InventoryEntry, type LogSummary, type Session} from '../model.js';
import {storeAddress} from '../inventory/address.js';
import type {BlastRadius} from '../scopes.js';
import {firstExposureOf} from '../exposure.js';
import {incidentStatus, itemProgress, stepNumber, stepStatus} from '../session.js';
import {incidentSummary, peakSeverity, type IncidentSummary} from '../summary.js';

export const REPORT_VERSION = 2;
export const REPORT_FORMATS = ['md', 'json', 'html', 'status', 'ics'] as const;
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
	probe: {status: string; reason: string; request: string; at: string; details?: Record<string, string>; blastRadius?: BlastRadius} | null;
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
	/** The next regular rotation (ics: the calendar reminder), or null when none is set. */
	schedule: Session['schedule'] | null;
	/** Milliseconds: first exposure → noticed (detect), noticed → old key deactivated (contain), noticed → verified (recover). Null until known. */
	times: {detectMs: number | null; containMs: number | null; recoverMs: number | null};
	/** Prevent recurrence: what was de-hard-coded, where the key is read from now, the guard. */
	hardening: Session['hardening'] | null;
	timeline: Array<{at: string; kind: string; step: string | null; item: string | null; text: string; by?: string}>;
	/** The first lines a reader quotes: the state now and the way there, then the key facts. */
	summary: IncidentSummary;
	/** Where a scanner or an alert found it, when the incident was opened from one (never the secret). */
	origin: Session['origin'] | null;
	/** One of several incidents opened from the same report. */
	group: Session['group'] | null;
	/** The highest severity the incident reached, and why (the current one is `severity`). */
	peakSeverity: {level: string; at: string; reasons: string} | null;
};

export function incidentTimes(session: Session): JsonReport['times'] {
	const noticed = Date.parse(session.leak.noticedAt);
	const first = firstExposureOf(session.exposure?.repos ?? [])?.date;
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
		probe: session.probe ? {status: session.probe.status, reason: session.probe.reason, request: session.probe.request, at: session.probe.at, ...(session.probe.details ? {details: session.probe.details} : {}), ...(session.probe.blastRadius ? {blastRadius: session.probe.blastRadius} : {})} : null,
		exposure: session.exposure ?? null,
		logs: session.logs ?? null,
		inventory: (session.inventory ?? []).map(entry => ({...entry, address: storeAddress(entry.store)})),
		rotation: session.rotation ?? null,
		verification: session.verification ?? null,
		followUps: session.followUps ?? [],
		schedule: session.schedule ?? null,
		times: incidentTimes(session),
		hardening: session.hardening ?? null,
		summary: incidentSummary(session, generatedAt),
		peakSeverity: peakSeverity(session),
		origin: session.origin ?? null,
		group: session.group ?? null,
		timeline: session.timeline.map(entry => ({
			at: entry.at,
			kind: entry.kind,
			step: entry.step ?? null,
			item: entry.item ?? null,
			text: entry.text,
			...(entry.by ? {by: entry.by} : {}),
		})),
	};
}
