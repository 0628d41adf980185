// Steps 3–5's tasks, for useWork: discovery, the new key, store updates, restarts, health checks,
// the old key's deactivation, the verification probes, the purge and the re-scan. Each reaches its
// engine through a port (src/ui/ports.ts) and ends as session events; the rules they follow are
// core's (rotation-facts.ts, leaked-key.ts, stores.ts).
import {leakedKey, keyFormatOf, keyRecord, type LeakedKey} from '../core/leaked-key.js';
import type {InventoryEntry, Session} from '../core/model.js';
import type {Redactor} from '../core/secrets.js';
import type {UnstampedEvent} from '../core/session.js';
import {storeValue} from '../core/stores.js';
import {awsUserOf, deactivatedByRegeneration} from '../core/rotation-facts.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {DeactivationCommand, DemoDashboard, Ports} from './ports.js';
import {keyOf} from './keymap.js';

export type WorkContext = {
	session: Session | undefined;
	provider: ProviderPlaybook | undefined;
	oldKey: LeakedKey | undefined;
	newKey: LeakedKey | undefined;
	setNewKey(key: LeakedKey): void;
	redactor: Redactor;
	dispatch(event: UnstampedEvent): void;
	ports: Ports;
	demoDashboard: DemoDashboard | undefined;
	/** Runs one task at a time (useJob); `external: false` for work that reaches no outside service. */
	task(what: string, work: () => Promise<void>, external?: boolean): Promise<void>;
	say(text: string, error?: boolean): void;
	stamp(): string;
	cwd: string;
	backupDir: string;
};

export function workTasks(c: WorkContext) {
	const {session, provider, oldKey, newKey, redactor, dispatch, ports, task, say, stamp} = c;
	const here = () => session?.repoPath ?? c.cwd;
	const run = () => ({redact: redactor.text, cwd: here()});
	return {
		/** Discovery in the incident's repository and any other the responder names, for the provider's variables and any other named. */
		discover: (more: {repos?: string[]; envVars?: string[]; org?: string} = {}) =>
			task('Discovering consumers', async () => {
				if (!session || !provider) return;
				const repos = [...new Set([session.repoPath ?? c.cwd, ...(more.repos ?? [])])];
				const envVars = [...new Set([...provider.envVars, ...(more.envVars ?? [])])];
				const secret = oldKey?.secret;
				const result = await ports.discover(repos, {envVars, ...(secret ? {key: secret} : {})});
				dispatch({type: 'inventory.discovered', entries: result.entries});
				// An organisation: repositories not cloned here, as entries to confirm (src/engines/inventory/org.ts).
				let org = '';
				if (more.org) {
					const found = await ports.orgSearch(more.org, {envVars, keyId: oldKey?.keyId ?? null, ...(oldKey ? {key: oldKey.raw} : {})});
					dispatch({type: 'inventory.discovered', entries: found.entries});
					org = `; ${found.summary}`;
				}
				const known = (session.inventory ?? []).length;
				say(`Discovery proposed ${result.entries.length} consumer(s)${known > 0 ? ' (ones already listed are not added twice)' : ''}${result.warnings.length > 0 ? `; ${result.warnings.length} file(s) not read` : ''}${org}. Check each: edit the environment, the store's address, the restart and the health check.`);
			}, false),

		/** The new key, typed (masked): a different key from the old one, probed live before any update. */
		enterNewKey: (typed: string) =>
			task('Probing the new key', async () => {
				if (!session || !provider) return;
				const key = leakedKey(typed, keyFormatOf(provider));
				if (key.fingerprint === session.key.fingerprint) throw new Error('That is the leaked key, not a new one.');
				for (const secret of key.redactions) redactor.add(secret);
				c.setNewKey(key);
				dispatch({type: 'newkey.entered', key: keyRecord(key)});
				if (!provider.probe) {
					say(`${provider.name} has no probe: check the new key works in the dashboard before you update anything.`);
					return;
				}
				const result = await ports.probe(provider, key.raw, {analyze: false});
				dispatch({type: 'newkey.probed', result: {...result, at: stamp()}});
				const how = deactivatedByRegeneration(provider.rotation, session);
				if (how) dispatch({type: 'oldkey.deactivated', how});
				if (result.status === 'live') say('The new key is live: the stores can be updated.');
				else say(`The new key probes ${result.status} (${result.reason}): fix that before updating anything.`, true);
			}),

		/** Re-entering the new key on resume: it must match the fingerprint kept. */
		reenterNewKey: (typed: string): boolean => {
			const key = leakedKey(typed, keyFormatOf(provider));
			if (!session?.rotation?.newKey || key.fingerprint !== session.rotation.newKey.fingerprint) return false;
			for (const secret of key.redactions) redactor.add(secret);
			c.setNewKey(key);
			return true;
		},

		/** What the store holds now, read-only (an organisation secret's visibility), shown before consent. */
		preview: async (entry: InventoryEntry): Promise<string[]> => {
			try {
				return await ports.preview(entry.store, session?.rotation?.newKey?.masked ?? '…', run());
			} catch (error) {
				return [`now: could not be read: ${redactor.text((error as Error).message)}`];
			}
		},

		update: (entry: InventoryEntry) =>
			task(`Updating ${entry.service}`, async () => {
				if (newKey === undefined) throw new Error(`Enter the new key first (${keyOf('rotate', 'new-key')}).`);
				const value = storeValue(entry.store, newKey.raw, newKey.format === 'aws-pair');
				if (!value.ok) {
					dispatch({type: 'entry.result', id: entry.id, action: 'update', result: {status: 'failed', detail: value.reason, at: stamp()}});
					return;
				}
				const outcome = await ports.update(entry.store, value.value, {...run(), stamp: stamp(), backupDir: c.backupDir});
				dispatch({type: 'entry.result', id: entry.id, action: 'update', result: {...outcome, at: stamp()}});
			}),

		resolve: (entry: InventoryEntry, status: 'skipped' | 'manual', detail: string) => dispatch({type: 'entry.result', id: entry.id, action: 'update', result: {status, detail, at: stamp()}}),

		restart: (entry: InventoryEntry) =>
			task(`Restarting ${entry.service}`, async () => {
				if (!entry.restart) return;
				const outcome = await ports.restart(entry.restart, run());
				dispatch({type: 'entry.result', id: entry.id, action: 'restart', result: {...outcome, at: stamp()}});
				// Restarted: is it healthy on the new key?
				if (outcome.status === 'done' && entry.health) {
					const health = await ports.health(entry.health, run());
					dispatch({type: 'entry.result', id: entry.id, action: 'health', result: {...health, at: stamp()}});
				}
			}),

		health: (entries: InventoryEntry[], phase: 'health' | 'verify-health') =>
			task('Running health checks', async () => {
				for (const entry of entries) {
					if (!entry.health) continue;
					const outcome = await ports.health(entry.health, run());
					dispatch({type: 'entry.result', id: entry.id, action: phase, result: {...outcome, at: stamp()}});
				}
			}),

		deactivationCommand: async (): Promise<DeactivationCommand | null> => {
			if (!session || !provider) return null;
			const command = await ports.deactivationCommand(provider.rotation.deactivate?.command, oldKey?.keyId ?? null, awsUserOf(session));
			// The provider's revoke API (shown masked, sent on y), never in a demo.
			if (command || !provider.rotation.deactivate.request || oldKey === undefined || session.demo) return command;
			return {bin: '', args: [], display: (await ports.revoke.describe(provider, oldKey.raw))!, api: true};
		},

		deactivate: (command: DeactivationCommand | null) =>
			task('Deactivating the old key', async () => {
				if (!command) {
					if (c.demoDashboard && oldKey !== undefined) c.demoDashboard.deactivate(oldKey.raw);
					dispatch({type: 'oldkey.deactivated', how: c.demoDashboard ? 'in the demo\'s fake CloudSight dashboard' : 'in the provider dashboard (confirmed by the responder)'});
					return;
				}
				if (command.api && provider && oldKey !== undefined) {
					const result = await ports.revoke.revoke(provider, oldKey.raw);
					if (result.status === 'not-proven') throw new Error(`The revoke request is not proven: ${result.reason}. Revoke it by hand: ${provider.rotation.deactivate.steps}`);
					dispatch({type: 'oldkey.deactivated', how: redactor.text(`${provider.name}'s revoke API, ${result.status === 'accepted' ? 'accepted' : result.status === 'already-dead' ? 'already rejected' : 'revoked'}: ${result.request} (${result.reason})`)});
					return;
				}
				const outcome = await ports.deactivate(command, run());
				if (outcome.status !== 'done') throw new Error(`The deactivation failed: ${outcome.detail}`);
				dispatch({type: 'oldkey.deactivated', how: redactor.text(command.display)});
			}),

		probe: (which: 'old' | 'new') =>
			task(`Probing the ${which} key`, async () => {
				const key = which === 'old' ? oldKey : newKey;
				if (!provider?.probe) throw new Error(`${provider?.name ?? 'This provider'} has no probe: check the ${which} key in its dashboard.`);
				if (key === undefined) throw new Error(which === 'old' ? `The old key is not entered in this session: Esc, then ${keyOf('step:verify', 'enter-key')} re-enters it.` : `The new key is not entered in this session: enter it on step 4's work screen (Esc, 4, ${keyOf('step:rotate', 'work')}, then ${keyOf('rotate', 'new-key')}), then probe it here.`);
				const result = await ports.probe(provider, key.raw, which === 'new' ? {analyze: false} : {});
				dispatch({type: 'verify.probed', which, result: {...result, at: stamp()}});
			}),

		followUpDone: (id: string) => dispatch({type: 'followup.done', id}),

		/** The responder's own word: this updated consumer was checked by hand and is healthy. */
		checkedByHand: (id: string) => dispatch({type: 'entry.result', id, action: 'verify-health', result: {status: 'manual', detail: 'checked by hand by the responder', at: stamp()}}),

		purge: () =>
			task('Rewriting history with git filter-repo', async () => {
				if (!session || oldKey === undefined) throw new Error(`The old key is not entered in this session (Esc, then ${keyOf('step:verify', 'enter-key')} re-enters it): the purge replaces it.`);
				if (session.verification?.oldKey?.status !== 'revoked') throw new Error(`The purge comes after the old key is proven revoked (${keyOf('verify', 'probe-old')}).`);
				const said = await ports.purge(here(), oldKey.secret, {redact: redactor.text});
				dispatch({type: 'cleanup.done', what: 'History purged of the old key with git filter-repo (force-push and re-clone follow)'});
				say(said);
			}),

		ignoreScanners: () =>
			task('Writing the ggshield ignore entry', async () => {
				if (!session) return;
				const said = await ports.ggshieldIgnore(here(), session.key.fingerprint, `leakfix ${session.id}: revoked ${session.key.masked}`);
				dispatch({type: 'cleanup.done', what: said});
				say(said);
			}),

		rescan: () =>
			task('Re-scanning the working tree', async () => {
				if (!session || oldKey === undefined) throw new Error(`The old key is not entered in this session: Esc, then ${keyOf('step:verify', 'enter-key')} re-enters it, to scan for it.`);
				const result = await ports.scan(here(), oldKey.secret, {signal: new AbortController().signal, onProgress: () => undefined});
				dispatch({type: 'verify.rescanned', remaining: result.worktree.length, files: [...new Set(result.worktree.map(hit => hit.path))].slice(0, 20)});
			}),
	};
}
