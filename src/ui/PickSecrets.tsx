// Start from a scanner report: pick the secrets (Space toggles, * picks all, Enter opens), type
// the key of any the scanner redacted, say where they leaked; one incident opens per secret.
// Then, since the report file holds the secrets in clear, offer to delete it (only on y).
import {Box, Text, useInput} from 'ink';
import {useRef, useState} from 'react';
import {LEAK_PLACES, LEAK_PLACE_LABELS, type LeakPlace} from '../core/model.js';
import {visible} from '../core/text.js';
import type {SecretGroup} from '../engines/intake/group.js';
import type {PickedSecret} from '../engines/intake/open.js';
import {placeText, VALIDITY_TEXT} from '../commands/intake.js';
import {visibleWindow} from './wizardUi.js';
import {useConsumedKey} from './useConsumedKey.js';
import {Select} from './widgets/Select.js';
import {TextInput} from './widgets/TextInput.js';
import {direction, footerHint, intentFor, keyGlyph, keyOf, textHint} from './keymap.js';

export type OpenedIncidents = {ids: string[]} | {error: string};

type Props = {
	secrets: SecretGroup[];
	/** The report's name or OWNER/REPO[#N], for the heading. */
	source: string;
	/** The report file: it holds the secrets in clear, so deleting it is offered. */
	reportFile?: string;
	onOpen(picked: PickedSecret[], where: LeakPlace): OpenedIncidents;
	/** Deletes the report file; the sentence to show (what happened, earned). */
	onDeleteReport(): string;
	/** Done: the first incident opened goes to the wizard. */
	onDone(firstId: string): void;
	onQuit(): void;
};

type Phase = {kind: 'pick'} | {kind: 'type'; at: number} | {kind: 'where'} | {kind: 'opened'; ids: string[]; deleted?: string};

export function PickSecrets({secrets, source, reportFile, onOpen, onDeleteReport, onDone, onQuit}: Props) {
	const [phase, setPhase] = useState<Phase>({kind: 'pick'});
	const phaseRef = useRef<Phase>(phase);
	const go = (next: Phase) => {
		phaseRef.current = next;
		setPhase(next);
	};
	const cursorRef = useRef(0);
	const [cursor, setCursor] = useState(0);
	const pickedRef = useRef<Set<number>>(new Set());
	const [picked, setPicked] = useState<Set<number>>(new Set());
	const typedRef = useRef<Map<number, string>>(new Map());
	const [typed, setTyped] = useState('');
	const [error, setError] = useState<string | undefined>();
	const {consumed, consume} = useConsumedKey();

	const pickedList = () => secrets.filter(secret => pickedRef.current.has(secret.index));
	const redactedPicked = () => pickedList().filter(secret => secret.secret === null);
	const setPick = (next: Set<number>) => {
		pickedRef.current = next;
		setPicked(new Set(next));
	};

	useInput((input, key) => {
		const current = phaseRef.current;
		if (consumed.current) return;
		if (current.kind === 'pick') {
			const intent = intentFor('pick-secrets', input, key, {several: secrets.length > 1});
			switch (intent.type) {
				case 'move': {
					cursorRef.current = Math.max(0, Math.min(secrets.length - 1, cursorRef.current + direction(intent)));
					setCursor(cursorRef.current);
					break;
				}

				case 'pick': {
					// Marking never moves the cursor (as everywhere): the secret picked stays highlighted.
					const index = secrets[cursorRef.current]!.index;
					const next = new Set(pickedRef.current);
					if (next.has(index)) next.delete(index);
					else next.add(index);
					setPick(next);
					setError(undefined);
					break;
				}

				case 'pick-all': {
					setPick(pickedRef.current.size === secrets.length ? new Set() : new Set(secrets.map(secret => secret.index)));
					setError(undefined);
					break;
				}

				case 'open': {
					if (pickedRef.current.size === 0) {
						setError(`Pick at least one secret: ${keyGlyph(' ')} picks the one under the cursor, ${keyOf('pick-secrets', 'pick-all')} picks all.`);
						return;
					}
					consume();
					const redacted = redactedPicked();
					go(redacted.length > 0 ? {kind: 'type', at: 0} : {kind: 'where'});
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
			return;
		}
		if (current.kind === 'opened') {
			const holdsSecrets = reportFile !== undefined && secrets.some(secret => secret.secret !== null);
			if (holdsSecrets && current.deleted === undefined) {
				const intent = intentFor('pick-secrets-delete', input, key);
				if (intent.type === 'quit') onQuit();
				else if (intent.type === 'delete') go({...current, deleted: onDeleteReport()});
				else if (intent.type === 'keep') go({...current, deleted: `Kept ${reportFile}: it still holds the secrets in clear. Delete it yourself once you no longer need it.`});
				return;
			}
			const intent = intentFor('pick-secrets-opened', input, key);
			if (intent.type === 'done') onDone(current.ids[0]!);
			else if (intent.type === 'quit') onQuit();
			return;
		}
		// Typing a key or choosing the place: those widgets have the keys; Ctrl-C still quits.
		if (intentFor('pick-secrets-delete', input, key).type === 'quit') onQuit();
	});

	const open = (where: LeakPlace) => {
		// The Enter that chose the place must not also answer the delete question.
		consume();
		const list = pickedList().map(secret => ({secret, key: secret.secret ?? typedRef.current.get(secret.index)!}));
		const result = onOpen(list, where);
		if ('error' in result) {
			setError(result.error);
			go({kind: 'pick'});
			return;
		}
		go({kind: 'opened', ids: result.ids});
	};

	let body: React.ReactNode;
	switch (phase.kind) {
		case 'pick': {
			const {start, end} = visibleWindow(secrets.length, cursor, 8);
			body = (
				<Box flexDirection="column">
					<Text bold>Which secrets do you open incidents for? Each gets its own.</Text>
					{secrets.slice(start, end).map((secret, offset) => {
						const at = start + offset;
						const place = secret.places[0];
						return (
							<Box key={secret.index} flexDirection="column">
								<Text {...(at === cursor ? {color: 'cyan'} : {})}>
									{at === cursor ? '› ' : '  '}[{picked.has(secret.index) ? 'x' : ' '}] {secret.index}. {secret.masked ?? 'redacted by the scanner: the key must be typed'} — {visible(secret.provider.name)}
								</Text>
								<Text dimColor>
									{'       '}
									{secret.places.length} place{secret.places.length === 1 ? '' : 's'}
									{place ? `, first ${placeText(place)}` : ''} · scanner&apos;s verdict: {VALIDITY_TEXT[secret.validity]}
								</Text>
							</Box>
						);
					})}
					{end < secrets.length ? <Text dimColor>  … {secrets.length - end} more below</Text> : null}
					{error ? <Text color="red">{error}</Text> : null}
					<Text dimColor>{footerHint('pick-secrets', {several: secrets.length > 1}, Number.POSITIVE_INFINITY, {open: `open ${picked.size} incident${picked.size === 1 ? '' : 's'}`})}</Text>
				</Box>
			);
			break;
		}

		case 'type': {
			const secret = redactedPicked()[phase.at]!;
			const place = secret.places[0];
			body = (
				<TextInput
					mask
					key={`type-${secret.index}`}
					label={`Secret ${secret.index} (${secret.provider.name}${place ? `, ${placeText(place)}` : ''}) came redacted. Type or paste its key:`}
					value={typed}
					placeholder="(hidden as you type; never stored, only its fingerprint)"
					hint={textHint({submit: 'to continue', cancel: 'back to the list'})}
					{...(error ? {error} : {})}
					onChange={value => {
						setError(undefined);
						setTyped(value);
					}}
					onSubmit={value => {
						const key = value.trim();
						if (key.length < 8) setError('That is too short for an API key (8 characters at least).');
						else if (/\s/.test(key)) setError('A key has no spaces in it: paste just the key.');
						else {
							typedRef.current.set(secret.index, key);
							setTyped('');
							const next = phase.at + 1;
							go(next < redactedPicked().length ? {kind: 'type', at: next} : {kind: 'where'});
						}
					}}
					onCancel={() => {
						setTyped('');
						go({kind: 'pick'});
					}}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'where': {
			const items = LEAK_PLACES.map(place => ({key: place, value: place, label: LEAK_PLACE_LABELS[place]}));
			body = (
				<Box flexDirection="column">
					<Text bold>Where did {picked.size === 1 ? 'it' : 'they'} leak? (The report does not say whether the repository is public.)</Text>
					<Select key="where" items={items} initialIndex={LEAK_PLACES.indexOf('private-repo')} onSelect={item => open(item.value)} onBack={() => go({kind: 'pick'})} onQuit={onQuit} />
					<Text dimColor>{footerHint('choice', {}, Number.POSITIVE_INFINITY, {choose: 'to open'})}</Text>
				</Box>
			);
			break;
		}

		case 'opened': {
			const holdsSecrets = reportFile !== undefined && secrets.some(secret => secret.secret !== null);
			body = (
				<Box flexDirection="column">
					<Text color="green">
						Opened {phase.ids.length} incident{phase.ids.length === 1 ? '' : 's'}
						{phase.ids.length > 1 ? ', linked as one group' : ''}: {phase.ids.join(', ')}
					</Text>
					{phase.ids.length > 1 ? <Text dimColor>The first opens now; the others wait in leakfix resume (leakfix list shows how many of the group are closed).</Text> : null}
					{holdsSecrets && phase.deleted === undefined ? (
						<Text bold>{visible(reportFile)} holds these secrets in clear. Delete it now? (y/N)</Text>
					) : null}
					{phase.deleted === undefined ? null : <Text>{visible(phase.deleted)}</Text>}
					{!holdsSecrets || phase.deleted !== undefined ? <Text dimColor>{footerHint('pick-secrets-opened', {}, Number.POSITIVE_INFINITY, {done: `to open ${phase.ids[0]} in the wizard`, quit: 'to quit (leakfix resume picks any of them up)'})}</Text> : null}
				</Box>
			);
			break;
		}
	}

	return (
		<Box flexDirection="column" paddingX={1}>
			<Text bold color="red">
				leakfix · start from {visible(source)}
			</Text>
			<Text dimColor>
				{secrets.length} secret{secrets.length === 1 ? '' : 's'} found. The keys stay in memory; each incident keeps only a fingerprint and a masked form.
			</Text>
			<Box marginTop={1}>{body}</Box>
		</Box>
	);
}
