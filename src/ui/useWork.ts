// Steps 3–5's work, for the App: the new key (held in memory only, like the old one, as a
// LeakedKey), one task at a time (useJob), and the tasks themselves (src/ui/workTasks.ts), which
// reach every engine through the ports (src/ui/ports.ts). Every outcome is a session event.
import {useRef, useState} from 'react';
import type {LeakedKey} from '../core/leaked-key.js';
import type {Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import type {UnstampedEvent} from '../core/session.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {DemoDashboard, Ports} from './ports.js';
import {useJob} from './useJob.js';
import {workTasks} from './workTasks.js';

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
	// The harden functions below (leaving this file, issue 13) still read the key as text.
	const oldKey = leaked?.raw;
	const hardenChanges = useRef<import('../engines/harden/index.js').HardenChange[]>([]);
	const hardenPlaces = useRef<import('../engines/harden/index.js').HardenPlace[]>([]);
	const hardenStores = useRef<Map<number, 'env' | 'aws-sm' | 'vault' | 'conjur'>>(new Map());
	const hardenConfig = useRef<{config: string[]; guard: string; ci?: import('../engines/harden/ci.js').CiKind | null}>({config: [], guard: ''});
	/** The store's address as the inventory knows it (the first entry of that store type). */
	const addressFromInventory = (store: 'env' | 'aws-sm' | 'vault' | 'conjur') => {
		for (const entry of session?.inventory ?? []) {
			const s = entry.store;
			if (store === 'aws-sm' && s.type === 'aws-sm') return {secretId: s.secretId, ...(s.jsonKey ? {jsonKey: s.jsonKey} : {})};
			if (store === 'vault' && s.type === 'vault') return {mount: s.mount, path: s.path, field: s.field};
			if (store === 'conjur' && s.type === 'conjur') return {variableId: s.variableId};
		}
		return {};
	};
	/** A file's change as the screen shows it (masked). */
	const view = (change: import('../engines/harden/index.js').HardenChange) => ({
		file: change.file,
		language: change.language,
		lines: change.lines,
		...(change.diff ? {diff: redactor.text(change.diff)} : {}),
		...(change.refused.length > 0 ? {refused: redactor.text(change.refused.map(refusal => `line ${refusal.line}: ${refusal.reason}`).join('; ')), snippet: redactor.text(change.snippet)} : {}),
	});

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

		/** De-hard-coding, prepared: one change per file (a diff, or why it is by hand), then the config and the guard. */
		hardenPrepare: async (store: 'env' | 'aws-sm' | 'vault' | 'conjur') => {
			if (!session || !provider || oldKey === undefined) throw new Error('Enter the old key (k on the wizard): the copies are found by its value.');
			const secret = provider.keyFormat === 'aws-pair' ? oldKey.split(/[:\s]+/)[1]! : oldKey;
			const {findHardcoded, planChanges, configHygiene, guardPlan, scannersOnPath, projectLibraries, guardWhere, ciForRepo} = await import('../engines/harden/index.js');
			const repo = session.repoPath ?? cwd;
			const variable = provider.envVars[0] ?? 'LEAKED_API_KEY';
			hardenPlaces.current = await findHardcoded([repo], secret);
			const guard = await guardPlan(repo, secret);
			hardenChanges.current = planChanges(hardenPlaces.current, secret, variable, store, addressFromInventory(store), projectLibraries(repo));
			hardenStores.current = new Map();
			// The CI job for the CI the repository uses, written with the rest (shown as a diff in the confirmation).
			const ci = ciForRepo(repo, secret);
			const ciWrites = ci !== null && !ci.refused && !ci.unchanged;
			hardenConfig.current = {config: [...(await configHygiene(repo, variable, null)), ...(ciWrites ? [ci.summary] : [])], guard: guardWhere(guard), ci: ciWrites ? ci.kind : null};
			return {
				variable,
				files: hardenChanges.current.map(change => view(change)),
				config: hardenConfig.current.config,
				guard: hardenConfig.current.guard,
				ci: ci && !ci.unchanged ? {diff: ci.diff, ...(ci.refused ? {refused: ci.refused} : {})} : null,
				scanners: await scannersOnPath(),
			};
		},

		/** Another store for one file's service: its rewrite (the comment) is made again. */
		hardenReplan: async (index: number, store: 'env' | 'aws-sm' | 'vault' | 'conjur') => {
			const change = hardenChanges.current[index];
			if (!change || !provider || oldKey === undefined) return null;
			const secret = provider.keyFormat === 'aws-pair' ? oldKey.split(/[:\s]+/)[1]! : oldKey;
			const {planChanges} = await import('../engines/harden/index.js');
			const {projectLibraries} = await import('../engines/harden/index.js');
			const [replanned] = planChanges(hardenPlaces.current.filter(place => place.repo === change.repo && place.file === change.file), secret, provider.envVars[0] ?? 'LEAKED_API_KEY', store, addressFromInventory(store), projectLibraries(change.repo));
			if (!replanned) return null;
			hardenChanges.current[index] = replanned;
			hardenStores.current.set(index, store);
			return view(replanned);
		},

		/** Cancelled before its confirmation: nothing was written, and the timeline says so. */
		hardenCancel: (accepted: Set<number>, extras = true) => dispatch({type: 'harden.abandoned', why: 'cancelled', files: accepted.size, config: extras ? hardenConfig.current.config.length : 0}),

		/**
		 * After the one confirmation: the accepted rewrites, then (extras) the config and the guard,
		 * written whole or not at all (a failure restores every file), and the record of exactly that.
		 */
		hardenFinish: (store: 'env' | 'aws-sm' | 'vault' | 'conjur', accepted: Set<number>, extras = true) =>
			task('Keeping the key out of code', async () => {
				if (!session || !provider || oldKey === undefined) return;
				const secret = provider.keyFormat === 'aws-pair' ? oldKey.split(/[:\s]+/)[1]! : oldKey;
				const {applyHardening, readersOf} = await import('../engines/harden/index.js');
				const repo = session.repoPath ?? cwd;
				const variable = provider.envVars[0] ?? 'LEAKED_API_KEY';
				const chosen = hardenChanges.current.filter((change, index) => accepted.has(index) && change.apply);
				const planned = hardenConfig.current;
				dispatch({type: 'harden.started', files: chosen.map(change => change.file), config: extras ? planned.config : [], guard: extras ? planned.guard : 'none'});
				let outcome: Awaited<ReturnType<typeof applyHardening>>;
				try {
					outcome = await applyHardening({repo, variable, key: secret, changes: chosen, extras, ci: extras ? planned.ci ?? null : null});
				} catch (error) {
					dispatch({type: 'harden.abandoned', why: 'failed and was undone', files: chosen.length, config: extras ? planned.config.length : 0});
					throw error;
				}
				if (outcome.guardByHand) setMessage({text: redactor.text(`The guard script is written; the hook line is yours to add: ${outcome.guardByHand}`), error: true});
				const readers = await readersOf(repo, variable);
				dispatch({
					type: 'hardened',
					hardening: {
						variable,
						store,
						files: hardenChanges.current.flatMap((change, index) => {
							const own = hardenStores.current.get(index);
							const fileStore = own && own !== store ? {store: own} : {};
							const refusedLines = new Set(change.refused.map(refusal => refusal.line));
							const rewrittenLines = change.lines.filter(line => !refusedLines.has(line));
							return [
								...(change.diff
									? [outcome.rewritten.includes(change.file) ? {file: change.file, lines: rewrittenLines, status: 'rewritten' as const, ...fileStore} : {file: change.file, lines: rewrittenLines, status: 'manual' as const, reason: 'left as it is by the responder', ...fileStore}]
									: []),
								...change.refused.map(refusal => ({file: change.file, lines: [refusal.line], status: 'manual' as const, reason: redactor.text(refusal.reason), ...fileStore})),
							];
						}),
						config: outcome.config,
						configPending: planned.config.filter(line => !outcome.config.includes(line)),
						readers,
						guard: outcome.guard ? {where: outcome.guard.where, how: outcome.guard.how, proven: outcome.guard.proven} : null,
					},
				});
			}, false),
	};
}
export type Work = ReturnType<typeof useWork>;
