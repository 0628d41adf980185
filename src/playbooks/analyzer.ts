// A playbook's `analyzer`: what the key can do, read from the provider's own answers (the probe's,
// and read-only follow-up requests sent only when the probe said live). Data: which header or JSON
// path holds what, and which scopes mean admin, write or read; `code` names the few readers in
// src/core/scopes.ts that data cannot express.
import * as z from 'zod';
import type {AnalyzerSpec} from '../core/scopes.js';
import {POWERS} from '../core/scopes.js';

const regexString = z.string().refine(value => {
	try {
		new RegExp(value);
		return true;
	} catch {
		return false;
	}
}, 'not a valid regular expression');

const factReadSchema = z
	.strictObject({
		label: z.string().min(1),
		header: z.string().min(1).optional(),
		json: z.string().min(1).optional(),
		/** A header holding a comma list, or a JSON path holding many values: counted and listed. */
		list: z.boolean().default(false),
		/** These values are the key's scopes (weighed by `power`). */
		scopes: z.boolean().default(false),
	})
	.refine(read => (read.header === undefined) !== (read.json === undefined), 'name a header or a json path (one of them)');

/** Only facts read before may be filled in, never the key: the URL is logged by every proxy. */
const analyzerRequestSchema = z.strictObject({
	method: z.enum(['GET', 'POST']),
	url: z
		.string()
		.regex(/^https:\/\/[^/]+\//, 'an https:// URL: the key is never sent in clear')
		.refine(url => !url.includes('{key'), 'the key never goes in a URL (proxies and logs keep URLs): put {key} in a header or the body')
		.refine(url => (url.match(/\{[^}]*\}/g) ?? []).every(holder => /^\{fact:[^}]+\}$/.test(holder)), 'only {fact:LABEL} may be filled in'),
	headers: z.record(z.string(), z.string()).default({}),
	body: z.string().optional(),
	read: z.array(factReadSchema).default([]),
	why: z.string().min(1),
});

const powerSchema = z.strictObject({admin: z.array(regexString).default([]), write: z.array(regexString).default([]), read: z.array(regexString).default([])});

export const analyzerSchema: z.ZodType<AnalyzerSpec, unknown> = z.strictObject({
	/** Facts read from the probe's own answer. */
	read: z.array(factReadSchema).default([]),
	requests: z.array(analyzerRequestSchema).default([]),
	code: z.enum(['stripe', 'npm', 'github', 'aws']).optional(),
	power: powerSchema.optional(),
	notes: z.array(z.string().min(1)).default([]),
	fixed: z.strictObject({power: z.enum(POWERS), why: z.string().min(1)}).optional(),
});
