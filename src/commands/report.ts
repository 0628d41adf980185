// leakfix report [<id>] [--format md|json|html|status|ics] [--out FILE] [--told WHO].
import {visible} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {CommandIo, Values} from './options.js';

/** The incident's checklist and timeline, to stdout or a 0600 file; --told records who was told. */
export async function run(values: Values, rest: string[], io: CommandIo): Promise<number> {
	const {openStore} = await import('./context.js');
	const {REPORT_FORMATS, renderReport} = await import('../core/report.js');
	const {createRedactor} = await import('../core/secrets.js');
	const format = values.format ?? 'md';
	if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UserError(`Unknown report format "${format}".`, 'Use --format md, json, html, status or ics.');
	const store = openStore();
	let id = rest[0];
	if (id === undefined) {
		const listed = store.list();
		for (const entry of listed.unreadable) io.stderr.write(`leakfix: note: incident ${entry.id} cannot be read (${entry.reason}); reporting on the latest readable one.\n`);
		const latest = listed.sessions[0];
		if (!latest) throw new UserError('No incidents to report on.', 'Start one with `leakfix` (or `leakfix demo`).');
		id = latest.id;
	}
	const session = store.load(store.resolveId(id));
	if (format === 'ics' && !session.schedule) throw new UserError(`Incident ${session.id} has no rotation scheduled: the calendar would be empty.`, `Set one first: leakfix schedule ${session.id} [--days N]`);
	const redactor = createRedactor();
	redactor.addFingerprint(session.key);
	if (values.told !== undefined && format !== 'status') throw new UserError('--told goes with --format status: it records who the status update was sent to.');
	let reported = session;
	if (values.told !== undefined) {
		// Who was told, when: recorded on the incident (its lock held while writing).
		const {transition} = await import('../core/session.js');
		const {currentActor} = await import('../infra/actor.js');
		const lock = store.lock(session.id);
		try {
			reported = transition(store.load(session.id), {type: 'status.shared', to: values.told, at: new Date().toISOString()}, currentActor(session.repoPath));
			store.save(reported);
		} finally {
			lock.release();
		}
	}
	const text = renderReport(reported, format as 'md', new Date().toISOString(), redactor);
	if (values.out) {
		// Whole or not at all, mode 0600, never through a symbolic link (refused with a message).
		const {writeFileWhole} = await import('../infra/files.js');
		writeFileWhole(values.out, text, {mode: 0o600});
		io.stderr.write(`Wrote the ${format} report of incident ${session.id} to ${visible(values.out)}\n`);
	} else {
		io.stdout.write(text);
	}
	return 0;
}
