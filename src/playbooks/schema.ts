// The shape of the data in steps/: one schema types every playbook, checked at load.
import * as z from 'zod';
import {STEP_IDS} from '../core/model.js';
import {analyzerSchema} from './analyzer.js';
import {revokeRequestSchema} from './revoke.js';

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

const classifierSchema = z.discriminatedUnion('by', [
	z.strictObject({
		by: z.literal('status'),
		live: z.array(z.number().int()).min(1),
		revoked: z.array(z.number().int()),
		/** A word on a live status, e.g. 403 from Stripe: "a restricted key". */
		liveNote: z.record(z.string(), z.string()).optional(),
	}),
	z.strictObject({by: z.literal('slack-auth-test')}),
	/** GraphQL answers 200 with errors: live when `live` (a JSON path) holds a value; revoked on 401 or an error code in `revokedCodes`. */
	z.strictObject({by: z.literal('graphql'), live: z.string().min(1), revokedCodes: z.array(z.string().min(1)).min(1)}),
	z.strictObject({by: z.literal('aws-sts')}),
]);

/**
 * One read-only, never-billed request that tells live from revoked. `{key}` in a header or the
 * body is the key; `{random}` in the URL is a fresh random token. Judgement is the named
 * classifier in src/core/probe.ts, never logic in the data.
 */
const httpProbeSchema = z.strictObject({
		kind: z.literal('http'),
		method: z.enum(['GET', 'POST']),
		url: z.string().regex(/^https:\/\/[^/]+\//, 'an https:// URL: the key is never sent in clear').refine(url => !url.includes('{key'), 'the key never goes in a URL (proxies and logs keep URLs): put {key} in a header or the body'),
		headers: z.record(z.string(), z.string()).default({}),
		body: z.string().optional(),
		classify: classifierSchema,
		/** The form the key must have for this request to mean anything (Twilio: SID:token); otherwise the probe is unknown with the hint, never sent. */
		keyShape: z.strictObject({regex: regexString, hint: z.string().min(1)}).optional(),
		why: z.string().min(1),
	});
const awsProbeSchema = z.strictObject({kind: z.literal('aws-cli'), classify: classifierSchema, why: z.string().min(1)});
/**
 * In a playbook `probe` is required: a probe, or `kind: none` with the reason no safe probe exists
 * ("no safe probe: the only request sends a push"). After parsing, `probe` holds a real probe
 * only, and `noProbe` the reason, so code asks one question: `provider.probe`?
 */
const noProbeSchema = z.strictObject({
	kind: z.literal('none'),
	why: z.string().min(10, 'say why there is no safe probe (it is shown to the responder)'),
});
export type ProbeSpec = z.infer<typeof httpProbeSchema> | z.infer<typeof awsProbeSchema>;

/**
 * Where the provider's own usage logs are. `command`: a read-only helper of the user's own CLI
 * whose output leakfix analyses; `{keyId}` (the public half of a key pair, never a secret) and
 * `{since}` (ISO time) are the only placeholders. `note`: what to watch and whom to ask instead.
 */
const logsSchema = z.strictObject({
	/** Shown on the log step's panel: two lines at most on an 80-column terminal. */
	note: z.string().trim().min(1).max(160, 'keep it under 160 characters (two lines on the log step); longer advice belongs in a logs checklist item'),
	command: z
		.strictObject({
			bin: z.string().regex(/^[a-z][a-z0-9-]*$/, 'the name of a program on PATH, e.g. aws'),
			args: z.array(z.string().refine(arg => (arg.match(/\{[^}]*\}/g) ?? []).every(holder => holder === '{keyId}' || holder === '{since}'), 'only {keyId} and {since} may be filled in')),
			format: z.enum(['cloudtrail', 'jsonl', 'csv']),
			why: z.string().min(1),
		})
		.optional(),
});
export type ProviderLogs = z.infer<typeof logsSchema>;

export const PROVIDER_KINDS = ['provider', 'database-url', 'private-key', 'signing-secret', 'service-account', 'connection-string', 'webhook', 'generic'] as const;
export const ROTATION_PATTERNS = ['create-then-revoke', 'regenerate', 'promote-secondary', 'deactivate-only', 'unknown'] as const;

const programName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'the name of a program on PATH, e.g. aws');

/** One recogniser: a whole-key regular expression. */
const keyPatternSchema = z.strictObject({
	regex: regexString,
	/** strong: a distinctive prefix or structure (sk_live_…); weak: shape only. */
	strength: z.enum(['strong', 'weak']),
	description: z.string().min(1),
	/** A test-mode key (Stripe sk_test_): no real money or data behind it. */
	testMode: z.boolean().default(false),
	/** This kind of key can do everything, whatever the provider's scopes (Stripe sk_live_). */
	fullAccess: z.boolean().default(false),
	/** A shape so common (32 hex, a UUID) that it names this provider only with context: a variable name or a word near it. */
	needsContext: z.boolean().default(false),
});

const providerFields = {
	id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
	name: z.string().min(1),
	summary: z.string().min(1),
	/** A provider's key, or a kind of secret that is no one provider's (a database URL, a private key…). */
	kind: z.enum(PROVIDER_KINDS).default('provider'),
	/** Whole-key patterns used to recognise a pasted key. */
	keyPatterns: z.array(keyPatternSchema).default([]),
	/** Names the key is usually stored under: an exact match is context for recognition. */
	envVars: z.array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')).default([]),
	/** Words that point to this provider when found in a variable name, a host or an auth scheme (case-insensitive). */
	context: z.array(z.string().min(3)).default([]),
	/** What a holder of the key can do. */
	capabilities: z.string().min(1),
	scopes: z.enum(['none', 'per-key', 'unknown']),
	dashboard: z.record(z.string(), z.url()).default({}),
	rotation: z.strictObject({
		pattern: z.enum(ROTATION_PATTERNS),
		notes: z.string().min(1),
		/** The regular rotation's interval, for the next-rotation reminder (leakfix schedule); 90 when absent. */
		intervalDays: z.number().int().min(1).max(3650).optional(),
		/** How the new key is made: dashboard steps (the user pastes the key, masked). */
		create: z.string().min(1).optional(),
		/**
		 * How the old key is revoked: `steps` (the dashboard path, required), and where they exist the
		 * provider's API or CLI as text (`api`, `cli`: shown, never run), and a command of the user's
		 * own CLI that leakfix may run (`{keyId}`, and `{userName}` from the probe, dropped with the
		 * flag before it when unknown).
		 */
		deactivate: z.strictObject({
			command: z
				.strictObject({
					bin: programName,
					args: z.array(z.string().refine(arg => (arg.match(/\{[^}]*\}/g) ?? []).every(holder => holder === '{keyId}' || holder === '{userName}'), 'only {keyId} and {userName} may be filled in')),
				})
				.optional(),
			steps: z.string().min(1),
			api: z.string().min(1).optional(),
			cli: z.string().min(1).optional(),
			/** The provider's revoke endpoint, run only after the responder confirms (src/playbooks/revoke.ts). */
			request: revokeRequestSchema.optional(),
		}),
	}),
	/** How the key is entered: one secret, or an AWS access key id and secret ("ID:SECRET"). */
	keyFormat: z.enum(['single', 'aws-pair']).default('single'),
	logs: logsSchema,
	/** What a live key can do, read from the provider's answers (src/playbooks/analyzer.ts). */
	analyzer: analyzerSchema.optional(),
	/** Provider-specific items added to the generic checklist of each step. */
	items: z.partialRecord(z.enum(STEP_IDS), z.array(playbookItemSchema)).default({}),
};

/** steps/providers/<id>.yaml as written: `probe` is a probe or `kind: none` with the reason. */
export const providerPlaybookFileSchema = z.strictObject({...providerFields, probe: z.discriminatedUnion('kind', [httpProbeSchema, awsProbeSchema, noProbeSchema])});
type ProviderPlaybookFile = z.output<typeof providerPlaybookFileSchema>;

/** What leakfix knows about one provider, checked: `probe` (a real one) or `noProbe` (why not). */
export type ProviderPlaybook = Omit<ProviderPlaybookFile, 'probe'> & {probe?: ProbeSpec; noProbe?: string};

export const providerPlaybookSchema: z.ZodType<ProviderPlaybook, unknown> = providerPlaybookFileSchema.transform(({probe, ...rest}): ProviderPlaybook => (probe.kind === 'none' ? {...rest, noProbe: probe.why} : {...rest, probe}));
