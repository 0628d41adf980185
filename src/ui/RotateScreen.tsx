// Step 4's work screen: the rotation in the order the provider's pattern asks for. The new key
// first (typed masked, probed live), then every store, staging before production, each command
// shown masked and run only on y; then the old key's deactivation. `d` shows every command
// without running any (the dry run).
import {claimFor} from '../core/claims.js';
import {hardenedLine} from '../core/session.js';
import {Box, Text, useInput, useStdout} from 'ink';
import {useRef, useState} from 'react';
import {storeAddress} from '../core/inventory/address.js';
import type {InventoryEntry, Session} from '../core/model.js';
import {planUpdate, updateOrder} from '../core/stores.js';
import {formatTime} from '../core/time.js';
import type {DeactivationCommand} from '../engines/rotate.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {Work} from './useWork.js';
import {TextInput} from './widgets/TextInput.js';
import {useConsumedKey} from './useConsumedKey.js';
import {Select} from './widgets/Select.js';
import {visibleWindow} from './wizardUi.js';
import {direction, footerHint, intentFor, keyMatches, type KeyContext} from './keymap.js';
import {Help} from './Help.js';
import {visible, visibleBlock} from '../core/text.js';

type Task =
	| {kind: 'contain'}
	| {kind: 'new-key'}
	| {kind: 'update'; entry: InventoryEntry}
	| {kind: 'restart'; entry: InventoryEntry}
	| {kind: 'deactivate'}
	| {kind: 'harden'};

/** enter: the first new key; reenter: the one already chosen (must match its fingerprint); replace: a different one, on purpose. */
type KeyPurpose = 'enter' | 'reenter' | 'replace';
type HardenStore = 'env' | 'aws-sm' | 'vault' | 'conjur';
type HardenFile = {file: string; language: string | null; lines: number[]; diff?: string; refused?: string; snippet?: string};
type HardenPlan = {variable: string; files: HardenFile[]; config: string[]; guard: string; scanners: string[]; /** The CI job's diff (or why it is by hand), for the CI the repository uses. */ ci?: {diff: string; refused?: string} | null};
/** The guards and the CI job, as the one confirmation shows them. */
const guardLines = (plan: HardenPlan): string[] => [
	`the guards in ${plan.guard} (pre-commit, and pre-push over the commits a push carries: they refuse the key by its sha256)`,
	...(plan.ci ? (plan.ci.refused ? [`CI job: by hand: ${plan.ci.refused}`] : ['the CI job, as a diff:', ...plan.ci.diff.split('\n')]) : []),
];
type Mode =
	| {kind: 'list'}
	| {kind: 'new-key'; purpose: KeyPurpose; text: string; error?: string; then?: Task}
	| {kind: 'harden-store'}
	| {kind: 'harden-file'; store: HardenStore; plan: HardenPlan; index: number; applied: Set<number>; error?: string; fileStore?: HardenStore}
	| {kind: 'confirm'; task: Task; lines: string[]; command?: DeactivationCommand | null; store?: HardenStore; applied?: Set<number>}
	| {kind: 'skip'; entry: InventoryEntry; text: string}
	| {kind: 'dry-run'};

const PATTERN: Record<ProviderPlaybook['rotation']['pattern'], string> = {
	'create-then-revoke': 'create the new key, move every consumer to it (staging first), then deactivate the old one: no downtime',
	regenerate: 'regenerating kills the old key at once: plan the downtime, then update every consumer as fast as you can',
	'promote-secondary': 'promote the secondary key, move every consumer to it, then make a new secondary',
	'deactivate-only': 'deactivate the old key; consumers move to another credential',
	unknown: "check the provider's documentation: most let you create a second key first",
};

export function rotateTasks(session: Session, pattern: ProviderPlaybook['rotation']['pattern'] = 'create-then-revoke'): Task[] {
	const deactivated = session.rotation?.deactivatedAt !== undefined;
	// Regenerating kills the old key at once: there is nothing to contain or deactivate after.
	const regenerate = pattern === 'regenerate';
	const contain = session.severity?.containFirst && !deactivated && !regenerate ? [{kind: 'contain' as const}] : [];
	const entries = updateOrder(session.inventory ?? []);
	return [
		...contain,
		{kind: 'new-key'},
		...entries.flatMap(entry => [{kind: 'update' as const, entry}, ...(entry.restart ? [{kind: 'restart' as const, entry}] : [])]),
		...((contain.length === 0 || deactivated) && !regenerate ? [{kind: 'deactivate' as const}] : []),
		{kind: 'harden' as const},
	];
}

const STATUS = {done: ['✓', 'green'], failed: ['✗', 'red'], skipped: ['–', 'yellow'], manual: ['✎', 'cyan']} as const;

export function RotateScreen({session, provider, work, keyPresent, redact, onBack, onQuit}: {session: Session; provider: ProviderPlaybook; work: Work; keyPresent: boolean; redact(text: string): string; onBack(): void; onQuit(): void}) {
	const tasks = rotateTasks(session, provider.rotation.pattern);
	const tasksRef = useRef(tasks);
	tasksRef.current = tasks;
	const [mode, setModeState] = useState<Mode>({kind: 'list'});
	const modeRef = useRef<Mode>(mode);
	const setMode = (next: Mode) => {
		const wasPrompt = modeRef.current.kind === 'new-key' || modeRef.current.kind === 'skip';
		modeRef.current = next;
		setModeState(next);
		if (wasPrompt && next.kind === 'list') {
			consume();
		}
	};
	const {consumed, consume} = useConsumedKey();
	const cursorRef = useRef(0);
	const [cursor, setCursor] = useState(0);
	const move = (to: number) => {
		cursorRef.current = Math.max(0, Math.min(tasksRef.current.length - 1, to));
		setCursor(cursorRef.current);
	};
	const {stdout} = useStdout();
	const helpRef = useRef(false);
	const [help, setHelp] = useState(false);
	const showHelp = (open: boolean) => {
		helpRef.current = open;
		setHelp(open);
	};
	// What the list's keys can do on a task now: the input handler, the footer and the help read the same.
	const context = (task: Task | undefined): KeyContext => ({
		several: tasksRef.current.length > 1,
		task: !work.busy && task !== undefined,
		update: !work.busy && task?.kind === 'update',
		checkable: !work.busy && (task?.kind === 'update' || task?.kind === 'restart') && task.entry.health !== undefined,
	});
	const newKeyLive = session.rotation?.newKeyProbe?.status === 'live' || (session.rotation?.newKey !== undefined && !provider.probe);
	const label = work.newKey ? session.rotation?.newKey?.masked ?? '<new key>' : '<the new key, on stdin>';

	const open = async (task: Task, justEntered?: string) => {
		switch (task.kind) {
			case 'new-key': {
				setMode({kind: 'new-key', purpose: session.rotation?.newKey ? (work.newKey ? 'replace' : 'reenter') : 'enter', text: ''});
				return;
			}

			case 'update': {
				if (!work.newKey && justEntered === undefined) {
					setMode(session.rotation?.newKey ? {kind: 'new-key', purpose: 'reenter', text: '', then: task} : {kind: 'new-key', purpose: 'enter', text: '', error: 'Enter the new key first.'});
					return;
				}
				if (!newKeyLive) {
					work.say('The new key has not probed live: nothing is updated until it does (Enter on the first task probes it).', true);
					return;
				}
				const plan = planUpdate(task.entry.store, label);
				const lines = plan.kind === 'manual' ? [`This one is done by hand: ${plan.reason}`, 'y marks it done by hand once you have changed it'] : [...plan.display, plan.why];
				setMode({kind: 'confirm', task, lines});
				// What the store holds now (read-only), shown beside the plan before the answer.
				void work.preview(task.entry).then(now => {
					const current = modeRef.current;
					if (now.length > 0 && current.kind === 'confirm' && current.task === task) setMode({...current, lines: [...lines, ...now]});
				});
				return;
			}

			case 'restart': {
				setMode({kind: 'confirm', task, lines: [task.entry.restart!.join(' ')]});
				return;
			}

			case 'harden': {
				setMode({kind: 'harden-store'});
				return;
			}

			case 'contain':
			case 'deactivate': {
				const command = await work.deactivationCommand();
				const steps = provider.rotation.deactivate?.steps ?? `Deactivate (or delete) the old key ${session.key.masked} in ${provider.name}'s dashboard.`;
				const pending = (session.inventory ?? []).filter(entry => !entry.update || entry.update.status === 'failed' || entry.update.status === 'skipped');
				const names = pending.map(entry => entry.service).slice(0, 3).join(', ');
				const warning =
					pending.length === 0
						? []
						: task.kind === 'deactivate'
							? [`⚠ ${pending.length} consumer(s) not on the new key yet (${names}): they break the moment the old key dies.`]
							: [`Containing first: ${pending.length} consumer(s) still on the old key (${names}) break until they are updated. That is the point: someone else may be using it.`];
				setMode({
					kind: 'confirm',
					task,
					command,
					lines: [...warning, ...(command ? [redact(command.display), `(or by hand: ${steps})`] : [steps, 'y records that you have done it (the time is the time to contain)'])],
				});
				return;
			}
		}
	};

	useInput((input, key) => {
		const current = modeRef.current;
		if (current.kind === 'new-key' || current.kind === 'skip' || current.kind === 'harden-store' || consumed.current) return;
		if (keyMatches('ctrl-c', input, key)) {
			onQuit();
			return;
		}
		if (helpRef.current) {
			const intent = intentFor('help', input, key);
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'close') showHelp(false);
			return;
		}
		if (current.kind === 'dry-run') {
			if (intentFor('rotate-dry-run', input, key).type === 'close') setMode({kind: 'list'});
			return;
		}
		if (current.kind === 'harden-file') {
			// File by file: y accepts this file's rewrite, n leaves it; nothing is written until the
			// final confirmation, which runs the accepted rewrites, the config and the guard together.
			// 1–4 choose where this file's service reads the key from.
			const stores: HardenStore[] = ['env', 'aws-sm', 'vault', 'conjur'];
			const intent = intentFor('rotate-harden-file', input, key);
			if (intent.type === 'store') {
				const chosen = stores[Number(intent.key) - 1]!;
				void work.hardenReplan(current.index, chosen).then(file => {
					if (!file || modeRef.current.kind !== 'harden-file') return;
					const files = [...modeRef.current.plan.files];
					files[current.index] = file;
					setMode({...modeRef.current, plan: {...modeRef.current.plan, files}, fileStore: chosen});
				});
				return;
			}
			if (intent.type !== 'accept' && intent.type !== 'leave' && intent.type !== 'cancel') return;
			if (intent.type === 'cancel') {
				// Nothing was written yet: a cancel is a cancel.
				work.hardenCancel(current.applied);
				setMode({kind: 'list'});
				return;
			}
			const applied = new Set(current.applied);
			const file = current.plan.files[current.index]!;
			if (intent.type === 'accept' && file.diff) applied.add(current.index);
			if (current.index + 1 < current.plan.files.length) setMode({...current, index: current.index + 1, applied, error: undefined, fileStore: undefined});
			else
				setMode({
					kind: 'confirm',
					task: {kind: 'harden'},
					store: current.store,
					applied,
					lines: [
						`Nothing is written yet. y writes all of this together (a failure undoes it all); any other key cancels:`,
						`${applied.size} file(s) rewritten to read ${current.plan.variable}`,
						...current.plan.config,
						...guardLines(current.plan),
						...(current.plan.scanners.length > 0 ? ['Installed scanners you can wire as well:', ...current.plan.scanners] : []),
					],
				});
			return;
		}
		if (current.kind === 'confirm') {
			if (intentFor('rotate-confirm', input, key).type === 'yes') {
				const task = current.task;
				setMode({kind: 'list'});
				if (task.kind === 'update') {
					const plan = planUpdate(task.entry.store, label);
					if (plan.kind === 'manual') work.resolve(task.entry, 'manual', `done by hand: ${plan.reason}`);
					else void work.update(task.entry);
				} else if (task.kind === 'harden') void work.hardenFinish(current.store ?? 'env', current.applied ?? new Set());
				else if (task.kind === 'restart') void work.restart(task.entry);
				else void work.deactivate(current.command ?? null);
			} else {
				// Cancelled: nothing was written, and the timeline says so.
				if (current.task.kind === 'harden') work.hardenCancel(current.applied ?? new Set());
				setMode({kind: 'list'});
			}
			return;
		}
		const task = tasksRef.current[Math.min(cursorRef.current, tasksRef.current.length - 1)];
		const intent = intentFor('rotate', input, key, context(task));
		switch (intent.type) {
			case 'move': {
				move(cursorRef.current + direction(intent));
				break;
			}

			case 'back': {
				onBack();
				break;
			}

			case 'new-key': {
				setMode({kind: 'new-key', purpose: session.rotation?.newKey ? (work.newKey ? 'replace' : 'reenter') : 'enter', text: ''});
				break;
			}

			case 'dry-run': {
				setMode({kind: 'dry-run'});
				break;
			}

			case 'do': {
				if (task) void open(task);
				break;
			}

			case 'skip': {
				if (task?.kind === 'update') setMode({kind: 'skip', entry: task.entry, text: ''});
				break;
			}

			case 'by-hand': {
				if (task?.kind === 'update') work.resolve(task.entry, 'manual', 'marked done by hand by the responder');
				break;
			}

			case 'check': {
				if ((task?.kind === 'update' || task?.kind === 'restart') && task.entry.health) void work.health([task.entry], 'health');
				break;
			}

			case 'help': {
				showHelp(true);
				break;
			}

			case 'quit': {
				onQuit();
				break;
			}

			case 'none': {
				break;
			}
		}
	});

	const statusOf = (task: Task): {mark: string; color: string; detail: string} => {
		switch (task.kind) {
			case 'contain':
				return {mark: '!', color: 'redBright', detail: session.severity?.containFirst ?? ''};
			case 'new-key': {
				const probe = session.rotation?.newKeyProbe;
				if (!session.rotation?.newKey) return {mark: ' ', color: 'white', detail: provider.rotation.create ?? provider.rotation.notes};
				return {mark: newKeyLive ? '✓' : '✗', color: newKeyLive ? 'green' : 'red', detail: `${session.rotation.newKey.masked}${probe ? `: ${probe.status} (${probe.reason})` : provider.probe ? ': not probed yet' : `: ${provider.name} has no probe`}${work.newKey ? '' : ' · not entered in this session (n)'}`};
			}
			case 'update': {
				const result = task.entry.update;
				const health = task.entry.healthResult;
				if (!result) return {mark: ' ', color: 'white', detail: planUpdate(task.entry.store, label).display.join(' · ')};
				const [mark, color] = STATUS[result.status];
				const retry = task.entry.updateRetry;
				return {mark, color, detail: `${result.detail}${retry ? ` · a re-run failed (${formatTime(retry.at)}): ${retry.detail}; the store still holds the new key from ${formatTime(result.at)}` : ''}${health ? ` · health: ${health.status === 'done' ? 'ok' : health.detail}` : ''}`};
			}
			case 'restart': {
				const result = task.entry.restarted;
				if (!result) return {mark: ' ', color: 'white', detail: task.entry.restart!.join(' ')};
				const [mark, color] = STATUS[result.status];
				return {mark, color, detail: result.detail};
			}
			case 'harden': {
				const h = session.hardening;
				if (session.hardeningPending) {
					// Under way in this process, or left by one that died while writing.
					return work.busy ? {mark: '…', color: 'cyan', detail: `writing ${session.hardeningPending.files.length} file rewrite(s), the config and the guard, then proving the guard`} : {mark: '!', color: 'red', detail: claimFor(session, 'rotate', 'keep-out-of-code')?.why ?? 'interrupted'};
				}
				if (!h) return {mark: ' ', color: 'white', detail: 'Hard-coded copies become reads of the variable; .env.example, .gitignore, pre-commit and pre-push guards, and a CI job where the repository has CI (the key by its sha256). Shown first, y applies.'};
				const claim = claimFor(session, 'rotate', 'keep-out-of-code');
				const whole = claim?.status === 'done';
				return {mark: whole ? '✓' : '✎', color: whole ? 'green' : 'cyan', detail: hardenedLine(h).replace(/^Kept out of code: /, '')};
			}
			case 'deactivate':
				return session.rotation?.deactivatedAt
					? {mark: '✓', color: 'green', detail: `${formatTime(session.rotation.deactivatedAt)}: ${session.rotation.deactivation}`}
					: {mark: ' ', color: 'white', detail: provider.rotation.deactivate?.steps ?? 'in the provider dashboard'};
		}
	};
	const title = (task: Task) =>
		task.kind === 'contain'
			? 'Contain first: deactivate the old key now'
			: task.kind === 'new-key'
				? 'Create the new key and enter it (it must probe live before any update)'
				: task.kind === 'update'
					? `Update ${visible(task.entry.service)} [${task.entry.environment}]: ${visible(storeAddress(task.entry.store))}`
					: task.kind === 'restart'
						? `Restart ${visible(task.entry.service)}`
						: task.kind === 'harden'
							? 'Keep the key out of code: de-hard-code it and guard the repository'
							: 'Deactivate the old key (after every consumer uses the new one)';

	const selected = tasks[Math.min(cursor, tasks.length - 1)];
	if (help) {
		return (
			<Box marginTop={1}>
				<Help screen="rotate" context={context(selected)} />
			</Box>
		);
	}

	const {start, end} = visibleWindow(tasks.length, cursor, 12);
	let bottom: React.ReactNode;
	switch (mode.kind) {
		case 'new-key': {
			const known = session.rotation?.newKey;
			const label = mode.purpose === 'reenter' ? `Re-enter the new key (${known?.masked}):` : mode.purpose === 'replace' ? `Replace the new key ${known?.masked} with:` : 'The new key:';
			const hint =
				mode.purpose === 'reenter'
					? 'leakfix never stores it; its fingerprint must match · Esc to cancel'
					: mode.purpose === 'replace'
						? 'a different key: every consumer is updated again with it · Esc to cancel'
						: work.demoIssueKey
							? 'DEMO: Enter on an empty line makes a new key in the fake dashboard · Esc to cancel'
							: 'typed masked, kept in memory only · Enter to probe it · Esc to cancel';
			bottom = (
				<TextInput
					mask
					label={label}
					value={mode.text}
					{...(mode.error ? {error: mode.error} : {})}
					hint={hint}
					onChange={text => setMode({...mode, text, error: undefined})}
					onSubmit={text => {
						let key = text.trim();
						if (!key && mode.purpose === 'enter' && work.demoIssueKey) key = work.demoIssueKey();
						if (!key) return;
						if (mode.purpose === 'reenter') {
							if (work.reenterNewKey(key)) {
								setMode({kind: 'list'});
								// Straight on to what needed it (the update's confirmation).
								if (mode.then) queueMicrotask(() => void open(mode.then!, key));
							}
							else setMode({...mode, text: '', error: `That is not the new key ${known?.masked} (fingerprint differs). To use a different one, Esc, then n.`});
							return;
						}
						setMode({kind: 'list'});
						void work.enterNewKey(key);
					}}
					onCancel={() => setMode({kind: 'list'})}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'skip': {
			bottom = (
				<TextInput
					label="Why skip it?"
					value={mode.text}
					redact={redact}
					hint="Enter to save (the reason goes into the report) · Esc to cancel"
					onChange={text => setMode({...mode, text})}
					onSubmit={text => {
						if (!text.trim()) return;
						work.resolve(mode.entry, 'skipped', text.trim());
						setMode({kind: 'list'});
					}}
					onCancel={() => setMode({kind: 'list'})}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'confirm': {
			bottom = (
				<Box flexDirection="column">
					<Text bold>{title(mode.task)}: this changes a system. Run it?</Text>
					{mode.lines.map((line, index) => (
						<Text key={index} color="cyan" wrap="wrap">
							{visible(redact(line))}
						</Text>
					))}
					<Text dimColor>{footerHint('rotate-confirm')}</Text>
				</Box>
			);
			break;
		}

		case 'harden-store': {
			bottom = (
				<Box flexDirection="column">
					<Text bold>Where will the services read the key from?</Text>
					<Select
						items={[
							{key: 'env', label: 'an environment variable (an ignored .env locally, the platform settings in production)', value: 'env' as HardenStore},
							{key: 'aws-sm', label: 'AWS Secrets Manager, injected as the variable at deploy', value: 'aws-sm' as HardenStore},
							{key: 'vault', label: 'HashiCorp Vault KV v2, injected by the Vault Agent', value: 'vault' as HardenStore},
							{key: 'conjur', label: 'CyberArk Conjur, injected by Summon or the Secrets Provider', value: 'conjur' as HardenStore},
						]}
						onSelect={item => {
							const store = item.value;
							work
								.hardenPrepare(store)
								.then(plan =>
									setMode(
										plan.files.length > 0
											? {kind: 'harden-file', store, plan, index: 0, applied: new Set()}
											: {kind: 'confirm', task: {kind: 'harden'}, store, applied: new Set(), lines: ['No committed file holds the key.', ...plan.config, ...guardLines(plan)]},
									),
								)
								.catch((error: unknown) => {
									setMode({kind: 'list'});
									work.say((error as Error).message, true);
								});
						}}
						onBack={() => setMode({kind: 'list'})}
						onQuit={onQuit}
					/>
				</Box>
			);
			break;
		}

		case 'harden-file': {
			const file = mode.plan.files[mode.index]!;
			const diff = (file.diff ?? '').split('\n').slice(2, file.refused ? 12 : 18);
			bottom = (
				<Box flexDirection="column">
					<Text bold>
						{mode.index + 1}/{mode.plan.files.length} {visible(file.file)} ({file.language ?? 'unknown language'}, line{file.lines.length === 1 ? '' : 's'} {file.lines.join(', ')})
					</Text>
					{file.diff
						? diff.map((line, index) => (
								<Text key={index} color={line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : line.startsWith('@@') ? 'cyan' : undefined} wrap="truncate">
									{visibleBlock(line)}
								</Text>
							))
						: null}
					{file.refused ? (
						<>
							<Text color="yellow" wrap="wrap">
								Not rewritten: {visible(file.refused)}. Paste instead:
							</Text>
							<Text color="cyan" wrap="wrap">
								{visibleBlock(file.snippet ?? '')}
							</Text>
						</>
					) : null}
					{mode.error ? <Text color="red">{visible(mode.error)}</Text> : null}
					<Text dimColor>
						reads from {{env: 'the environment', 'aws-sm': 'AWS Secrets Manager', vault: 'Vault', conjur: 'Conjur'}[mode.fileStore ?? mode.store]} (1 env · 2 AWS SM · 3 Vault · 4 Conjur) · {file.diff ? 'y accepts this rewrite (written at the end, after one confirmation) · n leaves it' : 'n (or y) goes on'} · Esc cancels (nothing written)
					</Text>
				</Box>
			);
			break;
		}

		case 'dry-run': {
			bottom = (
				<Box flexDirection="column">
					<Text bold>Dry run: what step 4 would do, in order (nothing runs)</Text>
					{tasks.map((task, index) => (
						<Text key={index} wrap="wrap">
							{task.kind === 'update'
								? `${visible(redact(planUpdate(task.entry.store, label).display.join(' ; ')))}`
								: task.kind === 'restart'
									? visible(task.entry.restart!.join(' '))
									: task.kind === 'contain' || task.kind === 'deactivate'
										? `${title(task)}: ${visible(provider.rotation.deactivate?.steps ?? `in ${provider.name}'s dashboard`)}`
										: title(task)}
						</Text>
					))}
					<Text dimColor>{footerHint('rotate-dry-run')}</Text>
				</Box>
			);
			break;
		}

		case 'list': {
			bottom = (
				<Text dimColor wrap="truncate">
					{footerHint('rotate', context(selected), (stdout.columns || 100) - 2)}
				</Text>
			);
			break;
		}
	}

	return (
		<Box marginTop={1} flexDirection="column">
			<Text bold wrap="truncate">
				Rotate · {visible(provider.name)}: {PATTERN[provider.rotation.pattern]}
			</Text>
			{keyPresent ? null : <Text color="yellow">The old key is not entered (k on the wizard): deactivating it through a command needs its id.</Text>}
			{start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
			{tasks.slice(start, end).map((task, offset) => {
				const index = start + offset;
				const status = statusOf(task);
				return (
					<Text key={index} wrap="truncate" inverse={index === cursor}>
						<Text color={status.color}>[{status.mark}]</Text> {title(task)}
					</Text>
				);
			})}
			{end < tasks.length ? <Text dimColor>  ↓ {tasks.length - end} more</Text> : null}
			{selected ? (
				<Box borderStyle="single" borderColor="gray" paddingX={1}>
					<Text wrap="wrap">{visible(redact(statusOf(selected).detail))}</Text>
				</Box>
			) : null}
			{work.busy ? <Text color="cyan">{visible(work.busy.what)}…</Text> : null}
			{work.message ? <Text color={work.message.error ? 'red' : 'green'} wrap="wrap">{visible(work.message.text)}</Text> : null}
			<Box marginTop={1}>{bottom}</Box>
		</Box>
	);
}
