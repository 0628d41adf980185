// Intake: name, key (masked), provider (preselected from the key's shape), where it leaked,
// an optional URL and when it was noticed. Esc goes back one question.
import {Box, Text} from 'ink';
import {useMemo, useState} from 'react';
import {LEAK_PLACES, LEAK_PLACE_LABELS, type LeakPlace} from '../core/model.js';
import {mask} from '../core/secrets.js';
import {parseNoticedAt} from '../core/time.js';
import type {Clock} from '../infra/clock.js';
import {matchKey, type KeyMatch, type Playbooks} from '../playbooks/load.js';
import {Select} from './widgets/Select.js';
import {TextInput} from './widgets/TextInput.js';
import {visible} from '../core/text.js';
import {footerHint, keyGlyph, textHint} from './keymap.js';

/** A pick list's footer here: Enter goes on to the next question. */
const CHOICE_HINT = footerHint('choice', {}, Number.POSITIVE_INFINITY, {choose: 'to continue'});
const NEXT = {submit: 'to continue'};

export type IntakeResult = {
	name: string;
	key: string;
	providerId: string;
	where: LeakPlace;
	url?: string;
	noticedAt: Date;
};

export type IntakeDefaults = Partial<{name: string; key: string; providerId: string; where: LeakPlace; url: string; noticed: string}>;

type Field = 'name' | 'key' | 'provider' | 'where' | 'url' | 'noticed';

/**
 * The provider list for a key: the playbooks its shape matches first (strongest first), then the
 * rest in playbook order (generic last). `strong`: the one provider a strong pattern names, if
 * any; choosing another provider contradicts it and is warned about.
 */
export function providerChoices(playbooks: Playbooks, key: string): {matches: KeyMatch[]; strong: KeyMatch | undefined; items: Array<{key: string; value: string; label: string}>} {
	const matches = matchKey(playbooks, key);
	const strongOnes = matches.filter(match => match.strength === 'strong');
	const strong = strongOnes.length === 1 ? strongOnes[0] : undefined;
	const ordered = [...matches.map(match => match.provider), ...playbooks.providers.filter(provider => !matches.some(match => match.provider.id === provider.id))];
	const items = ordered.map(provider => {
		const match = matches.find(candidate => candidate.provider.id === provider.id);
		return {key: provider.id, value: provider.id, label: match ? `${provider.name}  (the key looks like one: ${match.description})` : provider.name};
	});
	return {matches, strong, items};
}

type Props = {
	playbooks: Playbooks;
	clock: Clock;
	defaults: IntakeDefaults;
	/** The key came on stdin: it is not asked for. */
	pipedKey?: string;
	/** Masks a known key in what is typed (the name and link fields). */
	redact(text: string): string;
	onSubmit(result: IntakeResult): void;
	onQuit(): void;
};

export function Intake({playbooks, clock, defaults, pipedKey, redact, onSubmit, onQuit}: Props) {
	const fields: Field[] = pipedKey === undefined ? ['name', 'key', 'provider', 'where', 'url', 'noticed'] : ['name', 'provider', 'where', 'url', 'noticed'];
	const [index, setIndex] = useState(0);
	const [name, setName] = useState(defaults.name ?? '');
	const [key, setKey] = useState(pipedKey ?? defaults.key ?? '');
	const [providerId, setProviderId] = useState<string | undefined>(defaults.providerId);
	const [where, setWhere] = useState<LeakPlace>(defaults.where ?? 'public-repo');
	const [url, setUrl] = useState(defaults.url ?? '');
	const [noticed, setNoticed] = useState(defaults.noticed ?? '');
	const [error, setError] = useState<string | undefined>();
	const field = fields[index]!;
	const today = clock.now().toISOString().slice(0, 10);
	const defaultName = `Leaked API key, ${today}`;

	const choices = useMemo(() => providerChoices(playbooks, key.trim()), [playbooks, key]);
	const {matches, strong} = choices;
	// A choice that contradicts a strong pattern (an sk_live_ key filed under GitHub) is kept, with a warning.
	const contradiction = strong && providerId !== undefined && providerId !== strong.provider.id && index > fields.indexOf('provider') ? strong : undefined;
	// What is shown of typed text: the key (typed here or piped) is masked wherever it appears.
	const shown = (text: string) => {
		const typed = key.trim();
		return redact(typed.length >= 8 ? text.split(typed).join(mask(typed)) : text);
	};
	const back = () => {
		setError(undefined);
		setIndex(current => Math.max(0, current - 1));
	};
	const next = () => {
		setError(undefined);
		setIndex(current => current + 1);
	};

	const answered: Array<[string, string]> = [];
	if (index > fields.indexOf('name')) answered.push(['Incident', shown(name.trim() || defaultName)]);
	if (fields.includes('key') ? index > fields.indexOf('key') : true) answered.push(['Key', mask(key.trim())]);
	if (index > fields.indexOf('provider')) answered.push(['Provider', playbooks.providers.find(p => p.id === providerId)?.name ?? '']);
	if (index > fields.indexOf('where')) answered.push(['Leaked in', LEAK_PLACE_LABELS[where]]);
	if (index > fields.indexOf('url') && url.trim()) answered.push(['Link', shown(url.trim())]);

	let question: React.ReactNode;
	switch (field) {
		case 'name': {
			question = (
				<TextInput
					label="Name this incident:"
					value={name}
					redact={shown}
					placeholder={defaultName}
					hint={textHint({...NEXT, cancel: false, quit: 'to quit'})}
					onChange={setName}
					onSubmit={next}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'key': {
			question = (
				<TextInput
					mask
					label="Paste the leaked key:"
					value={key}
					placeholder="(hidden as you type; never stored, only its fingerprint)"
					hint={`${textHint(NEXT)} · it stays in memory only`}
					error={error}
					onChange={value => {
						setError(undefined);
						setKey(value);
					}}
					onSubmit={value => {
						const trimmed = value.trim();
						if (trimmed.length < 8) setError('That is too short for an API key (8 characters at least).');
						else if (/\s/.test(trimmed)) setError('A key has no spaces in it: paste just the key.');
						else {
							setKey(trimmed);
							next();
						}
					}}
					onCancel={back}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'provider': {
			const best = strong ?? matches[0];
			const initial = providerId ?? best?.provider.id ?? 'generic';
			const {items} = choices;
			question = (
				<Box flexDirection="column">
					<Text bold>Which provider issued the key?</Text>
					<Select
						key="provider"
						items={items}
						initialIndex={Math.max(0, items.findIndex(item => item.value === initial))}
						onSelect={item => {
							setProviderId(item.value);
							next();
						}}
						onBack={back}
						onQuit={onQuit}
					/>
					<Text dimColor>{CHOICE_HINT}</Text>
				</Box>
			);
			break;
		}

		case 'where': {
			const items = LEAK_PLACES.map(place => ({key: place, value: place, label: LEAK_PLACE_LABELS[place]}));
			question = (
				<Box flexDirection="column">
					<Text bold>Where did it leak?</Text>
					<Select
						key="where"
						items={items}
						initialIndex={LEAK_PLACES.indexOf(where)}
						onSelect={item => {
							setWhere(item.value);
							next();
						}}
						onBack={back}
						onQuit={onQuit}
					/>
					<Text dimColor>{CHOICE_HINT}</Text>
				</Box>
			);
			break;
		}

		case 'url': {
			question = (
				<TextInput
					label="Link to where it leaked:"
					value={url}
					redact={shown}
					placeholder="optional: the commit, message or ticket URL"
					hint={textHint({submit: 'to continue (empty is fine)'})}
					onChange={setUrl}
					onSubmit={next}
					onCancel={back}
					onQuit={onQuit}
				/>
			);
			break;
		}

		case 'noticed': {
			question = (
				<TextInput
					label="When was it noticed?"
					value={noticed}
					placeholder="now"
					hint={`"now", "30m ago", "2h ago", "3d ago" or 2026-11-27 14:05 · ${textHint({submit: 'to start'})}`}
					error={error}
					onChange={value => {
						setError(undefined);
						setNoticed(value);
					}}
					onSubmit={value => {
						const parsed = parseNoticedAt(value, clock.now());
						if (!parsed.ok) {
							setError(parsed.reason);
							return;
						}
						onSubmit({
							name: name.trim() || defaultName,
							key: key.trim(),
							providerId: providerId ?? 'generic',
							where,
							...(url.trim() ? {url: url.trim()} : {}),
							noticedAt: parsed.at,
						});
					}}
					onCancel={back}
					onQuit={onQuit}
				/>
			);
			break;
		}
	}

	return (
		<Box flexDirection="column" paddingX={1}>
			<Text bold color="red">
				leakfix · new incident
			</Text>
			<Text dimColor>
				Question {index + 1} of {fields.length}. The incident is saved when you finish; the key itself never is.
			</Text>
			<Box flexDirection="column" marginY={1}>
				{answered.map(([label, value]) => (
					<Text key={label}>
						<Text color="green">✓ </Text>
						<Text dimColor>{label}: </Text>
						{visible(value)}
					</Text>
				))}
				{contradiction ? (
					<Text color="yellow">
						⚠ The key looks like {visible(contradiction.provider.name)} ({visible(contradiction.description)}), not {visible(playbooks.providers.find(p => p.id === providerId)?.name ?? providerId ?? '')}: {keyGlyph('escape')} back to change it, or go on if you are sure.
					</Text>
				) : null}
			</Box>
			{question}
		</Box>
	);
}
