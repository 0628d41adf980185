// The assess step's automated panel: severity, liveness and exposure, each a line or two.
import {keyOf} from './keymap.js';
import {Box, Text} from 'ink';
import type {Session} from '../core/model.js';
import {blastRadiusLine} from '../core/scopes.js';
import {formatTime} from '../core/time.js';
import {visible} from '../core/text.js';
import {ExposurePanel, firstExposureFacts, type ScanState} from './ExposurePanel.js';

export type ProbeState = {kind: 'idle'} | {kind: 'running'} | {kind: 'failed'; message: string};

const LEVEL_COLOR = {low: 'green', medium: 'yellow', high: 'red', critical: 'redBright'} as const;
const POWER_COLOR = {admin: 'redBright', write: 'red', 'read-only': 'green', unknown: 'yellow'} as const;

/** What the key can do: its power, the facts read (one line), then the quarantine (three lines) or the first note (one). */
function blastRadiusLines(session: Session): number {
	const blast = session.probe?.blastRadius;
	if (!blast) return 0;
	return 1 + (blast.facts.length > 0 ? 1 : 0) + (blast.quarantine ? 3 : blast.notes.length > 0 ? 1 : 0);
}

/** How many lines the panel draws (the wizard budgets the terminal's height with it). */
export function assessPanelLines(session: Session, scan: ScanState): number {
	let lines = (session.severity ? 2 : 0) + (session.severity?.containFirst ? 1 : 0) + 1 + blastRadiusLines(session); // severity (two lines at most), contain, liveness, what the key can do
	if (scan.kind === 'running') return lines + 1;
	if (scan.kind === 'failed') lines += 1;
	if (session.exposure) return lines + session.exposure.repos.reduce((sum, repo) => sum + (repo.firstExposure ? (firstExposureFacts(repo.firstExposure) ? 3 : 2) : 1), 0) + 1;
	return lines + (scan.kind === 'failed' ? 0 : 1);
}

export function AssessPanel({session, scan, probe, keyPresent, canProbe}: {session: Session; scan: ScanState; probe: ProbeState; keyPresent: boolean; canProbe: boolean}) {
	const severity = session.severity;
	const result = session.probe;
	return (
		<Box flexDirection="column">
			{severity ? (
				<Box height={2} overflow="hidden">
				<Text wrap="wrap">
					<Text bold color={LEVEL_COLOR[severity.level]}>
						Severity {severity.level.toUpperCase()}
					</Text>
					: {visible(severity.reasons.join('; '))}
				</Text>
				</Box>
			) : null}
			{severity?.containFirst ? (
				<Text color="redBright" wrap="truncate">
					{visible(severity.containFirst)}
				</Text>
			) : null}
			{probe.kind === 'running' ? (
				<Text color="cyan">Probing the key…</Text>
			) : probe.kind === 'failed' ? (
				<Text color="red">Probe failed: {visible(probe.message)} (p to retry)</Text>
			) : result ? (
				<Text wrap="truncate" color={result.status === 'live' ? 'red' : result.status === 'revoked' ? 'green' : 'yellow'}>
					Liveness {result.status.toUpperCase()} at {formatTime(result.at)}: {visible(result.reason)}
					{result.details ? ` (${visible(Object.entries(result.details).map(([name, value]) => `${name}: ${value}`).join(', '))})` : ''} · p again
				</Text>
			) : canProbe ? (
				<Text color="cyan" wrap="truncate">
					{keyPresent ? `${keyOf('step:assess', 'probe')}: check whether the key is live (one read-only request, never billed; you see it first)` : `The liveness probe needs the key: press ${keyOf('step:assess', 'enter-key')}.`}
				</Text>
			) : (
				<Text dimColor>{visible(session.provider.name)} has no safe probe: check the key in its dashboard.</Text>
			)}
			{result?.blastRadius && probe.kind !== 'running' ? (
				<>
					<Text wrap="truncate" bold color={POWER_COLOR[result.blastRadius.power]}>
						What the key can do: {visible(blastRadiusLine(result.blastRadius))}
					</Text>
					{result.blastRadius.facts.length > 0 ? <Text wrap="truncate">{visible(result.blastRadius.facts.map(fact => `${fact.label}: ${fact.value}`).join(' · '))}</Text> : null}
					{result.blastRadius.quarantine ? (
						<Box height={3} overflow="hidden">
							<Text color="redBright" wrap="wrap">
								AWS quarantine ({visible(result.blastRadius.quarantine.policy)}) attached: it denies new instances, users, keys and policy changes but does NOT disable the key. Keep it until the key is rotated. It denies cloudtrail:LookupEvents: run the logs step as another principal.
							</Text>
						</Box>
					) : result.blastRadius.notes.length > 0 ? (
						<Text dimColor wrap="truncate">
							{visible(result.blastRadius.notes[0]!)}
						</Text>
					) : null}
				</>
			) : null}
			<ExposurePanel scan={scan} summary={session.exposure} keyPresent={keyPresent} repo={session.repoPath ?? '.'} />
		</Box>
	);
}
