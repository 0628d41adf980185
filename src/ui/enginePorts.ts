// The real ports (src/ui/ports.ts): each imports its engine only when first used, so none of them
// weighs on the wizard's start-up. Built once by the composition root (src/ui/run.tsx); the UI
// tests build them too, and replace the ones they fake.
// Only the three the screens need synchronously are imported up front (as the App and the
// inventory screen did before the ports): what a probe sends, the log command, the access commands.
import {accessPlan} from '../engines/access/plan.js';
import {describeProbe, probeBaseUrl} from '../engines/probe-request.js';
import {providerLogsCommand} from '../engines/logs/provider.js';
import type {Ports} from './ports.js';

export function enginePorts(): Ports {
	return {
		scan: async (repo, key, options) => (await import('../engines/scan/index.js')).scanRepo(repo, key, options),
		probe: async (provider, key, options) => (await import('../engines/probe.js')).probeKey(provider, key, {...(options?.baseUrl === undefined ? {} : {baseUrl: options.baseUrl}), ...(options?.analyze === false ? {analyze: false} : {})}),
		describeProbe: (provider, key, baseUrl) => describeProbe(provider, key, baseUrl),
		logs: async (inputs, options) => (await import('../engines/logs/index.js')).analyzeLogs(inputs, options),
		fetchLogs: async (command, options) => (await import('../engines/logs/provider.js')).fetchProviderLogs(command, options),
		logsCommand: (provider, keyId, since) => providerLogsCommand(provider, keyId, since),
		discover: async (repos, options) => (await import('../engines/inventory/index.js')).discoverInventory(repos, options),
		async orgSearch(org, options) {
			const {searchOrg, candidateEntries, orgSummary} = await import('../engines/inventory/org.js');
			const found = await searchOrg(org, options);
			return {entries: candidateEntries(found), summary: orgSummary(found)};
		},
		async preview(store, newKeyMasked, options) {
			const [{planUpdate}, {previewUpdate}] = await Promise.all([import('../core/stores.js'), import('../engines/rotate.js')]);
			return previewUpdate(planUpdate(store, newKeyMasked), options);
		},
		async update(store, value, options) {
			const [{planUpdate}, {mask}, {applyUpdate}] = await Promise.all([import('../core/stores.js'), import('../core/secrets.js'), import('../engines/rotate.js')]);
			return applyUpdate(planUpdate(store, mask(value)), value, options);
		},
		restart: async (argv, options) => (await import('../engines/rotate.js')).runRestart(argv, options),
		health: async (check, options) => (await import('../engines/rotate.js')).runHealthCheck(check, options),
		deactivationCommand: async (spec, keyId, userName) => (await import('../engines/rotate.js')).deactivationCommand(spec, keyId, userName),
		deactivate: async (command, options) => (await import('../engines/rotate.js')).runDeactivation(command, options),
		revoke: {
			describe: async (provider, key) => (await import('../engines/revoke.js')).describeRevoke(provider, key, probeBaseUrl()),
			async revoke(provider, key) {
				const {revokeKey} = await import('../engines/revoke.js');
				const baseUrl = probeBaseUrl();
				return revokeKey(provider, key, baseUrl === undefined ? {} : {baseUrl});
			},
		},
		purge: async (repo, oldKey, options) => (await import('../engines/cleanup.js')).purgeHistory(repo, oldKey, options),
		access: {
			plan: store => accessPlan(store),
			read: async (store, options) => (await import('../engines/access/index.js')).readAccess(store, options),
		},
		ggshieldIgnore: async (repo, fingerprint, name) => (await import('../engines/cleanup.js')).ignoreInGgshield(repo, fingerprint, name),
		harden: async (input, prompts) => (await import('../engines/harden/flow.js')).runHarden(input, prompts),
	};
}
