// The inventory entry as questions and answers: which questions a store type asks, and the
// entry the answers make. Pure (tested without Ink).
import {ENVIRONMENTS, type InventoryEntry, STORE_TYPES, type Store, type StoreType, healthCheckSchema, storeSchema} from '../core/model.js';
import {storeProblem} from '../core/stores.js';
import type {Question} from './widgets/QuestionForm.js';
import {splitPaths as splitWords} from './LogsForm.js';

const STORE_LABELS: Record<StoreType, string> = {
	'env-file': 'an env file (path and variable)',
	'aws-sm': 'AWS Secrets Manager (secret id, JSON key)',
	vault: 'HashiCorp Vault KV (mount, path, field)',
	conjur: 'CyberArk Conjur (variable id)',
	'github-actions': 'a GitHub Actions secret (repo or org, name, environment)',
	kubernetes: 'a Kubernetes secret (context, namespace, name, key)',
	manual: 'somewhere else: updated by hand (describe it)',
};

const FIELDS: Record<StoreType, Array<{id: string; label: string; optional?: boolean; placeholder?: string}>> = {
	'env-file': [
		{id: 'path', label: 'Env file path:', placeholder: '/srv/api/.env'},
		{id: 'variable', label: 'Variable:', placeholder: 'CLOUDSIGHT_API_KEY'},
	],
	'aws-sm': [
		{id: 'secretId', label: 'Secret id or ARN:', placeholder: 'prod/image-api/cloudsight'},
		{id: 'jsonKey', label: 'JSON key inside the secret:', optional: true, placeholder: 'api_key (empty: the whole value)'},
		{id: 'region', label: 'Region:', optional: true, placeholder: 'eu-central-1'},
	],
	vault: [
		{id: 'mount', label: 'KV mount:', placeholder: 'secret'},
		{id: 'path', label: 'Path:', placeholder: 'image-api/prod'},
		{id: 'field', label: 'Field:', placeholder: 'cloudsight_api_key'},
	],
	conjur: [{id: 'variableId', label: 'Variable id:', placeholder: 'prod/image-api/cloudsight-key'}],
	'github-actions': [
		{id: 'scope', label: 'Repository (owner/name) or org:NAME:', optional: true, placeholder: 'acme/image-tagger'},
		{id: 'name', label: 'Secret name:', placeholder: 'CLOUDSIGHT_API_KEY'},
		{id: 'environment', label: 'Environment:', optional: true, placeholder: 'production'},
	],
	kubernetes: [
		{id: 'context', label: 'kubectl context:', optional: true, placeholder: 'the current context'},
		{id: 'namespace', label: 'Namespace:', placeholder: 'default'},
		{id: 'name', label: 'Secret name:', placeholder: 'cloudsight'},
		{id: 'key', label: 'Key in the secret:', placeholder: 'api-key'},
	],
	manual: [{id: 'text', label: 'Where it lives and how it is changed:', placeholder: 'Heroku config var CLOUDSIGHT_API_KEY of app image-tagger'}],
};

/** A command line as an argument array ("quoted words" kept whole); never run through a shell. */
export const splitCommand = splitWords;

function checkHealth(value: string): string | null {
	if (/^https?:\/\//.test(value)) return null;
	return splitCommand(value).length > 0 ? null : 'An http(s) URL (expects 2xx) or a command (expects exit 0).';
}

/** An organisation's secret has no environment (gh: only one of --org, --env or --user). */
const orgWithoutEnvironment = (answers: Record<string, string>) => (value: string) =>
	answers['store.scope']?.trim().startsWith('org:') && value.trim() ? 'An organisation secret has no environment (gh takes only one of --org or --env): leave this empty, or go back (Esc) and give the repository (owner/name) whose environment it is.' : null;

export function entryQuestions(answers: Record<string, string>): Question[] {
	const type = (answers.storeType ?? 'env-file') as StoreType;
	return [
		{id: 'service', kind: 'text', label: 'Service:', placeholder: 'image-api'},
		{id: 'environment', kind: 'select', label: 'Environment:', options: ENVIRONMENTS.map(value => ({value, label: value}))},
		{id: 'storeType', kind: 'select', label: 'Where does its copy of the key live?', options: STORE_TYPES.map(value => ({value, label: STORE_LABELS[value]}))},
		...FIELDS[type].map(field => ({id: `store.${field.id}`, kind: 'text' as const, label: field.label, ...(field.optional ? {optional: true} : {}), ...(field.placeholder ? {placeholder: field.placeholder} : {}), ...(type === 'github-actions' && field.id === 'environment' ? {check: orgWithoutEnvironment(answers)} : {})})),
		{id: 'owner', kind: 'text', label: 'Owner (team or person):', optional: true},
		{id: 'restart', kind: 'text', label: 'Restart or deploy command:', optional: true, placeholder: 'kubectl rollout restart deployment/image-api -n prod', hint: 'run after its secret changes (no shell: arguments only)'},
		{id: 'health', kind: 'text', label: 'Health check:', optional: true, placeholder: 'https://api.example.com/health', hint: 'a URL that must answer 2xx, or a command that must exit 0', check: checkHealth},
	];
}

export function answersFromEntry(entry: InventoryEntry | undefined): Record<string, string> {
	if (!entry) return {environment: 'unknown', storeType: 'env-file'};
	const store = entry.store as Record<string, unknown>;
	const answers: Record<string, string> = {service: entry.service, environment: entry.environment, storeType: entry.store.type, owner: entry.owner ?? ''};
	for (const field of FIELDS[entry.store.type]) {
		if (field.id === 'scope' && entry.store.type === 'github-actions') answers['store.scope'] = entry.store.org ? `org:${entry.store.org}` : (entry.store.repo ?? '');
		else if (typeof store[field.id] === 'string') answers[`store.${field.id}`] = store[field.id] as string;
	}
	if (entry.restart) answers.restart = entry.restart.map(arg => (/\s/.test(arg) ? `"${arg}"` : arg)).join(' ');
	if (entry.health) answers.health = entry.health.type === 'http' ? entry.health.url : entry.health.argv.map(arg => (/\s/.test(arg) ? `"${arg}"` : arg)).join(' ');
	return answers;
}

/** The entry the answers describe; throws with a message when a store's address is incomplete. */
export function entryFromAnswers(answers: Record<string, string>, base: {id: string; origin: InventoryEntry['origin']; evidence: string[]} & Partial<InventoryEntry>): InventoryEntry {
	const type = answers.storeType as StoreType;
	const raw: Record<string, unknown> = {type};
	for (const field of FIELDS[type]) {
		const value = answers[`store.${field.id}`]?.trim();
		if (!value) continue;
		if (field.id === 'scope') {
			if (value.startsWith('org:')) raw.org = value.slice(4);
			else raw.repo = value;
		} else raw[field.id] = value;
	}
	const store = storeSchema.parse(raw) as Store;
	const problem = storeProblem(store);
	if (problem) throw new Error(problem.charAt(0).toUpperCase() + problem.slice(1));
	const health = answers.health ? healthCheckSchema.parse(/^https?:\/\//.test(answers.health) ? {type: 'http', url: answers.health} : {type: 'command', argv: splitCommand(answers.health)}) : undefined;
	const restart = answers.restart ? splitCommand(answers.restart) : [];
	// A changed address starts over: the previous update result was for the old one.
	const sameStore = base.store && JSON.stringify(base.store) === JSON.stringify(store);
	return {
		id: base.id,
		service: answers.service!.trim(),
		...(answers.owner?.trim() ? {owner: answers.owner.trim()} : {}),
		environment: (answers.environment ?? 'unknown') as InventoryEntry['environment'],
		store,
		...(restart.length > 0 ? {restart} : {}),
		...(health ? {health} : {}),
		evidence: base.evidence,
		origin: base.origin,
		...(sameStore && base.update ? {update: base.update} : {}),
		...(sameStore && base.restarted ? {restarted: base.restarted} : {}),
		...(sameStore && base.healthResult ? {healthResult: base.healthResult} : {}),
	};
}
