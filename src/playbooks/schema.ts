// The shape of the data in steps/: one schema types every playbook, checked at load.
import * as z from 'zod';
import {STEP_IDS} from '../core/model.js';

const itemId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes');

export const playbookItemSchema = z.strictObject({
	id: itemId,
	title: z.string().min(1),
	detail: z.string().min(1).optional(),
	required: z.boolean().default(true),
});
export type PlaybookItem = z.infer<typeof playbookItemSchema>;

/** steps/<step>.yaml: the generic checklist of one step. */
export const stepPlaybookSchema = z.strictObject({
	id: z.enum(STEP_IDS),
	title: z.string().min(1),
	purpose: z.string().min(1),
	needsKey: z.boolean(),
	items: z.array(playbookItemSchema).min(1),
});
export type StepPlaybook = z.infer<typeof stepPlaybookSchema>;

const regexString = z.string().refine(value => {
	try {
		new RegExp(value);
		return true;
	} catch {
		return false;
	}
}, 'not a valid regular expression');

/** steps/providers/<id>.yaml: what leakfix knows about one provider. */
export const providerPlaybookSchema = z.strictObject({
	id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
	name: z.string().min(1),
	summary: z.string().min(1),
	/** Whole-key patterns used to recognise a pasted key. `strong`: a distinctive prefix; `weak`: shape only. */
	keyPatterns: z
		.array(
			z.strictObject({
				regex: regexString,
				strength: z.enum(['strong', 'weak']),
				description: z.string().min(1),
			}),
		)
		.default([]),
	envVars: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')).default([]),
	capabilities: z.string().min(1),
	scopes: z.enum(['none', 'per-key', 'unknown']),
	dashboard: z.record(z.string(), z.url()).default({}),
	rotation: z.strictObject({
		pattern: z.enum(['create-then-revoke', 'regenerate', 'promote-secondary', 'deactivate-only', 'unknown']),
		notes: z.string().min(1),
	}),
	/** Provider-specific items added to the generic checklist of each step. */
	items: z.partialRecord(z.enum(STEP_IDS), z.array(playbookItemSchema)).default({}),
});
export type ProviderPlaybook = z.infer<typeof providerPlaybookSchema>;
