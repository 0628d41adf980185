// The read-only commands each store's access readers run, as shown before they run. Pure (no
// process, no file): the Inventory screen shows them at once, src/engines/access/index.ts runs them.
import type {Store} from '../../core/model.js';

const quote = (arg: string) => (/^[\w@%+=:,./?-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
export const shown = (bin: string, args: string[]) => [bin, ...args].map(quote).join(' ');

export function awsArgs(store: Extract<Store, {type: 'aws-sm'}>): string[] {
	return ['secretsmanager', 'get-resource-policy', '--secret-id', store.secretId, ...(store.region ? ['--region', store.region] : []), '--output', 'json'];
}

export function kubeArgs(store: Extract<Store, {type: 'kubernetes'}>, cluster: boolean): string[] {
	const context = store.context ? ['--context', store.context] : [];
	return cluster ? [...context, 'get', 'clusterroles,clusterrolebindings', '--output', 'json'] : [...context, '--namespace', store.namespace, 'get', 'roles,rolebindings', '--output', 'json'];
}

export function githubSteps(store: Extract<Store, {type: 'github-actions'}>): string[][] {
	if (store.org) {
		const secret = `orgs/${encodeURIComponent(store.org)}/actions/secrets/${encodeURIComponent(store.name)}`;
		return [
			['api', secret, '--jq', '.visibility'],
			['api', '--paginate', `${secret}/repositories`, '--jq', '.repositories[].full_name'],
		];
	}
	if (!store.repo) return [];
	return [['api', '--paginate', `repos/${store.repo}/collaborators?permission=admin`, '--jq', '.[].login']];
}

/** The read-only commands that will run for a store, as shown before they run (nothing runs). */
export function accessPlan(store: Store): string[] {
	switch (store.type) {
		case 'aws-sm':
			return [shown('aws', awsArgs(store))];
		case 'vault':
			return ['vault policy list -format=json', 'vault policy read <each policy>  (only the policies\' text: no secret is read)'];
		case 'github-actions': {
			const steps = githubSteps(store).map(args => shown('gh', args));
			if (store.org && steps.length === 2) steps[1] += '  (only when the visibility is selected)';
			return steps.length > 0 ? steps : ['nothing: the entry names no repository (edit it: owner/name)'];
		}
		case 'kubernetes':
			return [shown('kubectl', kubeArgs(store, false)), shown('kubectl', kubeArgs(store, true))];
		case 'env-file':
			return [`stat ${store.path}  (the file's mode and owner, read by leakfix itself)`];
		case 'conjur':
			return [`GET <appliance_url>/resources/<account>/variable/${encodeURIComponent(store.variableId)}?permitted_roles=true&privilege=execute  (Conjur's REST API, with the same credentials as the update)`];
		case 'manual':
			return ['nothing: leakfix cannot tell who reads a store it does not know'];
	}
}
