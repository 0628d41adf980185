// The inventory as kept in the session: each consumer of the key, where its copy lives (the store),
// how to restart and check it, and what leakfix did to it. Part of src/core/model.ts.
import * as z from 'zod';
import {accessReviewSchema} from '../access.js';
import {isoTime} from './base.js';

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
