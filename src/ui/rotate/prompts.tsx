// The Rotate screen's prompts that own their keys: the new key (typed masked), the reason for a
// skip, and where the services will read the key from (the harden flow's first question).
import {Box, Text} from 'ink';
import {TextInput} from '../widgets/TextInput.js';
import {Select} from '../widgets/Select.js';
import type {HardenStore} from '../../core/harden.js';
import type {Mode} from './reducer.js';

export function NewKeyPrompt({mode, known, demo, onChange, onSubmit, onCancel, onQuit}: {mode: Extract<Mode, {kind: 'new-key'}>; known: string | undefined; demo: boolean; onChange(text: string): void; onSubmit(text: string): void; onCancel(): void; onQuit(): void}) {
	const label = mode.purpose === 'reenter' ? `Re-enter the new key (${known}):` : mode.purpose === 'replace' ? `Replace the new key ${known} with:` : 'The new key:';
	const hint =
		mode.purpose === 'reenter'
			? 'leakfix never stores it; its fingerprint must match · Esc to cancel · Ctrl-C quits'
			: mode.purpose === 'replace'
				? 'a different key: every consumer is updated again with it · Esc to cancel · Ctrl-C quits'
				: demo
					? 'DEMO: Enter on an empty line makes a new key in the fake dashboard · Esc to cancel · Ctrl-C quits'
					: 'typed masked, kept in memory only · Enter to probe it · Esc to cancel · Ctrl-C quits';
	return <TextInput mask label={label} value={mode.text} {...(mode.error ? {error: mode.error} : {})} hint={hint} onChange={onChange} onSubmit={onSubmit} onCancel={onCancel} onQuit={onQuit} />;
}

export function SkipPrompt({mode, redact, onChange, onSubmit, onCancel, onQuit}: {mode: Extract<Mode, {kind: 'skip'}>; redact(text: string): string; onChange(text: string): void; onSubmit(text: string): void; onCancel(): void; onQuit(): void}) {
	return (
		<TextInput
			label="Why skip it?"
			value={mode.text}
			redact={redact}
			hint="Enter to save (the reason goes into the report) · Esc to cancel"
			onChange={onChange}
			onSubmit={onSubmit}
			onCancel={onCancel}
			onQuit={onQuit}
		/>
	);
}

export function HardenStorePrompt({onSelect, onBack, onQuit}: {onSelect(store: HardenStore): void; onBack(): void; onQuit(): void}) {
	return (
		<Box flexDirection="column">
			<Text bold>Where will the services read the key from?</Text>
			<Select
				items={[
					{key: 'env', label: 'an environment variable (an ignored .env locally, the platform settings in production)', value: 'env' as HardenStore},
					{key: 'aws-sm', label: 'AWS Secrets Manager, injected as the variable at deploy', value: 'aws-sm' as HardenStore},
					{key: 'vault', label: 'HashiCorp Vault KV v2, injected by the Vault Agent', value: 'vault' as HardenStore},
					{key: 'conjur', label: 'CyberArk Conjur, injected by Summon or the Secrets Provider', value: 'conjur' as HardenStore},
				]}
				onSelect={item => onSelect(item.value)}
				onBack={onBack}
				onQuit={onQuit}
			/>
			<Text dimColor>↑↓ choose · Enter to go on (nothing is written yet) · Esc back · q quit</Text>
		</Box>
	);
}
