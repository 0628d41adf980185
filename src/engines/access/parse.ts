// Who can read a secret, from what each CLI answers. Pure: text in, readers out. Every string
// here came from outside (policy documents, names): the screens show it with controls visible.
import type {FoundReader} from '../../core/access.js';

type Statement = {Effect?: unknown; Principal?: unknown; NotPrincipal?: unknown; Action?: unknown; NotAction?: unknown; Resource?: unknown; Condition?: unknown; Sid?: unknown};

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : []);

/** An IAM wildcard (`*`, `?`) against a name, case-insensitive for actions. */
function wildcard(pattern: string, name: string, caseInsensitive = true): boolean {
	const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, caseInsensitive ? 'i' : '');
	return regex.test(name);
}

/**
 * `aws secretsmanager get-resource-policy --output json`: {ARN, Name, ResourcePolicy: "<JSON text>"}.
 * The principals an Allow statement gives secretsmanager:GetSecretValue on this secret; a Deny or
 * a NotPrincipal/NotAction statement is said, not evaluated.
 */
export function parseAwsResourcePolicy(stdout: string): {readers: FoundReader[]; unread: string[]} {
	let answer: {ARN?: unknown; ResourcePolicy?: unknown};
	try {
		answer = JSON.parse(stdout) as typeof answer;
	} catch {
		return {readers: [], unread: ['the resource policy: aws answered something that is not JSON']};
	}
	const arn = typeof answer.ARN === 'string' ? answer.ARN : '';
	const unread = ['IAM users and roles whose own identity policies allow secretsmanager:GetSecretValue on it (leakfix does not read every IAM policy in the account: IAM Access Analyzer or the policy simulator answers that)'];
	if (typeof answer.ResourcePolicy !== 'string' || answer.ResourcePolicy.trim() === '') return {readers: [], unread: ['no resource policy is attached: only identities of this account allowed by their own IAM policies can read it', ...unread]};
	let policy: {Statement?: unknown};
	try {
		policy = JSON.parse(answer.ResourcePolicy) as typeof policy;
	} catch {
		return {readers: [], unread: ['the resource policy is not valid JSON', ...unread]};
	}
	const statements = (Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : []) as Statement[];
	const readers: FoundReader[] = [];
	for (const [index, statement] of statements.entries()) {
		const name = typeof statement.Sid === 'string' && statement.Sid ? `statement ${statement.Sid}` : `statement ${index + 1}`;
		const actions = list(statement.Action);
		const reads = actions.some(action => wildcard(action, 'secretsmanager:GetSecretValue'));
		const resources = list(statement.Resource);
		const here = resources.length === 0 || resources.some(resource => resource === '*' || (arn !== '' && wildcard(resource, arn, false)));
		const condition = statement.Condition && typeof statement.Condition === 'object' ? ` when ${JSON.stringify(statement.Condition)}` : '';
		if (statement.NotAction !== undefined || statement.NotPrincipal !== undefined) {
			unread.push(`${name} uses ${statement.NotAction !== undefined ? 'NotAction' : 'NotPrincipal'}: read it in full (aws secretsmanager get-resource-policy)`);
			continue;
		}
		if (!reads || !here) continue;
		const principals: string[] = [];
		if (statement.Principal === '*') principals.push('*');
		else if (statement.Principal && typeof statement.Principal === 'object') {
			for (const [type, values] of Object.entries(statement.Principal as Record<string, unknown>)) for (const value of list(values)) principals.push(type === 'AWS' ? value : `${type}: ${value}`);
		}
		for (const principal of principals) {
			const who = principal === '*' ? 'anyone (Principal "*")' : principal;
			if (statement.Effect === 'Deny') unread.push(`${name} denies ${who} GetSecretValue${condition}`);
			else if (statement.Effect === 'Allow') readers.push({kind: 'principal', who, how: `the secret's resource policy (${name}) allows secretsmanager:GetSecretValue${condition}`});
		}
	}
	return {readers, unread};
}

/** `vault policy list` (one name a line) or `-format=json` (an array). */
export function parseVaultPolicyList(stdout: string): string[] {
	const text = stdout.trim();
	if (text.startsWith('[')) {
		try {
			return (JSON.parse(text) as unknown[]).filter((name): name is string => typeof name === 'string');
		} catch {}
	}
	return text.split('\n').map(line => line.trim()).filter(Boolean);
}

/** The paths a store is read at: KV v2 reads `<mount>/data/<path>`, v1 `<mount>/<path>`. */
export function vaultReadPaths(mount: string, secretPath: string): string[] {
	const m = mount.replace(/^\/+|\/+$/g, '');
	const p = secretPath.replace(/^\/+/, '');
	return [`${m}/data/${p}`, `${m}/${p}`];
}

/** A policy path against a request path: `*` at the end is a prefix, `+` one segment. */
function vaultMatches(pattern: string, target: string): boolean {
	const glob = pattern.endsWith('*');
	const body = glob ? pattern.slice(0, -1) : pattern;
	const parts = body.split('/');
	const targetParts = target.split('/');
	for (const [index, part] of parts.entries()) {
		const actual = targetParts[index];
		if (actual === undefined) return false;
		if (part === '+') continue;
		if (index === parts.length - 1 && glob) return actual.startsWith(part);
		if (part !== actual) return false;
	}
	return glob ? targetParts.length >= parts.length : targetParts.length === parts.length;
}

/**
 * One policy's HCL: the most specific `path "…" { capabilities = [...] }` block matching the
 * secret's read path (an exact path over a glob, a longer one over a shorter). A reader when its
 * capabilities hold read (or sudo/root) and not deny.
 */
export function parseVaultPolicy(name: string, hcl: string, readPaths: string[]): FoundReader | {denied: string} | null {
	const blocks = [...hcl.matchAll(/path\s+"([^"]+)"\s*\{([^}]*)\}/g)].map(match => ({path: match[1]!, capabilities: [...(/capabilities\s*=\s*\[([^\]]*)\]/.exec(match[2]!)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map(capability => capability[1]!)}));
	let best: {path: string; capabilities: string[]; target: string; score: number} | null = null;
	for (const target of readPaths) {
		for (const block of blocks) {
			if (!vaultMatches(block.path, target)) continue;
			const score = (block.path.endsWith('*') ? 0 : 10_000) + block.path.replace(/[*+]/g, '').length;
			if (!best || score > best.score) best = {...block, target, score};
		}
	}
	if (!best) return null;
	if (best.capabilities.includes('deny')) return {denied: `policy ${name} denies ${best.target} (path "${best.path}")`};
	if (!best.capabilities.some(capability => ['read', 'sudo', 'root'].includes(capability))) return null;
	return {kind: 'policy', who: `Vault policy ${name}`, how: `path "${best.path}" grants ${best.capabilities.join(', ')} on ${best.target} (every token and identity with this policy)`};
}

type KubeRule = {apiGroups?: unknown; resources?: unknown; verbs?: unknown; resourceNames?: unknown};
type KubeObject = {kind?: unknown; metadata?: {name?: unknown; namespace?: unknown}; rules?: unknown; roleRef?: {kind?: unknown; name?: unknown}; subjects?: unknown};

/** The verbs of a rule that reveal the Secret's value (get; list and watch return the data too). */
function readingVerbs(rule: KubeRule, secret: string): string[] {
	const groups = list(rule.apiGroups);
	const resources = list(rule.resources);
	const names = list(rule.resourceNames);
	if (!groups.some(group => group === '' || group === '*')) return [];
	if (!resources.some(resource => resource === 'secrets' || resource === '*')) return [];
	const verbs = list(rule.verbs);
	if (verbs.includes('*')) return names.length === 0 || names.includes(secret) ? ['*'] : [];
	const reading = verbs.filter(verb => ['get', 'list', 'watch'].includes(verb));
	// resourceNames limits get; list and watch are not limited by it.
	return reading.filter(verb => verb !== 'get' || names.length === 0 || names.includes(secret));
}

const items = (stdout: string): KubeObject[] => {
	try {
		const parsed = JSON.parse(stdout) as {items?: unknown};
		return Array.isArray(parsed.items) ? (parsed.items as KubeObject[]) : [];
	} catch {
		return [];
	}
};

/**
 * `kubectl get roles,rolebindings -n NS -o json` and `kubectl get clusterroles,clusterrolebindings -o json`:
 * the subjects of every binding whose role lets them get (or list, watch) the Secret.
 */
export function parseKubernetesAccess(namespaced: string, cluster: string | null, namespace: string, secret: string): FoundReader[] {
	const local = items(namespaced);
	const global = cluster === null ? [] : items(cluster);
	const roles = new Map<string, string[]>();
	for (const object of [...local, ...global]) {
		if ((object.kind !== 'Role' && object.kind !== 'ClusterRole') || typeof object.metadata?.name !== 'string') continue;
		const verbs = new Set((Array.isArray(object.rules) ? (object.rules as KubeRule[]) : []).flatMap(rule => readingVerbs(rule, secret)));
		if (verbs.size > 0) roles.set(`${object.kind}/${object.metadata.name}`, [...verbs]);
	}
	const readers: FoundReader[] = [];
	for (const binding of [...local, ...global]) {
		if (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') continue;
		if (binding.kind === 'RoleBinding' && binding.metadata?.namespace !== undefined && binding.metadata.namespace !== namespace) continue;
		const role = `${String(binding.roleRef?.kind)}/${String(binding.roleRef?.name)}`;
		const verbs = roles.get(role);
		if (!verbs) continue;
		const scope = binding.kind === 'ClusterRoleBinding' ? 'in every namespace' : `in ${namespace}`;
		for (const subject of (Array.isArray(binding.subjects) ? binding.subjects : []) as Array<{kind?: unknown; name?: unknown; namespace?: unknown}>) {
			if (typeof subject.name !== 'string') continue;
			const who = `${String(subject.kind ?? 'Subject')} ${subject.kind === 'ServiceAccount' ? `${typeof subject.namespace === 'string' ? subject.namespace : namespace}/` : ''}${subject.name}`;
			readers.push({kind: 'subject', who, how: `${binding.kind} ${String(binding.metadata?.name)} → ${role}: ${verbs.join(', ')} on secrets ${scope}${verbs.some(verb => verb !== 'get') ? ' (list and watch return the values too)' : ''}`});
		}
	}
	return readers;
}

/** Lines of names (gh --jq output). */
export function lines(stdout: string): string[] {
	return stdout.split('\n').map(line => line.trim()).filter(Boolean);
}
