// The session reducer: transition(session, event) -> new session. Pure: time comes in on the event.
import {
	LEAK_PLACE_LABELS,
	SESSION_SCHEMA_VERSION,
	STEP_IDS,
	type ChecklistItem,
	type ExposureSummary,
	type FindingVerdict,
	type Hardening,
	type ActionResult,
	type InventoryEntry,
	type LogSummary,
	type StoredProbeResult,
	type IncidentStatus,
	type ItemProgress,
	type LeakPlace,
	type Session,
	type Step,
	type StepId,
	type StepStatus,
	type TimelineEntry,
	type Origin,
	type IncidentGroup,
} from './model.js';
import {summaryLine} from './exposure.js';
import {storeAddress} from './inventory/address.js';
import {assessSeverity} from './severity.js';
import {claimedItems, claimFor, readersLine} from './claims.js';
import type {Fingerprinted} from './secrets.js';
import {accessLine, accessSummary, mergeAccess, VERDICT_WORDS, type AccessVerdict, type FoundReader} from './access.js';

export type StepTemplate = {
	id: StepId;
	title: string;
	purpose: string;
	needsKey: boolean;
	items: ChecklistItem[];
};

export type NewIncident = {
	id: string;
	name: string;
	demo: boolean;
	at: string;
	provider: {id: string; name: string};
	key: Fingerprinted;
	leak: {where: LeakPlace; url?: string; noticedAt: string};
	repoPath?: string;
	steps: StepTemplate[];
	keyFacts?: {scopes: 'none' | 'per-key' | 'unknown'; testMode: boolean; fullAccess?: boolean};
	/** Opened from a scanner report or an alert (src/engines/intake). */
	origin?: Origin;
	/** One of several incidents opened from the same report. */
	group?: IncidentGroup;
	/** Who opened it (the OS user and git user.name). */
	by?: string;
};

export function createSession(input: NewIncident): Session {
	const steps: Step[] = STEP_IDS.map(id => {
		const template = input.steps.find(step => step.id === id);
		if (!template) throw new Error(`No checklist for step ${id}`);
		return {...template, progress: {}};
	});
	const where = LEAK_PLACE_LABELS[input.leak.where];
	const session: Session = {
		schema: 'leakfix/session',
		version: SESSION_SCHEMA_VERSION,
		id: input.id,
		name: input.name,
		demo: input.demo,
		createdAt: input.at,
		updatedAt: input.at,
		provider: input.provider,
		key: input.key,
		leak: input.leak,
		...(input.repoPath === undefined ? {} : {repoPath: input.repoPath}),
		...(input.keyFacts === undefined ? {} : {keyFacts: input.keyFacts}),
		...(input.origin === undefined ? {} : {origin: input.origin}),
		...(input.group === undefined ? {} : {group: input.group}),
		cursor: {step: 'assess', item: 0},
		steps,
		timeline: [
			{
				at: input.leak.noticedAt,
				kind: 'leak.noticed',
				text: `${input.provider.name} key ${input.key.masked} noticed in ${where}${input.leak.url ? ` (${input.leak.url})` : ''}`,
			},
			{at: input.at, kind: 'incident.opened', text: `Incident opened: ${input.name}`, ...(input.by ? {by: input.by} : {})},
			...(input.origin === undefined ? [] : [{at: input.at, kind: 'incident.origin', text: originLine(input.origin, input.group)}]),
		],
	};
	return withSeverity(session, input.at);
}

/** One line for the timeline: what the scanner said, in its own words where it has them. */
export function originLine(origin: Origin, group?: IncidentGroup): string {
	const verdict = {valid: 'the key works', invalid: 'the key no longer works', unknown: 'not known whether the key works', 'not-checked': 'the scanner did not check the key'}[origin.validity];
	const places = `${origin.placesTotal} place${origin.placesTotal === 1 ? '' : 's'}`;
	return `From ${origin.scanner}${origin.source ? ` (${origin.source})` : ''}: rule ${origin.rule || 'not named'}, ${places}; scanner's verdict: ${verdict}${origin.validityText ? ` ("${origin.validityText}")` : ''}${origin.redacted ? '; the report held no key, so it was typed' : ''}${group ? `; secret ${group.index} of ${group.size} opened from this report` : ''}`;
}

export type SessionEvent =
	| {type: 'item.done'; step: StepId; item: string; at: string}
	| {type: 'item.reopened'; step: StepId; item: string; at: string}
	| {type: 'item.skipped'; step: StepId; item: string; reason: string; at: string}
	| {type: 'item.noted'; step: StepId; item: string; note: string; at: string}
	| {type: 'cursor.moved'; step: StepId; item: number}
	| {type: 'incident.resumed'; at: string; keyEntered: boolean}
	| {type: 'key.entered'; at: string}
	| {type: 'scan.completed'; at: string; summary: ExposureSummary}
	| {type: 'probe.consented'; at: string; request: string}
	| {type: 'probe.completed'; at: string; result: StoredProbeResult}
	| {type: 'logs.analyzed'; at: string; summary: LogSummary}
	| {type: 'finding.marked'; at: string; id: string; verdict: FindingVerdict; note?: string}
	| {type: 'inventory.discovered'; at: string; entries: InventoryEntry[]}
	| {type: 'inventory.saved'; at: string; entry: InventoryEntry}
	| {type: 'inventory.removed'; at: string; id: string}
	| {type: 'inventory.merged'; at: string; from: string; into: string}
	| {type: 'newkey.entered'; at: string; key: {fingerprint: string; masked: string; length: number}}
	| {type: 'newkey.probed'; at: string; result: StoredProbeResult}
	| {type: 'entry.result'; at: string; id: string; action: 'update' | 'restart' | 'health' | 'verify-health'; result: ActionResult}
	| {type: 'oldkey.deactivated'; at: string; how: string}
	| {type: 'verify.probed'; at: string; which: 'old' | 'new'; result: StoredProbeResult}
	| {type: 'verify.rescanned'; at: string; remaining: number; files: string[]}
	| {type: 'followup.done'; at: string; id: string}
	/** Who can read an entry's store, as the access readers found it (src/engines/access). */
	| {type: 'access.read'; at: string; id: string; commands: string[]; readers: FoundReader[]; unread: string[]}
	/** The responder's verdict on one reader: expected, or to fix (open: not reviewed). */
	| {type: 'access.marked'; at: string; id: string; finding: string; verdict: AccessVerdict; note?: string}
	/** The next regular rotation: `days` after `from` (the rotation's end, src/core/schedule.ts). */
	| {type: 'schedule.set'; at: string; days: number; from: string; why: string}
	| {type: 'cleanup.done'; at: string; what: string}
	| {type: 'hardened'; at: string; hardening: Omit<Hardening, 'at'>}
	| {type: 'status.shared'; at: string; to: string}
	| {type: 'harden.started'; at: string; files: string[]; config: string[]; guard: string}
	| {type: 'harden.abandoned'; at: string; why: string; files: number; config: number};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the clock stamps it (the UI dispatches these). */
export type UnstampedEvent = DistributiveOmit<SessionEvent, 'at'>;

export function stamp(event: UnstampedEvent, at: string): SessionEvent {
	return event.type === 'cursor.moved' ? event : ({...event, at} as SessionEvent);
}

export function getStep(session: Session, id: StepId): Step {
	const step = session.steps.find(candidate => candidate.id === id);
	if (!step) throw new Error(`Session ${session.id} has no step ${id}`);
	return step;
}

export function itemProgress(step: Step, itemId: string): ItemProgress {
	return step.progress[itemId] ?? {status: 'open'};
}

export function stepStatus(step: Step): StepStatus {
	const states = step.items.map(item => itemProgress(step, item.id).status);
	const required = step.items.filter(item => item.required);
	const requiredDone = required.every(item => itemProgress(step, item.id).status !== 'open');
	if (requiredDone && required.length > 0) return 'complete';
	if (required.length === 0 && states.every(status => status !== 'open')) return 'complete';
	return states.some(status => status !== 'open') ? 'in-progress' : 'todo';
}

export function incidentStatus(session: Session): IncidentStatus {
	return session.steps.every(step => stepStatus(step) === 'complete') ? 'complete' : 'open';
}

export function stepNumber(id: StepId): number {
	return STEP_IDS.indexOf(id) + 1;
}

function withItem(
	session: Session,
	stepId: StepId,
	itemId: string,
	at: string,
	update: (previous: ItemProgress) => ItemProgress,
	entry: Omit<TimelineEntry, 'at' | 'step' | 'item'>,
): Session {
	const step = session.steps.find(candidate => candidate.id === stepId);
	const item = step?.items.find(candidate => candidate.id === itemId);
	if (!step || !item) return session;
	const before = stepStatus(step);
	const progress = {...step.progress, [itemId]: {...update(itemProgress(step, itemId)), updatedAt: at}};
	const nextStep: Step = {...step, progress};
	const timeline: TimelineEntry[] = [...session.timeline, {at, step: stepId, item: itemId, ...entry}];
	const after = stepStatus(nextStep);
	if (after === 'complete' && before !== 'complete') {
		timeline.push({at, kind: 'step.completed', step: stepId, text: `Step ${stepNumber(stepId)} complete: ${step.title}`});
	}
	const steps = session.steps.map(candidate => (candidate.id === stepId ? nextStep : candidate));
	const next: Session = {...session, steps, timeline, updatedAt: at};
	const wasComplete = incidentStatus(session) === 'complete';
	if (!wasComplete && incidentStatus(next) === 'complete') {
		return {
			...next,
			closedAt: at,
			timeline: [...timeline, {at, kind: 'incident.completed', text: 'Every step complete'}],
		};
	}
	if (wasComplete && incidentStatus(next) !== 'complete') {
		const {closedAt: _closed, ...reopened} = next;
		return reopened;
	}
	return next;
}

/**
 * Ticks the items whose claim rule (src/core/claims.ts) turned to done with this event, and reopens
 * the items leakfix ticked itself whose evidence is gone (a new key replaced the one updated
 * everywhere). Only an open item is ticked: a responder's own tick, skip or reopen stands.
 */
function applyClaims(before: Session, after: Session, at: string): Session {
	if (before === after) return after;
	let next = after;
	for (const [stepId, itemId] of claimedItems()) {
		const step = next.steps.find(candidate => candidate.id === stepId);
		if (!step?.items.some(item => item.id === itemId)) continue;
		const was = claimFor(before, stepId, itemId)!;
		const now = claimFor(next, stepId, itemId)!;
		const progress = itemProgress(step, itemId);
		if (now.status === 'done' && was.status !== 'done' && progress.status === 'open') {
			next = withItem(next, stepId, itemId, at, previous => ({...previous, status: 'done', reason: undefined, note: `${LEAKFIX_NOTE}${now.why}`}), {
				kind: 'item.done',
				text: `Done: ${titleOf(next, stepId, itemId)} (leakfix: ${now.why})`,
			});
		} else if (now.status !== 'done' && was.status === 'done' && progress.status === 'done' && progress.note?.startsWith(LEAKFIX_NOTE)) {
			next = withItem(next, stepId, itemId, at, previous => ({...previous, status: 'open', note: undefined}), {
				kind: 'item.reopened',
				text: `Reopened by leakfix: ${titleOf(next, stepId, itemId)} (${now.why})`,
			});
		}
	}
	return next;
}

/** The note on an item leakfix ticked itself. */
export const LEAKFIX_NOTE = 'Done by leakfix: ';

function titleOf(session: Session, stepId: StepId, itemId: string): string {
	return getStep(session, stepId).items.find(item => item.id === itemId)?.title ?? itemId;
}

/** The next session after an event; `by` (who acted) is recorded on every timeline entry it adds. */
export function transition(session: Session, event: SessionEvent, by?: string): Session {
	const reduced = reduce(session, event);
	const next = event.type === 'cursor.moved' ? reduced : applyClaims(session, reduced, event.at);
	if (by === undefined || next === session || next.timeline.length <= session.timeline.length) return next;
	const known = session.timeline.length;
	return {...next, timeline: next.timeline.map((entry, index) => (index >= known && entry.by === undefined ? {...entry, by} : entry))};
}

function reduce(session: Session, event: SessionEvent): Session {
	switch (event.type) {
		case 'item.done': {
			return withItem(session, event.step, event.item, event.at, previous => ({...previous, status: 'done', reason: undefined}), {
				kind: 'item.done',
				text: `Done: ${titleOf(session, event.step, event.item)}`,
			});
		}

		case 'item.reopened': {
			return withItem(session, event.step, event.item, event.at, previous => ({...previous, status: 'open', reason: undefined}), {
				kind: 'item.reopened',
				text: `Reopened: ${titleOf(session, event.step, event.item)}`,
			});
		}

		case 'item.skipped': {
			const reason = event.reason.trim();
			if (reason.length === 0) return session;
			return withItem(session, event.step, event.item, event.at, previous => ({...previous, status: 'skipped', reason}), {
				kind: 'item.skipped',
				text: `Skipped: ${titleOf(session, event.step, event.item)} — ${reason}`,
			});
		}

		case 'item.noted': {
			const note = event.note.trim();
			const previous = session.steps.find(step => step.id === event.step)?.progress[event.item]?.note ?? '';
			if (note === previous) return session;
			return withItem(session, event.step, event.item, event.at, previous => ({...previous, note: note.length > 0 ? note : undefined}), {
				kind: 'item.noted',
				text: note.length > 0 ? `Note on ${titleOf(session, event.step, event.item)}: ${note}` : `Note removed: ${titleOf(session, event.step, event.item)}`,
			});
		}

		case 'cursor.moved': {
			const step = getStep(session, event.step);
			const item = Math.max(0, Math.min(event.item, step.items.length - 1));
			if (session.cursor.step === event.step && session.cursor.item === item) return session;
			return {...session, cursor: {step: event.step, item}};
		}

		case 'incident.resumed': {
			// Time has passed: "exposed for N days" is re-derived.
			return withSeverity({
				...session,
				updatedAt: event.at,
				timeline: [
					...session.timeline,
					{at: event.at, kind: 'incident.resumed', text: event.keyEntered ? 'Resumed; key re-entered and fingerprint matched' : 'Resumed without the key'},
				],
			}, event.at);
		}

		case 'scan.completed': {
			return withSeverity(
				{
					...session,
					exposure: event.summary,
					updatedAt: event.at,
					timeline: [...session.timeline, {at: event.at, kind: 'scan.completed', step: 'assess', text: summaryLine(event.summary)}],
				},
				event.at,
			);
		}

		case 'probe.consented': {
			return {
				...session,
				probeConsent: {at: event.at, request: event.request},
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'probe.consented', step: 'assess', text: `Agreed to probe the key: ${event.request}`}],
			};
		}

		case 'probe.completed': {
			return withSeverity(
				{
					...session,
					probe: event.result,
					updatedAt: event.at,
					timeline: [...session.timeline, {at: event.at, kind: 'probe.completed', step: 'assess', text: `Liveness probe: ${event.result.status} (${event.result.reason})${event.result.blastRadius ? `; what the key can do: ${event.result.blastRadius.power} (${event.result.blastRadius.why})` : ''}`}],
				},
				event.at,
			);
		}

		case 'logs.analyzed': {
			// A re-run of the same logs keeps the verdicts already given (findings have stable ids).
			const previous = new Map((session.logs?.findings ?? []).map(finding => [finding.id, finding]));
			const findings = event.summary.findings.map(finding => {
				const old = previous.get(finding.id);
				return old && old.verdict !== 'open' ? {...finding, verdict: old.verdict, ...(old.note ? {note: old.note} : {}), ...(old.markedAt ? {markedAt: old.markedAt} : {})} : finding;
			});
			// Findings judged in an earlier analysis that this one does not find again (other files,
			// another window) are kept with their verdict: a judgement is never lost.
			const ids = new Set(findings.map(finding => finding.id));
			const earlier = (session.logs?.findings ?? [])
				.filter(finding => finding.verdict !== 'open' && !ids.has(finding.id))
				.map(finding => ({...finding, detail: finding.detail?.includes('earlier analysis') ? finding.detail : `${finding.detail ? `${finding.detail}; ` : ''}from an earlier analysis (${session.logs!.source})`}));
			const summary = {...event.summary, findings: [...findings, ...earlier]};
			return withSeverity(
				{
					...session,
					logs: summary,
					updatedAt: event.at,
					timeline: [...session.timeline, {at: event.at, kind: 'logs.analyzed', step: 'logs', text: logsLine(summary)}],
				},
				event.at,
			);
		}

		case 'finding.marked': {
			if (!session.logs) return session;
			const target = session.logs.findings.find(finding => finding.id === event.id);
			if (!target) return session;
			const findings = session.logs.findings.map(finding =>
				finding.id === event.id ? {...finding, verdict: event.verdict, markedAt: event.at, ...(event.note === undefined ? {} : {note: event.note})} : finding,
			);
			// Say what happened: a verdict given or changed, or only a note on the finding.
			const verdictWords = {open: 'reopened (not reviewed)', expected: 'judged expected', suspicious: 'judged suspicious'} as const;
			const text =
				event.verdict === target.verdict
					? event.note === undefined || event.note === (target.note ?? '')
						? `Log finding unchanged: ${target.title}`
						: event.note
							? `Note on log finding ${target.title}: ${event.note}`
							: `Note removed from log finding ${target.title}`
					: `Log finding ${verdictWords[event.verdict]}: ${target.title}${event.note ? ` — ${event.note}` : ''}`;
			return withSeverity(
				{
					...session,
					logs: {...session.logs, findings},
					updatedAt: event.at,
					timeline: [...session.timeline, {at: event.at, kind: 'finding.marked', step: 'logs', text}],
				},
				event.at,
			);
		}

		case 'inventory.discovered': {
			const existing = session.inventory ?? [];
			const known = new Set(existing.map(entry => `${entry.service}\u0000${storeAddress(entry.store)}`));
			const used = new Set(existing.map(entry => entry.id));
			let next = existing.length;
			const added: InventoryEntry[] = [];
			for (const entry of event.entries) {
				if (known.has(`${entry.service}\u0000${storeAddress(entry.store)}`)) continue;
				let id = `svc-${++next}`;
				while (used.has(id)) id = `svc-${++next}`;
				used.add(id);
				added.push({...entry, id});
			}
			return {
				...session,
				inventory: [...existing, ...added],
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'inventory.discovered', step: 'inventory', text: `Discovery proposed ${event.entries.length} consumer(s); ${added.length} new in the inventory`}],
			};
		}

		case 'inventory.saved': {
			const existing = session.inventory ?? [];
			const replacing = existing.some(entry => entry.id === event.entry.id);
			return {
				...session,
				inventory: replacing ? existing.map(entry => (entry.id === event.entry.id ? event.entry : entry)) : [...existing, event.entry],
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'inventory.saved', step: 'inventory', text: `${replacing ? 'Edited' : 'Added'} ${event.entry.service} [${event.entry.environment}]: ${storeAddress(event.entry.store)}`}],
			};
		}

		case 'inventory.removed': {
			const gone = session.inventory?.find(entry => entry.id === event.id);
			if (!gone) return session;
			return {
				...session,
				inventory: session.inventory!.filter(entry => entry.id !== event.id),
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'inventory.removed', step: 'inventory', text: `Removed ${gone.service}: ${storeAddress(gone.store)}`}],
			};
		}

		case 'inventory.merged': {
			const from = session.inventory?.find(entry => entry.id === event.from);
			const into = session.inventory?.find(entry => entry.id === event.into);
			// Two places that hold the key are two updates: merging them would lose one.
			if (!from || !into || from === into || storeAddress(from.store) !== storeAddress(into.store)) return session;
			const merged = {...into, evidence: [...new Set([...into.evidence, ...from.evidence])]};
			return {
				...session,
				inventory: session.inventory!.filter(entry => entry.id !== from.id).map(entry => (entry.id === into.id ? merged : entry)),
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'inventory.merged', step: 'inventory', text: `Merged ${from.service} (${storeAddress(from.store)}) into ${into.service}`}],
			};
		}

		case 'newkey.entered': {
			// A different new key starts the rotation's updates over: results were for the one before.
			const replacing = session.rotation?.newKey !== undefined && session.rotation.newKey.fingerprint !== event.key.fingerprint;
			const {newKeyProbe: _stale, ...rotation} = session.rotation ?? {};
			return {
				...session,
				rotation: {...rotation, newKey: {...event.key, enteredAt: event.at}},
				...(replacing && session.inventory ? {inventory: session.inventory.map(({update: _u, restarted: _r, healthResult: _h, updateRetry: _f, ...entry}) => entry)} : {}),
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'newkey.entered', step: 'rotate', text: replacing ? `New key replaced by ${event.key.masked}: every consumer is updated again` : `New key entered (${event.key.masked})`}],
			};
		}

		case 'newkey.probed': {
			return {
				...session,
				rotation: {...session.rotation, newKeyProbe: event.result},
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'newkey.probed', step: 'rotate', text: `New key probe: ${event.result.status} (${event.result.reason})`}],
			};
		}

		case 'entry.result': {
			const target = session.inventory?.find(entry => entry.id === event.id);
			if (!target) return session;
			const field = {update: 'update', restart: 'restarted', health: 'healthResult', 'verify-health': 'verifyHealth'} as const;
			const label = {update: 'Update', restart: 'Restart', health: 'Health check', 'verify-health': 'Verification health check'}[event.action];
			const next: Session = {
				...session,
				inventory: session.inventory!.map(entry => (entry.id === event.id ? withResult(entry, field[event.action], event.result) : entry)),
				updatedAt: event.at,
				timeline: [
					...session.timeline,
					{at: event.at, kind: `entry.${event.action}`, step: event.action === 'verify-health' ? 'verify' : 'rotate', text: `${label} of ${target.service} [${target.environment}] (${storeAddress(target.store)}): ${event.result.status} — ${event.result.detail}`},
				],
			};
			return next;
		}

		case 'oldkey.deactivated': {
			return withSeverity(
				{
					...session,
					followUps: followUpsFrom(session, event.at),
					rotation: {...session.rotation, deactivatedAt: event.at, deactivation: event.how},
					updatedAt: event.at,
					timeline: [...session.timeline, {at: event.at, kind: 'oldkey.deactivated', step: 'rotate', text: `Old key deactivated: ${event.how}`}],
				},
				event.at,
			);
		}

		case 'verify.probed': {
			const next = verifyProbed(session, event);
			return event.which === 'new' ? next : withSeverity(next, event.at);
		}

		case 'verify.rescanned': {
			return {
				...session,
				verification: {...session.verification, rescan: {at: event.at, remaining: event.remaining, files: event.files}},
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'verify.rescanned', step: 'verify', text: event.remaining === 0 ? 'Re-scan: no copy of the old key left in the working tree' : `Re-scan: the old key is still in ${event.remaining} file(s): ${event.files.join(', ')}`}],
			};
		}

		case 'hardened': {
			const {hardeningPending: _done, ...rest} = session;
			return {...rest, hardening: {...event.hardening, at: event.at}, updatedAt: event.at, timeline: [...session.timeline, {at: event.at, kind: 'hardened', step: 'rotate', text: hardenedLine(event.hardening)}]};
		}

		case 'status.shared': {
			// Who was told, when: on the communication item (if the checklist has one) and the timeline.
			const to = event.to.trim();
			if (to.length === 0) return session;
			const line = `told ${to} (status update, ${event.at.slice(0, 16).replace('T', ' ')} UTC)`;
			const step = session.steps.find(candidate => candidate.id === 'assess');
			const noted = step?.items.some(item => item.id === 'notify-owners')
				? withItem(session, 'assess', 'notify-owners', event.at, previous => ({...previous, note: previous.note ? `${previous.note}; ${line}` : line}), {kind: 'status.shared', text: `Status update shared with ${to}`})
				: {...session, updatedAt: event.at, timeline: [...session.timeline, {at: event.at, kind: 'status.shared', text: `Status update shared with ${to}`}]};
			return noted;
		}

		case 'harden.started': {
			return {...session, hardeningPending: {at: event.at, files: event.files, config: event.config, guard: event.guard}, updatedAt: event.at};
		}

		case 'harden.abandoned': {
			// A cancel or a failure restored every file: nothing was written, and the record says so.
			const {hardeningPending: _gone, ...rest} = session;
			const planned = `${event.files} file rewrite(s)${event.config > 0 ? `, ${event.config} config change(s)` : ''}`;
			return {...rest, updatedAt: event.at, timeline: [...session.timeline, {at: event.at, kind: 'harden.abandoned', step: 'rotate', text: `Keep the key out of code ${event.why}: nothing written (${planned} not made)`}]};
		}

		case 'cleanup.done': {
			return {...session, updatedAt: event.at, timeline: [...session.timeline, {at: event.at, kind: 'cleanup.done', step: 'verify', text: event.what}]};
		}

		case 'followup.done': {
			const target = session.followUps?.find(followUp => followUp.id === event.id);
			if (!target) return session;
			return {
				...session,
				followUps: session.followUps!.map(followUp => (followUp.id === event.id ? {...followUp, doneAt: event.at} : followUp)),
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'followup.done', text: `Follow-up done: ${target.title}`}],
			};
		}

		case 'schedule.set': {
			if (!Number.isInteger(event.days) || event.days < 1 || event.days > 3650 || Number.isNaN(Date.parse(event.from))) return session;
			const nextRotation = new Date(Date.parse(event.from) + event.days * 86_400_000).toISOString();
			return {
				...session,
				schedule: {nextRotation, setAt: event.at, days: event.days, from: event.from},
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'schedule.set', text: `Next rotation of ${session.rotation?.newKey?.masked ?? session.key.masked}: ${nextRotation.slice(0, 10)} (${event.days} days after ${event.why})`}],
			};
		}

		case 'access.read': {
			const target = session.inventory?.find(entry => entry.id === event.id);
			if (!target) return session;
			const access = mergeAccess(target.access, event.readers, {commands: event.commands, unread: event.unread, at: event.at});
			return {
				...session,
				inventory: session.inventory!.map(entry => (entry.id === event.id ? {...entry, access} : entry)),
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'access.read', step: 'inventory', text: `Who can read ${target.service} (${storeAddress(target.store)}): ${accessSummary(access)}`}],
			};
		}

		case 'access.marked': {
			const target = session.inventory?.find(entry => entry.id === event.id);
			const finding = target?.access?.findings.find(candidate => candidate.id === event.finding);
			if (!target?.access || !finding) return session;
			const note = event.note?.trim();
			if (finding.verdict === event.verdict && (note === undefined || note === (finding.note ?? ''))) return session;
			const marked = {...finding, verdict: event.verdict, markedAt: event.at, ...(note === undefined ? {} : {note: note || undefined})};
			if (marked.note === undefined) delete marked.note;
			return {
				...session,
				inventory: session.inventory!.map(entry => (entry.id === event.id ? {...entry, access: {...entry.access!, findings: entry.access!.findings.map(candidate => (candidate.id === finding.id ? marked : candidate))}} : entry)),
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'access.marked', step: 'inventory', text: `Reader of ${target.service} ${event.verdict === 'open' ? 'reopened (not reviewed)' : `judged ${VERDICT_WORDS[event.verdict]}`}: ${accessLine(marked)}`}],
			};
		}

		case 'key.entered': {
			return {
				...session,
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'key.entered', text: 'Key re-entered; fingerprint matched'}],
			};
		}
	}
}

/**
 * An action's result on an entry. A re-run of an update that had succeeded and now failed keeps
 * the proven update (the store holds the new key) and records the failure beside it.
 */
function withResult(entry: InventoryEntry, field: 'update' | 'restarted' | 'healthResult' | 'verifyHealth', result: ActionResult): InventoryEntry {
	if (field !== 'update') return {...entry, [field]: result};
	const proven = entry.update?.status === 'done' || entry.update?.status === 'manual';
	if (proven && (result.status === 'failed' || result.status === 'skipped')) return {...entry, updateRetry: result};
	const {updateRetry: _old, ...rest} = entry;
	return {...rest, update: result};
}

/** What a hardening record says, exactly: what was written and what was not. */
export function hardenedLine(hardening: Omit<Hardening, 'at'>): string {
	const manual = new Set(hardening.files.filter(file => file.status === 'manual').map(file => file.file)).size;
	const parts = [readersLine({...hardening, at: ''})];
	if (manual > 0) parts.push(`${manual} file(s) to change by hand`);
	if (hardening.config.length > 0) parts.push(`written: ${hardening.config.join('; ')}`);
	if ((hardening.configPending ?? []).length > 0) parts.push(`not written: ${hardening.configPending!.join('; ')}`);
	parts.push(hardening.guard ? `guard in ${hardening.guard.where}${hardening.guard.proven === false ? ' (not proven)' : hardening.guard.proven ? ' (proven)' : ''}` : 'guard: none');
	return `Kept out of code: ${parts.join('; ')}`;
}

function verifyProbed(session: Session, event: Extract<SessionEvent, {type: 'verify.probed'}>): Session {
	const verification = {...session.verification, [event.which === 'old' ? 'oldKey' : 'newKey']: event.result};
	const done = verification.oldKey?.status === 'revoked' && verification.newKey?.status === 'live';
	const first = done && !session.verification?.verifiedAt;
	return {
		...session,
		verification: {...verification, ...(first ? {verifiedAt: event.at} : {})},
		followUps: first ? followUpsFrom(session, event.at) : session.followUps,
		updatedAt: event.at,
		timeline: [...session.timeline, {at: event.at, kind: 'verify.probed', step: 'verify', text: `${event.which === 'old' ? 'Old' : 'New'} key probe: ${event.result.status} (${event.result.reason})`}],
	};
}

/** Re-check the logs after a day and after a week, from the rotation's end (set once). */
function followUpsFrom(session: Session, at: string) {
	const existing = session.followUps ?? [];
	if (existing.some(followUp => followUp.id === 'logs-24h')) return existing;
	const day = 86_400_000;
	return [
		...existing,
		{id: 'logs-24h', title: 'Re-check the logs for the old key (24 hours after the rotation)', due: new Date(Date.parse(at) + day).toISOString()},
		{id: 'logs-7d', title: 'Re-check the logs for the old key (7 days after the rotation)', due: new Date(Date.parse(at) + 7 * day).toISOString()},
	];
}

/** When the exposure began, as best known: the scan's first exposure, else when it was noticed. */
export function exposureStartOf(session: Session): {at: string; from: 'scan' | 'noticed'} {
	const first = (session.exposure?.repos ?? []).map(repo => repo.firstExposure).filter(candidate => candidate !== null).sort((a, b) => a.date.localeCompare(b.date))[0];
	return first ? {at: first.date, from: 'scan'} : {at: session.leak.noticedAt, from: 'noticed'};
}

/** One line for the timeline: what the log analysis read and found. */
export function logsLine(summary: LogSummary): string {
	return `Logs analysed (${summary.source}): ${summary.keyLines} request(s) with the key in ${summary.lines} line(s), ${summary.baselineLines} before the exposure and ${summary.exposureLines} after; ${summary.findings.length} finding(s)${summary.malformed.count > 0 ? `; ${summary.malformed.count} malformed line(s) skipped` : ''}`;
}

/** The facts for the severity, as the session knows them now. */
export function severityFor(session: Session, at: string) {
	const repos = session.exposure?.repos ?? [];
	const first = repos.map(repo => repo.firstExposure).find(candidate => candidate !== null) ?? null;
	const since = Date.parse(first?.date ?? session.leak.noticedAt);
	// The latest word on the old key: the assess probe, or the verification's.
	const latest = [session.probe, session.verification?.oldKey].filter(probe => probe !== undefined).sort((a, b) => a!.at.localeCompare(b!.at)).at(-1);
	return assessSeverity({
		liveness: latest?.status ?? null,
		where: session.leak.where,
		pushed: first ? first.pushed : null,
		publicForge: repos.some(repo => repo.remotes.some(remote => remote.forge !== null)),
		exposedDays: Math.max(0, (Date.parse(at) - since) / 86_400_000),
		scopes: session.keyFacts?.scopes ?? 'unknown',
		testMode: session.keyFacts?.testMode ?? false,
		fullAccess: session.keyFacts?.fullAccess ?? false,
		suspicious: session.logs?.findings.filter(finding => finding.verdict === 'suspicious').length ?? 0,
		...(session.probe?.blastRadius ? {power: {level: session.probe.blastRadius.power, why: session.probe.blastRadius.why}} : {}),
	});
}

/** Re-derives the severity after a fact changed; the timeline says when the level moves. */
export function withSeverity(session: Session, at: string): Session {
	const severity = severityFor(session, at);
	if (session.severity?.level === severity.level && session.severity.reasons.join() === severity.reasons.join()) return session;
	const moved = session.severity?.level !== severity.level;
	return {
		...session,
		severity,
		timeline: moved ? [...session.timeline, {at, kind: 'severity.assessed', step: 'assess', text: `Severity ${severity.level}: ${severity.reasons.join('; ')}`}] : session.timeline,
	};
}
