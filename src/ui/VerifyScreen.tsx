// Step 5's work screen: prove the old key dead (probed again after a delay while revocation
// propagates), the new key live, no copy left in the working tree, every consumer healthy; the
// follow-ups; and, once the old key is proven revoked, the history clean-up. The keys go through
// verify/reducer.ts (key → intent → next view and effects); this file runs the effects and draws.
import {claimFor, isUpdated, passed} from '../core/claims.js';
import {recheckDelay} from '../infra/settings.js';
import {Box, Text, useInput, useStdout} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {Session} from '../core/model.js';
import {formatTime} from '../core/time.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import type {Work} from './useWork.js';
import {footerHint, keyOf} from './keymap.js';
import {Help} from './Help.js';
import {visible} from '../core/text.js';
import {initialVerifyView, verifyContext, verifyIntent, verifyReducer, type VerifyEffect, type VerifyFacts} from './verify/reducer.js';
import {useView} from './widgets/useView.js';


export function cleanupText(session: Session): string[] {
	return [
		`Purge the old key from ${session.repoPath ?? 'the repository'}'s history (optional; y runs it):`,
		'  git filter-repo --replace-text <a 0600 file leakfix writes with the key, removed right after> --force',
		'  then: git push --force --all && git push --force --tags',
		'  Caveats: forks, pull-request refs (refs/pull/*) and every clone still hold the old history;',
		'  collaborators must re-clone; a purge never un-leaks a key: it comes after the revocation.',
		`Stop scanners alerting on the dead key (${keyOf('verify-cleanup', 'ignore-scanners')} writes the first):`,
		`  ggshield: .gitguardian.yaml secret.ignored_matches gets {match: <the key's sha256>}`,
		"  gitleaks: add each finding's Fingerprint (gitleaks detect --report-format json) to .gitleaksignore",
	];
}

export function VerifyScreen({session, provider, work, keyPresent, onBack, onQuit, now}: {session: Session; provider: ProviderPlaybook; work: Work; keyPresent: boolean; onBack(): void; onQuit(): void; now: Date}) {
	const v = session.verification ?? {};
	const entries = session.inventory ?? [];
	// Every updated consumer needs a passing check: leakfix's own, or the responder's by hand.
	const checked = entries.filter(isUpdated);
	const passing = checked.filter(entry => passed(entry.verifyHealth));
	const health = claimFor(session, 'verify', 'services-healthy');
	const [countdown, setCountdown] = useState<number | null>(null);
	const followUps = session.followUps ?? [];
	const {stdout} = useStdout();
	const facts: VerifyFacts = {busy: Boolean(work.busy), followUps, unchecked: checked.filter(entry => !passed(entry.verifyHealth)).map(entry => entry.id), oldKeyRevoked: v.oldKey?.status === 'revoked'};
	const {view, latest, apply} = useView(initialVerifyView, verifyReducer);

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

	const run = (effect: VerifyEffect) => {
		switch (effect.type) {
			case 'probe': {
				void work.probe(effect.which);
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

			case 'purge': {
				void work.purge();
				break;
			}

			case 'ignore-scanners': {
				void work.ignoreScanners();
				break;
			}

			case 'follow-up-done': {
				work.followUpDone(effect.id);
				break;
			}

			case 'checked-by-hand': {
				work.checkedByHand(effect.id);
				break;
			}

			case 'say': {
				work.say(effect.text, effect.error);
				break;
			}

			case 'back': {
				onBack();
				break;
			}

			case 'quit': {
				onQuit();
				break;
			}
		}
	};
	useInput((input, key) => {
		for (const effect of apply({type: 'key', ...verifyIntent(latest(), facts, input, key)}, facts)) run(effect);
	});

	const context = verifyContext(view, facts);
	const line = (ok: boolean | null, text: string, detail: string) => (
		<Text wrap="truncate">
			<Text color={ok === null ? 'white' : ok ? 'green' : 'red'}>[{ok === null ? ' ' : ok ? '✓' : '✗'}]</Text> {visible(text)}
			<Text dimColor> {visible(detail)}</Text>
		</Text>
	);
	const oldKeyLine = line(v.oldKey ? v.oldKey.status === 'revoked' : null, 'The old key is rejected (revoked)', v.oldKey ? `${v.oldKey.status} at ${formatTime(v.oldKey.at)}: ${v.oldKey.reason}` : provider.probe ? `${keyOf('verify', 'probe-old')} probes it` : `${provider.name} has no probe: check in its dashboard`);
	const followUpRow = (followUp: (typeof followUps)[number], index: number) => (
		<Text key={followUp.id} inverse={index === view.cursor} wrap="truncate">
			{index === view.cursor ? '› ' : '  '}[{followUp.doneAt ? '✓' : Date.parse(followUp.due) <= now.getTime() ? '!' : ' '}] {visible(followUp.title)} · due {formatTime(followUp.due)}
		</Text>
	);
	if (view.help) {
		// The keys act on the follow-up under the cursor, else on the checks (the first is shown).
		const current = followUps[view.cursor];
		return (
			<Box marginTop={1}>
				<Help screen="verify" context={context} current={current ? followUpRow(current, view.cursor) : oldKeyLine} />
			</Box>
		);
	}
	const asked = view.handQueue ? entries.find(candidate => candidate.id === view.handQueue![0]) : undefined;
	return (
		<Box marginTop={1} flexDirection="column">
			<Text bold>Verify: prove the old key is dead and nothing depends on it</Text>
			{oldKeyLine}
			{countdown !== null ? <Text color="yellow">It still answers: revocation can take minutes. Probing again in {countdown}s.</Text> : null}
			{line(v.newKey ? v.newKey.status === 'live' : null, 'The new key works (live)', v.newKey ? `${v.newKey.status} at ${formatTime(v.newKey.at)}` : `${keyOf('verify', 'probe-new')} probes it`)}
			{line(v.rescan ? v.rescan.remaining === 0 : null, 'No copy of the old key left in the working tree', v.rescan ? (v.rescan.remaining === 0 ? `re-scanned ${formatTime(v.rescan.at)}` : `still in ${v.rescan.files.join(', ')}`) : `${keyOf('verify', 'rescan')} re-scans`)}
			{line(checked.length === 0 || checked.every(entry => !entry.verifyHealth) ? null : passing.length === checked.length, `Every updated consumer is healthy (${passing.length}/${checked.length})`, `${health?.why ?? ''}${checked.some(entry => entry.health) ? ` · ${keyOf('verify', 'health')} runs the checks` : ''}`)}
			{v.verifiedAt ? <Text color="green">Verified at {formatTime(v.verifiedAt)}: the old key is dead and the new one works.</Text> : null}
			{followUps.length > 0 ? (
				<Box marginTop={1} flexDirection="column">
					<Text bold>Follow-ups (leakfix status lists what is due)</Text>
					{followUps.map((followUp, index) => followUpRow(followUp, index))}
				</Box>
			) : null}
			{view.handQueue ? (
				<Box marginTop={1} flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
					<Text wrap="wrap">Did you check {visible(asked?.service ?? '?')} [{asked?.environment}] yourself, and does it work with the new key?</Text>
					<Text dimColor>{footerHint('verify-hand-check')}</Text>
				</Box>
			) : null}
			{view.cleanup ? (
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
					{footerHint('verify', context, (stdout.columns || 100) - 2)}
				</Text>
			</Box>
		</Box>
	);
}
