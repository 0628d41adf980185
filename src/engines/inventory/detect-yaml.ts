// References in YAML that says where the secret lives: Kubernetes env entries from a Secret,
// GitHub Actions' job environments, Summon's secrets.yml and Conjur policies. Part of ./detect.ts.
import {isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode} from 'yaml';
import {guessEnvironment, type Reference} from './reference.js';

type KubeEnv = {name?: unknown; valueFrom?: {secretKeyRef?: {name?: unknown; key?: unknown}}};

export function kubernetesRefs(file: string, text: string, envVars: string[], lineOf: (needle: string) => number): Reference[] {
	const out: Reference[] = [];
	let documents;
	try {
		documents = parseAllDocuments(text);
	} catch {
		return out;
	}
	for (const document of documents) {
		const object = document.toJS() as {kind?: unknown; metadata?: {name?: unknown; namespace?: unknown}; spec?: unknown} | null;
		if (!object || typeof object !== 'object' || typeof object.kind !== 'string') continue;
		const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : 'default';
		const workload = typeof object.metadata?.name === 'string' ? object.metadata.name : undefined;
		const restartable = workload && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind) ? ['kubectl', '--namespace', namespace, 'rollout', 'restart', `${object.kind.toLowerCase()}/${workload}`] : undefined;
		// Every env entry anywhere in the spec (Deployment, StatefulSet, CronJob, Pod…).
		const visit = (node: unknown): void => {
			if (Array.isArray(node)) {
				node.forEach(visit);
				return;
			}
			if (node === null || typeof node !== 'object') return;
			const env = (node as {env?: unknown}).env;
			if (Array.isArray(env)) {
				for (const entry of env as KubeEnv[]) {
					const ref = entry.valueFrom?.secretKeyRef;
					if (typeof entry.name !== 'string' || !envVars.includes(entry.name) || !ref || typeof ref.name !== 'string' || typeof ref.key !== 'string') continue;
					out.push({
						file,
						line: lineOf(`${entry.name}`),
						kind: 'kubernetes',
						envVar: entry.name,
						store: {type: 'kubernetes', namespace, name: ref.name, key: ref.key},
						...(workload ? {service: workload} : {}),
						...(restartable ? {restart: restartable} : {}),
						environment: guessEnvironment(file, namespace, workload),
					});
				}
			}
			for (const value of Object.values(node)) visit(value);
		};
		visit(object.spec);
	}
	return out;
}

export function githubEnvironment(text: string, name: string): string | undefined {
	try {
		const workflow = parseAllDocuments(text)[0]?.toJS() as {jobs?: Record<string, {environment?: unknown}>} | null;
		for (const job of Object.values(workflow?.jobs ?? {})) {
			if (!JSON.stringify(job).includes(`secrets.${name}`)) continue;
			const environment = job.environment;
			if (typeof environment === 'string') return environment;
			if (environment && typeof environment === 'object' && typeof (environment as {name?: unknown}).name === 'string') return (environment as {name: string}).name;
		}
	} catch {}
	return undefined;
}

/** "stripe-api-key", "STRIPE_API_KEY", "prod/stripe/apiKey": the same name once case and punctuation go. */
const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Summon's secrets.yml: `NAME: !var conjur/variable/id` (also `!var:file`), top level or under an
 * environment's section (`production:`). A variable the key is known by is a Conjur store. An id
 * with a $VARIABLE in it is resolved by Summon at run time: named, updated by hand.
 */
export function summonRefs(file: string, text: string, envVars: string[]): Reference[] {
	const out: Reference[] = [];
	const lineCounter = new LineCounter();
	let documents;
	try {
		documents = parseAllDocuments(text, {lineCounter, prettyErrors: false});
	} catch {
		return out;
	}
	const visit = (node: unknown, section: string | undefined) => {
		if (!isMap(node)) return;
		for (const pair of node.items) {
			const name = isScalar(pair.key) ? String(pair.key.value) : '';
			const value = pair.value as YamlNode | null;
			if (isMap(value)) {
				visit(value, name);
				continue;
			}
			if (!isScalar(value) || !/^!var(:|$)/.test(value.tag ?? '') || !envVars.includes(name)) continue;
			const id = String(value.value ?? '').trim();
			if (!id) continue;
			const line = lineCounter.linePos(value.range?.[0] ?? 0).line;
			const environment = guessEnvironment(section, id, file);
			out.push({
				file,
				line,
				kind: 'summon',
				envVar: name,
				store: id.includes('$') ? {type: 'manual', text: `Summon (${file}) gives ${name} the Conjur variable ${id}, whose id Summon fills in at run time: set the variable it resolves to by hand`} : {type: 'conjur', variableId: id},
				environment,
			});
		}
	};
	for (const document of documents) if (document.errors.length === 0) visit(document.contents, undefined);
	return out;
}

/**
 * A Conjur policy (conjur.yml): the `!variable` declarations whose id, within its `!policy` ids,
 * names a variable the key is known by (STRIPE_API_KEY ~ shop/stripe-api-key).
 */
export function conjurPolicyRefs(file: string, text: string, envVars: string[]): Reference[] {
	const out: Reference[] = [];
	const lineCounter = new LineCounter();
	let documents;
	try {
		documents = parseAllDocuments(text, {lineCounter, prettyErrors: false});
	} catch {
		return out;
	}
	const wanted = envVars.map(squash).filter(name => name.length >= 4);
	const idOf = (node: unknown): string | undefined => (isScalar(node) ? String(node.value ?? '') : isMap(node) ? String(node.get('id') ?? '') : undefined)?.trim() || undefined;
	const visit = (node: unknown, prefix: string[]) => {
		if (isSeq(node)) {
			for (const item of node.items) visit(item, prefix);
			return;
		}
		const tag = (node as {tag?: string} | null)?.tag;
		if (tag === '!policy' && isMap(node)) {
			const id = idOf(node);
			visit(node.get('body', true), id ? [...prefix, id] : prefix);
			return;
		}
		if (tag !== '!variable') return;
		const id = idOf(node);
		if (!id) return;
		const full = [...prefix, id].join('/');
		const last = squash(id.split('/').at(-1) ?? id);
		const envVar = envVars.find((_name, index) => wanted[index] !== undefined && (last === wanted[index] || squash(full).endsWith(wanted[index]!)));
		if (!envVar) return;
		const line = lineCounter.linePos((node as YamlNode).range?.[0] ?? 0).line;
		out.push({file, line, kind: 'conjur-policy', envVar, store: {type: 'conjur', variableId: full}, service: `Conjur policy ${file.split('/').at(-1)}`, environment: guessEnvironment(full, file)});
	};
	for (const document of documents) if (document.errors.length === 0) visit(document.contents, []);
	return out;
}
