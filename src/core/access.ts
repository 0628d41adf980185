// Who can read a store's copy of the key: the findings the access readers return
// (src/engines/access), each with the responder's verdict (expected, or to fix), and what could
// not be read, said plainly. Pure: schemas and the merge of a new reading with earlier verdicts.
import * as z from 'zod';

export const ACCESS_VERDICTS = ['open', 'expected', 'to-fix'] as const;
export type AccessVerdict = (typeof ACCESS_VERDICTS)[number];

export const ACCESS_KINDS = ['principal', 'policy', 'repository', 'admin', 'subject', 'file'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

const isoTime = z.string().refine(value => !Number.isNaN(Date.parse(value)), 'not a date-time');

/** One reader of the secret: who, and the rule that lets them (outside text: shown with controls visible). */
export const accessFindingSchema = z.strictObject({
	/** Stable across readings of the same store (kind and who), so a verdict survives a re-read. */
	id: z.string().min(1),
	kind: z.enum(ACCESS_KINDS),
	who: z.string().min(1),
	how: z.string(),
	verdict: z.enum(ACCESS_VERDICTS),
	note: z.string().optional(),
	markedAt: isoTime.optional(),
});
export type AccessFinding = z.infer<typeof accessFindingSchema>;

/** The last reading of one store's readers. */
export const accessReviewSchema = z.strictObject({
	checkedAt: isoTime,
	/** The read-only commands that were run, as shown before they ran. */
	commands: z.array(z.string()),
	findings: z.array(accessFindingSchema),
	/** What could not be read or is not listed, in words ("the IAM identities whose own policies allow it"). */
	unread: z.array(z.string()),
});
export type AccessReview = z.infer<typeof accessReviewSchema>;

export type FoundReader = Omit<AccessFinding, 'id' | 'verdict' | 'note' | 'markedAt'>;

export function findingId(kind: AccessKind, who: string): string {
	return `${kind}:${who}`;
}

/**
 * A new reading, with the verdicts already given kept (same id). A reader judged before and not
 * found again is kept, marked as from the earlier reading: a judgement is never lost.
 */
export function mergeAccess(previous: AccessReview | undefined, found: FoundReader[], reading: {commands: string[]; unread: string[]; at: string}): AccessReview {
	const old = new Map((previous?.findings ?? []).map(finding => [finding.id, finding]));
	const seen = new Set<string>();
	const findings: AccessFinding[] = [];
	for (const reader of found) {
		const id = findingId(reader.kind, reader.who);
		if (seen.has(id)) continue;
		seen.add(id);
		const before = old.get(id);
		findings.push({id, ...reader, verdict: before?.verdict ?? 'open', ...(before?.note ? {note: before.note} : {}), ...(before?.markedAt ? {markedAt: before.markedAt} : {})});
	}
	for (const finding of previous?.findings ?? []) {
		if (seen.has(finding.id) || finding.verdict === 'open') continue;
		findings.push({...finding, how: finding.how.includes('not found by the latest reading') ? finding.how : `${finding.how} (not found by the latest reading)`});
	}
	return {checkedAt: reading.at, commands: reading.commands, findings, unread: reading.unread};
}

export const VERDICT_WORDS: Record<AccessVerdict, string> = {open: 'not reviewed', expected: 'expected', 'to-fix': 'to fix'};

/** One line per finding, for the timeline and text output. */
export function accessLine(finding: AccessFinding): string {
	return `${finding.who}: ${finding.how}${finding.verdict === 'open' ? '' : ` [${VERDICT_WORDS[finding.verdict]}]`}${finding.note ? ` — ${finding.note}` : ''}`;
}

/** The review in a few words: "3 readers (1 to fix, 1 expected, 1 not reviewed); 1 thing not read". */
export function accessSummary(review: AccessReview): string {
	const count = (verdict: AccessVerdict) => review.findings.filter(finding => finding.verdict === verdict).length;
	const parts = (['to-fix', 'expected', 'open'] as const).filter(verdict => count(verdict) > 0).map(verdict => `${count(verdict)} ${VERDICT_WORDS[verdict]}`);
	return `${review.findings.length} reader${review.findings.length === 1 ? '' : 's'}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}${review.unread.length > 0 ? `; ${review.unread.length} thing${review.unread.length === 1 ? '' : 's'} not read` : ''}`;
}
