// The session's vocabulary: step ids, leak places, the schema version, a date-time, and the step
// checklists with their progress and the timeline. Part of src/core/model.ts (import from there).
import * as z from 'zod';

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

export const isoTime = z.string().refine(value => !Number.isNaN(Date.parse(value)), 'not a date-time');

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
