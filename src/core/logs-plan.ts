// What a log analysis starts from, as values (issue 13: decided here, not in a screen). The log
// questions start from the last analysis, else the demo's log and the exposure; the provider's own
// log command (AWS CloudTrail) reads from a week before the exposure, for a baseline. The form
// shows these values as text (logsFormText); the one-key command path uses them as they are.
import type {Session} from './model.js';
import {parseBusinessHours} from './logs/analyze.js';
import {exposureStartOf} from './session/derived.js';

/** How far before the exposure the provider's own logs are read: the baseline of normal use. */
export const BASELINE_DAYS = 7;

export type LogsPlan = {
	files: string[];
	/** When the exposure began, to the minute (ms since the epoch). */
	exposureStart: number;
	/** Where that start comes from: the last analysis, the scan's first exposure, or when it was noticed. */
	startFrom: 'last' | 'scan' | 'noticed';
	allow: string[];
	businessHours: {from: number; to: number};
	/** As written in the last analysis ("08-19"), or the default. */
	hoursText: string;
	timeZone: string;
};

const toMinute = (iso: string) => Math.floor(Date.parse(iso) / 60_000) * 60_000;

/**
 * The plan for the next analysis. A scan that has since found an earlier first exposure wins over
 * the last analysis's start: the leak is older than that analysis assumed.
 */
export function logsPlan(session: Session, {demoLogs, localZone}: {demoLogs?: string | undefined; localZone: string}): LogsPlan {
	const start = exposureStartOf(session);
	const last = session.logs;
	const previous = last?.window.exposureStart ?? null;
	const fromStart = previous === null || (start.from === 'scan' && Date.parse(start.at) < Date.parse(previous));
	const hoursText = last?.businessHours ?? '08-19';
	return {
		files: last ? last.files.map(file => file.path) : demoLogs === undefined || demoLogs === '' ? [] : [demoLogs],
		exposureStart: toMinute(fromStart ? start.at : previous),
		startFrom: fromStart ? start.from : 'last',
		allow: last ? [...last.allow] : [],
		businessHours: parseBusinessHours(hoursText),
		hoursText,
		timeZone: last?.timeZone ?? localZone,
	};
}

const quotePath = (file: string) => (/\s/.test(file) ? `"${file}"` : file);

/** The plan as the log form's editable texts. */
export function logsFormText(plan: LogsPlan): {files: string; since: string; sinceHint: string; allow: string; hours: string} {
	return {
		files: plan.files.map(file => quotePath(file)).join(' '),
		since: `${new Date(plan.exposureStart).toISOString().slice(0, 16)}Z`,
		sinceHint: plan.startFrom === 'last' ? 'As in the last analysis.' : plan.startFrom === 'scan' ? "The scan's first exposure (the commit's date)." : 'When it was noticed; the leak may be older (the scan in step 1 finds the first exposure).',
		allow: plan.allow.join(' '),
		hours: `${plan.hoursText} ${plan.timeZone}`,
	};
}

/** Where the provider's own log command starts reading: a week before the exposure. */
export function providerLogsSince(session: Session): Date {
	return new Date(Date.parse(exposureStartOf(session).at) - BASELINE_DAYS * 86_400_000);
}
