// The Rotate screen's panels under the task: a confirmation, one file of the harden flow, the dry
// run. Each fits its body in the rows it is given (./fit.ts) and says how many lines it left out
// and where they are printed whole, so the title bar and the footer stay on screen.
import {Box, Text} from 'ink';
import type {HardenStore} from '../../core/harden.js';
import {visible, visibleBlock} from '../../core/text.js';
import type {FileView} from '../../engines/harden/flow.js';
import {footerHint} from '../keymap.js';
import {fitLines, rowsOf} from './fit.js';
import type {ConfirmLine} from './reducer.js';

const STORE_NAME: Record<HardenStore, string> = {env: 'the environment', 'aws-sm': 'AWS Secrets Manager', vault: 'Vault', conjur: 'Conjur'};

const diffColor = (line: string) => (line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : line.startsWith('@@') ? 'cyan' : undefined);

function More({hidden, where}: {hidden: number; where: string}) {
	return hidden > 0 ? (
		<Text dimColor wrap="truncate">
			(+{hidden} more line{hidden === 1 ? '' : 's'}: {where})
		</Text>
	) : null;
}

/** The rows a confirmation's title and footer take. */
export const confirmChrome = (title: string, width: number) => rowsOf(`${title}: this changes a system. Run it?`, width) + 1;

export function ConfirmPanel({lines: given, more, title, redact, width, rows}: {lines: readonly ConfirmLine[]; more?: string | undefined; title: string; redact(text: string): string; width: number; rows: number}) {
	const lines = given.map((line): ConfirmLine => (typeof line === 'string' ? visible(redact(line)) : {diff: visibleBlock(redact(line.diff))}));
	const {shown, hidden} = fitLines(lines, rows, line => (typeof line === 'string' ? rowsOf(line, width) : 1));
	return (
		<Box flexDirection="column">
			<Text bold wrap="wrap">
				{title}: this changes a system. Run it?
			</Text>
			{shown.map((line, index) =>
				typeof line === 'string' ? (
					<Text key={index} color="cyan" wrap="wrap">
						{line}
					</Text>
				) : (
					<Text key={index} color={diffColor(line.diff)} wrap="truncate">
						{line.diff}
					</Text>
				),
			)}
			<More hidden={hidden} where={more ?? 'leakfix rotate --dry-run prints them all'} />
			<Text dimColor>{footerHint('rotate-confirm')}</Text>
		</Box>
	);
}

const fileTitle = (file: FileView) => `${file.index + 1}/${file.total} ${visible(file.file)} (${file.language ?? 'unknown language'}, line${file.lines.length === 1 ? '' : 's'} ${file.lines.join(', ')})`;
const fileFooter = (file: FileView) =>
	`reads from ${STORE_NAME[file.store]}${file.ownStore ? ' (chosen for this file)' : ''} (1 env · 2 AWS SM · 3 Vault · 4 Conjur) · ${file.diff ? 'y accepts this rewrite (written at the end, after one confirmation) · n leaves it' : 'n (or y) goes on'} · Esc cancels (nothing written) · q quit`;

/** The rows a file's title, refusal and footer take: what is left is the diff's. */
export function fileChrome(file: FileView, width: number): number {
	const refused = file.refused ? rowsOf(`Not rewritten: ${visible(file.refused)}. Paste instead:`, width) + rowsOf(visibleBlock(file.snippet ?? ''), width) : 0;
	return rowsOf(fileTitle(file), width) + refused + rowsOf(fileFooter(file), width);
}

/** One file of the harden flow: its rewrite as a diff (masked by the flow), or why it is by hand. */
export function HardenFilePanel({file, width, rows}: {file: FileView; width: number; rows: number}) {
	// The diff's own header lines (--- and +++) say nothing the title does not.
	const diff = file.diff ? file.diff.split('\n').slice(2) : [];
	const {shown, hidden} = fitLines(diff, Math.max(2, rows - fileChrome(file, width)), () => 1);
	return (
		<Box flexDirection="column">
			<Text bold wrap="wrap">
				{fileTitle(file)}
			</Text>
			{shown.map((line, index) => (
				<Text key={index} color={diffColor(line)} wrap="truncate">
					{visibleBlock(line)}
				</Text>
			))}
			<More hidden={hidden} where="leakfix harden --dry-run prints them whole" />
			{file.refused ? (
				<>
					<Text color="yellow" wrap="wrap">
						Not rewritten: {visible(file.refused)}. Paste instead:
					</Text>
					<Text color="cyan" wrap="wrap">
						{visibleBlock(file.snippet ?? '')}
					</Text>
				</>
			) : null}
			<Text dimColor wrap="wrap">
				{fileFooter(file)}
			</Text>
		</Box>
	);
}

/** Every step in order, nothing run: the same lines as `leakfix rotate --dry-run`. */
export function DryRunPanel({lines, redact, width, rows}: {lines: string[]; redact(text: string): string; width: number; rows: number}) {
	const shown = lines.map(line => visibleBlock(redact(line)));
	const fitted = fitLines(shown, Math.max(2, rows - 2), line => rowsOf(line, width));
	return (
		<Box flexDirection="column">
			<Text bold>Dry run: what step 4 would do, in order (nothing runs)</Text>
			{fitted.shown.map((line, index) => (
				<Text key={index} wrap="wrap">
					{line}
				</Text>
			))}
			<More hidden={fitted.hidden} where="leakfix rotate --dry-run prints them all" />
			<Text dimColor>{footerHint('rotate-dry-run')}</Text>
		</Box>
	);
}
