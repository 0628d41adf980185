// Steps 3–5's work, for the App: discovery, the new key (held in memory only, like the old one),
// store updates, restarts, health checks, the old key's deactivation, and the verification
// probes and re-scan. Engines are imported only when used; every outcome is a session event.
import {useRef, useState} from 'react';
import type {InventoryEntry, Session} from '../core/model.js';
import {fingerprint, mask, type Redactor} from '../core/secrets.js';
import type {UnstampedEvent} from '../core/session.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {DeactivationCommand} from '../engines/rotate.js';
import type {ProbePort, ScanPort} from './App.js';

export type Busy = {what: string} | null;

export type WorkPorts = {
	probe: ProbePort;
	scan: ScanPort;
	/** Discovery, updates, restarts and checks: the engines by default; tests may stub. */
	discover?: (repos: string[], options: {envVars: string[]; key?: string}) => Promise<{entries: InventoryEntry[]; warnings: string[]}>;
	demoDashboard?: {issueKey(): string; deactivate(key: string): void};
};

function awsUser(session: Session): string | null {
	const arn = session.probe?.details?.arn ?? session.verification?.oldKey?.details?.arn;
	return arn ? (/:user\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn)?.[1] ?? null) : null;
}

export function useWork({session, provider, oldKey, redactor, dispatch, ports, cwd, now, backupDir}: {session: Session | undefined; provider: ProviderPlaybook | undefined; oldKey: string | undefined; redactor: Redactor; dispatch: (event: UnstampedEvent) => void; ports: WorkPorts; cwd: string; now: () => Date; /** Where env-file backups go (0700, outside every repository). */ backupDir: string}) {
	const [newKey, setNewKey] = useState<string | undefined>();
	const [busy, setBusy] = useState<Busy>(null);
	const [message, setMessage] = useState<{text: string; error?: boolean} | null>(null);
	const busyRef = useRef(false);
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
	const demoOffline = session?.demo === true && !ports.demoDashboard;
	const task = async (what: string, work: () => Promise<void>, external = true) => {
		if (busyRef.current) return;
		if (external && demoOffline) {
			setMessage({text: `This demo incident was opened without its fake services, so probes, updates and deactivation are off (they would reach real ones). Reopen it with: leakfix resume ${session!.id}`, error: true});
			return;
		}
		busyRef.current = true;
		setBusy({what});
		setMessage(null);
		try {
			await work();
		} catch (error) {
			setMessage({text: redactor.text(error instanceof Error ? error.message : String(error)), error: true});
		} finally {
			busyRef.current = false;
			setBusy(null);
		}
	};
	const stamp = () => now().toISOString();

	const keyId = (key: string | undefined) => (key && provider?.keyFormat === 'aws-pair' ? (/^((?:AKIA|ASIA)[A-Z2-7]{16})[:\s]/.exec(key)?.[1] ?? null) : null);

	return {
		newKey,
		busy,
		message,
		clearMessage: () => setMessage(null),
		say: (text: string, error = false) => setMessage({text, error}),
		/** The demo's dashboard makes a new key on request (a real provider's is pasted). */
		demoIssueKey: ports.demoDashboard ? () => ports.demoDashboard!.issueKey() : undefined,

		/** Discovery in the incident's repository and any other the responder names, for the provider's variables and any other named. */
		discover: (more: {repos?: string[]; envVars?: string[]; org?: string} = {}) =>
			task('Discovering consumers', async () => {
				if (!session || !provider) return;
				const discover = ports.discover ?? (await import('../engines/inventory/index.js')).discoverInventory;
				const secret = oldKey === undefined ? undefined : provider.keyFormat === 'aws-pair' ? oldKey.split(/[:\s]+/)[1] : oldKey;
				const repos = [...new Set([session.repoPath ?? cwd, ...(more.repos ?? [])])];
				const result = await discover(repos, {envVars: [...new Set([...provider.envVars, ...(more.envVars ?? [])])], ...(secret ? {key: secret} : {})});
				dispatch({type: 'inventory.discovered', entries: result.entries});
				// An organisation: repositories not cloned here, as entries to confirm (src/engines/inventory/org.ts).
				let org = '';
				if (more.org) {
					const {searchOrg, candidateEntries, orgSummary} = await import('../engines/inventory/org.js');
					const {keyIdOf} = await import('../engines/logs/provider.js');
					const found = await searchOrg(more.org, {envVars: [...new Set([...provider.envVars, ...(more.envVars ?? [])])], keyId: keyIdOf(provider, oldKey), ...(secret ? {key: secret} : {})});
					dispatch({type: 'inventory.discovered', entries: candidateEntries(found)});
					org = `; ${orgSummary(found)}`;
				}
				const known = (session.inventory ?? []).length;
				setMessage({text: `Discovery proposed ${result.entries.length} consumer(s)${known > 0 ? ' (ones already listed are not added twice)' : ''}${result.warnings.length > 0 ? `; ${result.warnings.length} file(s) not read` : ''}${org}. Check each: edit the environment, the store's address, the restart and the health check.`});
			}, false),

		/** The new key, typed (masked): a different key from the old one, probed live before any update. */
		enterNewKey: (key: string) =>
			task('Probing the new key', async () => {
				if (!session || !provider) return;
				if (fingerprint(key) === session.key.fingerprint) throw new Error('That is the leaked key, not a new one.');
				redactor.add(key);
				setNewKey(key);
				dispatch({type: 'newkey.entered', key: {fingerprint: fingerprint(key), masked: mask(key), length: key.length}});
				if (!provider.probe) {
					setMessage({text: `${provider.name} has no probe: check the new key works in the dashboard before you update anything.`});
					return;
				}
				const result = await ports.probe(provider, key, {analyze: false});
				dispatch({type: 'newkey.probed', result: {...result, at: stamp()}});
				// Regenerating a key kills the old one as the new one is made.
				if (provider.rotation.pattern === 'regenerate' && !session.rotation?.deactivatedAt) dispatch({type: 'oldkey.deactivated', how: 'regenerated: the old key died when the new one was made'});
				setMessage(result.status === 'live' ? {text: 'The new key is live: the stores can be updated.'} : {text: `The new key probes ${result.status} (${result.reason}): fix that before updating anything.`, error: true});
			}),

		/** Re-entering the new key on resume: it must match the fingerprint kept. */
		reenterNewKey: (key: string): boolean => {
			if (!session?.rotation?.newKey || fingerprint(key) !== session.rotation.newKey.fingerprint) return false;
			redactor.add(key);
			setNewKey(key);
			return true;
		},

		/** What the store holds now, read-only (an organisation secret's visibility), shown before consent. */
		preview: async (entry: InventoryEntry): Promise<string[]> => {
			const [{planUpdate}, {previewUpdate}] = await Promise.all([import('../core/stores.js'), import('../engines/rotate.js')]);
			try {
				return await previewUpdate(planUpdate(entry.store, session?.rotation?.newKey?.masked ?? '…'), {redact: redactor.text, cwd: session?.repoPath ?? cwd});
			} catch (error) {
				return [`now: could not be read: ${redactor.text((error as Error).message)}`];
			}
		},

		update: (entry: InventoryEntry) =>
			task(`Updating ${entry.service}`, async () => {
				if (newKey === undefined) throw new Error('Enter the new key first (n).');
				const [{planUpdate, storeValue}, {applyUpdate}] = await Promise.all([import('../core/stores.js'), import('../engines/rotate.js')]);
				const value = storeValue(entry.store, newKey, provider?.keyFormat === 'aws-pair');
				if (!value.ok) {
					dispatch({type: 'entry.result', id: entry.id, action: 'update', result: {status: 'failed', detail: value.reason, at: stamp()}});
					return;
				}
				const outcome = await applyUpdate(planUpdate(entry.store, mask(value.value)), value.value, {redact: redactor.text, stamp: stamp(), cwd: session?.repoPath ?? cwd, backupDir});
				dispatch({type: 'entry.result', id: entry.id, action: 'update', result: {...outcome, at: stamp()}});
			}),

		resolve: (entry: InventoryEntry, status: 'skipped' | 'manual', detail: string) => dispatch({type: 'entry.result', id: entry.id, action: 'update', result: {status, detail, at: stamp()}}),

		restart: (entry: InventoryEntry) =>
			task(`Restarting ${entry.service}`, async () => {
				if (!entry.restart) return;
				const {runRestart} = await import('../engines/rotate.js');
				const outcome = await runRestart(entry.restart, {redact: redactor.text, cwd: session?.repoPath ?? cwd});
				dispatch({type: 'entry.result', id: entry.id, action: 'restart', result: {...outcome, at: stamp()}});
				// Restarted: is it healthy on the new key?
				if (outcome.status === 'done' && entry.health) {
					const {runHealthCheck} = await import('../engines/rotate.js');
					const health = await runHealthCheck(entry.health, {redact: redactor.text, cwd: session?.repoPath ?? cwd});
					dispatch({type: 'entry.result', id: entry.id, action: 'health', result: {...health, at: stamp()}});
				}
			}),

		health: (entries: InventoryEntry[], phase: 'health' | 'verify-health') =>
			task('Running health checks', async () => {
				const {runHealthCheck} = await import('../engines/rotate.js');
				for (const entry of entries) {
					if (!entry.health) continue;
					const outcome = await runHealthCheck(entry.health, {redact: redactor.text, cwd: session?.repoPath ?? cwd});
					dispatch({type: 'entry.result', id: entry.id, action: phase, result: {...outcome, at: stamp()}});
				}
			}),

		deactivationCommand: async () => {
			if (!session || !provider) return null;
			const {deactivationCommand} = await import('../engines/rotate.js');
			const command = deactivationCommand(provider.rotation.deactivate?.command, keyId(oldKey), awsUser(session));
			// The provider's revoke API (shown masked, sent on y), never in a demo.
			if (command || !provider.rotation.deactivate.request || oldKey === undefined || session.demo) return command;
			const [{describeRevoke}, {probeBaseUrl}] = await Promise.all([import('../engines/revoke.js'), import('../engines/probe-request.js')]);
			const api: DeactivationCommand = {bin: '', args: [], display: describeRevoke(provider, oldKey, probeBaseUrl())!, api: true};
			return api;
		},

		deactivate: (command: DeactivationCommand | null) =>
			task('Deactivating the old key', async () => {
				if (!command) {
					if (ports.demoDashboard && oldKey !== undefined) ports.demoDashboard.deactivate(oldKey);
					dispatch({type: 'oldkey.deactivated', how: ports.demoDashboard ? 'in the demo\'s fake CloudSight dashboard' : 'in the provider dashboard (confirmed by the responder)'});
					return;
				}
				if (command.api && provider && oldKey !== undefined) {
					const [{revokeKey}, {probeBaseUrl}] = await Promise.all([import('../engines/revoke.js'), import('../engines/probe-request.js')]);
					const baseUrl = probeBaseUrl();
					const result = await revokeKey(provider, oldKey, baseUrl === undefined ? {} : {baseUrl});
					if (result.status === 'not-proven') throw new Error(`The revoke request is not proven: ${result.reason}. Revoke it by hand: ${provider.rotation.deactivate.steps}`);
					dispatch({type: 'oldkey.deactivated', how: redactor.text(`${provider.name}'s revoke API, ${result.status === 'accepted' ? 'accepted' : result.status === 'already-dead' ? 'already rejected' : 'revoked'}: ${result.request} (${result.reason})`)});
					return;
				}
				const {runDeactivation} = await import('../engines/rotate.js');
				const outcome = await runDeactivation(command, {redact: redactor.text, cwd: session?.repoPath ?? cwd});
				if (outcome.status !== 'done') throw new Error(`The deactivation failed: ${outcome.detail}`);
				dispatch({type: 'oldkey.deactivated', how: redactor.text(command.display)});
			}),

		probe: (which: 'old' | 'new') =>
			task(`Probing the ${which} key`, async () => {
				const key = which === 'old' ? oldKey : newKey;
				if (!provider?.probe) throw new Error(`${provider?.name ?? 'This provider'} has no probe: check the ${which} key in its dashboard.`);
				if (key === undefined) throw new Error(which === 'old' ? 'The old key is not entered in this session: Esc, then k re-enters it.' : "The new key is not entered in this session: enter it on step 4's work screen (Esc, 4, w, then n), then probe it here.");
				const result = await ports.probe(provider, key, which === 'new' ? {analyze: false} : {});
				dispatch({type: 'verify.probed', which, result: {...result, at: stamp()}});
			}),

		followUpDone: (id: string) => dispatch({type: 'followup.done', id}),

		/** The responder's own word: this updated consumer was checked by hand and is healthy. */
		checkedByHand: (id: string) => dispatch({type: 'entry.result', id, action: 'verify-health', result: {status: 'manual', detail: 'checked by hand by the responder', at: stamp()}}),

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

		purge: () =>
			task('Rewriting history with git filter-repo', async () => {
				if (!session || oldKey === undefined) throw new Error('The old key is not entered in this session (Esc, then k re-enters it): the purge replaces it.');
				if (session.verification?.oldKey?.status !== 'revoked') throw new Error('The purge comes after the old key is proven revoked (o).');
				const {purgeHistory} = await import('../engines/cleanup.js');
				const said = await purgeHistory(session.repoPath ?? cwd, oldKey, {redact: redactor.text});
				dispatch({type: 'cleanup.done', what: 'History purged of the old key with git filter-repo (force-push and re-clone follow)'});
				setMessage({text: said});
			}),

		ignoreScanners: () =>
			task('Writing the ggshield ignore entry', async () => {
				if (!session) return;
				const {ignoreInGgshield} = await import('../engines/cleanup.js');
				const said = ignoreInGgshield(session.repoPath ?? cwd, session.key.fingerprint, `leakfix ${session.id}: revoked ${session.key.masked}`);
				dispatch({type: 'cleanup.done', what: said});
				setMessage({text: said});
			}),

		rescan: () =>
			task('Re-scanning the working tree', async () => {
				if (!session || oldKey === undefined) throw new Error('The old key is not entered in this session: Esc, then k re-enters it, to scan for it.');
				const result = await ports.scan(session.repoPath ?? cwd, oldKey, {signal: new AbortController().signal, onProgress: () => undefined});
				dispatch({type: 'verify.rescanned', remaining: result.worktree.length, files: [...new Set(result.worktree.map(hit => hit.path))].slice(0, 20)});
			}),
	};
}
export type Work = ReturnType<typeof useWork>;
