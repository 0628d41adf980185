// Step 3's work screen: every consumer of the key. Discovery proposes entries; the user adds,
// edits, merges and deletes them. Each change is a session event (saved at once). The keys go
// through inventory/reducer.ts (key → intent → next view and effects); this file runs the
// effects and draws the view.
import type {AccessPort} from './ports.js';
import {Box, Text, useInput, useStdout} from 'ink';
import {storeAddress} from '../core/inventory/address.js';
import type {InventoryEntry, Session} from '../core/model.js';
import type {UnstampedEvent} from '../core/session.js';
import {visible} from '../core/text.js';
import {Help} from './Help.js';
import {accessRows, EntryDetail} from './inventory/EntryDetail.js';
import {accessReadNotice, initialInventoryView, inventoryContext, inventoryIntent, inventoryReducer, selectedOf, type Discovery, type InventoryEffect, type InventoryFacts} from './inventory/reducer.js';
import {answersFromEntry, entryQuestions} from './inventoryForm.js';
import {footerHint, keyOf} from './keymap.js';
import {useConsumedKey} from './useConsumedKey.js';
import {QuestionForm} from './widgets/QuestionForm.js';
import {useView} from './widgets/useView.js';
import {visibleWindow} from './wizardUi.js';

export type DiscoveryState = {kind: 'idle'; note?: string} | {kind: 'running'} | {kind: 'failed'; message: string};

type Props = {
	session: Session;
	discovery: DiscoveryState;
	redact(text: string): string;
	dispatch(event: UnstampedEvent): void;
	onDiscover(more?: Discovery): void;
	onBack(): void;
	onQuit(): void;
	/** Who can read a store: the commands (shown first) and their reading, through the port. */
	access: AccessPort;
};

const ENV_COLOR = {prod: 'red', staging: 'yellow', dev: 'green', unknown: 'gray'} as const;

export function inventoryLine(entry: InventoryEntry): string {
	return `${entry.service} · ${storeAddress(entry.store)}`;
}

export function InventoryScreen({session, discovery, redact, dispatch, onDiscover, onBack, onQuit, access}: Props) {
	const entries = session.inventory ?? [];
	const {stdout} = useStdout();
	const height = stdout.rows || 30;
	const facts: InventoryFacts = {entries, discovering: discovery.kind === 'running', demo: session.demo === true, accessPlan: access.plan};
	const {view, latest, apply} = useView(initialInventoryView, inventoryReducer);
	// The key that closes the form reaches this handler too, in the same emit.
	const {consumed, consume} = useConsumedKey();

	const run = (effects: InventoryEffect[]) => {
		for (const effect of effects) {
			if (effect.type === 'dispatch') dispatch(effect.event);
			else if (effect.type === 'discover') onDiscover(effect.more);
			else if (effect.type === 'back') onBack();
			else if (effect.type === 'quit') onQuit();
			else readAccess(effect.entry);
		}
	};
	const readAccess = (entry: InventoryEntry) => {
		void (async () => {
			let notice: string;
			try {
				const reading = await access.read(entry.store, {redact, ...(session.repoPath ? {cwd: session.repoPath} : {})});
				dispatch({type: 'access.read', id: entry.id, ...reading});
				notice = accessReadNotice(entry, reading, session.id);
			} catch (error) {
				notice = `Could not read who can read ${entry.service}: ${redact((error as Error).message)}`;
			}
			run(apply({type: 'access-read', notice}, facts));
		})();
	};

	useInput((input, key) => {
		if (consumed.current) return;
		const read = inventoryIntent(latest(), facts, input, key);
		if (read) run(apply({type: 'key', ...read}, facts));
	});
	const closeForm = (effects: InventoryEffect[]) => {
		consume();
		run(effects);
	};

	const {mode} = view;
	if (mode.kind === 'discover-more') {
		return (
			<Box marginTop={1} flexDirection="column">
				<QuestionForm
					title="Discover in more places"
					questions={() => [
						{id: 'repos', kind: 'text', label: 'Other repositories (paths, space-separated):', optional: true, placeholder: '~/src/worker ~/src/infra'},
						{id: 'vars', kind: 'text', label: 'Other variable names:', optional: true, placeholder: 'TAGGER_KEY IMAGE_API_TOKEN', check: value => (value.split(/[\s,]+/).every(name => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) ? null : 'Variable names: letters, digits and _.')},
						// Repositories not cloned here: gh search code, src search and the org's alerts (src/engines/inventory/org.ts).
						{id: 'org', kind: 'text', label: 'A GitHub organisation to search (your gh and src; never the key itself):', optional: true, placeholder: 'acme', check: value => (/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/.test(value.trim()) ? null : 'A GitHub organisation name: letters, digits and -.')},
					]}
					initial={{}}
					redact={redact}
					onSubmit={answers => closeForm(apply({type: 'discover-answers', answers, home: process.env.HOME ?? ''}, facts))}
					onCancel={() => closeForm(apply({type: 'form-cancelled'}, facts))}
					onQuit={onQuit}
				/>
			</Box>
		);
	}

	if (mode.kind === 'form') {
		const base = mode.entry;
		return (
			<Box marginTop={1} flexDirection="column">
				<QuestionForm
					title={base ? `Edit ${visible(base.service)}` : 'Add a consumer of the key'}
					questions={entryQuestions}
					initial={answersFromEntry(base)}
					redact={redact}
					onSubmit={answers => closeForm(apply({type: 'entry-answers', answers, id: `svc-m${Date.now().toString(36)}`}, facts))}
					onCancel={() => closeForm(apply({type: 'form-cancelled'}, facts))}
					onQuit={onQuit}
				/>
			</Box>
		);
	}

	const context = inventoryContext(view, facts);
	const cursor = view.cursor;
	const selected = selectedOf(view, facts);
	const empty = <Text color="yellow">None yet: {keyOf('inventory', 'discover')} discovers them in the repository (code, .env files, CI, Kubernetes, Terraform); {keyOf('inventory', 'add')} adds one by hand.</Text>;
	const row = (entry: InventoryEntry, index: number) => {
		const state = entry.update ? {done: '✓ updated', failed: '✗ failed', skipped: '– skipped', manual: '✎ by hand'}[entry.update.status] : '';
		return (
			<Text key={entry.id} wrap="truncate" inverse={index === cursor}>
				<Text color={ENV_COLOR[entry.environment]}>{`[${entry.environment}]`.padEnd(10)}</Text>
				{visible(inventoryLine(entry))}
				{state ? <Text dimColor>{`  ${state}`}</Text> : null}
			</Text>
		);
	};
	if (view.help) {
		return (
			<Box marginTop={1}>
				<Help screen="inventory" context={context} current={entries.length === 0 ? empty : row(entries[cursor]!, cursor)} />
			</Box>
		);
	}

	const rows = Math.max(3, height - 16 - accessRows(selected));
	const {start, end} = visibleWindow(entries.length, cursor, rows);
	return (
		<Box marginTop={1} flexDirection="column">
			<Text bold>
				Inventory: {entries.length} consumer{entries.length === 1 ? '' : 's'} of the key
				<Text dimColor> (each is updated in step 4, staging before production)</Text>
			</Text>
			{discovery.kind === 'running' ? <Text color="cyan">Discovering consumers in {visible(session.repoPath ?? 'the repository')}…</Text> : null}
			{discovery.kind === 'failed' ? <Text color="red">Discovery failed: {visible(discovery.message)}</Text> : null}
			{discovery.kind === 'idle' && discovery.note ? <Text color="green">{visible(discovery.note)}</Text> : null}
			{view.notice ? <Text color="yellow" wrap="wrap">{visible(view.notice)}</Text> : null}
			{entries.length === 0 ? empty : null}
			{start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
			{entries.slice(start, end).map((entry, offset) => row(entry, start + offset))}
			{end < entries.length ? <Text dimColor>  ↓ {entries.length - end} more</Text> : null}
			{selected ? <EntryDetail entry={selected} sessionId={session.id} /> : null}
			<Box marginTop={1}>
				{mode.kind === 'delete' && selected ? (
					<Text color="yellow">Delete {visible(inventoryLine(selected))}? {footerHint('inventory-delete')}</Text>
				) : mode.kind === 'merge' ? (
					<Text color="yellow">Merge into which entry? {footerHint('inventory-merge', context)}</Text>
				) : (
					<Text dimColor wrap="truncate">
						{footerHint('inventory', context, (stdout.columns || 100) - 2)}
					</Text>
				)}
			</Box>
		</Box>
	);
}
