// Steps 3–5's work, for the App: the new key (held in memory only, like the old one, as a
// LeakedKey), one task at a time (useJob), and the tasks themselves (src/ui/workTasks.ts), which
// reach every engine through the ports (src/ui/ports.ts). Every outcome is a session event.
import {useState} from 'react';
import type {LeakedKey} from '../core/leaked-key.js';
import type {Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import type {UnstampedEvent} from '../core/session.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {DemoDashboard, Ports} from './ports.js';
import {useJob} from './useJob.js';
import {workTasks} from './workTasks.js';
import {hardenWork} from './rotate/hardenWork.js';

export type Busy = {what: string} | null;

type Props = {
	session: Session | undefined;
	provider: ProviderPlaybook | undefined;
	oldKey: LeakedKey | undefined;
	redactor: Redactor;
	dispatch: (event: UnstampedEvent) => void;
	ports: Ports;
	/** A demo's fake dashboard (makes the new key, deactivates the old one); absent for a real provider. */
	demoDashboard?: DemoDashboard | undefined;
	cwd: string;
	now: () => Date;
	/** Where env-file backups go (0700, outside every repository). */
	backupDir: string;
};

export function useWork({session, provider, oldKey: leaked, redactor, dispatch, ports, demoDashboard, cwd, now, backupDir}: Props) {
	const [newKey, setNewKey] = useState<LeakedKey | undefined>();
	const job = useJob(redactor.text);
	const setMessage = (message: {text: string; error?: boolean} | null) => (message ? job.say(message.text, message.error) : job.clear());

	/** A demo incident resumed from the list has no fake services: nothing may reach real ones. */
	const demoOffline = session?.demo === true && !demoDashboard;
	const task = async (what: string, work: () => Promise<void>, external = true) => {
		if (job.running()) return;
		if (external && demoOffline) {
			setMessage({text: `This demo incident was opened without its fake services, so probes, updates and deactivation are off (they would reach real ones). Reopen it with: leakfix resume ${session!.id}`, error: true});
			return;
		}
		await job.run(what, work);
	};
	const stamp = () => now().toISOString();

	return {
		newKey,
		busy: job.busy === null ? null : {what: job.busy.what},
		message: job.message,
		clearMessage: job.clear,
		say: job.say,
		/** The demo's dashboard makes a new key on request (a real provider's is pasted). */
		demoIssueKey: demoDashboard ? () => demoDashboard.issueKey() : undefined,
		...workTasks({session, provider, oldKey: leaked, newKey, setNewKey, redactor, dispatch, ports, demoDashboard, task, say: job.say, stamp, cwd, backupDir}),

		/** Keep the key out of code: the one harden flow, with the Rotate screen's prompts (./rotate/hardenWork.ts). */
		harden: hardenWork({session, provider, oldKey: leaked, redactor, dispatch, ports, cwd, task, say: job.say}),
	};
}
export type Work = ReturnType<typeof useWork>;
