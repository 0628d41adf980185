// The checklist: steps, items, their status, and the one way an item's progress changes.
import {
	STEP_IDS,
	type IncidentStatus,
	type ItemProgress,
	type Session,
	type Step,
	type StepId,
	type StepStatus,
	type TimelineEntry,
} from '../model.js';

import {recorded, type Entry} from './record.js';

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

export function withItem(
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
	const entries: Entry[] = [{step: stepId, item: itemId, ...entry}];
	if (stepStatus(nextStep) === 'complete' && before !== 'complete') {
		entries.push({kind: 'step.completed', step: stepId, text: `Step ${stepNumber(stepId)} complete: ${step.title}`});
	}
	const next = recorded(session, {steps: session.steps.map(candidate => (candidate.id === stepId ? nextStep : candidate))}, entries, at);
	const wasComplete = incidentStatus(session) === 'complete';
	if (!wasComplete && incidentStatus(next) === 'complete') {
		return recorded(next, {closedAt: at}, {kind: 'incident.completed', text: 'Every step complete'}, at);
	}
	if (wasComplete && incidentStatus(next) !== 'complete') {
		const {closedAt: _closed, ...reopened} = next;
		return reopened;
	}
	return next;
}

/** The note on an item leakfix ticked itself. */
export const LEAKFIX_NOTE = 'Done by leakfix: ';

export function titleOf(session: Session, stepId: StepId, itemId: string): string {
	return getStep(session, stepId).items.find(item => item.id === itemId)?.title ?? itemId;
}

