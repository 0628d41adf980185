// "Keep the key out of code", once for both callers: `leakfix harden` and the Rotate screen run
// this flow, each with its own ports. The flow finds the copies, plans one change per file and
// the config, the guards and the CI job; asks about each file (`confirm`: accept, leave, another
// store, or cancel); then asks once for everything (`confirmAll`). Nothing is written before that
// one yes; then every repository's writes go through one journal (a failure restores every byte),
// and `record` receives the session's events: harden.started, then hardened (built here, once)
// or harden.abandoned ("nothing written"). The flow holds its own state: the changes, the answers,
// each file's store.
import path from 'node:path';
import type {HardenStore, StoreAddress} from '../../core/harden.js';
import {type HardenOutcome, applyHardening} from './apply.js';
import {findHardcoded, type HardenChange, type HardenPlace, planChanges, projectLibraries, readersOf} from './changes.js';
import {type CiKind, type CiPlan, ciPlan, detectCi} from './ci.js';
import {committedGuard, type GuardPlan, guardPlan, guardWhere} from './guard.js';
import {configHygiene, scannersOnPath} from './hygiene.js';
import {type HardenEvent, hardeningRecord} from './record.js';

export type {HardenEvent} from './record.js';

/** One file's change as a prompt shows it (every copy of the key masked by the caller's redactor). */
export type FileView = {
	index: number;
	total: number;
	file: string;
	language: string | null;
	lines: number[];
	diff?: string;
	/** The refused lines and why, in one line. */
	refused?: string;
	snippet?: string;
	/** Where this file's service reads the key from now. */
	store: HardenStore;
	/** Another store was chosen for this file than the flow's default. */
	ownStore: boolean;
};

/** The answer about one file: its rewrite accepted, left as it is, made again for another store, or the whole flow cancelled. */
export type FileAnswer = 'accept' | 'leave' | 'cancel' | {store: HardenStore};

/** What the one confirmation shows. */
export type HardenSummary = {
	variable: string;
	/** Files that hold the key, and the rewrites accepted. */
	files: number;
	accepted: number;
	config: string[];
	/** Where the guards go, in one line. */
	guard: string;
	/** The CI job, as a diff (or why it is by hand), for the CI the repository uses. */
	ci: {kind: CiKind; diff: string; refused?: string} | null;
	scanners: string[];
};

export type HardenPorts = {
	confirm(file: FileView): Promise<FileAnswer>;
	confirmAll(summary: HardenSummary): Promise<boolean>;
	record(event: HardenEvent): void;
	/** Masks the key in what the prompts show. */
	redact(text: string): string;
	/** Runs the writing (the wizard shows it as under way); by default it just runs. */
	writing?<T>(work: () => Promise<T>): Promise<T>;
};

export type HardenInput = {
	repos: string[];
	/** The value that sits in files (an AWS pair's secret half). */
	key: string;
	variable: string;
	/** The default store, and a file's own (leakfix harden --store FILE=STORE). */
	store: HardenStore;
	storeFor?: (file: string) => HardenStore | undefined;
	address: (store: HardenStore) => StoreAddress;
	/** The CI job: for the CI the repository uses ('detect', the wizard), the one asked for, or none. */
	ci: 'detect' | CiKind | null;
};

export type HardenRepoPlan = {repo: string; config: string[]; guard: GuardPlan; ci: CiPlan | null; applyCi: CiKind | null};

export type HardenPrepared = {variable: string; store: HardenStore; places: HardenPlace[]; changes: HardenChange[]; stores: Map<number, HardenStore>; repos: HardenRepoPlan[]; config: string[]; scanners: string[]};

export type HardenRun = {status: 'applied' | 'cancelled'; prepared: HardenPrepared; accepted: Set<number>; outcomes: Array<{repo: string; outcome: HardenOutcome}>};

/** Every plan, nothing written: the changes file by file, and per repository the config, the guards and the CI job. */
export async function prepareHarden(input: HardenInput): Promise<HardenPrepared> {
	const roots = [...new Set(input.repos.map(repo => path.resolve(repo)))];
	const places = await findHardcoded(roots, input.key);
	const changes: HardenChange[] = [];
	const stores = new Map<number, HardenStore>();
	const repos: HardenRepoPlan[] = [];
	for (const repo of roots) {
		for (const file of [...new Set(places.filter(place => place.repo === repo).map(place => place.file))]) {
			const own = input.storeFor?.(file);
			const store = own ?? input.store;
			if (own && own !== input.store) stores.set(changes.length, own);
			changes.push(...planChanges(places.filter(place => place.repo === repo && place.file === file), input.key, input.variable, store, input.address(store), projectLibraries(repo)));
		}
	}
	for (const repo of roots) {
		// Where the guards go is checked before any file is changed.
		const guard = await guardPlan(repo, input.key);
		const kind = input.ci === 'detect' ? detectCi(repo) : input.ci;
		const ci = kind ? ciPlan(repo, kind, committedGuard(repo, input.key)) : null;
		// A detected CI's job is written with the rest only when it is leakfix's to write; one asked for always goes (it says when it is by hand).
		const applyCi = ci === null ? null : input.ci !== 'detect' ? ci.kind : !ci.refused && !ci.unchanged ? ci.kind : null;
		const config = await configHygiene(repo, input.variable, null);
		repos.push({repo, config, guard, ci, applyCi});
	}
	const config = repos.flatMap(plan => [...plan.config, ...(plan.applyCi && plan.ci && !plan.ci.refused && !plan.ci.unchanged ? [plan.ci.summary] : [])]);
	return {variable: input.variable, store: input.store, places, changes, stores, repos, config, scanners: await scannersOnPath()};
}

function fileView(prepared: HardenPrepared, index: number, redact: (text: string) => string): FileView {
	const change = prepared.changes[index]!;
	const own = prepared.stores.get(index);
	return {
		index,
		total: prepared.changes.length,
		file: change.file,
		language: change.language,
		lines: change.lines,
		...(change.diff ? {diff: redact(change.diff)} : {}),
		...(change.refused.length > 0 ? {refused: redact(change.refused.map(refusal => `line ${refusal.line}: ${refusal.reason}`).join('; ')), snippet: redact(change.snippet)} : {}),
		store: own ?? prepared.store,
		ownStore: own !== undefined,
	};
}

/** One file's change made again for another store (its lookup and comment). */
function replan(prepared: HardenPrepared, input: HardenInput, index: number, store: HardenStore): void {
	const change = prepared.changes[index]!;
	const [again] = planChanges(prepared.places.filter(place => place.repo === change.repo && place.file === change.file), input.key, input.variable, store, input.address(store), projectLibraries(change.repo));
	if (!again) return;
	prepared.changes[index] = again;
	prepared.stores.set(index, store);
}

export function summaryOf(prepared: HardenPrepared, accepted: Set<number>): HardenSummary {
	const ci = prepared.repos.find(plan => plan.ci && !plan.ci.unchanged)?.ci ?? null;
	return {
		variable: prepared.variable,
		files: prepared.changes.length,
		accepted: accepted.size,
		config: prepared.config,
		guard: prepared.repos.map(plan => guardWhere(plan.guard)).join('; '),
		ci: ci ? {kind: ci.kind, diff: ci.diff, ...(ci.refused ? {refused: ci.refused} : {})} : null,
		scanners: prepared.scanners,
	};
}

/** The whole flow: prepare, ask file by file, ask once, then write everything (or nothing) and record it. */
export async function runHarden(input: HardenInput, ports: HardenPorts): Promise<HardenRun> {
	const prepared = await prepareHarden(input);
	const accepted = new Set<number>();
	const cancelled = (): HardenRun => {
		// Nothing was written yet: a cancel is a cancel, and the timeline says so.
		ports.record({type: 'harden.abandoned', why: 'cancelled', files: accepted.size, config: prepared.config.length});
		return {status: 'cancelled', prepared, accepted, outcomes: []};
	};
	for (let index = 0; index < prepared.changes.length; index++) {
		for (;;) {
			const answer = await ports.confirm(fileView(prepared, index, ports.redact));
			if (answer === 'cancel') return cancelled();
			if (typeof answer === 'object') {
				replan(prepared, input, index, answer.store);
				continue;
			}
			if (answer === 'accept' && prepared.changes[index]!.diff) accepted.add(index);
			break;
		}
	}
	if (!(await ports.confirmAll(summaryOf(prepared, accepted)))) return cancelled();
	const write = ports.writing ?? (<T>(work: () => Promise<T>) => work());
	return write(async () => {
		const chosen = prepared.changes.filter((change, index) => accepted.has(index) && change.apply);
		ports.record({type: 'harden.started', files: chosen.map(change => change.file), config: prepared.config, guard: prepared.repos.map(plan => guardWhere(plan.guard)).join('; ')});
		const outcomes: HardenRun['outcomes'] = [];
		try {
			// Each repository's rewrites, config and guards are written whole, or not at all.
			for (const plan of prepared.repos) {
				const changes = chosen.filter(change => change.repo === plan.repo);
				outcomes.push({repo: plan.repo, outcome: await applyHardening({repo: plan.repo, variable: input.variable, key: input.key, changes, extras: true, ci: plan.applyCi})});
			}
		} catch (error) {
			ports.record({type: 'harden.abandoned', why: 'failed and was undone', files: chosen.length, config: prepared.config.length});
			throw error;
		}
		const readers = (await Promise.all(prepared.repos.map(plan => readersOf(plan.repo, input.variable)))).flat();
		ports.record({type: 'hardened', hardening: hardeningRecord(prepared, outcomes.map(one => one.outcome), readers, ports.redact)});
		return {status: 'applied' as const, prepared, accepted, outcomes};
	});
}
