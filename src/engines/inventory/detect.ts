// Service discovery, the pure half: what one file says about who consumes the key. Each
// reference names the file and line, the environment variable (if any), and, where the file
// says where the secret lives, the store. Grouping references into entries is ./propose.ts.
// The file kinds and the environment guess are ./reference.ts, the YAML readers ./detect-yaml.ts,
// the Dockerfile reader ./detect-dockerfile.ts.
import {dockerfileRefs} from './detect-dockerfile.js';
import {conjurPolicyRefs, githubEnvironment, kubernetesRefs, summonRefs} from './detect-yaml.js';
import {fileKind, guessEnvironment, TEMPLATE, type Reference} from './reference.js';

export {fileKind, guessEnvironment, TEMPLATE, type RefKind, type Reference} from './reference.js';

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
