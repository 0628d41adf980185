// On resume: the key is asked again (it was never stored) and must match the fingerprint.
import {Box, Text} from 'ink';
import {useState} from 'react';
import type {Session} from '../core/model.js';
import {leakedKey, type KeyFormat, type LeakedKey} from '../core/leaked-key.js';
import {TextInput} from './widgets/TextInput.js';
import {visible} from '../core/text.js';

type Props = {
	session: Session;
	/** The provider's key format: an AWS pair is entered as id and secret together. */
	format: KeyFormat;
	/** A demo: where its fake key can be read (found by its fingerprint in the demo's folder). */
	demoKeyWhere?: string;
	onKey(key: LeakedKey): void;
	onSkip(): void;
	onQuit(): void;
};

export function KeyPrompt({session, format, demoKeyWhere, onKey, onSkip, onQuit}: Props) {
	const [value, setValue] = useState('');
	const [error, setError] = useState<string | undefined>();
	return (
		<Box flexDirection="column" paddingX={1}>
			<Text bold color="red">
				leakfix · {visible(session.name)}
			</Text>
			<Box marginY={1} flexDirection="column">
				<Text>
					Re-enter the leaked key ({visible(session.provider.name)}, {session.key.masked}). leakfix never stores it; its fingerprint proves it is the same key.
				</Text>
				{session.demo ? <Text dimColor>Demo incident. {visible(demoKeyWhere ?? `The planted key is in the demo repo's history (${session.repoPath ?? 'temp folder'}).`)}</Text> : null}
			</Box>
			<TextInput
				mask
				label="Key:"
				value={value}
				error={error}
				hint="Enter to check · Esc to continue without the key (steps that need it will say so)"
				onChange={next => {
					setError(undefined);
					setValue(next);
				}}
				onSubmit={typed => {
					const key = leakedKey(typed, format);
					if (key.fingerprint === session.key.fingerprint) onKey(key);
					else {
						setValue('');
						setError(`That is not the key of this incident (its fingerprint differs from ${session.key.masked}). Try again.`);
					}
				}}
				onCancel={onSkip}
				onQuit={onQuit}
			/>
		</Box>
	);
}
