// The incident session: the one record every screen renders and every command reads.
// Pure data + its schema. No I/O here (see src/infra/store.ts for where it is kept).
// The parts of the schema live in src/core/model/ (base, findings, inventory, rotation, origin);
// this module assembles the session and is the one import path for all of them.
import * as z from 'zod';
import {isoTime, LEAK_PLACES, SESSION_SCHEMA_VERSION, stepSchema, STEP_IDS, timelineEntrySchema} from './model/base.js';
import {exposureSummarySchema, logSummarySchema, probeResultSchema, severitySchema} from './model/findings.js';
import {inventoryEntrySchema} from './model/inventory.js';
import {groupSchema, originSchema} from './model/origin.js';
import {followUpSchema, hardeningSchema, rotationSchema, scheduleSchema, verificationSchema} from './model/rotation.js';

export {checklistItemSchema, itemProgressSchema, LEAK_PLACE_LABELS, LEAK_PLACES, SESSION_SCHEMA_VERSION, stepSchema, STEP_IDS, timelineEntrySchema} from './model/base.js';
export type {ChecklistItem, ItemProgress, LeakPlace, Step, StepId, TimelineEntry} from './model/base.js';
export {exposureSummarySchema, FINDING_VERDICTS, logFindingSchema, logSummarySchema, probeResultSchema, severitySchema} from './model/findings.js';
export type {ExposureSummary, FindingVerdict, LogSummary, StoredFinding, StoredProbeResult} from './model/findings.js';
export {actionResultSchema, ENVIRONMENTS, healthCheckSchema, inventoryEntrySchema, storeSchema, STORE_TYPES} from './model/inventory.js';
export type {ActionResult, Environment, HealthCheck, InventoryEntry, Store, StoreType} from './model/inventory.js';
export {followUpSchema, hardeningSchema, rotationSchema, scheduleSchema, verificationSchema} from './model/rotation.js';
export type {FollowUp, Hardening, RotationSchedule} from './model/rotation.js';
export {groupSchema, originPlaceSchema, originSchema, SCANNER_VALIDITIES} from './model/origin.js';
export type {IncidentGroup, Origin, OriginPlace, ScannerValidity} from './model/origin.js';

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
