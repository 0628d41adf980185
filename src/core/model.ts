// The incident session: the one record every screen renders and every command reads.
// Pure data + its schema. No I/O here (see src/infra/store.ts for where it is kept).
import * as z from 'zod';
import {blastRadiusSchema} from './scopes.js';
import {accessReviewSchema} from './access.js';

export const STEP_IDS = ['assess', 'logs', 'inventory', 'rotate', 'verify'] as const;
export type StepId = (typeof STEP_IDS)[number];

export const LEAK_PLACES = ['public-repo', 'private-repo', 'chat', 'logs', 'ticket', 'other'] as const;
export type LeakPlace = (typeof LEAK_PLACES)[number];

export const LEAK_PLACE_LABELS: Record<LeakPlace, string> = {
	'public-repo': 'a public repository',
	'private-repo': 'a private repository',
	chat: 'a chat message',
	logs: 'logs',
	ticket: 'a ticket or issue',
	other: 'somewhere else',
};

export const SESSION_SCHEMA_VERSION = 1;

const isoTime = z.string().refine(value => !Number.isNaN(Date.parse(value)), 'not a date-time');

export const checklistItemSchema = z.strictObject({
	id: z.string().min(1),
	title: z.string().min(1),
	detail: z.string().optional(),
	required: z.boolean(),
	/** 'generic' for the step's own items, else the provider id that added it. */
	source: z.string().min(1),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const itemProgressSchema = z.strictObject({
	status: z.enum(['open', 'done', 'skipped']),
	reason: z.string().optional(),
	note: z.string().optional(),
	updatedAt: isoTime.optional(),
});
export type ItemProgress = z.infer<typeof itemProgressSchema>;

export const stepSchema = z.strictObject({
	id: z.enum(STEP_IDS),
	title: z.string(),
	purpose: z.string(),
	needsKey: z.boolean(),
	items: z.array(checklistItemSchema),
	progress: z.record(z.string(), itemProgressSchema),
});
export type Step = z.infer<typeof stepSchema>;

export const timelineEntrySchema = z.strictObject({
	at: isoTime,
	kind: z.string(),
	step: z.enum(STEP_IDS).optional(),
	item: z.string().optional(),
	text: z.string(),
	/** Who acted: the OS user and git's user.name (absent in incidents from before it was kept). */
	by: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

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

/** Where a consumer's copy of the key lives: the address leakfix updates it at. */
export const storeSchema = z.discriminatedUnion('type', [
	z.strictObject({type: z.literal('env-file'), path: z.string().min(1), variable: z.string().min(1)}),
	z.strictObject({type: z.literal('aws-sm'), secretId: z.string().min(1), jsonKey: z.string().optional(), region: z.string().optional()}),
	z.strictObject({type: z.literal('vault'), mount: z.string().min(1), path: z.string().min(1), field: z.string().min(1)}),
	z.strictObject({type: z.literal('conjur'), variableId: z.string().min(1)}),
	z.strictObject({type: z.literal('github-actions'), repo: z.string().optional(), org: z.string().optional(), name: z.string().min(1), environment: z.string().optional()}),
	z.strictObject({type: z.literal('kubernetes'), context: z.string().optional(), namespace: z.string().min(1), name: z.string().min(1), key: z.string().min(1)}),
	z.strictObject({type: z.literal('manual'), text: z.string().min(1)}),
]);
export type Store = z.infer<typeof storeSchema>;
export type StoreType = Store['type'];
export const STORE_TYPES = ['env-file', 'aws-sm', 'vault', 'conjur', 'github-actions', 'kubernetes', 'manual'] as const satisfies readonly StoreType[];

export const ENVIRONMENTS = ['prod', 'staging', 'dev', 'unknown'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** A health check: an http(s) URL that must answer 2xx, or a command that must exit 0. */
export const healthCheckSchema = z.discriminatedUnion('type', [
	z.strictObject({type: z.literal('http'), url: z.string().regex(/^https?:\/\//, 'an http(s) URL')}),
	z.strictObject({type: z.literal('command'), argv: z.array(z.string()).min(1)}),
]);
export type HealthCheck = z.infer<typeof healthCheckSchema>;

/** One outcome of an action on an entry (update, restart, health check), kept per entry. */
export const actionResultSchema = z.strictObject({
	status: z.enum(['done', 'failed', 'skipped', 'manual']),
	at: isoTime,
	detail: z.string(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

/** One consumer of the key: a service, where its copy lives, how to restart and check it. */
export const inventoryEntrySchema = z.strictObject({
	id: z.string().min(1),
	service: z.string().min(1),
	owner: z.string().optional(),
	environment: z.enum(ENVIRONMENTS),
	store: storeSchema,
	/** A command (argv) that restarts or deploys the service after its secret changed. */
	restart: z.array(z.string()).optional(),
	health: healthCheckSchema.optional(),
	/** file:line references that led discovery here (empty for entries added by hand). */
	evidence: z.array(z.string()),
	origin: z.enum(['discovered', 'manual']),
	update: actionResultSchema.optional(),
	restarted: actionResultSchema.optional(),
	healthResult: actionResultSchema.optional(),
	verifyHealth: actionResultSchema.optional(),
	/** A later re-run of an update that had already succeeded, and failed: the store still holds the new key. */
	updateRetry: actionResultSchema.optional(),
	/** Who can read this store's copy (src/engines/access), with the responder's verdict on each; optional. */
	access: accessReviewSchema.optional(),
});
export type InventoryEntry = z.infer<typeof inventoryEntrySchema>;

export const rotationSchema = z.strictObject({
	/** The new key: fingerprint and masked form only, like the old one. */
	newKey: z.strictObject({fingerprint: z.string().regex(/^[a-f0-9]{64}$/), masked: z.string(), length: z.number().int().positive(), enteredAt: isoTime}).optional(),
	newKeyProbe: probeResultSchema.optional(),
	/** When the old key was deactivated (time to contain), and how. */
	deactivatedAt: isoTime.optional(),
	deactivation: z.string().optional(),
});

export const verificationSchema = z.strictObject({
	oldKey: probeResultSchema.optional(),
	newKey: probeResultSchema.optional(),
	rescan: z.strictObject({at: isoTime, remaining: z.number().int(), files: z.array(z.string())}).optional(),
	verifiedAt: isoTime.optional(),
});

/** Prevent recurrence: what was de-hard-coded, where services read the key now, which guard. */
export const hardeningSchema = z.strictObject({
	at: isoTime,
	variable: z.string(),
	store: z.enum(['env', 'aws-sm', 'vault', 'conjur']),
	files: z.array(
		z.strictObject({
			file: z.string(),
			lines: z.array(z.number().int()),
			status: z.enum(['rewritten', 'manual']),
			reason: z.string().optional(),
			/** Where this file's service reads the key from, when not the default above. */
			store: z.enum(['env', 'aws-sm', 'vault', 'conjur']).optional(),
		}),
	),
	/** The config changes written (template entry, ignore entries). */
	config: z.array(z.string()),
	/** Config changes proposed and not written (declined, cancelled or failed). */
	configPending: z.array(z.string()).optional(),
	/** Files that already read the variable before leakfix rewrote anything. */
	readers: z.array(z.string()).optional(),
	/** proven: the guard refused a diff adding the key and let a clean one through, after install. */
	guard: z.strictObject({where: z.string(), how: z.string(), proven: z.boolean().optional()}).nullable(),
});
export type Hardening = z.infer<typeof hardeningSchema>;

export const followUpSchema = z.strictObject({
	id: z.string().min(1),
	title: z.string().min(1),
	due: isoTime,
	doneAt: isoTime.optional(),
});
export type FollowUp = z.infer<typeof followUpSchema>;

/** The next regular rotation of this key, set by the responder (leakfix schedule, status, ics). */
export const scheduleSchema = z.strictObject({
	nextRotation: isoTime,
	setAt: isoTime,
	days: z.number().int().min(1).max(3650),
	/** What the days count from: the rotation's end (the old key deactivated or verified dead), else when it was set. */
	from: isoTime.optional(),
});
export type RotationSchedule = z.infer<typeof scheduleSchema>;

/** The scanner's verdict on whether the key still works (its own words in `text`). */
export const SCANNER_VALIDITIES = ['valid', 'invalid', 'unknown', 'not-checked'] as const;
export type ScannerValidity = (typeof SCANNER_VALIDITIES)[number];

/** One place a scanner or alert found the secret: outside text, shown with controls visible. */
export const originPlaceSchema = z.strictObject({
	repo: z.string().optional(),
	file: z.string().optional(),
	line: z.number().int().optional(),
	commit: z.string().optional(),
	author: z.string().optional(),
	/** As the scanner wrote it (formats differ: "10-19-2003", "2022-06-16 10:17:40 -0700 PDT", ISO). */
	date: z.string().optional(),
	url: z.string().optional(),
});
export type OriginPlace = z.infer<typeof originPlaceSchema>;

/** Where an incident opened from a scanner report or an alert came from (never the secret). */
export const originSchema = z.strictObject({
	/** gitleaks, trufflehog, ggshield, kingfisher, sarif (the tool's name), github. */
	scanner: z.string().min(1),
	rule: z.string(),
	validity: z.enum(SCANNER_VALIDITIES),
	validityText: z.string().optional(),
	/** The report file's name, or the alert (OWNER/REPO#N). */
	source: z.string().optional(),
	/** Every place the secret was found (the first 50), the earliest first. */
	places: z.array(originPlaceSchema),
	placesTotal: z.number().int(),
	/** The report held no secret (redacted output): the responder typed the key. */
	redacted: z.boolean().optional(),
});
export type Origin = z.infer<typeof originSchema>;

/** Incidents opened together from one report: "3 of 5 closed". */
export const groupSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9-]+$/),
	index: z.number().int().min(1),
	size: z.number().int().min(1),
});
export type IncidentGroup = z.infer<typeof groupSchema>;

export const sessionSchema = z.strictObject({
	schema: z.literal('leakfix/session'),
	version: z.literal(SESSION_SCHEMA_VERSION),
	id: z.string().regex(/^[a-z0-9-]+$/),
	name: z.string().min(1),
	demo: z.boolean(),
	createdAt: isoTime,
	updatedAt: isoTime,
	provider: z.strictObject({id: z.string(), name: z.string()}),
	key: z.strictObject({
		/** sha256 of the key's UTF-8 bytes, hex. Proves a re-entered key is the same one. */
		fingerprint: z.string().regex(/^[a-f0-9]{64}$/),
		masked: z.string(),
		length: z.number().int().positive(),
	}),
	leak: z.strictObject({
		where: z.enum(LEAK_PLACES),
		url: z.string().optional(),
		noticedAt: isoTime,
	}),
	repoPath: z.string().optional(),
	cursor: z.strictObject({step: z.enum(STEP_IDS), item: z.number().int().min(0)}),
	steps: z.array(stepSchema).length(STEP_IDS.length),
	timeline: z.array(timelineEntrySchema),
	closedAt: isoTime.optional(),
	exposure: exposureSummarySchema.optional(),
	/** What the playbook says of keys like this one, for the severity. */
	keyFacts: z.strictObject({scopes: z.enum(['none', 'per-key', 'unknown']), testMode: z.boolean(), fullAccess: z.boolean().optional()}).optional(),
	/** The user agreed to probe this incident's key (once per incident, remembered). */
	probeConsent: z.strictObject({at: isoTime, request: z.string()}).optional(),
	probe: probeResultSchema.optional(),
	severity: severitySchema.optional(),
	/** The last log analysis and the verdict on each finding. */
	logs: logSummarySchema.optional(),
	/** Every consumer of the key, discovered or added by hand. */
	inventory: z.array(inventoryEntrySchema).optional(),
	rotation: rotationSchema.optional(),
	verification: verificationSchema.optional(),
	followUps: z.array(followUpSchema).optional(),
	/** When this key is to be rotated next (optional: sessions from before load as they were). */
	schedule: scheduleSchema.optional(),
	hardening: hardeningSchema.optional(),
	/** Keep-out-of-code was confirmed and began writing; cleared when it ends (done, or restored). */
	hardeningPending: z.strictObject({at: isoTime, files: z.array(z.string()), config: z.array(z.string()), guard: z.string()}).optional(),
	/** Opened from a scanner report or an alert: the scanner, its rule and verdict, the places. */
	origin: originSchema.optional(),
	/** One of several incidents opened from the same report. */
	group: groupSchema.optional(),
});
export type Session = z.infer<typeof sessionSchema>;

export type StepStatus = 'todo' | 'in-progress' | 'complete';
export type IncidentStatus = 'open' | 'complete';
