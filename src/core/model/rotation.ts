// After the inventory: the rotation (the new key, masked), the verification, the hardening, the
// follow-ups and the next regular rotation. Part of src/core/model.ts.
import * as z from 'zod';
import {isoTime} from './base.js';
import {probeResultSchema} from './findings.js';

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
