// A one-line text input; `mask` shows a bullet per character (for keys). The value lives in the
// parent; this component only maps keys to edits.
import {Box, Text, useInput} from 'ink';
import {useRef} from 'react';
import {textIntent} from '../keymap.js';
import {typedText, visible} from '../../core/text.js';

type Props = {
	label: string;
	value: string;
	onChange(value: string): void;
	onSubmit(value: string): void;
	onCancel?: () => void;
	onQuit?: () => void;
	mask?: boolean;
	/** Shown text passes through this (the redactor), so a pasted key is masked as it is typed. */
	redact?: (text: string) => string;
	placeholder?: string;
	hint?: string;
	error?: string;
};

/** The text without its last character (a whole emoji, not half a surrogate pair). */
const dropLast = (text: string): string => Array.from(text).slice(0, -1).join('');

export function TextInput({label, value, onChange, onSubmit, onCancel, onQuit, mask = false, redact, placeholder, hint, error}: Props) {
	// Keys can arrive faster than React re-renders (a paste, then Enter): edit the latest value,
	// not the one this render closed over.
	const latest = useRef(value);
	latest.current = value;
	useInput((input, key) => {
		const intent = textIntent(input, key);
		switch (intent.type) {
			case 'insert': {
				// Keys typed faster than Ink reads arrive as one chunk: a Backspace inside it edits.
				// Other control characters (a pasted ESC sequence's BEL, a C1 CSI, a bidi override)
				// are dropped: no field holds one (core/text.ts typedText).
				const before = latest.current;
				for (const char of intent.text) {
					if (char === '\u007F' || char === '\b') latest.current = dropLast(latest.current);
					else latest.current += typedText(char);
				}
				if (latest.current !== before) onChange(latest.current);
				if (intent.submit) onSubmit(latest.current);
				break;
			}

			case 'backspace': {
				latest.current = dropLast(latest.current);
				onChange(latest.current);
				break;
			}

			case 'submit': {
				onSubmit(latest.current);
				break;
			}

			case 'cancel': {
				onCancel?.();
				break;
			}

			case 'quit': {
				onQuit?.();
				break;
			}

			case 'none': {
				break;
			}
		}
	});
	// A value can be prefilled from outside text (a path, a name): shown with its controls visible.
	const shown = mask ? '•'.repeat(Math.min(value.length, 64)) : visible(redact ? redact(value) : value);
	return (
		<Box flexDirection="column">
			<Box>
				<Text bold>{visible(label)} </Text>
				{value.length > 0 ? <Text>{shown}</Text> : <Text dimColor>{visible(placeholder ?? '')}</Text>}
				<Text inverse> </Text>
			</Box>
			{error ? <Text color="red">{visible(error)}</Text> : null}
			{hint ? <Text dimColor>{visible(hint)}</Text> : null}
		</Box>
	);
}
