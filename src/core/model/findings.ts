// What the assess and logs steps found, as kept in the session: the exposure scan's summary, a
// probe's result, the severity, the log analysis and its findings. Part of src/core/model.ts.
import * as z from 'zod';
import {blastRadiusSchema} from '../scopes.js';
import {isoTime} from './base.js';

/** What the exposure scan found, kept in the session (masked: lines never hold the key). */
export const exposureSummarySchema = z.strictObject({
	scannedAt: isoTime,
	repos: z.array(
		z.strictObject({
			repo: z.string(),
			objects: z.number().int(),
			files: z.number().int(),
			durationMs: z.number(),
			historyCount: z.number().int(),
			worktreeCount: z.number().int(),
			firstExposure: z
				.strictObject({
					commit: z.string(),
					author: z.string(),
					date: isoTime,
					where: z.string(),
					pushed: z.boolean(),
					remoteRefs: z.array(z.string()),
					/** Every ref that reaches the commit (full names); absent in sessions scanned before it was kept. */
					refs: z.array(z.string()).optional(),
					/** The commit that took the key out of that file; null: still there; absent: not known. */
					removedIn: z.strictObject({commit: z.string(), author: z.string(), date: isoTime}).nullable().optional(),
				})
				.nullable(),
			remotes: z.array(z.strictObject({name: z.string(), url: z.string(), forge: z.string().nullable()})),
			warnings: z.array(z.string()),
			/** One line per place, masked; the first 50. */
			places: z.array(z.string()),
			worktreeFiles: z.array(z.string()),
		}),
	),
});
export type ExposureSummary = z.infer<typeof exposureSummarySchema>;

export const probeResultSchema = z.strictObject({
	status: z.enum(['live', 'revoked', 'unknown']),
	reason: z.string(),
	request: z.string(),
	provider: z.string(),
	at: isoTime,
	details: z.record(z.string(), z.string()).optional(),
	/** What the key can do, read from the provider's answers (optional: older sessions load). */
	blastRadius: blastRadiusSchema.optional(),
});
export type StoredProbeResult = z.infer<typeof probeResultSchema>;

export const severitySchema = z.strictObject({
	level: z.enum(['low', 'medium', 'high', 'critical']),
	reasons: z.array(z.string()),
	containFirst: z.string().nullable(),
});

export const FINDING_VERDICTS = ['open', 'expected', 'suspicious'] as const;
export type FindingVerdict = (typeof FINDING_VERDICTS)[number];

/** One finding of the log step, with the responder's verdict. Examples are masked. */
export const logFindingSchema = z.strictObject({
	id: z.string().min(1),
	kind: z.enum(['unfamiliar-ip', 'odd-hours', 'spike', 'error-burst', 'new-user-agent', 'new-country']),
	title: z.string(),
	count: z.number().int(),
	firstSeen: isoTime,
	lastSeen: isoTime,
	examples: z.array(z.string()),
	detail: z.string().optional(),
	verdict: z.enum(FINDING_VERDICTS),
	note: z.string().optional(),
	markedAt: isoTime.optional(),
});
export type StoredFinding = z.infer<typeof logFindingSchema>;

/** The last log analysis, kept in the session (bounded: top addresses, the chart, the findings). */
export const logSummarySchema = z.strictObject({
	analyzedAt: isoTime,
	/** What was read, in words: the files, or the provider command. */
	source: z.string(),
	files: z.array(z.strictObject({path: z.string(), format: z.string(), gzip: z.boolean(), lines: z.number().int(), keyLines: z.number().int(), malformed: z.number().int()})),
	skipped: z.array(z.string()),
	match: z.enum(['key', 'key-id', 'all']),
	timeZone: z.string(),
	businessHours: z.string(),
	allow: z.array(z.string()),
	lines: z.number().int(),
	keyLines: z.number().int(),
	baselineLines: z.number().int(),
	exposureLines: z.number().int(),
	malformed: z.strictObject({count: z.number().int(), examples: z.array(z.string())}),
	window: z.strictObject({first: isoTime.nullable(), last: isoTime.nullable(), exposureStart: isoTime.nullable()}),
	hourly: z.strictObject({start: isoTime.nullable(), counts: z.array(z.number().int()), exposureIndex: z.number().int().nullable()}),
	typicalHour: z.number().nullable(),
	ips: z.array(
		z.strictObject({ip: z.string(), count: z.number().int(), baseline: z.number().int(), exposure: z.number().int(), firstSeen: isoTime, lastSeen: isoTime, flags: z.array(z.string())}),
	),
	distinctIps: z.number().int(),
	notes: z.array(z.string()),
	findings: z.array(logFindingSchema),
});
export type LogSummary = z.infer<typeof logSummarySchema>;
