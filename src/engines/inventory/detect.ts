// Service discovery, the pure half: what one file says about who consumes the key. Each
// reference names the file and line, the environment variable (if any), and, where the file
// says where the secret lives, the store. Grouping references into entries is ./propose.ts.
import {isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode} from 'yaml';
import type {Environment, Store} from '../../core/model.js';

export type RefKind = 'code' | 'env-file' | 'github-actions' | 'gitlab-ci' | 'circleci' | 'dockerfile' | 'compose' | 'kubernetes' | 'helm' | 'terraform' | 'literal' | 'summon' | 'conjur-policy';

export type Reference = {
	file: string;
	line: number;
	kind: RefKind;
	envVar: string | null;
	/** Where the secret lives, when the file says so. */
	store?: Store;
	/** A service name the file itself gives (a Deployment's name, a workflow). */
	service?: string;
	environment?: Environment;
	/** A restart the file implies (a Deployment's rollout restart). */
	restart?: string[];
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How code reads an environment variable, per language. `NAME` is replaced by the variable. */
const CODE_PATTERNS = [
	String.raw`process\.env\.NAME\b`, // JavaScript/TypeScript
	String.raw`process\.env\[\s*['"\x60]NAME['"\x60]\s*\]`,
	String.raw`import\.meta\.env\.NAME\b`,
	String.raw`os\.environ\s*\[\s*['"]NAME['"]\s*\]`, // Python
	String.raw`os\.environ\.get\(\s*['"]NAME['"]`,
	String.raw`os\.getenv\(\s*['"]NAME['"]`,
	String.raw`ENV\s*\[\s*['"]NAME['"]\s*\]`, // Ruby
	String.raw`ENV\.fetch\(\s*['"]NAME['"]`,
	String.raw`System\.getenv\(\s*"NAME"\s*\)`, // Java/Kotlin
	String.raw`os\.Getenv\(\s*"NAME"\s*\)`, // Go
	String.raw`os\.LookupEnv\(\s*"NAME"\s*\)`,
	String.raw`env::var\(\s*"NAME"\s*\)`, // Rust
	String.raw`getenv\(\s*['"]NAME['"]`, // PHP, C
	String.raw`Environment\.GetEnvironmentVariable\(\s*"NAME"`, // C#
	String.raw`\$\{NAME(?::?[-=?][^}]*)?\}`, // shell, compose, many configs
	String.raw`\$NAME\b`,
];

const CODE_EXT = /\.(m?[jt]sx?|cjs|py|rb|java|kt|go|rs|php|cs|sh|bash|zsh|ps1|c|cc|cpp|h|swift|scala|ex|exs|tf|hcl|ini|toml|cfg|conf|properties|yml|yaml|json)$/i;

/** A guess from the path and names: prod, staging, dev, or unknown. */
export function guessEnvironment(...texts: Array<string | undefined>): Environment {
	const text = texts.filter(Boolean).join(' ').toLowerCase();
	if (/(^|[^a-z])(prod|production|live|prd)([^a-z]|$)/.test(text)) return 'prod';
	if (/(^|[^a-z])(staging|stage|stg|preprod|uat|qa)([^a-z]|$)/.test(text)) return 'staging';
	if (/(^|[^a-z])(dev|development|local|test|testing|sandbox)([^a-z]|$)/.test(text)) return 'dev';
	return 'unknown';
}

/** `.env.example` and friends list names, not values: evidence, never a store to write to. */
export const TEMPLATE = /\.(example|sample|template|dist|defaults?)$/i;

export function fileKind(file: string): RefKind | null {
	const base = file.split('/').at(-1)!;
	if (/^\.env(\..+)?$/.test(base) || base.endsWith('.env')) return 'env-file';
	if (/^\.github\/workflows\/.+\.ya?ml$/.test(file) || /\/\.github\/workflows\/.+\.ya?ml$/.test(file)) return 'github-actions';
	if (base === '.gitlab-ci.yml') return 'gitlab-ci';
	if (/(^|\/)\.circleci\/config\.ya?ml$/.test(file)) return 'circleci';
	if (/^Dockerfile(\..+)?$/.test(base) || base.endsWith('.Dockerfile')) return 'dockerfile';
	if (/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(base)) return 'compose';
	if (/^values(\.[\w-]+)?\.ya?ml$/.test(base)) return 'helm';
	// Summon's secrets.yml (NAME: !var conjur/variable/id) and a Conjur policy (conjur.yml).
	if (/^secrets\.ya?ml$/.test(base)) return 'summon';
	if (/^conjur(-[\w-]+)?\.ya?ml$/.test(base)) return 'conjur-policy';
	if (/\.tf$/.test(base)) return 'terraform';
	if (/\.ya?ml$/.test(base)) return 'kubernetes'; // confirmed by content below
	if (CODE_EXT.test(base)) return 'code';
	return null;
}

type KubeEnv = {name?: unknown; valueFrom?: {secretKeyRef?: {name?: unknown; key?: unknown}}};

function kubernetesRefs(file: string, text: string, envVars: string[], lineOf: (needle: string) => number): Reference[] {
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

function githubEnvironment(text: string, name: string): string | undefined {
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
function summonRefs(file: string, text: string, envVars: string[]): Reference[] {
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
function conjurPolicyRefs(file: string, text: string, envVars: string[]): Reference[] {
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

/**
 * A Dockerfile that bakes the key into the image: `COPY`/`ADD` of an env file (the file, key and
 * all, is in a layer for good), `ENV NAME=…` of a variable the key is known by (in the image's
 * config: docker inspect shows it), `ARG NAME` (a --build-arg value is recorded in the image's
 * history wherever a RUN uses it). Each is named as a place the key lives: the image.
 */
function dockerfileRefs(file: string, lines: string[], envVars: string[]): Reference[] {
	const out: Reference[] = [];
	const environment = guessEnvironment(file);
	const image = (line: number, text: string, envVar: string | null): Reference => ({file, line, kind: 'dockerfile', envVar, store: {type: 'manual', text}, service: `the image built from ${file}`, environment});
	for (let index = 0; index < lines.length; index++) {
		// An instruction continued with a trailing backslash is read whole, named by its first line.
		let instruction = lines[index]!;
		const first = index;
		while (/\\\s*$/.test(instruction) && index + 1 < lines.length) instruction = instruction.replace(/\\\s*$/, ' ') + lines[++index]!;
		const match = /^\s*(COPY|ADD|ENV|ARG)\s+(.*)$/i.exec(instruction);
		if (!match) continue;
		const command = match[1]!.toUpperCase();
		const words = match[2]!.trim().split(/\s+/);
		const at = `${file}:${first + 1}`;
		if (command === 'COPY' || command === 'ADD') {
			if (words.some(word => /^--from=/i.test(word))) continue; // from another stage, not the build context
			const sources = words.filter(word => !word.startsWith('--')).slice(0, -1);
			const envFiles = sources.map(source => source.replace(/^[["']+|["',\]]+$/g, '')).filter(source => {
				const base = source.split('/').at(-1) ?? '';
				return (/^\.env(\..+)?$/.test(base) || base.endsWith('.env')) && !TEMPLATE.test(base);
			});
			if (envFiles.length > 0) out.push(image(first + 1, `${command} ${envFiles.join(', ')} at ${at} puts the env file, key and all, into an image layer that anyone who pulls the image can read (leakfix scan --image finds it): drop the line, list the file in .dockerignore, give the value at run time, rebuild, and delete the old images from the registry`, null));
			continue;
		}
		for (const word of command === 'ENV' && !words[0]!.includes('=') ? [words[0]!] : words) {
			const name = word.split('=')[0]!;
			if (!envVars.includes(name)) continue;
			out.push(
				image(
					first + 1,
					command === 'ENV'
						? `ENV ${name} at ${at} bakes the value into the image's config (docker inspect shows it to anyone who pulls the image): set it at run time instead, rebuild, and delete the old images from the registry`
						: `ARG ${name} at ${at}: a value passed with --build-arg is recorded in the image's history (docker history) wherever a RUN uses it: use a build secret (RUN --mount=type=secret,id=${name}) instead, rebuild, and delete the old images from the registry`,
					name,
				),
			);
		}
	}
	return out;
}

/** Everything one file says about the key's consumers. `literalLines`: lines that hold the key itself. */
export function detectReferences(file: string, text: string, envVars: string[], literalLines: number[] = []): Reference[] {
	const kind = fileKind(file);
	const lines = text.split('\n');
	const lineOf = (needle: string) => Math.max(1, lines.findIndex(line => line.includes(needle)) + 1);
	const out: Reference[] = literalLines.map(line => ({file, line, kind: 'literal' as const, envVar: null}));
	if (kind === null || envVars.length === 0) return out;
	const names = envVars.map(escape).join('|');

	if (kind === 'env-file') {
		const assignment = new RegExp(`^\\s*(?:export\\s+)?(${names})\\s*=`);
		lines.forEach((line, index) => {
			const m = assignment.exec(line);
			// A template (.env.example) names the variable: evidence, never a store to write the key to.
			if (m) out.push({file, line: index + 1, kind, envVar: m[1]!, ...(TEMPLATE.test(file) ? {} : {store: {type: 'env-file' as const, path: file, variable: m[1]!}}), environment: guessEnvironment(file)});
		});
		return out;
	}

	// Summon (also a secrets.yml under another name: any YAML with !var tags) and Conjur policies.
	if (kind === 'summon' || ((kind === 'kubernetes' || kind === 'helm') && /!var\b/.test(text))) {
		const refs = summonRefs(file, text, envVars);
		out.push(...refs);
		if (refs.length > 0) return out;
	}
	if (kind === 'conjur-policy') {
		out.push(...conjurPolicyRefs(file, text, envVars));
		return out;
	}

	if (kind === 'github-actions') {
		const secret = new RegExp(`secrets\\.(${names})\\b`, 'g');
		lines.forEach((line, index) => {
			for (const m of line.matchAll(secret)) {
				const environment = githubEnvironment(text, m[1]!);
				out.push({
					file,
					line: index + 1,
					kind,
					envVar: m[1]!,
					store: {type: 'github-actions', name: m[1]!, ...(environment ? {environment} : {})},
					service: `GitHub Actions ${file.split('/').at(-1)}`,
					environment: guessEnvironment(environment, file),
				});
			}
		});
		return out;
	}

	if (kind === 'terraform') {
		// Resources that hold the secret: the address is the store.
		const blocks = [...text.matchAll(/resource\s+"(aws_secretsmanager_secret|vault_generic_secret|vault_kv_secret_v2)"\s+"([\w-]+)"\s*\{([^}]*)\}/g)];
		for (const block of blocks) {
			const body = block[3]!;
			const mentions = new RegExp(names, 'i').test(body) || new RegExp(names, 'i').test(block[2]!);
			const line = text.slice(0, block.index).split('\n').length;
			const attribute = (name: string) => new RegExp(`${name}\\s*=\\s*"([^"]+)"`).exec(body)?.[1];
			if (block[1] === 'aws_secretsmanager_secret') {
				const secretId = attribute('name');
				if (secretId && (mentions || envVars.some(name => secretId.toLowerCase().includes(name.toLowerCase().split('_')[0]!)))) {
					out.push({file, line, kind, envVar: null, store: {type: 'aws-sm', secretId}, environment: guessEnvironment(secretId, file)});
				}
			} else {
				const full = attribute('path') ?? [attribute('mount'), attribute('name')].filter(Boolean).join('/');
				if (full && (mentions || envVars.some(name => full.toLowerCase().includes(name.toLowerCase().split('_')[0]!)))) {
					const [mount, ...rest] = full.replace(/^\/+/, '').split('/');
					const field = envVars.find(name => new RegExp(name, 'i').test(body)) ?? 'value';
					out.push({file, line, kind, envVar: null, store: {type: 'vault', mount: mount!, path: rest.join('/').replace(/^data\//, ''), field}, environment: guessEnvironment(full, file)});
				}
			}
		}
	}

	if (kind === 'kubernetes' || kind === 'helm') {
		const refs = kubernetesRefs(file, text, envVars, lineOf);
		out.push(...refs);
		if (kind === 'kubernetes' && refs.length > 0) return out;
		if (kind === 'kubernetes' && !/^\s*(apiVersion|kind):/m.test(text)) {
			// Some other YAML config: a plain mention is still a reference.
		}
	}

	if (kind === 'dockerfile') out.push(...dockerfileRefs(file, lines, envVars));

	const code = new RegExp(CODE_PATTERNS.map(pattern => pattern.replaceAll('NAME', `(?:${names})`)).join('|'));
	const which = new RegExp(names);
	const plain = new RegExp(`(^|[^A-Za-z0-9_])(${names})([^A-Za-z0-9_]|$)`);
	lines.forEach((line, index) => {
		const m = code.exec(line) ?? ((kind === 'dockerfile' || kind === 'compose' || kind === 'helm' || kind === 'gitlab-ci' || kind === 'circleci' || kind === 'kubernetes') ? plain.exec(line) : null);
		if (!m) return;
		const envVar = which.exec(m[0])?.[0] ?? null;
		if (out.some(ref => ref.line === index + 1 && ref.envVar === envVar)) return;
		out.push({file, line: index + 1, kind: kind === 'kubernetes' ? 'code' : kind, envVar, environment: guessEnvironment(file)});
	});
	return out;
}
