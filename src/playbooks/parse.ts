// The slow, exact path: YAML with line positions, checked against the zod schema. Imported
// lazily by load.ts (yaml and zod cost ~50 ms at start-up) and by the build, which compiles the
// shipped playbooks to dist/playbooks.json.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {LineCounter, parseDocument, isNode} from 'yaml';
import type * as z from 'zod';
import {STEP_IDS, type StepId} from '../core/model.js';
import {PlaybookError, type Playbooks} from './types.js';
import {providerPlaybookSchema, stepPlaybookSchema, type PlaybookItem, type ProviderPlaybook, type StepPlaybook} from './schema.js';

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

/** Reads and checks every playbook in `dir` (YAML + schema). Sync; used by the build and by
 * loadPlaybooks when the shipped playbooks were edited or a user folder is given. */
export function parsePlaybooks(dir: string): Playbooks {
	const steps = {} as Record<StepId, StepPlaybook>;
	for (const id of STEP_IDS) {
		const file = path.join(dir, `${id}.yaml`);
		const step = parseFile(file, stepPlaybookSchema, `steps/${id}.yaml`);
		if (step.id !== id) throw new PlaybookError(`steps/${id}.yaml`, 'id', 1, `must be "${id}" (the file name)`);
		assertUniqueIds(`steps/${id}.yaml`, step.items);
		steps[id] = step;
	}
	const providers: ProviderPlaybook[] = [];
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
	}
	if (!providers.some(provider => provider.id === 'generic')) {
		throw new PlaybookError('steps/providers/generic.yaml', '', undefined, 'is missing: the generic fallback is required');
	}
	// The generic fallback is listed last.
	providers.sort((a, b) => Number(a.id === 'generic') - Number(b.id === 'generic'));
	return {steps, providers};
}

function assertUniqueIds(label: string, items: PlaybookItem[]): void {
	const seen = new Set<string>();
	for (const [index, item] of items.entries()) {
		if (seen.has(item.id)) throw new PlaybookError(label, `items[${index}].id`, undefined, `"${item.id}" is used twice in this step`);
		seen.add(item.id);
	}
}

