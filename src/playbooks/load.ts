// Loads steps/*.yaml and steps/providers/*.yaml, checks them against the schema and reports a
// broken playbook with its file, line and field.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {LineCounter, parseDocument, isNode} from 'yaml';
import type {z} from 'zod';
import {STEP_IDS, type ChecklistItem, type StepId} from '../core/model.js';
import type {StepTemplate} from '../core/session.js';
import {UserError} from '../infra/errors.js';
import {providerPlaybookSchema, stepPlaybookSchema, type PlaybookItem, type ProviderPlaybook, type StepPlaybook} from './schema.js';

export class PlaybookError extends UserError {
	constructor(
		readonly file: string,
		readonly field: string,
		readonly line: number | undefined,
		problem: string,
	) {
		super(`Broken playbook ${file}${line === undefined ? '' : `:${line}`}: ${field ? `field "${field}": ` : ''}${problem}`, 'Fix the file (see docs/playbook-authoring.md) and run leakfix again.');
	}
}

export type Playbooks = {
	steps: Record<StepId, StepPlaybook>;
	providers: ProviderPlaybook[];
	/** Where each provider playbook came from, for messages. */
	files: Record<string, string>;
};

/** The steps/ folder shipped with leakfix (next to dist/ in the package, or the repo root in dev). */
export function defaultPlaybookDir(): string {
	const here = path.dirname(fileURLToPath(import.meta.url));
	// dist/cli.js -> ../steps ; src/playbooks/load.ts -> ../../steps
	for (const candidate of [path.join(here, '..', 'steps'), path.join(here, '..', '..', 'steps')]) {
		try {
			readdirSync(candidate);
			return candidate;
		} catch {}
	}
	throw new Error(`leakfix is installed without its steps/ folder (looked next to ${here})`);
}

function parseFile<T>(file: string, schema: z.ZodType<T>, label: string): T {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		throw new PlaybookError(label, '', undefined, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
	}
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, {lineCounter, prettyErrors: false});
	if (doc.errors.length > 0) {
		const first = doc.errors[0]!;
		const line = lineCounter.linePos(first.pos[0]).line;
		throw new PlaybookError(label, '', line, `not valid YAML (${first.message.split('\n')[0]})`);
	}
	const result = schema.safeParse(doc.toJS());
	if (result.success) return result.data;
	const issue = result.error.issues[0]!;
	const issuePath = issue.path.map(part => (typeof part === 'symbol' ? String(part) : part));
	// Point at the deepest node that exists in the file.
	let line: number | undefined;
	for (let depth = issuePath.length; depth >= 0; depth--) {
		const node = doc.getIn(issuePath.slice(0, depth), true);
		if (isNode(node) && node.range) {
			line = lineCounter.linePos(node.range[0]).line;
			break;
		}
	}
	const field = issuePath.map(part => (typeof part === 'number' ? `[${part}]` : part)).join('.').replace(/\.\[/g, '[');
	let problem = issue.message;
	if (issue.code === 'unrecognized_keys') problem = `unknown field(s) ${issue.keys.map(key => `"${key}"`).join(', ')}`;
	if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) problem = 'is missing';
	return ((): never => {
		throw new PlaybookError(label, field, line, problem);
	})();
}

export function loadPlaybooks(dir: string = defaultPlaybookDir()): Playbooks {
	const steps = {} as Record<StepId, StepPlaybook>;
	for (const id of STEP_IDS) {
		const file = path.join(dir, `${id}.yaml`);
		const step = parseFile(file, stepPlaybookSchema, `steps/${id}.yaml`);
		if (step.id !== id) throw new PlaybookError(`steps/${id}.yaml`, 'id', 1, `must be "${id}" (the file name)`);
		assertUniqueIds(`steps/${id}.yaml`, step.items);
		steps[id] = step;
	}
	const providers: ProviderPlaybook[] = [];
	const files: Record<string, string> = {};
	const providerDir = path.join(dir, 'providers');
	let names: string[] = [];
	try {
		names = readdirSync(providerDir).filter(name => name.endsWith('.yaml') || name.endsWith('.yml')).sort();
	} catch {
		throw new PlaybookError('steps/providers/', '', undefined, 'folder is missing');
	}
	for (const name of names) {
		const label = `steps/providers/${name}`;
		const provider = parseFile(path.join(providerDir, name), providerPlaybookSchema, label);
		const expected = name.replace(/\.ya?ml$/, '');
		if (provider.id !== expected) throw new PlaybookError(label, 'id', 1, `must be "${expected}" (the file name)`);
		for (const [stepId, items] of Object.entries(provider.items)) {
			const generic = steps[stepId as StepId].items;
			assertUniqueIds(label, [...generic, ...(items ?? [])]);
		}
		providers.push(provider);
		files[provider.id] = label;
	}
	if (!providers.some(provider => provider.id === 'generic')) {
		throw new PlaybookError('steps/providers/generic.yaml', '', undefined, 'is missing: the generic fallback is required');
	}
	// The generic fallback is listed last.
	providers.sort((a, b) => Number(a.id === 'generic') - Number(b.id === 'generic'));
	return {steps, providers, files};
}

function assertUniqueIds(label: string, items: PlaybookItem[]): void {
	const seen = new Set<string>();
	for (const [index, item] of items.entries()) {
		if (seen.has(item.id)) throw new PlaybookError(label, `items[${index}].id`, undefined, `"${item.id}" is used twice in this step`);
		seen.add(item.id);
	}
}

export function findProvider(playbooks: Playbooks, id: string): ProviderPlaybook {
	const provider = playbooks.providers.find(candidate => candidate.id === id);
	if (!provider) {
		throw new UserError(`Unknown provider "${id}".`, `Known providers: ${playbooks.providers.map(p => p.id).join(', ')} (leakfix providers).`);
	}
	return provider;
}

/** The five step checklists for one provider: generic items first, then the provider's. */
export function checklistFor(playbooks: Playbooks, provider: ProviderPlaybook): StepTemplate[] {
	return STEP_IDS.map(id => {
		const step = playbooks.steps[id];
		const toItem = (source: string) => (item: PlaybookItem): ChecklistItem => ({
			id: item.id,
			title: item.title,
			...(item.detail === undefined ? {} : {detail: item.detail.trim()}),
			required: item.required,
			source,
		});
		return {
			id,
			title: step.title,
			purpose: step.purpose,
			needsKey: step.needsKey,
			items: [...step.items.map(toItem('generic')), ...(provider.items[id] ?? []).map(toItem(provider.id))],
		};
	});
}

export type KeyMatch = {provider: ProviderPlaybook; strength: 'strong' | 'weak'; description: string};

/** Which playbooks a pasted key looks like, strongest first. The generic fallback never matches. */
export function matchKey(playbooks: Playbooks, key: string): KeyMatch[] {
	const matches: KeyMatch[] = [];
	for (const provider of playbooks.providers) {
		for (const pattern of provider.keyPatterns) {
			if (new RegExp(`^(?:${pattern.regex})$`).test(key)) {
				matches.push({provider, strength: pattern.strength, description: pattern.description});
				break;
			}
		}
	}
	return matches.sort((a, b) => Number(a.strength === 'weak') - Number(b.strength === 'weak'));
}
