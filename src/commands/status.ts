// leakfix status [--json]: follow-ups and rotations due across incidents, and those still open.
import {safeJson} from '../core/text.js';
import type {CommandIo, Values} from './options.js';

/** Exit 1 when a follow-up or a rotation is due. */
export async function run(values: Values, _rest: string[], io: CommandIo): Promise<number> {
	const {openStore} = await import('./context.js');
	const {listRows, dueRows, renderStatusText} = await import('./list.js');
	const {sessions, unreadable} = openStore().list();
	// Its follow-ups cannot be counted: never hidden.
	for (const entry of unreadable) io.stderr.write(`leakfix: note: incident ${entry.id} cannot be read (${entry.reason}); its follow-ups are not counted.${entry.hint ? ` ${entry.hint}` : ''}\n`);
	const rows = dueRows(sessions, new Date());
	// The next regular rotations, due like the follow-ups.
	const {rotationRows} = await import('../core/schedule.js');
	const {renderRotationsText} = await import('./schedule.js');
	const rotations = rotationRows(sessions, new Date());
	if (values.json) io.stdout.write(`${safeJson({followUps: rows, rotations, open: listRows(sessions).filter(row => row.status === 'open')}, 2)}\n`);
	else io.stdout.write(renderStatusText(rows, listRows(sessions)) + renderRotationsText(rotations));
	return rows.some(row => row.overdue) || rotations.some(row => row.overdue) ? 1 : 0;
}
