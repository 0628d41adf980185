// Step 5's work screen: prove the old key dead (probed again after a delay while revocation
// propagates), the new key live, no copy left in the working tree, every consumer healthy; the
// follow-ups; and, once the old key is proven revoked, the history clean-up.
import {claimFor, isUpdated} from '../core/claims.js';
import {Box, Text, useInput, useStdout} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {Session} from '../core/model.js';
import {formatTime} from '../core/time.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {Work} from './useWork.js';
import {footerHint, intentFor, type KeyContext} from './keymap.js';
import {Help} from './Help.js';
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
	const {stdout} = useStdout();

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

	const helpRef = useRef(false);
	const [help, setHelp] = useState(false);
	const showHelp = (open: boolean) => {
		helpRef.current = open;
		setHelp(open);
	};
	// What the keys can do now: the input handler, the footer and the help read the same.
	const context = (at: number): KeyContext => ({
		idle: !work.busy,
		followUps: !work.busy && followUps.length > 1,
		followUp: !work.busy && followUps[at] !== undefined,
		unchecked: !work.busy && unchecked.length > 0,
	});
	// "Checked by hand": the updated consumers with no passing check, asked one by one.
	const unchecked = checked.filter(entry => entry.verifyHealth?.status !== 'done' && entry.verifyHealth?.status !== 'manual');
	const handRef = useRef<string[] | null>(null);
	const [handQueue, setHandQueue] = useState<string[] | null>(null);
	const askNext = (queue: string[] | null) => {
		handRef.current = queue && queue.length > 0 ? queue : null;
		setHandQueue(handRef.current);
	};

	useInput((input, key) => {
		if (helpRef.current) {
			const intent = intentFor('help', input, key);
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'close') showHelp(false);
			return;
		}
		if (handRef.current) {
			const intent = intentFor('verify-hand-check', input, key);
			const [id, ...rest] = handRef.current;
			if (intent.type === 'quit') return onQuit();
			if (intent.type === 'stop') return askNext(null);
			if (intent.type === 'yes') work.checkedByHand(id!);
			if (intent.type === 'yes' || intent.type === 'no') askNext(rest);
			return;
		}
		if (showCleanup) {
			const intent = intentFor('verify-cleanup', input, key);
			if (intent.type === 'quit') return onQuit();
			setShowCleanup(false);
			if (intent.type === 'purge') void work.purge();
			else if (intent.type === 'ignore-scanners') void work.ignoreScanners();
			return;
		}
		const intent = intentFor('verify', input, key, context(cursorRef.current));
		switch (intent.type) {
			case 'quit': {
				onQuit();
				break;
			}

			case 'back': {
				onBack();
				break;
			}

			case 'probe-old': {
				void work.probe('old');
				break;
			}

			case 'probe-new': {
				void work.probe('new');
				break;
			}

			case 'rescan': {
				void work.rescan();
				break;
			}

			case 'health': {
				void work.health(entries, 'verify-health');
				break;
			}

			case 'cleanup': {
				if (v.oldKey?.status === 'revoked') setShowCleanup(true);
				else work.say('The clean-up comes after the old key is proven revoked (o).', true);
				break;
			}

			case 'move': {
				cursorRef.current = Math.max(0, Math.min(followUps.length - 1, cursorRef.current + (intent.key === 'up' ? -1 : 1)));
				setCursor(cursorRef.current);
				break;
			}

			case 'follow-up-done': {
				const followUp = followUps[cursorRef.current];
				if (followUp) work.followUpDone(followUp.id);
				break;
			}

			case 'help': {
				showHelp(true);
				break;
			}

			case 'hand-check': {
				askNext(unchecked.map(entry => entry.id));
				break;
			}

			case 'none': {
				break;
			}
		}
	});

	if (help) {
		return (
			<Box marginTop={1}>
				<Help screen="verify" context={context(cursor)} />
			</Box>
		);
	}

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
							{index === cursor ? '› ' : '  '}[{followUp.doneAt ? '✓' : Date.parse(followUp.due) <= now.getTime() ? '!' : ' '}] {visible(followUp.title)} · due {formatTime(followUp.due)}
						</Text>
					))}
				</Box>
			) : null}
			{handQueue ? (
				<Box marginTop={1} flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
					{(() => {
						const entry = entries.find(candidate => candidate.id === handQueue[0]);
						return <Text wrap="wrap">Did you check {visible(entry?.service ?? '?')} [{entry?.environment}] yourself, and does it work with the new key?</Text>;
					})()}
					<Text dimColor>{footerHint('verify-hand-check')}</Text>
				</Box>
			) : null}
			{showCleanup ? (
				<Box marginTop={1} flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
					{cleanupText(session).map(text => (
						<Text key={text} wrap="wrap">
							{visible(text)}
						</Text>
					))}
					<Text dimColor>{footerHint('verify-cleanup')}</Text>
				</Box>
			) : null}
			{work.busy ? <Text color="cyan">{visible(work.busy.what)}…</Text> : null}
			{work.message ? <Text color={work.message.error ? 'red' : 'green'} wrap="wrap">{visible(work.message.text)}</Text> : null}
			<Box marginTop={1}>
				<Text dimColor wrap="truncate">
					{footerHint('verify', context(cursor), (stdout.columns || 100) - 2)}
				</Text>
			</Box>
		</Box>
	);
}
