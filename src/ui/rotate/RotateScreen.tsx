// Step 4's work screen: the rotation plan (src/core/rotation-plan.ts) as a list of tasks, worked
// one by one. The new key first (typed masked, probed live), then every store, staging before
// production, each command shown masked and run only on y; keeping the key out of code (the one
// harden flow, answered here file by file); then the old key's deactivation. `l` shows the plan's
// dry run, the same lines as `leakfix rotate --dry-run`. Keys become intents (keymap.ts), intents
// become actions of the pure reducer (./reducer.ts); the panels are in ./panels.tsx.
import {Box, Text, useInput, useStdout} from 'ink';
import {useRef, useState} from 'react';
import {deactivationWarning, newKeyLive, newKeyLabel, type PlannedTask, rotationPlan, type RotationTask, taskTitle} from '../../core/rotation-plan.js';
import type {ProviderPlaybook} from '../../playbooks/schema.js';
import type {Session} from '../../core/model.js';
import {planUpdate} from '../../core/stores.js';
import {visible} from '../../core/text.js';
import type {FileAnswer} from '../../engines/harden/flow.js';
import {Help} from '../Help.js';
import {direction, footerHint, intentFor, keyMatches, keyOf, type KeyContext} from '../keymap.js';
import {useConsumedKey} from '../useConsumedKey.js';
import {visibleWindow} from '../wizardUi.js';
import {bodyRows, rowsOf} from './fit.js';
import type {HardenStore, RotateWork} from './hardenWork.js';
import {ConfirmPanel, confirmChrome, DryRunPanel, HardenFilePanel} from './panels.js';
import {HardenStorePrompt, NewKeyPrompt, SkipPrompt} from './prompts.js';
import {hardenConfirm, initialView, isTextPrompt, keyPurpose, type RotateAction, rotateReducer, updateMode} from './reducer.js';

const STORES: HardenStore[] = ['env', 'aws-sm', 'vault', 'conjur'];

function TaskLine({planned, selected}: {planned: PlannedTask; selected: boolean}) {
	return (
		<Text wrap="truncate" inverse={selected}>
			<Text color={planned.status.color}>[{planned.status.mark}]</Text> {planned.title}
		</Text>
	);
}

export function RotateScreen({session, provider, work, keyPresent, redact, onBack, onQuit}: {session: Session; provider: ProviderPlaybook; work: RotateWork; keyPresent: boolean; redact(text: string): string; onBack(): void; onQuit(): void}) {
	const here = {newKeyEntered: work.newKey !== undefined, busy: work.busy !== null};
	const plan = rotationPlan(session, provider, here);
	const tasksRef = useRef(plan.tasks);
	tasksRef.current = plan.tasks;
	const [view, setView] = useState(initialView);
	const viewRef = useRef(view);
	const {consumed, consume} = useConsumedKey();
	const act = (action: RotateAction) => {
		const before = viewRef.current;
		const next = rotateReducer(before, action);
		viewRef.current = next;
		setView(next);
		// The Enter that closed a text prompt is not also the list's.
		if (isTextPrompt(before.mode) && next.mode.kind === 'list') consume();
	};
	// The harden flow's one open question: its port's promise resolves on the key that answers it.
	const answer = useRef<((value: FileAnswer | boolean) => void) | null>(null);
	const ask = <T extends FileAnswer | boolean>(action: RotateAction) =>
		new Promise<T>(resolve => {
			answer.current = resolve as (value: FileAnswer | boolean) => void;
			act(action);
		});
	const reply = (value: FileAnswer | boolean) => {
		const resolve = answer.current;
		answer.current = null;
		resolve?.(value);
	};
	const {stdout} = useStdout();
	const height = stdout.rows || 30;
	const width = (stdout.columns || 100) - 2;
	// What the list's keys can do on a task now: the input handler, the footer and the help read the same.
	const context = (task: RotationTask | undefined): KeyContext => ({
		several: tasksRef.current.length > 1,
		task: !work.busy && task !== undefined,
		update: !work.busy && task?.kind === 'update',
		checkable: !work.busy && (task?.kind === 'update' || task?.kind === 'restart') && task.entry.health !== undefined,
	});
	const label = newKeyLabel(session, here);
	const newKeyMode = () => ({kind: 'new-key' as const, purpose: keyPurpose(session.rotation?.newKey !== undefined, work.newKey !== undefined), text: ''});

	const startHarden = (store: HardenStore) => {
		act({type: 'open', mode: {kind: 'harden-wait'}});
		work.harden
			.run(store, {confirm: file => ask<FileAnswer>({type: 'harden-file', file}), confirmAll: summary => ask<boolean>({type: 'open', mode: hardenConfirm(summary)})})
			.catch((error: unknown) => {
				act({type: 'close'});
				work.say(redact((error as Error).message), true);
			});
	};

	const open = async (task: RotationTask, justEntered?: string) => {
		switch (task.kind) {
			case 'new-key':
				act({type: 'open', mode: newKeyMode()});
				return;
			case 'update': {
				const mode = updateMode(task, planUpdate(task.entry.store, label), {enteredHere: work.newKey !== undefined || justEntered !== undefined, known: session.rotation?.newKey !== undefined});
				if (mode.kind === 'confirm' && !newKeyLive(session, provider)) {
					work.say('The new key has not probed live: nothing is updated until it does (Enter on the first task probes it).', true);
					return;
				}
				act({type: 'open', mode});
				// What the store holds now (read-only), shown beside the plan before the answer.
				if (mode.kind === 'confirm') void work.preview(task.entry).then(lines => act({type: 'preview', task, lines}));
				return;
			}
			case 'restart':
				act({type: 'open', mode: {kind: 'confirm', task, lines: [task.entry.restart!.join(' ')]}});
				return;
			case 'harden':
				act({type: 'open', mode: {kind: 'harden-store'}});
				return;
			case 'contain':
			case 'deactivate': {
				const command = await work.deactivationCommand();
				const steps = provider.rotation.deactivate?.steps ?? `Deactivate (or delete) the old key ${session.key.masked} in ${provider.name}'s dashboard.`;
				const lines = [...deactivationWarning(session, task.kind), ...(command ? [redact(command.display), `(or by hand: ${steps})`] : [steps, 'y records that you have done it (the time is the time to contain)'])];
				act({type: 'open', mode: {kind: 'confirm', task, command, lines}});
				return;
			}
		}
	};

	const confirmed = (yes: boolean) => {
		const current = viewRef.current.mode;
		if (current.kind !== 'confirm') return;
		act({type: 'close'});
		const task = current.task;
		// The harden flow waits on this answer (no: nothing written, and the timeline says so).
		if (task.kind === 'harden') reply(yes);
		else if (!yes) return;
		else if (task.kind === 'update') {
			const update = planUpdate(task.entry.store, label);
			if (update.kind === 'manual') work.resolve(task.entry, 'manual', `done by hand: ${update.reason}`);
			else void work.update(task.entry);
		} else if (task.kind === 'restart') void work.restart(task.entry);
		else if (task.kind === 'contain' || task.kind === 'deactivate') void work.deactivate(current.command ?? null);
	};

	useInput((input, key) => {
		const current = viewRef.current;
		if (isTextPrompt(current.mode) || current.mode.kind === 'harden-store' || consumed.current) return;
		if (keyMatches('ctrl-c', input, key)) return onQuit();
		if (current.help) {
			const intent = intentFor('help', input, key);
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'close') act({type: 'help', open: false});
			return;
		}
		switch (current.mode.kind) {
			case 'harden-wait':
				return;
			case 'dry-run': {
				const intent = intentFor('rotate-dry-run', input, key).type;
				if (intent === 'quit') onQuit();
				else if (intent === 'close') act({type: 'close'});
				return;
			}
			case 'confirm': {
				// q quits: the question is answered no first (nothing runs, a harden records "nothing written").
				const intent = intentFor('rotate-confirm', input, key).type;
				confirmed(intent === 'yes');
				if (intent === 'quit') onQuit();
				return;
			}
			case 'harden-file': {
				// y accepts this file's rewrite, n leaves it, 1–4 another store for its service; nothing
				// is written until the one confirmation. Esc cancels: nothing written.
				const intent = intentFor('rotate-harden-file', input, key);
				if (intent.type === 'store') reply({store: STORES[Number(intent.key) - 1]!});
				else if (intent.type === 'accept' || intent.type === 'leave') reply(intent.type);
				else if (intent.type === 'cancel' || intent.type === 'quit') {
					act({type: 'close'});
					reply('cancel');
					if (intent.type === 'quit') onQuit();
				}
				return;
			}
			default:
				break;
		}
		const tasks = tasksRef.current;
		const task = tasks[Math.min(current.cursor, tasks.length - 1)]?.task;
		const intent = intentFor('rotate', input, key, context(task));
		if (intent.type === 'move') act({type: 'move', by: direction(intent), count: tasks.length});
		else if (intent.type === 'back') onBack();
		else if (intent.type === 'new-key') act({type: 'open', mode: newKeyMode()});
		else if (intent.type === 'dry-run') act({type: 'open', mode: {kind: 'dry-run'}});
		else if (intent.type === 'do' && task) void open(task);
		else if (intent.type === 'skip' && task?.kind === 'update') act({type: 'open', mode: {kind: 'skip', entry: task.entry, text: ''}});
		else if (intent.type === 'by-hand' && task?.kind === 'update') work.resolve(task.entry, 'manual', 'marked done by hand by the responder');
		else if (intent.type === 'check' && (task?.kind === 'update' || task?.kind === 'restart') && task.entry.health) void work.health([task.entry], 'health');
		else if (intent.type === 'help') act({type: 'help', open: true});
		else if (intent.type === 'quit') onQuit();
	});

	const tasks = plan.tasks;
	const cursor = Math.min(view.cursor, tasks.length - 1);
	const selected = tasks[cursor];
	if (view.help) {
		return (
			<Box marginTop={1}>
				<Help screen="rotate" context={context(selected?.task)} current={selected ? <TaskLine planned={selected} selected /> : undefined} />
			</Box>
		);
	}

	const mode = view.mode;
	// A panel that can be long (a confirmation, a file's diff, the dry run, the harden flow's questions) shows only the current task above it.
	const focused = mode.kind === 'confirm' || mode.kind === 'harden-file' || mode.kind === 'dry-run' || mode.kind === 'harden-wait' || mode.kind === 'harden-store';
	const messageRows = (work.busy ? 1 : 0) + (work.message ? rowsOf(visible(work.message.text), width) : 0);
	const rows = bodyRows(height, 4 + (keyPresent ? 0 : 1) + messageRows);
	let bottom: React.ReactNode;
	if (mode.kind === 'new-key') {
		const onSubmit = (text: string) => {
			let typed = text.trim();
			if (!typed && mode.purpose === 'enter' && work.demoIssueKey) typed = work.demoIssueKey();
			if (!typed) return;
			if (mode.purpose !== 'reenter') {
				act({type: 'close'});
				void work.enterNewKey(typed);
			} else if (work.reenterNewKey(typed)) {
				act({type: 'close'});
				// Straight on to what needed it (the update's confirmation).
				if (mode.then) queueMicrotask(() => void open(mode.then!, typed));
			} else act({type: 'key-error', error: `That is not the new key ${session.rotation?.newKey?.masked} (fingerprint differs). To use a different one, Esc, then ${keyOf('rotate', 'new-key')}.`});
		};
		bottom = <NewKeyPrompt mode={mode} known={session.rotation?.newKey?.masked} demo={work.demoIssueKey !== undefined} onChange={text => act({type: 'text', text})} onSubmit={onSubmit} onCancel={() => act({type: 'close'})} onQuit={onQuit} />;
	} else if (mode.kind === 'skip') {
		const onSkip = (entry: typeof mode.entry, why: string) => {
			work.resolve(entry, 'skipped', why);
			act({type: 'close'});
		};
		bottom = <SkipPrompt mode={mode} redact={redact} onChange={text => act({type: 'text', text})} onSkip={onSkip} onCancel={() => act({type: 'close'})} onQuit={onQuit} />;
	} else if (mode.kind === 'confirm') {
		const title = taskTitle(mode.task);
		bottom = <ConfirmPanel mode={mode} title={title} redact={redact} width={width} rows={rows - confirmChrome(title, width)} />;
	} else if (mode.kind === 'harden-store') bottom = <HardenStorePrompt onSelect={startHarden} onBack={() => act({type: 'close'})} onQuit={onQuit} />;
	else if (mode.kind === 'harden-wait') bottom = <Text color="cyan">Looking for committed copies of the key, and where the guards go…</Text>;
	else if (mode.kind === 'harden-file') bottom = <HardenFilePanel file={mode.file} width={width} rows={rows} />;
	else if (mode.kind === 'dry-run') bottom = <DryRunPanel lines={plan.dryRun} redact={redact} width={width} rows={rows} />;
	else
		bottom = (
			<Text dimColor wrap="truncate">
				{footerHint('rotate', context(selected?.task), width)}
			</Text>
		);

	const {start, end} = visibleWindow(tasks.length, cursor, Math.max(3, Math.min(12, height - 14)));
	return (
		<Box marginTop={1} flexDirection="column">
			<Text bold wrap="truncate">
				Rotate · {visible(provider.name)}: {plan.pattern}
			</Text>
			{keyPresent ? null : <Text color="yellow">The old key is not entered (k on the wizard): deactivating it through a command needs its id.</Text>}
			{focused ? (
				selected ? <TaskLine planned={selected} selected /> : null
			) : (
				<>
					{start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
					{tasks.slice(start, end).map((planned, offset) => (
						<TaskLine key={start + offset} planned={planned} selected={start + offset === cursor} />
					))}
					{end < tasks.length ? <Text dimColor>  ↓ {tasks.length - end} more</Text> : null}
					{selected ? (
						<Box borderStyle="single" borderColor="gray" paddingX={1}>
							<Text wrap="wrap">{visible(redact(selected.status.detail))}</Text>
						</Box>
					) : null}
				</>
			)}
			{work.busy ? <Text color="cyan">{visible(work.busy.what)}…</Text> : null}
			{work.message ? (
				<Text color={work.message.error ? 'red' : 'green'} wrap="wrap">
					{visible(work.message.text)}
				</Text>
			) : null}
			<Box marginTop={1}>{bottom}</Box>
		</Box>
	);
}
