// The wizard's layout on the terminal it has: where the cursor is, and how many checklist rows fit
// under the header, the step's panel and the open prompt (80x24 too). Pure: tested without Ink.
import {keyOf} from './keymap.js';
import {STEP_IDS, type Session, type Step} from '../core/model.js';
import {claimFor} from '../core/claims.js';
import {getStep, incidentStatus, itemProgress} from '../core/session.js';
import {assessPanelLines} from './AssessPanel.js';
import type {ScanState} from './ExposurePanel.js';
import {logsPanelLines, type LogsState} from './LogsPanel.js';
import type {WizardMode} from './wizardUi.js';

export const NEEDS_KEY = `Press ${keyOf('step:assess', 'enter-key')} to re-enter the key this step works with (checked by fingerprint).`;

/** Lines a text takes when wrapped at `width` columns. */
const wrapped = (text: string, width: number) => Math.max(1, Math.ceil(text.length / Math.max(10, width)));

/** Where the cursor is in a session: the step, the item and its progress. */
export function focus(session: Session) {
	const step = getStep(session, session.cursor.step);
	const cursor = Math.min(session.cursor.item, step.items.length - 1);
	const item = step.items[cursor]!;
	return {step, stepIndex: STEP_IDS.indexOf(step.id), cursor, item, progress: itemProgress(step, item.id)};
}

/** Open items whose rule has part of the evidence: marked on the checklist. */
export function partialItems(session: Session, step: Step): Set<string> {
	return new Set(step.items.filter(item => (step.progress[item.id]?.status ?? 'open') === 'open' && claimFor(session, step.id, item.id)?.status === 'partial').map(item => item.id));
}

type Screen = {
	session: Session;
	mode: WizardMode;
	height: number;
	columns: number;
	saveError: string | undefined;
	keyPresent: boolean;
	scan: ScanState;
	logs: LogsState;
	providerLogsNote: string | null;
	/** The texts an open consent question shows. */
	consent: {question: string; request: string};
	logsConsent: {display: string; why: string};
};

/**
 * The checklist gets what the terminal has left, so the header never scrolls away. When even three
 * rows do not fit, the item's explanation shrinks to one line; an open prompt takes its place.
 */
export function wizardLayout(screen: Screen) {
	const {session, mode, height} = screen;
	const {step, item, progress} = focus(session);
	const inner = screen.columns - 6; // padding and the detail box's border
	// What leakfix's own evidence says of the item, when it is still the responder's to tick.
	const claim = progress.status === 'open' ? claimFor(session, step.id, item.id) : null;
	const evidence = claim && claim.status === 'partial' ? claim : null;
	const detailLines =
		2 + wrapped(item.title, inner) + (item.detail ? wrapped(item.detail, inner) : 0) + (progress.status === 'skipped' ? 1 : 0) + (progress.note ? 1 : 0) + (evidence ? wrapped(evidence.why, inner - 20) : 0);
	const fixed =
		3 + // header: name, provider line, step tabs
		(screen.saveError ? 2 : 0) +
		(incidentStatus(session) === 'complete' ? 1 : 0) +
		1 + 2 + (step.needsKey && !screen.keyPresent ? wrapped(NEEDS_KEY, inner + 4) : 0) + // step title and purpose
		(step.id === 'assess' ? 1 + assessPanelLines(session, screen.scan) : 0) +
		(step.id === 'logs' ? 1 + logsPanelLines(session, screen.logs, screen.providerLogsNote) : 0) +
		(step.id === 'inventory' || step.id === 'rotate' || step.id === 'verify' ? 2 : 0) +
		1 + 2 + // the list's "more" markers
		1 + 1 + 1 + // gaps and the footer
		(mode === 'consent'
			? wrapped(screen.consent.question, inner + 4) + wrapped(screen.consent.request, inner + 4) + 1
			: mode === 'logs-consent'
				? 2 + wrapped(screen.logsConsent.display, inner + 4) + wrapped(screen.logsConsent.why, inner + 4)
				: mode === 'logs-form'
					? 6
					: mode === 'browse' || mode === 'help' || mode === 'findings'
						? 0
						: 2); // an open prompt
	// An open prompt takes the explanation's place (the list still marks the item it is about).
	const prompting = mode !== 'browse' && mode !== 'help' && mode !== 'places';
	const compact = height - fixed - detailLines < 3;
	// On a short terminal the list shrinks (to one row) rather than push the header off the screen.
	const rows = Math.max(1, Math.min(14, height - fixed - (prompting ? 0 : compact ? 3 : detailLines)));
	return {evidence, prompting, compact, rows};
}
