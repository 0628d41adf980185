// The questions before a log analysis: which files, which lines are the key's, when the exposure
// began, the team's own addresses, and its working hours. Esc goes back a question.
import {Box, Text} from 'ink';
import {useRef, useState} from 'react';
import {parseAllowList, parseHoursAndZone, parseSince} from '../core/logs/options.js';
import {Select, type SelectItem} from './widgets/Select.js';
import {TextInput} from './widgets/TextInput.js';
import {footerHint, textHint} from './keymap.js';

const NEXT = textHint();
const CHOICE_HINT = footerHint('choice', {}, Number.POSITIVE_INFINITY, {choose: 'to continue'});

export type LogsMatch = 'key' | 'key-id' | 'all';

export type LogsRequest = {
	inputs: string[];
	match: LogsMatch;
	exposureStart: number;
	allow: string[];
	businessHours: {from: number; to: number};
	timeZone: string;
};

export type LogsFormDefaults = {files: string; since: string; sinceHint: string; allow: string; hours: string};

type Stage = 'files' | 'match' | 'since' | 'allow' | 'hours';

/** Paths separated by spaces; "quoted paths" may hold spaces. */
export function splitPaths(text: string): string[] {
	return [...text.matchAll(/"([^"]+)"|'([^']+)'|(\S+)/g)].map(match => match[1] ?? match[2] ?? match[3]!);
}

type Props = {
	defaults: LogsFormDefaults;
	matchOptions: Array<SelectItem<LogsMatch>>;
	/** Why an option is missing (the key is not entered). */
	matchHint?: string;
	now: Date;
	redact(text: string): string;
	onSubmit(request: LogsRequest): void;
	onCancel(): void;
	onQuit(): void;
};

export function LogsForm({defaults, matchOptions, matchHint, now, redact, onSubmit, onCancel, onQuit}: Props) {
	const stages: Stage[] = matchOptions.length > 1 ? ['files', 'match', 'since', 'allow', 'hours'] : ['files', 'since', 'allow', 'hours'];
	const [stage, setStage] = useState<Stage>('files');
	const [texts, setTexts] = useState<Record<Exclude<Stage, 'match'>, string>>({files: defaults.files, since: defaults.since, allow: defaults.allow, hours: defaults.hours});
	const [error, setError] = useState<string | undefined>();
	const match = useRef<LogsMatch>(matchOptions[0]!.value);
	const back = () => {
		const index = stages.indexOf(stage);
		setError(undefined);
		if (index === 0) onCancel();
		else setStage(stages[index - 1]!);
	};
	const next = (current: Stage, value?: string) => {
		const updated = value === undefined ? texts : {...texts, [current]: value};
		if (value !== undefined) setTexts(updated);
		try {
			if (current === 'files' && splitPaths(updated.files).length === 0) throw new Error('Name at least one log file (or a glob such as /var/log/nginx/access.log*).');
			if (current === 'since') parseSince(updated.since, now);
			if (current === 'allow') parseAllowList(updated.allow);
			if (current === 'hours') {
				const {businessHours, timeZone} = parseHoursAndZone(updated.hours, 'UTC');
				onSubmit({
					inputs: splitPaths(updated.files),
					match: match.current,
					// A time without a zone is read in the zone the responder gave for the logs.
					exposureStart: parseSince(updated.since, now, timeZone),
					allow: updated.allow.split(/[\s,]+/).filter(Boolean),
					businessHours,
					timeZone,
				});
				return;
			}
		} catch (caught) {
			setError((caught as Error).message);
			return;
		}
		setError(undefined);
		setStage(stages[stages.indexOf(current) + 1]!);
	};
	const edit = (field: Exclude<Stage, 'match'>) => (text: string) => {
		setError(undefined);
		setTexts(previous => ({...previous, [field]: text}));
	};
	const common = {redact, onCancel: back, onQuit, ...(error ? {error} : {})};
	const step = `${stages.indexOf(stage) + 1}/${stages.length}`;
	let body: React.ReactNode;
	switch (stage) {
		case 'files': {
			body = <TextInput key="files" {...common} label={`${step} Log files:`} value={texts.files} placeholder="/var/log/nginx/access.log* ./export.csv" hint={`Paths or globs (* ? in the file name), separated by spaces; plain or .gz · ${textHint({cancel: 'to cancel'})}`} onChange={edit('files')} onSubmit={value => next('files', value)} />;
			break;
		}

		case 'match': {
			body = (
				<Box flexDirection="column">
					<Text bold>{step} Which lines are this key's?</Text>
					{matchHint ? <Text dimColor>{matchHint}</Text> : null}
					<Select
						items={matchOptions}
						initialIndex={Math.max(0, matchOptions.findIndex(option => option.value === match.current))}
						onSelect={item => {
							match.current = item.value;
							next('match');
						}}
						onBack={back}
						onQuit={onQuit}
					/>
					<Text dimColor>{CHOICE_HINT}</Text>
				</Box>
			);
			break;
		}

		case 'since': {
			body = <TextInput key="since" {...common} label={`${step} The exposure began:`} value={texts.since} hint={`${defaults.sinceHint} Before it is the baseline · "3d ago" or 2026-11-20 14:00 · ${NEXT}`} onChange={edit('since')} onSubmit={value => next('since', value)} />;
			break;
		}

		case 'allow': {
			body = <TextInput key="allow" {...common} label={`${step} Your own addresses (optional):`} value={texts.allow} placeholder="203.0.113.0/24 10.0.0.0/8" hint={`CIDR ranges or addresses your services and office use: never flagged as unfamiliar · ${NEXT}`} onChange={edit('allow')} onSubmit={value => next('allow', value)} />;
			break;
		}

		case 'hours': {
			body = <TextInput key="hours" {...common} label={`${step} Business hours and time zone:`} value={texts.hours} hint={`FROM-TO Monday to Friday, then an IANA zone (08-19 Europe/Berlin) · ${textHint({submit: 'to analyse'})}`} onChange={edit('hours')} onSubmit={value => next('hours', value)} />;
			break;
		}
	}
	return body;
}
