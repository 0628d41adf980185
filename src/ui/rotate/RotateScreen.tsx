// Step 4's work screen: the rotation plan (src/core/rotation-plan.ts) as a list of tasks, worked
// one by one. The new key first (typed masked, probed live), then every store, staging before
// production, each command shown masked and run only on y; keeping the key out of code (the one
// harden flow, answered here file by file); then the old key's deactivation. `l` shows the plan's
// dry run, the same lines as `leakfix rotate --dry-run`. A key is read as an intent and reduced
// by ./reducer.ts (the harden prompts by ./harden-reducer.ts) to the next view and effects; this
// file runs the effects through the work it is given and draws the view (panels: ./panels.tsx).
import {Box, Text, useInput, useStdout} from 'ink';
import {useRef} from 'react';
import {deactivationLines, newKeyLive, type PlannedTask, rotationPlan, taskTitle} from '../../core/rotation-plan.js';
import type {ProviderPlaybook} from '../../playbooks/schema.js';
import type {Session} from '../../core/model.js';
import {visible} from '../../core/text.js';
import type {FileAnswer} from '../../engines/harden/flow.js';
import {Help} from '../Help.js';
import {footerHint, keyOf} from '../keymap.js';
import {useConsumedKey} from '../useConsumedKey.js';
import {useView} from '../widgets/useView.js';
import {visibleWindow} from '../wizardUi.js';
import {bodyRows, rowsOf} from './fit.js';
import type {RotateWork} from './hardenWork.js';
import {ConfirmPanel, confirmChrome, DryRunPanel, HardenFilePanel} from './panels.js';
import {HardenStorePrompt, NewKeyPrompt, SkipPrompt} from './prompts.js';
import {type ConfirmLine, initialView, ownsKeys, type RotateAction, type RotateEffect, type RotateFacts, rotateContext, rotateIntent, rotateReducer} from './reducer.js';

function TaskLine({planned, selected}: {planned: PlannedTask; selected: boolean}) {
	return (
		<Text wrap="truncate" inverse={selected}>
			<Text color={planned.status.color}>[{planned.status.mark}]</Text> {planned.title}
		</Text>
	);
}

export function RotateScreen({session, provider, work, keyPresent, redact, onBack, onQuit}: {session: Session; provider: ProviderPlaybook; work: RotateWork; keyPresent: boolean; redact(text: string): string; onBack(): void; onQuit(): void}) {
	const here = {newKeyEntered: work.newKey !== undefined, busy: work.busy !== null, newKeyKey: keyOf('rotate', 'new-key')};
	const plan = rotationPlan(session, provider, here);
	const facts: RotateFacts = {
		tasks: plan.tasks,
		busy: work.busy !== null,
		newKeyHere: work.newKey !== undefined,
		newKeyKnown: session.rotation?.newKey?.masked,
		newKeyLive: newKeyLive(session, provider),
		demo: work.demoIssueKey !== undefined,
		deactivation: (kind, command) => deactivationLines(session, provider, kind, command ? command.display : null),
	};
	const factsRef = useRef(facts);
	factsRef.current = facts;
	const {view, latest, apply} = useView(initialView, rotateReducer);
	const {consumed, consume} = useConsumedKey();
	// The harden flow's one open question: its port's promise resolves on the key that answers it.
	const answer = useRef<((value: FileAnswer | boolean) => void) | null>(null);

	const act = (action: RotateAction) => {
		const before = latest().mode;
		const effects = apply(action, factsRef.current);
		// The key that closed a prompt with its own input (Enter, Esc) is not also the next view's.
		if (ownsKeys(before) && !ownsKeys(latest().mode)) consume();
		for (const effect of effects) runEffect(effect);
	};
	const ask = <T extends FileAnswer | boolean>(action: RotateAction) =>
		new Promise<T>(resolve => {
			answer.current = resolve as (value: FileAnswer | boolean) => void;
			act(action);
		});
	const runEffect = (effect: RotateEffect) => {
		switch (effect.type) {
			case 'quit':
				return onQuit();
			case 'back':
				return onBack();
			case 'say':
				return work.say(effect.text, effect.error);
			case 'answer': {
				const resolve = answer.current;
				answer.current = null;
				return resolve?.(effect.value);
			}
			case 'start':
				return void work.harden
					.run(effect.store, {confirm: file => ask<FileAnswer>({type: 'harden', action: {type: 'file', file}}), confirmAll: summary => ask<boolean>({type: 'harden', action: {type: 'confirm-all', summary}})})
					.catch((error: unknown) => {
						act({type: 'harden', action: {type: 'failed'}});
						work.say(redact((error as Error).message), true);
					});
			case 'preview':
				return void work.preview(effect.task.entry).then(lines => act({type: 'preview', task: effect.task, lines}));
			case 'deactivation':
				return void work.deactivationCommand().then(command => act({type: 'deactivation-command', task: effect.task, command}));
			case 'enter-new-key':
				return void work.enterNewKey(effect.key);
			case 'demo-new-key':
				return work.demoIssueKey ? void work.enterNewKey(work.demoIssueKey()) : undefined;
			case 'reenter-new-key':
				return act({type: 'reentered', ok: work.reenterNewKey(effect.key)});
			case 'update':
				return void work.update(effect.entry);
			case 'resolve':
				return work.resolve(effect.entry, effect.status, effect.detail);
			case 'restart':
				return void work.restart(effect.entry);
			case 'health':
				return void work.health([effect.entry], 'health');
			case 'deactivate':
				return void work.deactivate(effect.command);
		}
	};

	useInput((input, key) => {
		if (consumed.current) return;
		const read = rotateIntent(latest(), factsRef.current, input, key);
		if (read) act({type: 'key', ...read});
	});

	const {stdout} = useStdout();
	const height = stdout.rows || 30;
	const width = (stdout.columns || 100) - 2;
	const tasks = plan.tasks;
	const cursor = Math.min(view.cursor, tasks.length - 1);
	const selected = tasks[cursor];
	const context = rotateContext(view, facts);
	if (view.help) {
		return (
			<Box marginTop={1}>
				<Help screen="rotate" context={context} current={selected ? <TaskLine planned={selected} selected /> : undefined} />
			</Box>
		);
	}

	const mode = view.mode;
	// A panel that can be long (a confirmation, a file's diff, the dry run, the harden flow's questions) shows only the current task above it.
	const focused = mode.kind === 'confirm' || mode.kind === 'harden' || mode.kind === 'dry-run';
	const messageRows = (work.busy ? 1 : 0) + (work.message ? rowsOf(visible(work.message.text), width) : 0);
	const rows = bodyRows(height, 4 + (keyPresent ? 0 : 1) + messageRows);
	const confirm = (title: string, lines: ConfirmLine[], more?: string) => <ConfirmPanel lines={lines} more={more} title={title} redact={redact} width={width} rows={rows - confirmChrome(title, width)} />;
	let bottom: React.ReactNode;
	if (mode.kind === 'new-key') bottom = <NewKeyPrompt mode={mode} known={facts.newKeyKnown} demo={facts.demo} onChange={text => act({type: 'text', text})} onSubmit={text => act({type: 'new-key-submitted', text})} onCancel={() => act({type: 'close'})} onQuit={onQuit} />;
	else if (mode.kind === 'skip') bottom = <SkipPrompt mode={mode} redact={redact} onChange={text => act({type: 'text', text})} onSubmit={text => act({type: 'skip-submitted', text})} onCancel={() => act({type: 'close'})} onQuit={onQuit} />;
	else if (mode.kind === 'confirm') bottom = confirm(taskTitle(mode.task), mode.lines, mode.more);
	else if (mode.kind === 'harden') {
		const {prompt} = mode;
		if (prompt.kind === 'store') bottom = <HardenStorePrompt onSelect={store => act({type: 'harden', action: {type: 'store-chosen', store}})} onBack={() => act({type: 'close'})} onQuit={onQuit} />;
		else if (prompt.kind === 'wait') bottom = <Text color="cyan">Looking for committed copies of the key, and where the guards go…</Text>;
		else if (prompt.kind === 'file') bottom = <HardenFilePanel file={prompt.file} width={width} rows={rows} />;
		else bottom = confirm(taskTitle({kind: 'harden'}), prompt.lines, prompt.more);
	} else if (mode.kind === 'dry-run') bottom = <DryRunPanel lines={plan.dryRun} redact={redact} width={width} rows={rows} />;
	else
		bottom = (
			<Text dimColor wrap="truncate">
				{footerHint('rotate', context, width)}
			</Text>
		);

	const {start, end} = visibleWindow(tasks.length, cursor, Math.max(3, Math.min(12, height - 14)));
	return (
		<Box marginTop={1} flexDirection="column">
			<Text bold wrap="truncate">
				Rotate · {visible(provider.name)}: {plan.pattern}
			</Text>
			{keyPresent ? null : <Text color="yellow">The old key is not entered ({keyOf('step:rotate', 'enter-key')} on the checklist): deactivating it through a command needs its id.</Text>}
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
