// What one file says about the key's consumers, as data: a reference (file, line, kind, variable,
// store) and the two guesses made from a path: the file's kind and the environment. Part of
// ./detect.ts (import from there).
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
