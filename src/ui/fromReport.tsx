// `leakfix --from FILE` / `--from-github …`: the pick screen before the wizard. Opens one
// incident per picked secret (src/engines/intake/open.ts) and hands the first to the App.
import fs from 'node:fs';
import {render} from 'ink';
import type {Redactor} from '../core/secrets.js';
import type {Clock} from '../infra/clock.js';
import {UserError} from '../infra/errors.js';
import type {SessionStore} from '../infra/store.js';
import type {Playbooks} from '../playbooks/types.js';
import type {IntakeRead} from '../commands/intake.js';
import {visible} from '../core/text.js';
import type {AppStart} from './App.js';
import {PickSecrets} from './PickSecrets.js';
import type {OpenIncidentsPort} from './ports.js';

/** `openIncidents`: the intake engine's, handed in by the composition root (run.tsx). */
type Deps = {store: SessionStore; playbooks: Playbooks; redactor: Redactor; clock: Clock; cwd: string; stdin: NodeJS.ReadStream; openIncidents: OpenIncidentsPort};

/** Removes the report file; says exactly what happened. */
export function deleteReport(file: string): string {
	try {
		fs.unlinkSync(file);
	} catch (error) {
		return `Could not delete ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. It still holds the secrets in clear.`;
	}
	return fs.existsSync(file) ? `${file} is still there after the delete: remove it yourself.` : `Deleted ${file}. Copies of it elsewhere (CI artifacts, downloads) are not touched.`;
}

/** The pick screen; resolves to the App's start (the first incident, opened and locked) or undefined on quit. */
export async function pickFromReport(intake: IntakeRead, deps: Deps): Promise<AppStart | undefined> {
	const {store, playbooks, redactor, clock} = deps;
	for (const secret of intake.secrets) if (secret.secret !== null) redactor.add(secret.secret);
	const keys = new Map<string, string>();
	let chosen: string | undefined;
	let failure: unknown;
	const source = intake.reportFile ? intake.reportFile.split('/').at(-1)! : intake.source;
	const instance = render(
		<PickSecrets
			secrets={intake.secrets}
			source={intake.source}
			{...(intake.reportFile ? {reportFile: intake.reportFile} : {})}
			onOpen={(picked, where) => {
				try {
					const sessions = deps.openIncidents({store, playbooks, redactor, picked, source, where, at: clock.now().toISOString(), cwd: deps.cwd});
					sessions.forEach((session, index) => keys.set(session.id, picked[index]!.key));
					return {ids: sessions.map(session => session.id)};
				} catch (error) {
					if (error instanceof UserError) return {error: visible(error.message)};
					failure = error;
					instance.unmount();
					return {error: 'internal error'};
				}
			}}
			onDeleteReport={() => deleteReport(intake.reportFile!)}
			onDone={id => {
				chosen = id;
				instance.unmount();
			}}
			onQuit={() => instance.unmount()}
		/>,
		{stdin: deps.stdin, exitOnCtrlC: false, patchConsole: false},
	);
	await instance.waitUntilExit();
	if (failure !== undefined) throw failure;
	if (chosen === undefined) {
		if (keys.size > 0) process.stdout.write(`Opened ${[...keys.keys()].join(', ')}. Pick one up with leakfix resume <id>.\n`);
		return undefined;
	}
	const session = store.load(chosen);
	const lock = store.lock(chosen);
	return {kind: 'open', session, lock, key: keys.get(chosen)!};
}
