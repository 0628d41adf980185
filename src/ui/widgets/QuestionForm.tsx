// A run of questions, one at a time: text or a pick list, each with its answer filled in where
// one is known. Which questions follow can depend on the answers so far (a store's fields follow
// its type). Esc goes back one; each answer is checked before the next question.
import {Box, Text} from 'ink';
import {useRef, useState} from 'react';
import {Select} from './Select.js';
import {TextInput} from './TextInput.js';
import {visible} from '../../core/text.js';
import {textHint} from '../keymap.js';

export type Question =
	| {id: string; kind: 'text'; label: string; hint?: string; placeholder?: string; optional?: boolean; check?: (value: string) => string | null}
	| {id: string; kind: 'select'; label: string; hint?: string; options: Array<{value: string; label: string}>};

type Props = {
	title?: string;
	/** The questions for the answers so far. */
	questions(answers: Record<string, string>): Question[];
	initial: Record<string, string>;
	redact(text: string): string;
	onSubmit(answers: Record<string, string>): void;
	onCancel(): void;
	onQuit(): void;
};

export function QuestionForm({title, questions, initial, redact, onSubmit, onCancel, onQuit}: Props) {
	const answers = useRef<Record<string, string>>({...initial});
	const [index, setIndex] = useState(0);
	const [text, setText] = useState(answers.current[questions(answers.current)[0]?.id ?? ''] ?? '');
	const [error, setError] = useState<string | undefined>();
	const list = questions(answers.current);
	const question = list[Math.min(index, list.length - 1)]!;
	const go = (to: number) => {
		const next = questions(answers.current);
		if (to >= next.length) {
			onSubmit({...answers.current});
			return;
		}
		if (to < 0) {
			onCancel();
			return;
		}
		setError(undefined);
		setIndex(to);
		setText(answers.current[next[to]!.id] ?? '');
	};
	const step = `${index + 1}/${list.length}`;
	if (question.kind === 'select') {
		return (
			<Box flexDirection="column">
				{title ? <Text bold>{visible(title)}</Text> : null}
				<Text bold>
					{step} {question.label}
				</Text>
				{question.hint ? <Text dimColor>{question.hint}</Text> : null}
				<Select
					key={question.id}
					items={question.options.map(option => ({key: option.value, label: option.label, value: option.value}))}
					initialIndex={Math.max(0, question.options.findIndex(option => option.value === answers.current[question.id]))}
					onSelect={item => {
						answers.current[question.id] = item.value;
						go(index + 1);
					}}
					onBack={() => go(index - 1)}
					onQuit={onQuit}
				/>
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			{title ? <Text bold>{visible(title)}</Text> : null}
			<TextInput
				key={question.id}
				label={`${step} ${question.label}${question.optional ? ' (optional)' : ''}`}
				value={text}
				redact={redact}
				{...(question.placeholder ? {placeholder: question.placeholder} : {})}
				{...(error ? {error} : {})}
				hint={`${question.hint ? `${question.hint} · ` : ''}${textHint()}`}
				onChange={value => {
					setError(undefined);
					setText(value);
				}}
				onSubmit={value => {
					const trimmed = value.trim();
					if (!trimmed && !question.optional) {
						setError('This one needs an answer.');
						return;
					}
					const problem = trimmed && question.check ? question.check(trimmed) : null;
					if (problem) {
						setError(problem);
						return;
					}
					answers.current[question.id] = trimmed;
					go(index + 1);
				}}
				onCancel={() => go(index - 1)}
				onQuit={onQuit}
			/>
		</Box>
	);
}
