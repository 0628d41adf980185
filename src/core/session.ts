// The session reducer: transition(session, event) -> new session. Pure: time comes in on the event.
import {
	LEAK_PLACE_LABELS,
	SESSION_SCHEMA_VERSION,
	STEP_IDS,
	type ChecklistItem,
	type LeakPlace,
	type Session,
	type Step,
	type StepId,
	type Origin,
	type IncidentGroup,
} from './model.js';

import {claimedItems, claimFor} from './claims.js';
import type {Fingerprinted} from './secrets.js';
import type {SessionEvent} from './session/events.js';
import {getStep, itemProgress, LEAKFIX_NOTE, titleOf, withItem} from './session/steps.js';
import {withSeverity} from './session/derived.js';
import {actedBy, recorded} from './session/record.js';
import {reduceEvidence} from './session/reduce-evidence.js';
import {reduceInventory} from './session/reduce-inventory.js';
import {reduceRotation} from './session/reduce-rotation.js';

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

/** The next session after an event; `by` (who acted) is recorded on every timeline entry it adds. */
export function transition(session: Session, event: SessionEvent, by?: string): Session {
	const reduced = reduce(session, event);
	const next = event.type === 'cursor.moved' ? reduced : applyClaims(session, reduced, event.at);
	return actedBy(session, next, by);
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
			return withSeverity(recorded(session, {}, {kind: 'incident.resumed', text: event.keyEntered ? 'Resumed; key re-entered and fingerprint matched' : 'Resumed without the key'}, event.at), event.at);
		}

		case 'status.shared': {
			// Who was told, when: on the communication item (if the checklist has one) and the timeline.
			const to = event.to.trim();
			if (to.length === 0) return session;
			const line = `told ${to} (status update, ${event.at.slice(0, 16).replace('T', ' ')} UTC)`;
			const step = session.steps.find(candidate => candidate.id === 'assess');
			const noted = step?.items.some(item => item.id === 'notify-owners')
				? withItem(session, 'assess', 'notify-owners', event.at, previous => ({...previous, note: previous.note ? `${previous.note}; ${line}` : line}), {kind: 'status.shared', text: `Status update shared with ${to}`})
				: recorded(session, {}, {kind: 'status.shared', text: `Status update shared with ${to}`}, event.at);
			return noted;
		}

		case 'key.entered': {
			return recorded(session, {}, {kind: 'key.entered', text: 'Key re-entered; fingerprint matched'}, event.at);
		}

		case 'scan.completed':
		case 'probe.consented':
		case 'probe.completed':
		case 'logs.analyzed':
		case 'finding.marked':
			return reduceEvidence(session, event);
		case 'inventory.discovered':
		case 'inventory.saved':
		case 'inventory.removed':
		case 'inventory.merged':
		case 'entry.result':
		case 'access.read':
		case 'access.marked':
			return reduceInventory(session, event);
		case 'newkey.entered':
		case 'newkey.probed':
		case 'oldkey.deactivated':
		case 'verify.probed':
		case 'verify.rescanned':
		case 'hardened':
		case 'harden.started':
		case 'harden.abandoned':
		case 'cleanup.done':
		case 'followup.done':
		case 'schedule.set':
			return reduceRotation(session, event);
	}
}

export {getStep, incidentStatus, itemProgress, LEAKFIX_NOTE, stepNumber, stepStatus} from './session/steps.js';
export {stamp, type SessionEvent, type UnstampedEvent} from './session/events.js';
export {exposureStartOf, hardenedLine, logsLine, severityFor, withSeverity} from './session/derived.js';
