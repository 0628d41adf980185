// Step 3's work screen: every consumer of the key. Discovery proposes entries; the user adds,
// edits, merges and deletes them. Each change is a session event (saved at once).
import {Box, Text, useInput, useStdout} from 'ink';
import {useRef, useState} from 'react';
import {storeAddress} from '../core/inventory/address.js';
import type {InventoryEntry, Session} from '../core/model.js';
import type {UnstampedEvent} from '../core/session.js';
import {answersFromEntry, entryFromAnswers, entryQuestions} from './inventoryForm.js';
import {visibleWindow} from './wizardUi.js';
import {QuestionForm} from './widgets/QuestionForm.js';
import {useConsumedKey} from './useConsumedKey.js';
import {direction, footerHint, intentFor, type KeyContext} from './keymap.js';
import {Help} from './Help.js';
import {visible} from '../core/text.js';
import {accessSummary, VERDICT_WORDS} from '../core/access.js';
import {accessPlan} from '../engines/access/plan.js';

export type DiscoveryState = {kind: 'idle'; note?: string} | {kind: 'running'} | {kind: 'failed'; message: string};

type Mode = {kind: 'list'} | {kind: 'form'; entry?: InventoryEntry} | {kind: 'delete'} | {kind: 'merge'; from: string} | {kind: 'discover-more'};

type Props = {
	session: Session;
	discovery: DiscoveryState;
	redact(text: string): string;
	dispatch(event: UnstampedEvent): void;
	onDiscover(more?: {repos?: string[]; envVars?: string[]; org?: string}): void;
	onBack(): void;
	onQuit(): void;
};

const ENV_COLOR = {prod: 'red', staging: 'yellow', dev: 'green', unknown: 'gray'} as const;

export function inventoryLine(entry: InventoryEntry): string {
	return `${entry.service} · ${storeAddress(entry.store)}`;
}

export function InventoryScreen({session, discovery, redact, dispatch, onDiscover, onBack, onQuit}: Props) {
	const entries = session.inventory ?? [];
	const {stdout} = useStdout();
	const height = stdout.rows || 30;
	const [mode, setModeState] = useState<Mode>({kind: 'list'});
	const [notice, setNotice] = useState<string | null>(null);
	const modeRef = useRef<Mode>(mode);
	const setMode = (next: Mode) => {
		modeRef.current = next;
		setModeState(next);
	};
	const cursorRef = useRef(0);
	const [cursor, setCursor] = useState(0);
	const entriesRef = useRef(entries);
	entriesRef.current = entries;
	const move = (to: number) => {
		cursorRef.current = Math.max(0, Math.min(entriesRef.current.length - 1, to));
		setCursor(cursorRef.current);
	};
	// The key that closes the form reaches this handler too, in the same emit.
	const {consumed, consume} = useConsumedKey();
	const closeForm = () => {
		setMode({kind: 'list'});
		consume();
	};

	// Who can read it: the first w shows the read-only commands, a second w on the same entry runs them.
	const accessAsked = useRef<string | null>(null);
	const accessRunning = useRef(false);
	const askAccess = (entry: InventoryEntry) => {
		if (accessRunning.current) return;
		if (session.demo) {
			setNotice('A demo\'s stores are fake: who can read them is not read (your real CLIs would be asked).');
			return;
		}
		if (accessAsked.current !== entry.id) {
			accessAsked.current = entry.id;
			setNotice(`Who can read ${entry.service}: w again runs (read-only): ${accessPlan(entry.store).join('; ')}`);
			return;
		}
		accessAsked.current = null;
		accessRunning.current = true;
		setNotice(`Reading who can read ${entry.service}…`);
		void import('../engines/access/index.js').then(async ({readAccess}) => {
			try {
				const reading = await readAccess(entry.store, {redact, ...(session.repoPath ? {cwd: session.repoPath} : {})});
				dispatch({type: 'access.read', id: entry.id, ...reading});
				setNotice(`Read who can read ${entry.service}: ${reading.readers.length} reader(s)${reading.unread.length > 0 ? `; ${reading.unread.length} thing(s) not read` : ''} (below; mark them with leakfix access ${session.id} --mark)`);
			} catch (error) {
				setNotice(`Could not read who can read ${entry.service}: ${redact((error as Error).message)}`);
			} finally {
				accessRunning.current = false;
			}
		});
	};

	const helpRef = useRef(false);
	const [help, setHelp] = useState(false);
	const showHelp = (open: boolean) => {
		helpRef.current = open;
		setHelp(open);
	};
	// What the keys can do now: the input handler, the footer and the help read the same.
	const context = (list: InventoryEntry[], at: number): KeyContext => ({
		idle: discovery.kind !== 'running',
		selected: list.length > 0,
		several: list.length > 1,
		otherSelected: modeRef.current.kind === 'merge' && list[Math.min(at, list.length - 1)] !== undefined && list[Math.min(at, list.length - 1)]!.id !== modeRef.current.from,
	});

	useInput((input, key) => {
		const current = modeRef.current;
		if (current.kind === 'form' || current.kind === 'discover-more' || consumed.current) return;
		if (helpRef.current) {
			const intent = intentFor('help', input, key);
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'close') showHelp(false);
			return;
		}
		const list = entriesRef.current;
		const selected = list[Math.min(cursorRef.current, list.length - 1)];
		if (current.kind === 'delete') {
			const intent = intentFor('inventory-delete', input, key);
			if (intent.type === 'quit') return onQuit();
			if (intent.type === 'delete' && selected) {
				dispatch({type: 'inventory.removed', id: selected.id});
				move(cursorRef.current - 1);
			}
			setMode({kind: 'list'});
			return;
		}
		if (current.kind === 'merge') {
			const intent = intentFor('inventory-merge', input, key, context(list, cursorRef.current));
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'move') move(cursorRef.current + direction(intent));
			else if (intent.type === 'merge' && selected) {
				const from = list.find(entry => entry.id === current.from);
				if (from && storeAddress(from.store) !== storeAddress(selected.store)) {
					setNotice('Not merged: they hold the key in two places, and each must be updated. Merge only duplicates of one place (edit one first if it is the same store).');
				} else dispatch({type: 'inventory.merged', from: current.from, into: selected.id});
				setMode({kind: 'list'});
			} else if (intent.type === 'cancel') setMode({kind: 'list'});
			return;
		}
		const intent = intentFor('inventory', input, key, context(list, cursorRef.current));
		switch (intent.type) {
			case 'move': {
				move(cursorRef.current + direction(intent));
				break;
			}

			case 'back': {
				onBack();
				break;
			}

			case 'discover': {
				onDiscover();
				break;
			}

			case 'discover-more': {
				setMode({kind: 'discover-more'});
				break;
			}

			case 'add': {
				setMode({kind: 'form'});
				break;
			}

			case 'edit': {
				if (selected) setMode({kind: 'form', entry: selected});
				break;
			}

			case 'delete': {
				if (selected) setMode({kind: 'delete'});
				break;
			}

			case 'merge': {
				if (selected) setMode({kind: 'merge', from: selected.id});
				break;
			}

			case 'access': {
				if (selected) askAccess(selected);
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
					onSubmit={answers => {
						const home = process.env.HOME ?? '';
						closeForm();
						onDiscover({
							repos: (answers.repos ?? '').split(/\s+/).filter(Boolean).map(repo => repo.replace(/^~(?=\/|$)/, home)),
							envVars: (answers.vars ?? '').split(/[\s,]+/).filter(Boolean),
							...(answers.org?.trim() ? {org: answers.org.trim()} : {}),
						});
					}}
					onCancel={closeForm}
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
					onSubmit={answers => {
						try {
							const entry = entryFromAnswers(answers, base ? {...base} : {id: `svc-m${Date.now().toString(36)}`, origin: 'manual', evidence: []});
							dispatch({type: 'inventory.saved', entry});
							setNotice(null);
						} catch (error) {
							setNotice(`Not saved: ${(error as {issues?: Array<{path: unknown[]; message: string}>}).issues?.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ') ?? (error as Error).message}`);
						}
						closeForm();
					}}
					onCancel={closeForm}
					onQuit={onQuit}
				/>
			</Box>
		);
	}

	if (help) {
		return (
			<Box marginTop={1}>
				<Help screen="inventory" context={context(entries, cursor)} />
			</Box>
		);
	}

	const selected = entries[Math.min(cursor, entries.length - 1)];
	// Who can read the selected entry's store: the summary, then the first readers (to fix first).
	const access = selected?.access;
	const readers = access ? [...access.findings].sort((a, b) => Number(b.verdict === 'to-fix') - Number(a.verdict === 'to-fix')).slice(0, 3) : [];
	const accessRows = access ? 1 + readers.length + (access.findings.length > readers.length ? 1 : 0) : 1;
	const rows = Math.max(3, height - 16 - accessRows);
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
			{notice ? <Text color="yellow" wrap="wrap">{visible(notice)}</Text> : null}
			{entries.length === 0 ? <Text color="yellow">None yet: i discovers them in the repository (code, .env files, CI, Kubernetes, Terraform); a adds one by hand.</Text> : null}
			{start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
			{entries.slice(start, end).map((entry, offset) => {
				const index = start + offset;
				const state = entry.update ? {done: '✓ updated', failed: '✗ failed', skipped: '– skipped', manual: '✎ by hand'}[entry.update.status] : '';
				return (
					<Text key={entry.id} wrap="truncate" inverse={index === cursor}>
						<Text color={ENV_COLOR[entry.environment]}>{`[${entry.environment}]`.padEnd(10)}</Text>
						{visible(inventoryLine(entry))}
						{state ? <Text dimColor>{`  ${state}`}</Text> : null}
					</Text>
				);
			})}
			{end < entries.length ? <Text dimColor>  ↓ {entries.length - end} more</Text> : null}
			{selected ? (
				<Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
					<Text wrap="truncate">
						{selected.origin === 'discovered' ? 'Found in' : 'Added by hand'}
						{selected.evidence.length > 0 ? ` ${visible(selected.evidence.slice(0, 4).join(', '))}${selected.evidence.length > 4 ? ` +${selected.evidence.length - 4}` : ''}` : ''}
						{selected.owner ? ` · owner ${visible(selected.owner)}` : ''}
					</Text>
					<Text wrap="truncate" dimColor>
						restart: {visible(selected.restart?.join(' ') ?? 'none')} · health: {visible(selected.health ? (selected.health.type === 'http' ? selected.health.url : selected.health.argv.join(' ')) : 'none')}
					</Text>
					{access ? (
						<>
							<Text wrap="truncate">
								Who can read it: {accessSummary(access)}
								{access.unread.length > 0 ? <Text dimColor>{` · not read: ${visible(access.unread[0]!)}`}</Text> : null}
							</Text>
							{readers.map(finding => (
								<Text key={finding.id} wrap="truncate">
									<Text color={finding.verdict === 'to-fix' ? 'red' : finding.verdict === 'expected' ? 'green' : 'yellow'}>{`  [${VERDICT_WORDS[finding.verdict]}] `}</Text>
									{visible(finding.who)}
									<Text dimColor>{` ${visible(finding.how)}`}</Text>
								</Text>
							))}
							{access.findings.length > readers.length ? <Text dimColor>{`  +${access.findings.length - readers.length} more (leakfix access ${session.id})`}</Text> : null}
						</>
					) : (
						<Text dimColor wrap="truncate">Who can read it: not read yet (w)</Text>
					)}
				</Box>
			) : null}
			<Box marginTop={1}>
				{mode.kind === 'delete' && selected ? (
					<Text color="yellow">Delete {visible(inventoryLine(selected))}? {footerHint('inventory-delete')}</Text>
				) : mode.kind === 'merge' ? (
					<Text color="yellow">Merge into which entry? {footerHint('inventory-merge', context(entries, cursor))}</Text>
				) : (
					<Text dimColor wrap="truncate">
						{footerHint('inventory', context(entries, cursor), (stdout.columns || 100) - 2)}
					</Text>
				)}
			</Box>
		</Box>
	);
}
