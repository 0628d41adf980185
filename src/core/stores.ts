// How each store gets the new key, as a plan: the commands to run (argument arrays; the secret
// only ever on stdin), or the env file to rewrite, or why it must be done by hand. Pure: the
// plan is shown (masked) before anything runs, and `--dry-run` prints it without running.
import type {InventoryEntry, Store} from './model.js';
import {storeAddress} from './inventory/address.js';
import {leakedKey} from './leaked-key.js';

/** What a command gets on stdin: the secret itself, or a document built around it. */
export type StdinPlan = {kind: 'secret'} | {kind: 'kube-patch'; key: string} | {kind: 'json-merge'; jsonKey: string; /** the current document comes from this step's output */ fromStep: number};

export type CommandStep = {
	/** What it does, for its failure text: "kubectl patch secret api in prod". */
	action: string;
	bin: string;
	args: string[];
	stdin: StdinPlan | null;
	/** The step's output is read (the current JSON secret), never shown. */
	capture?: boolean;
	/** The helper opens /dev/stdin by name: the input must arrive through a real pipe. */
	pipe?: boolean;
	/**
	 * The helper reads stdin as a text file (the aws CLI's file://), turning \r\n and \r into \n:
	 * a value holding a carriage return is refused, a JSON document's CRLF line ends are sent as LF
	 * (whitespace between tokens: the same JSON), and the result says so.
	 */
	textFile?: boolean;
	/** Set for the helper (never a secret): e.g. the aws CLI reads and writes UTF-8 whatever the locale. */
	env?: Record<string, string>;
	/** A read that changes nothing and holds no secret: run before consent to show what is there (previewUpdate). */
	preview?: boolean;
	/** Runs only when that earlier step printed exactly this (trimmed); otherwise skipped. */
	onlyIf?: {step: number; output: string};
	/**
	 * gh secret set --org sends visibility "private" unless told: the visibility read by an earlier
	 * step is passed on (--visibility), and for "selected" the repositories read by another
	 * (--repos), so an organisation secret keeps whom it is shared with.
	 */
	keepVisibility?: {fromStep: number; reposFromStep: number};
};

/** The aws CLI (Python) reads file:// in the locale's encoding and prints in it: UTF-8 always. */
const AWS_ENV = {AWS_CLI_FILE_ENCODING: 'UTF-8', PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8'};

export type UpdatePlan =
	| {kind: 'commands'; steps: CommandStep[]; display: string[]; why: string}
	| {kind: 'env-file'; path: string; variable: string; display: string[]; why: string}
	/** Conjur's REST API (src/engines/conjur.ts): the value is the request body, never argv. */
	| {kind: 'conjur'; variableId: string; display: string[]; why: string}
	| {kind: 'manual'; reason: string; display: string[]}
	/** The entry cannot be updated as written (its address contradicts itself): fix the entry. */
	| {kind: 'invalid'; reason: string; display: string[]; why: string};

/** Why an entry's store cannot be updated as written, or null. Checked at input and when planning. */
export function storeProblem(store: Store): string | null {
	if (store.type === 'github-actions' && store.org && store.environment) {
		return `a GitHub Actions secret is either an organisation's (org:${store.org}) or a repository environment's (${store.environment}), not both: gh accepts only one of --org, --env or --user. Clear the environment, or give the repository (owner/name) whose environment it is`;
	}
	return null;
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
const stdinShown = (stdin: StdinPlan, secretLabel: string) =>
	stdin.kind === 'secret' ? secretLabel : stdin.kind === 'kube-patch' ? `{"data":{"${stdin.key}":base64(${secretLabel})}}` : `the current JSON text with only "${stdin.jsonKey}"'s value replaced by ${secretLabel}`;
const shown = (step: CommandStep, secretLabel: string) =>
	`${[step.bin, ...step.args].map(quote).join(' ')}${step.keepVisibility ? ' --visibility <its current visibility> [--repos <its repositories, when selected>]' : ''}${step.onlyIf ? `  (only when it is ${step.onlyIf.output}: the repositories it is shared with)` : ''}${step.capture && !step.stdin && step.bin === 'gh' && !step.onlyIf ? '  (reads its visibility: all, private or selected; it is kept)' : ''}${step.stdin ? `  < ${stdinShown(step.stdin, secretLabel)}` : ''}`;

/** The plan for one store. `secretLabel` is how the new key is shown (its masked form). */
export function planUpdate(store: Store, secretLabel: string): UpdatePlan {
	const problem = storeProblem(store);
	if (problem) return {kind: 'invalid', reason: problem, display: [`cannot update as written: ${problem}`], why: 'edit the entry in step 3 first'};
	const commands = (steps: CommandStep[], why: string): UpdatePlan => ({kind: 'commands', steps, display: steps.map(step => shown(step, secretLabel)), why});
	switch (store.type) {
		case 'env-file': {
			return {kind: 'env-file', path: store.path, variable: store.variable, display: [`rewrite ${store.path}: ${store.variable}=${secretLabel} (the rest of the file untouched; the old file kept as a 0600 backup in leakfix's private folder)`], why: 'atomic rewrite of one line'};
		}

		case 'aws-sm': {
			const region = store.region ? ['--region', store.region] : [];
			if (store.jsonKey) {
				return commands(
					[
						// JSON output: the string comes back exactly (text output would be one more layer to undo).
						{action: `aws secretsmanager get-secret-value of ${store.secretId}`, bin: 'aws', args: ['secretsmanager', 'get-secret-value', '--secret-id', store.secretId, ...region, '--query', 'SecretString', '--output', 'json'], stdin: null, capture: true, env: AWS_ENV},
						{action: `aws secretsmanager put-secret-value of ${store.secretId}`, bin: 'aws', args: ['secretsmanager', 'put-secret-value', '--secret-id', store.secretId, ...region, '--secret-string', 'file:///dev/stdin'], stdin: {kind: 'json-merge', jsonKey: store.jsonKey, fromStep: 0}, textFile: true, pipe: true, env: AWS_ENV},
					],
					`reads the JSON secret and changes only the value of "${store.jsonKey}" in its text (every other byte kept), then writes it as a new version; the value goes on stdin`,
				);
			}
			return commands([{action: `aws secretsmanager put-secret-value of ${store.secretId}`, bin: 'aws', args: ['secretsmanager', 'put-secret-value', '--secret-id', store.secretId, ...region, '--secret-string', 'file:///dev/stdin'], stdin: {kind: 'secret'}, textFile: true, pipe: true, env: AWS_ENV}], 'writes a new version of the secret; the value goes on stdin');
		}

		case 'vault': {
			return commands([{action: `vault kv patch of ${store.field} at ${store.mount}/${store.path}`, bin: 'vault', args: ['kv', 'patch', `-mount=${store.mount}`, store.path, `${store.field}=-`], stdin: {kind: 'secret'}}], 'patches one field of the KV secret ("-" reads the value from stdin); other fields are kept');
		}

		case 'conjur': {
			// The conjur CLI takes a value only as an argument (readable with ps): leakfix sends it
			// to Conjur's REST API itself, in the request body.
			const id = encodeURIComponent(store.variableId);
			return {
				kind: 'conjur',
				variableId: store.variableId,
				display: [`POST <appliance_url>/secrets/<account>/variable/${id}  < ${secretLabel} (the request body; Authorization: Token from CONJUR_AUTHN_TOKEN, CONJUR_AUTHN_LOGIN + CONJUR_AUTHN_API_KEY, or \`conjur authenticate\`)`],
				why: 'Conjur\'s REST API stores the body as a new version of the variable (the old versions are kept); the appliance URL and account come from CONJUR_APPLIANCE_URL and CONJUR_ACCOUNT or ~/.conjurrc; the value is never on a command line',
			};
		}

		case 'github-actions': {
			const action = `gh secret set ${store.name}${store.org ? ` for organisation ${store.org}` : store.repo ? ` for ${store.repo}` : ''}${store.environment ? ` (environment ${store.environment})` : ''}`;
			if (store.org) {
				const secret = `orgs/${encodeURIComponent(store.org)}/actions/secrets/${encodeURIComponent(store.name)}`;
				return commands(
					[
						{action: `gh api ${secret} (reading its visibility)`, bin: 'gh', args: ['api', secret, '--jq', '.visibility'], stdin: null, capture: true, preview: true},
						{action: `gh api ${secret}/repositories (reading the repositories it is shared with)`, bin: 'gh', args: ['api', '--paginate', `${secret}/repositories`, '--jq', '.repositories[].full_name'], stdin: null, capture: true, preview: true, onlyIf: {step: 0, output: 'selected'}},
						{action, bin: 'gh', args: ['secret', 'set', store.name, '--org', store.org], stdin: {kind: 'secret'}, keepVisibility: {fromStep: 0, reposFromStep: 1}},
					],
					'reads the organisation secret\'s visibility (and, when selected, its repositories) and sets it again with the same ones: gh would otherwise make it private; gh reads the secret from stdin',
				);
			}
			const scope = store.repo ? ['--repo', store.repo] : [];
			return commands([{action, bin: 'gh', args: ['secret', 'set', store.name, ...scope, ...(store.environment ? ['--env', store.environment] : [])], stdin: {kind: 'secret'}}], 'gh reads the secret from stdin when no --body is given');
		}

		case 'kubernetes': {
			const context = store.context ? ['--context', store.context] : [];
			return commands(
				[{action: `kubectl patch secret ${store.name} in ${store.namespace}${store.context ? ` (context ${store.context})` : ''}`, bin: 'kubectl', args: [...context, '--namespace', store.namespace, 'patch', 'secret', store.name, '--type', 'merge', '--patch-file', '/dev/stdin'], stdin: {kind: 'kube-patch', key: store.key}, pipe: true}],
				'patches one key of the Secret (the value base64-encoded in a patch on stdin); other keys are kept',
			);
		}

		case 'manual': {
			return {kind: 'manual', reason: store.text, display: [`by hand: ${store.text}`]};
		}
	}
}

/** The name a store knows the value by: the variable, JSON key, field, secret name or key. */
function nameOf(store: Store): string | null {
	switch (store.type) {
		case 'env-file':
			return store.variable;
		case 'aws-sm':
			return store.jsonKey ?? null;
		case 'vault':
			return store.field;
		case 'github-actions':
			return store.name;
		case 'kubernetes':
			return store.key;
		case 'conjur':
			return store.variableId.split('/').at(-1) ?? null;
		default:
			return null;
	}
}

/**
 * What a store gets. A key pair (AWS: id and secret) is two values: the half is chosen by the
 * store's name for it (AWS_ACCESS_KEY_ID gets the id, AWS_SECRET_ACCESS_KEY the secret); when the
 * name does not say, nothing is written.
 */
export function storeValue(store: Store, key: string, pair: boolean): {ok: true; value: string} | {ok: false; reason: string} {
	if (!pair) return {ok: true, value: key};
	const {keyId: id, secret} = leakedKey(key, 'aws-pair');
	const name = nameOf(store) ?? '';
	if (/access.?key.?id|key.?id$/i.test(name)) return id === null ? {ok: false, reason: 'the new key is not an AWS pair (AKIA…:secret), so it has no key id to write'} : {ok: true, value: id};
	if (/secret/i.test(name)) return {ok: true, value: secret};
	return {ok: false, reason: `an AWS key is a pair, and ${name ? `"${name}"` : 'this store'} does not say which half it holds: name it like AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY (edit the entry in step 3), or update it by hand`};
}

/** The order of the work: dev, then staging, then what is unknown, production last. */
export function updateOrder(entries: InventoryEntry[]): InventoryEntry[] {
	const rank = {dev: 0, staging: 1, unknown: 2, prod: 3} as const;
	return [...entries].sort((a, b) => rank[a.environment] - rank[b.environment]);
}

export function describeEntry(entry: InventoryEntry): string {
	return `${entry.service} [${entry.environment}] ${storeAddress(entry.store)}`;
}
