// Step 5's work screen: prove the old key dead (probed again after a delay while revocation
// propagates), the new key live, no copy left in the working tree, every consumer healthy; the
// follow-ups; and, once the old key is proven revoked, the history clean-up.
import {claimFor, isUpdated} from '../core/claims.js';
import {Box, Text, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {Session} from '../core/model.js';
import {formatTime} from '../core/time.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {Work} from './useWork.js';
import {visible} from '../core/text.js';

/** Seconds before the old key is probed again when it still answers (revocation can take minutes). */
export function recheckDelay(): number {
	const value = Number(process.env.LEAKFIX_REVOKE_RECHECK_SECONDS ?? 120);
	return Number.isFinite(value) && value >= 0 ? value : 120;
}

export function cleanupText(session: Session): string[] {
	return [
		`Purge the old key from ${session.repoPath ?? 'the repository'}'s history (optional; y runs it):`,
		'  git filter-repo --replace-text <a 0600 file leakfix writes with the key, removed right after> --force',
		'  then: git push --force --all && git push --force --tags',
		'  Caveats: forks, pull-request refs (refs/pull/*) and every clone still hold the old history;',
		'  collaborators must re-clone; a purge never un-leaks a key: it comes after the revocation.',
		'Stop scanners alerting on the dead key (i writes the first):',
		`  ggshield: .gitguardian.yaml secret.ignored_matches gets {match: <the key's sha256>}`,
		"  gitleaks: add each finding's Fingerprint (gitleaks detect --report-format json) to .gitleaksignore",
	];
}

export function VerifyScreen({session, provider, work, keyPresent, onBack, onQuit, now}: {session: Session; provider: ProviderPlaybook; work: Work; keyPresent: boolean; onBack(): void; onQuit(): void; now: Date}) {
	const v = session.verification ?? {};
	const entries = session.inventory ?? [];
	// Every updated consumer needs a passing check: leakfix's own, or the responder's by hand.
	const checked = entries.filter(isUpdated);
	const passing = checked.filter(entry => entry.verifyHealth?.status === 'done' || entry.verifyHealth?.status === 'manual');
	const health = claimFor(session, 'verify', 'services-healthy');
	const [showCleanup, setShowCleanup] = useState(false);
	const [countdown, setCountdown] = useState<number | null>(null);
	const followUps = session.followUps ?? [];
	const cursorRef = useRef(0);
	const [cursor, setCursor] = useState(0);

	// The old key still answers right after the deactivation: probe it again after the delay, once.
	const retried = useRef(false);
	useEffect(() => {
		if (retried.current || !session.rotation?.deactivatedAt || !v.oldKey || v.oldKey.status === 'revoked' || !keyPresent) return;
		retried.current = true;
		let left = recheckDelay();
		setCountdown(left);
		const timer = setInterval(() => {
			left--;
			setCountdown(left);
			if (left <= 0) {
				clearInterval(timer);
				setCountdown(null);
				void work.probe('old');
			}
		}, 1000);
		return () => {
			clearInterval(timer);
			setCountdown(null);
		};
	}, [v.oldKey?.at]);

	useInput((input, key) => {
		if (key.ctrl && input === 'c') return onQuit();
		if (showCleanup) {
			setShowCleanup(false);
			if (input === 'y') void work.purge();
			else if (input === 'i') void work.ignoreScanners();
			return;
		}
		if (key.escape || input === 'q' || key.leftArrow) return onBack();
		if (work.busy) return;
		if (input === 'o') void work.probe('old');
		else if (input === 'w') void work.probe('new');
		else if (input === 'r') void work.rescan();
		else if (input === 'c') void work.health(entries, 'verify-health');
		else if (input === 'g') {
			if (v.oldKey?.status === 'revoked') setShowCleanup(true);
			else work.say('The clean-up comes after the old key is proven revoked (o).', true);
		} else if (key.upArrow || key.downArrow) {
			cursorRef.current = Math.max(0, Math.min(followUps.length - 1, cursorRef.current + (key.upArrow ? -1 : 1)));
			setCursor(cursorRef.current);
		} else if (input === 'x' && followUps[cursorRef.current]) work.followUpDone(followUps[cursorRef.current]!.id);
	});

	const line = (ok: boolean | null, text: string, detail: string) => (
		<Text wrap="truncate">
			<Text color={ok === null ? 'white' : ok ? 'green' : 'red'}>[{ok === null ? ' ' : ok ? '✓' : '✗'}]</Text> {visible(text)}
			<Text dimColor> {visible(detail)}</Text>
		</Text>
	);
	return (
		<Box marginTop={1} flexDirection="column">
			<Text bold>Verify: prove the old key is dead and nothing depends on it</Text>
			{line(v.oldKey ? v.oldKey.status === 'revoked' : null, 'The old key is rejected (revoked)', v.oldKey ? `${v.oldKey.status} at ${formatTime(v.oldKey.at)}: ${v.oldKey.reason}` : provider.probe ? 'o probes it' : `${provider.name} has no probe: check in its dashboard`)}
			{countdown !== null ? <Text color="yellow">It still answers: revocation can take minutes. Probing again in {countdown}s.</Text> : null}
			{line(v.newKey ? v.newKey.status === 'live' : null, 'The new key works (live)', v.newKey ? `${v.newKey.status} at ${formatTime(v.newKey.at)}` : 'w probes it')}
			{line(v.rescan ? v.rescan.remaining === 0 : null, 'No copy of the old key left in the working tree', v.rescan ? (v.rescan.remaining === 0 ? `re-scanned ${formatTime(v.rescan.at)}` : `still in ${v.rescan.files.join(', ')}`) : 'r re-scans')}
			{line(checked.length === 0 || checked.every(entry => !entry.verifyHealth) ? null : passing.length === checked.length, `Every updated consumer is healthy (${passing.length}/${checked.length})`, `${health?.why ?? ''}${checked.some(entry => entry.health) ? ' · c runs the checks' : ''}`)}
			{v.verifiedAt ? <Text color="green">Verified at {formatTime(v.verifiedAt)}: the old key is dead and the new one works.</Text> : null}
			{followUps.length > 0 ? (
				<Box marginTop={1} flexDirection="column">
					<Text bold>Follow-ups (leakfix status lists what is due)</Text>
					{followUps.map((followUp, index) => (
						<Text key={followUp.id} inverse={index === cursor} wrap="truncate">
							[{followUp.doneAt ? '✓' : Date.parse(followUp.due) <= now.getTime() ? '!' : ' '}] {visible(followUp.title)} · due {formatTime(followUp.due)}
						</Text>
					))}
				</Box>
			) : null}
			{showCleanup ? (
				<Box marginTop={1} flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
					{cleanupText(session).map(text => (
						<Text key={text} wrap="wrap">
							{visible(text)}
						</Text>
					))}
					<Text dimColor>y purges the history · i writes the ggshield entry · any other key closes</Text>
				</Box>
			) : null}
			{work.busy ? <Text color="cyan">{visible(work.busy.what)}…</Text> : null}
			{work.message ? <Text color={work.message.error ? 'red' : 'green'} wrap="wrap">{visible(work.message.text)}</Text> : null}
			<Box marginTop={1}>
				<Text dimColor wrap="truncate">
					o probe old · w probe new · r re-scan · c health checks · ↑↓ x follow-up done · g clean-up · Esc back
				</Text>
			</Box>
		</Box>
	);
}
