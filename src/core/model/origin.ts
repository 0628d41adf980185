// Where an incident opened from a scanner report or an alert came from, and the group of incidents
// opened together. Part of src/core/model.ts.
import * as z from 'zod';

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
