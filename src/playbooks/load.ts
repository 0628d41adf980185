// Playbooks at start-up. The shipped steps/ folder is compiled and checked at build time into
// dist/playbooks.json together with the sha256 of every source file; when the files on disk still
// hash the same, that JSON is used and neither yaml nor zod is loaded. Any difference (an edited
// playbook, a user folder) takes the exact path in parse.ts, so a stale compile is never served.
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {STEP_IDS, type ChecklistItem} from '../core/model.js';
import type {StepTemplate} from '../core/session.js';
import {UserError} from '../infra/errors.js';
import type {PlaybookItem, ProviderPlaybook} from './schema.js';
import {identifyKey} from './recognise.js';
import type {Playbooks} from './types.js';

export {PlaybookError, type Playbooks} from './types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export function defaultPlaybookDir(): string {
	// dist/cli.js -> ../steps ; src/playbooks/load.ts -> ../../steps
	for (const candidate of [path.join(here, '..', 'steps'), path.join(here, '..', '..', 'steps')]) {
		try {
			readdirSync(candidate);
			return candidate;
		} catch {}
	}
	throw new Error(`leakfix is installed without its steps/ folder (looked next to ${here})`);
}


/** The playbook files of a folder and their sha256, in a stable order. */
export function playbookSources(dir: string): Record<string, string> {
	const sources: Record<string, string> = {};
	const add = (relative: string) => {
		sources[relative] = createHash('sha256').update(readFileSync(path.join(dir, relative))).digest('hex');
	};
	for (const id of STEP_IDS) {
		try {
			add(`${id}.yaml`);
		} catch {}
	}
	let names: string[] = [];
	try {
		names = readdirSync(path.join(dir, 'providers')).filter(name => /\.ya?ml$/.test(name)).sort();
	} catch {}
	for (const name of names) add(`providers/${name}`);
	return sources;
}

export type CompiledPlaybooks = {sources: Record<string, string>; playbooks: Playbooks};

function compiledFor(dir: string): Playbooks | undefined {
	for (const candidate of [path.join(here, 'playbooks.json'), path.join(here, '..', 'playbooks.json'), path.join(here, '..', '..', 'dist', 'playbooks.json')]) {
		let compiled: CompiledPlaybooks;
		try {
			compiled = JSON.parse(readFileSync(candidate, 'utf8')) as CompiledPlaybooks;
		} catch {
			continue;
		}
		const onDisk = playbookSources(dir);
		const same = Object.keys(onDisk).length === Object.keys(compiled.sources).length && Object.entries(onDisk).every(([file, hash]) => compiled.sources[file] === hash);
		return same ? compiled.playbooks : undefined;
	}
	return undefined;
}

/** The playbooks in `dir` (default: the shipped steps/), checked; a broken one throws PlaybookError. */
export async function loadPlaybooks(dir: string = defaultPlaybookDir()): Promise<Playbooks> {
	const compiled = compiledFor(dir);
	if (compiled) return compiled;
	const {parsePlaybooks} = await import('./parse.js');
	return parsePlaybooks(dir);
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

/** Which playbooks a pasted key looks like by its shape alone, strongest first (src/playbooks/recognise.ts
 * adds context). Shapes that need context and the generic fallback never match. */
export function matchKey(playbooks: Playbooks, key: string): KeyMatch[] {
	return identifyKey(playbooks, key).flatMap(candidate => (candidate.strength === undefined ? [] : [{provider: candidate.provider, strength: candidate.strength, description: candidate.reasons[0]!.replace(/^(?:prefix|shape): /, '')}]));
}
