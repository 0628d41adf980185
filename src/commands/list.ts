import type {Session} from '../core/model.js';
import {incidentStatus, stepStatus} from '../core/session.js';
import {safeJson, visible, visibleBlock} from '../core/text.js';
import {formatTime} from '../core/time.js';
import type {Quarantined, Unreadable} from '../infra/store.js';
import type {CommandIo, Values} from './options.js';

export type ListRow = {
	id: string;
	name: string;
	provider: string;
	status: 'open' | 'complete';
	stepsComplete: number;
	demo: boolean;
	updatedAt: string;
	/** Opened with others from one scanner report: this one's place and how many of the group are closed. */
	group?: {id: string; index: number; size: number; closed: number};
};

/** Per group id: how many of its incidents on this machine are complete. */
function closedByGroup(sessions: Session[]): Map<string, number> {
	const closed = new Map<string, number>();
	for (const session of sessions) {
		if (!session.group) continue;
		closed.set(session.group.id, (closed.get(session.group.id) ?? 0) + (incidentStatus(session) === 'complete' ? 1 : 0));
	}
	return closed;
}

export function listRows(sessions: Session[]): ListRow[] {
	const closed = closedByGroup(sessions);
	return sessions.map(session => ({
		id: session.id,
		name: session.name,
		provider: session.provider.id,
		status: incidentStatus(session),
		stepsComplete: session.steps.filter(step => stepStatus(step) === 'complete').length,
		demo: session.demo,
		updatedAt: session.updatedAt,
		...(session.group ? {group: {...session.group, closed: closed.get(session.group.id) ?? 0}} : {}),
	}));
}

/** "secret 2 of 5 from one report · 3 of 5 closed". */
export function groupText(group: NonNullable<ListRow['group']>): string {
	return `secret ${group.index} of ${group.size} from one report · ${group.closed} of ${group.size} closed`;
}

export function renderListText(rows: ListRow[], quarantined: Quarantined[], newer: string[] = [], unreadable: Unreadable[] = []): string {
	const lines: string[] = [];
	for (const message of newer) lines.push(`! ${visible(message)}`);
	// Never hidden: the file is there, leakfix cannot read it; why, and what to do.
	for (const u of unreadable) lines.push(`! incident ${visible(u.id)} cannot be read: ${visible(u.reason)}; the file ${visible(u.file)} was left as it is.${u.hint ? ` ${visible(u.hint)}` : ''}`);
	for (const q of quarantined) lines.push(`! incident ${visible(q.id)} could not be read (${visible(q.reason)}); moved aside to ${visible(q.movedTo)}`);
	if (rows.length === 0) {
		lines.push(unreadable.length > 0 ? 'No readable incidents.' : 'No incidents yet. Start one with `leakfix`, or try `leakfix demo`.');
		return `${lines.join('\n')}\n`;
	}
	const header = ['ID', 'STATUS', 'PROVIDER', 'LAST CHANGE', 'NAME'];
	const table = rows.map(row => [row.id, row.status === 'complete' ? 'complete' : `open ${row.stepsComplete}/5`, visible(row.provider), formatTime(row.updatedAt), `${visible(row.name)}${row.demo ? ' (demo)' : ''}${row.group ? ` (${groupText(row.group)})` : ''}`]);
	const widths = header.map((title, column) => Math.max(title.length, ...table.map(row => row[column]!.length)));
	for (const row of [header, ...table]) lines.push(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
	return visibleBlock(`${lines.join('\n')}\n`);
}

export type DueRow = {incident: string; name: string; id: string; title: string; due: string; overdue: boolean};

/** Follow-ups not done yet, across incidents, soonest first. */
export function dueRows(sessions: Session[], now: Date): DueRow[] {
	return sessions
		.flatMap(session =>
			(session.followUps ?? [])
				.filter(followUp => !followUp.doneAt)
				.map(followUp => ({incident: session.id, name: session.name, id: followUp.id, title: followUp.title, due: followUp.due, overdue: Date.parse(followUp.due) <= now.getTime()})),
		)
		.sort((a, b) => a.due.localeCompare(b.due));
}

export function renderStatusText(rows: DueRow[], open: ListRow[]): string {
	const lines: string[] = [];
	const unfinished = open.filter(row => row.status === 'open' && !row.demo);
	if (unfinished.length > 0) lines.push(`${unfinished.length} incident(s) still open: ${unfinished.map(row => `${row.id} (${row.stepsComplete}/5)`).join(', ')}`);
	if (rows.length === 0) lines.push('No follow-ups pending.');
	else {
		const due = rows.filter(row => row.overdue);
		lines.push(`${due.length} follow-up(s) due now, ${rows.length - due.length} later:`);
		for (const row of rows) lines.push(`  ${row.overdue ? 'DUE  ' : 'later'}  ${formatTime(row.due)}  ${row.incident}  ${visible(row.title)}`);
		lines.push('Mark one done in the wizard (leakfix resume <id>, step 5, x).');
	}
	return visibleBlock(`${lines.join('\n')}\n`);
}

/** leakfix list [--json]: exit 2 when an incident cannot be read. */
export async function run(values: Values, _rest: string[], io: CommandIo): Promise<number> {
	const {openStore} = await import('./context.js');
	const {sessions, quarantined, unreadable, newer} = openStore().list();
	if (values.json) {
		io.stdout.write(`${safeJson({incidents: listRows(sessions), quarantined, unreadable, newer}, 2)}\n`);
	} else {
		io.stdout.write(renderListText(listRows(sessions), quarantined, newer, unreadable));
	}
	// An incident that is there but cannot be read is an I/O problem to fix: exit 2.
	return unreadable.length > 0 ? 2 : 0;
}
