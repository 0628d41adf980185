// `leakfix access [<id>] [--read] [--mark ENTRY#N=expected|to-fix|open]... [--json]`: who can read
// each inventory entry's store. Without options it prints what is known and the read-only commands
// --read would run; --read runs them (each printed before it runs) and saves what they found;
// --mark records the responder's verdict on a reader (ENTRY#N as printed).
import {accessSummary, ACCESS_VERDICTS, VERDICT_WORDS, type AccessVerdict} from '../core/access.js';
import {storeAddress} from '../core/inventory/address.js';
import type {InventoryEntry, Session} from '../core/model.js';
import {stamp, transition} from '../core/session.js';
import {safeJson, visible, visibleBlock} from '../core/text.js';
import {formatTime} from '../core/time.js';
import {UserError} from '../infra/errors.js';
import type {SessionStore} from '../infra/store.js';
import type {CommandIo, Values} from './options.js';

type Io = {stdout: {write(text: string): unknown}; stderr: {write(text: string): unknown}};

type Readers = {plan: (entry: InventoryEntry) => string[]; read: (entry: InventoryEntry, cwd: string | undefined) => Promise<{commands: string[]; readers: Array<{kind: 'principal' | 'policy' | 'repository' | 'admin' | 'subject' | 'file'; who: string; how: string}>; unread: string[]}>};

export function parseMark(text: string): {entry: string; index: number; verdict: AccessVerdict} {
	const match = /^([a-z0-9-]+)#(\d+)=([a-z-]+)$/.exec(text.trim());
	if (!match || !(ACCESS_VERDICTS as readonly string[]).includes(match[3]!)) throw new UserError(`--mark ${visible(text)}: expected ENTRY#N=expected, ENTRY#N=to-fix or ENTRY#N=open (ENTRY#N as leakfix access prints it).`, 'Example: leakfix access --mark svc-1#2=to-fix');
	return {entry: match[1]!, index: Number(match[2]), verdict: match[3] as AccessVerdict};
}

export function renderAccessText(session: Session, plan: Readers['plan']): string {
	const entries = session.inventory ?? [];
	const lines = [`Who can read the key's copies (incident ${session.id}):`];
	if (entries.length === 0) lines.push('The inventory is empty: add its consumers in step 3 (leakfix resume, then w).');
	for (const entry of entries) {
		lines.push(`${entry.id}  ${visible(entry.service)} [${entry.environment}] ${visible(storeAddress(entry.store))}`);
		if (!entry.access) {
			lines.push('  not read yet; --read runs (read-only):', ...plan(entry).map(command => `    ${visible(command)}`));
			continue;
		}
		lines.push(`  read ${formatTime(entry.access.checkedAt)}: ${accessSummary(entry.access)}`);
		entry.access.findings.forEach((finding, index) => lines.push(`  ${entry.id}#${index + 1}  [${VERDICT_WORDS[finding.verdict]}]  ${visible(finding.who)}: ${visible(finding.how)}${finding.note ? ` — ${visible(finding.note)}` : ''}`));
		for (const line of entry.access.unread) lines.push(`  not read: ${visible(line)}`);
	}
	if (entries.some(entry => entry.access?.findings.length)) lines.push('Mark a reader: leakfix access <id> --mark ENTRY#N=expected|to-fix');
	return visibleBlock(`${lines.join('\n')}\n`);
}

export async function runAccess(store: SessionStore, id: string | undefined, options: {read: boolean; marks: string[]; json: boolean; readers: Readers}, io: Io, now: () => Date = () => new Date()): Promise<number> {
	const chosen = id ?? store.list().sessions[0]?.id;
	if (chosen === undefined) throw new UserError('No incidents yet.', 'Start one with `leakfix` (or `leakfix demo`).');
	const resolved = store.resolveId(chosen);
	const marks = options.marks.map(parseMark);
	let session = store.load(resolved);
	if (options.read && session.demo) throw new UserError(`Incident ${session.id} is a demo: its stores are fake, and reading who can read them would ask your real CLIs.`, 'Try it on a real incident, or see the demo\'s inventory with leakfix access (no --read).');
	if (options.read || marks.length > 0) {
		const lock = store.lock(resolved);
		try {
			session = store.load(resolved);
			if (options.read) {
				for (const entry of session.inventory ?? []) {
					// Shown before it runs, like every command.
					io.stderr.write(visibleBlock(`${entry.id} ${entry.service}: ${options.readers.plan(entry).join('; ')}\n`));
					const reading = await options.readers.read(entry, session.repoPath);
					session = transition(session, stamp({type: 'access.read', id: entry.id, ...reading}, now().toISOString()));
					store.save(session);
				}
			}
			for (const mark of marks) {
				const entry = session.inventory?.find(candidate => candidate.id === mark.entry);
				const finding = entry?.access?.findings[mark.index - 1];
				if (!entry || !finding) throw new UserError(`--mark ${mark.entry}#${mark.index}: no such reader${entry ? ` (${entry.id} has ${entry.access?.findings.length ?? 0})` : ' (no such entry)'}.`, 'leakfix access <id> lists them.');
				session = transition(session, stamp({type: 'access.marked', id: entry.id, finding: finding.id, verdict: mark.verdict}, now().toISOString()));
				store.save(session);
			}
		} finally {
			lock.release();
		}
	}
	if (options.json) io.stdout.write(`${safeJson({incident: session.id, entries: (session.inventory ?? []).map(entry => ({id: entry.id, service: entry.service, address: storeAddress(entry.store), access: entry.access ?? null}))}, 2)}\n`);
	else io.stdout.write(renderAccessText(session, options.readers.plan));
	return 0;
}

/** leakfix access [<id>] [--read] [--mark ENTRY#N=expected|to-fix]... [--json]. */
export async function run(values: Values, rest: string[], io: CommandIo): Promise<number> {
	const {openStore} = await import('./context.js');
	const {accessPlan, readAccess} = await import('../engines/access/index.js');
	const {createRedactor} = await import('../core/secrets.js');
	const redactor = createRedactor();
	return runAccess(openStore(), rest[0], {read: values.read === true, marks: values.mark ?? [], json: values.json === true, readers: {plan: entry => accessPlan(entry.store), read: (entry, cwd) => readAccess(entry.store, {redact: redactor.text, ...(cwd ? {cwd} : {})})}}, io);
}
