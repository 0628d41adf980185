// `leakfix schedule [<id>] [--days N] [--ics] [--out FILE] [--json]`: sets the key's next regular
// rotation (N days after the rotation's end; N from the provider's playbook, else 90) and exports
// it as a calendar reminder (RFC 5545). `leakfix status` shows it due beside the follow-ups.
import type {Session} from '../core/model.js';
import {renderReport} from '../core/report.js';
import {DEFAULT_ROTATION_DAYS, scheduleBase, type RotationRow} from '../core/schedule.js';
import {createRedactor} from '../core/secrets.js';
import {stamp, transition} from '../core/session.js';
import {safeJson, visible, visibleBlock} from '../core/text.js';
import {formatTime} from '../core/time.js';
import {UserError} from '../infra/errors.js';
import type {SessionStore} from '../infra/store.js';
import type {CommandIo, Values} from './options.js';

type Io = {stdout: {write(text: string): unknown}; stderr: {write(text: string): unknown}};

export function parseDays(text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	const days = /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
	if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UserError(`--days ${visible(text)}: a whole number of days from 1 to 3650.`, 'Example: leakfix schedule --days 90');
	return days;
}

/** The calendar for one incident, redacted like every report. */
export function icsFor(session: Session, now: Date): string {
	if (!session.schedule) throw new UserError(`Incident ${session.id} has no rotation scheduled.`, `Set one first: leakfix schedule ${session.id} [--days N]`);
	const redactor = createRedactor();
	redactor.addFingerprint(session.key);
	return renderReport(session, 'ics', now.toISOString(), redactor);
}

export async function runSchedule(
	store: SessionStore,
	id: string | undefined,
	options: {days?: string; ics: boolean; out?: string; json: boolean; intervalDays: (providerId: string) => Promise<number | undefined>},
	io: Io,
	now: () => Date = () => new Date(),
): Promise<number> {
	const chosen = id ?? store.list().sessions[0]?.id;
	if (chosen === undefined) throw new UserError('No incidents yet.', 'Start one with `leakfix` (or `leakfix demo`).');
	const resolved = store.resolveId(chosen);
	const days = parseDays(options.days);
	let session = store.load(resolved);
	const setting = days !== undefined || !options.ics;
	if (setting) {
		const lock = store.lock(resolved);
		try {
			session = store.load(resolved);
			const interval = await options.intervalDays(session.provider.id);
			const chosenDays = days ?? interval ?? DEFAULT_ROTATION_DAYS;
			const at = now().toISOString();
			const base = scheduleBase(session, at);
			session = transition(session, stamp({type: 'schedule.set', days: chosenDays, from: base.from, why: base.why}, at));
			store.save(session);
			const next = session.schedule!;
			// With --ics the calendar is the output: the words go to stderr.
			if (!options.json || options.ics) {
				(options.ics ? io.stderr : io.stdout).write(
					visibleBlock(
						`Next rotation of the ${visible(session.provider.name)} key ${visible(session.rotation?.newKey?.masked ?? session.key.masked)} (incident ${session.id}): ${formatTime(next.nextRotation)}, ${next.days} days after ${base.why}${days === undefined ? ` (${next.days} days: ${interval === undefined ? 'the default' : 'the provider\'s interval'}; --days N sets another)` : ''}. Saved.\n`,
					),
				);
			}
		} finally {
			lock.release();
		}
	}
	if (options.ics) {
		const text = icsFor(session, now());
		if (options.out) {
			const {writeFileWhole} = await import('../infra/files.js');
			writeFileWhole(options.out, text, {mode: 0o600});
			io.stderr.write(`Wrote the rotation reminder of incident ${session.id} to ${visible(options.out)}\n`);
		} else io.stdout.write(text);
		return 0;
	}
	if (options.json) io.stdout.write(`${safeJson({incident: session.id, schedule: session.schedule ?? null}, 2)}\n`);
	else io.stdout.write(`Export it to a calendar: leakfix schedule ${session.id} --ics --out rotation.ics\n`);
	return 0;
}

/** The rotations for `leakfix status`, under the follow-ups. */
export function renderRotationsText(rows: RotationRow[]): string {
	if (rows.length === 0) return '';
	const due = rows.filter(row => row.overdue).length;
	const lines = [`${due} rotation(s) due now, ${rows.length - due} scheduled later:`];
	for (const row of rows) lines.push(`  ${row.overdue ? 'DUE  ' : 'later'}  ${formatTime(row.due)}  ${row.incident}  rotate the ${visible(row.provider)} key ${visible(row.masked)} (every ${row.days} days)`);
	lines.push('Rotate it again: leakfix (a new incident for the same key), or leakfix resume <id>.');
	return visibleBlock(`${lines.join('\n')}\n`);
}

/** leakfix schedule [<id>] [--days N] [--ics] [--out FILE] [--json]. */
export async function run(values: Values, rest: string[], io: CommandIo): Promise<number> {
	const {openStore} = await import('./context.js');
	const {loadPlaybooks} = await import('../playbooks/load.js');
	return runSchedule(openStore(), rest[0], {...(values.days === undefined ? {} : {days: values.days}), ics: values.ics === true, ...(values.out === undefined ? {} : {out: values.out}), json: values.json === true, intervalDays: async providerId => (await loadPlaybooks()).providers.find(playbook => playbook.id === providerId)?.rotation.intervalDays}, io);
}
