// What leakfix's own evidence proves of a checklist item. One pure rule per item leakfix may tick:
// it takes the session and says done (the evidence covers exactly the item's title), partial
// (some of it: shown on the item, the tick left to the responder) or not proven, with the reason
// in words. The reducer ticks an item only when its rule turns to done; the checklist shows the
// partial ones; nothing else in leakfix ticks an item for the responder.
import type {ActionResult, InventoryEntry, Session, StepId} from './model.js';

export type ClaimStatus = 'done' | 'partial' | 'not-proven';
export type Claim = {status: ClaimStatus; why: string};

type Rule = (session: Session) => Claim;

const done = (why: string): Claim => ({status: 'done', why});
const partial = (why: string): Claim => ({status: 'partial', why});
const notProven = (why: string): Claim => ({status: 'not-proven', why});

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The store holds the new key: leakfix updated it, or the responder said they changed it by hand. */
export function isUpdated(entry: InventoryEntry): boolean {
	return entry.update?.status === 'done' || entry.update?.status === 'manual';
}

/** A passing check: leakfix's own (done) or the responder's "checked by hand" (manual). */
export function passed(result: ActionResult | undefined): result is ActionResult {
	return result?.status === 'done' || result?.status === 'manual';
}

function entriesIn(session: Session, environment: InventoryEntry['environment']): InventoryEntry[] {
	return (session.inventory ?? []).filter(entry => entry.environment === environment);
}

/** "Replace the key in every <environment> service": every consumer of that environment updated. */
function everyUpdatedIn(environment: 'staging' | 'prod', label: string): Rule {
	return session => {
		const entries = entriesIn(session, environment);
		if (entries.length === 0) return notProven(`no ${label} consumer in the inventory (step 3)`);
		const updated = entries.filter(isUpdated);
		if (updated.length === entries.length) return done(`${updated.length === 1 ? `the ${label} consumer` : `all ${entries.length} ${label} consumers`} updated (${entries.map(entry => entry.service).join(', ')})`);
		const left = entries.filter(entry => !isUpdated(entry)).map(entry => entry.service);
		return updated.length === 0 ? notProven(`none of ${plural(entries.length, `${label} consumer`)} updated yet`) : partial(`${updated.length} of ${plural(entries.length, `${label} consumer`)} updated; left: ${left.join(', ')}`);
	};
}

const rules: Partial<Record<StepId, Record<string, Rule>>> = {
	rotate: {
		'create-new-key': session => {
			const newKey = session.rotation?.newKey;
			if (!newKey) return notProven('no new key entered yet');
			if (newKey.fingerprint === session.key.fingerprint) return notProven('the key entered as new is the leaked key');
			const probe = session.rotation?.newKeyProbe ?? session.verification?.newKey;
			if (probe?.status === 'live') return done(`a new key (${newKey.masked}), not the leaked one, was entered and probed live`);
			return partial(`a new key (${newKey.masked}) was entered; not yet probed live`);
		},

		// "Check that the new key works (in staging first)": a staging consumer updated and checked
		// before any production consumer was updated. A live probe proves only that the key is live.
		'test-new-key': session => {
			const live = (session.rotation?.newKeyProbe ?? session.verification?.newKey)?.status === 'live';
			const probeSaid = live ? 'the new key probed live, but that does not test a service' : 'the new key has not been probed';
			const staging = entriesIn(session, 'staging');
			if (staging.length === 0) return live ? partial(`${probeSaid}; no staging consumer in the inventory to test it in`) : notProven('no staging consumer in the inventory');
			const firstProd = (session.inventory ?? [])
				.filter(entry => entry.environment === 'prod' && isUpdated(entry))
				.map(entry => entry.update!.at)
				.sort()[0];
			const checked = staging.filter(entry => isUpdated(entry) && passed(entry.healthResult) && entry.healthResult.at >= entry.update!.at);
			const first = checked.filter(entry => firstProd === undefined || entry.healthResult!.at <= firstProd);
			if (first.length > 0) return done(`${first.map(entry => entry.service).join(', ')} (staging) updated and ${first.every(entry => entry.healthResult!.status === 'done') ? 'its health check passed' : 'checked by hand'}${firstProd ? ' before any production update' : ''}`);
			if (checked.length > 0) return partial(`staging was checked only after production was updated (${checked.map(entry => entry.service).join(', ')})`);
			const updated = staging.filter(isUpdated);
			if (updated.length > 0) return partial(`${updated.map(entry => entry.service).join(', ')} (staging) updated; no passing health check after the update yet`);
			return live ? partial(`${probeSaid}; no staging consumer updated yet`) : notProven('no staging consumer updated yet');
		},

		'update-staging': everyUpdatedIn('staging', 'staging'),
		'update-production': everyUpdatedIn('prod', 'production'),

		// "Confirm every service in the inventory uses the new key": its store updated, and the
		// service has read it since (restarted, or a passing health check after the update).
		'all-updated': session => {
			const entries = session.inventory ?? [];
			if (entries.length === 0) return notProven('the inventory is empty (step 3)');
			const reads = (entry: InventoryEntry) => isUpdated(entry) && [entry.restarted, entry.healthResult].some(result => passed(result) && result.at >= entry.update!.at);
			const updated = entries.filter(isUpdated);
			const using = entries.filter(reads);
			if (using.length === entries.length) return done(`all ${plural(entries.length, 'consumer')} updated and restarted or checked since`);
			if (updated.length === 0) return notProven(`none of ${plural(entries.length, 'consumer')} updated yet`);
			const notRead = updated.filter(entry => !reads(entry)).map(entry => entry.service);
			return partial(`${updated.length} of ${plural(entries.length, 'consumer')} updated${notRead.length > 0 ? `; not restarted or checked since: ${notRead.join(', ')}` : ''}`);
		},

		'deactivate-old': session => (session.rotation?.deactivatedAt ? done(`deactivated: ${session.rotation.deactivation ?? 'by leakfix'}`) : notProven('the old key has not been deactivated through leakfix')),

		// "Move the key out of code and config into a secret store": every copy rewritten, the
		// template and ignore entries written, and the guard installed and proven.
		'keep-out-of-code': session => {
			const hardening = session.hardening;
			const underway = session.hardeningPending;
			if (underway) {
				// Name each change that was under way: any of them may or may not have been written.
				const what = [...underway.files, ...underway.config.map(line => line.split(':')[0]!), ...(underway.guard && underway.guard !== 'none' ? [`the guard (${underway.guard})`] : [])];
				return notProven(`interrupted while writing (${underway.at}): ${what.length > 0 ? what.join(', ') : 'nothing'} ${what.length === 1 ? 'was' : 'were'} under way, each written or not; check git status, then run it again (a file already rewritten no longer holds the key)`);
			}
			if (!hardening) return notProven('not run yet (h on the Rotate step)');
			const missing: string[] = [];
			const byHand = hardening.files.filter(file => file.status === 'manual');
			if (byHand.length > 0) missing.push(`${plural(new Set(byHand.map(file => file.file)).size, 'file')} to change by hand`);
			const pending = (hardening.configPending ?? []).length;
			if (pending > 0) missing.push(`${plural(pending, 'config change')} not written`);
			if (!hardening.guard) missing.push('no guard installed');
			else if (hardening.guard.proven === false) missing.push('the guard is installed but not proven');
			if (missing.length === 0) return done(readersLine(hardening));
			return hardening.files.some(file => file.status === 'rewritten') || hardening.guard || hardening.config.length > 0 ? partial(`${readersLine(hardening)}; ${missing.join('; ')}`) : notProven(missing.join('; '));
		},
	},
	verify: {
		'old-key-dead': session => {
			const probe = session.verification?.oldKey;
			if (!probe) return notProven('the old key has not been probed in this step');
			return probe.status === 'revoked' ? done(`the old key probed revoked (${probe.reason})`) : notProven(`the old key probed ${probe.status} (${probe.reason})`);
		},
		'new-key-live': session => {
			const probe = session.verification?.newKey;
			if (!probe) return notProven('the new key has not been probed in this step');
			return probe.status === 'live' ? done('the new key probed live') : notProven(`the new key probed ${probe.status} (${probe.reason})`);
		},
		'no-copies-left': session => {
			const rescan = session.verification?.rescan;
			if (!rescan) return notProven('no re-scan yet');
			return rescan.remaining === 0 ? done('the re-scan found no copy of the old key in the working tree') : notProven(`the re-scan found the old key in ${plural(rescan.remaining, 'file')}`);
		},

		// "Confirm each service's health check passes": a passing check for every updated consumer
		// (leakfix's, or the responder's own "checked by hand" for that consumer).
		'services-healthy': session => {
			const updated = (session.inventory ?? []).filter(isUpdated);
			if (updated.length === 0) return notProven('no consumer updated yet');
			const ok = updated.filter(entry => passed(entry.verifyHealth));
			const failing = updated.filter(entry => entry.verifyHealth?.status === 'failed').map(entry => entry.service);
			const unchecked = updated.filter(entry => !entry.verifyHealth).map(entry => entry.service);
			if (ok.length === updated.length) return done(`${ok.length === 1 ? 'the updated consumer passes its' : `all ${updated.length} updated consumers pass their`} health check${ok.some(entry => entry.verifyHealth!.status === 'manual') ? ' (some checked by hand)' : ''}`);
			const parts = [`${ok.length} of ${plural(updated.length, 'updated consumer')} checked healthy`];
			if (failing.length > 0) parts.push(`failing: ${failing.join(', ')}`);
			if (unchecked.length > 0) parts.push(`not checked: ${unchecked.join(', ')}`);
			return ok.length === 0 && failing.length === 0 ? notProven(parts.join('; ')) : partial(parts.join('; '));
		},

		'history-cleanup': session =>
			session.timeline.some(entry => entry.kind === 'cleanup.done' && /filter-repo/.test(entry.text)) ? done('history purged with git filter-repo') : notProven('no purge run through leakfix'),
	},
};

/** Files that read the variable now: those that already did and those rewritten. */
export function readersLine(hardening: NonNullable<Session['hardening']>): string {
	const rewritten = [...new Set(hardening.files.filter(file => file.status === 'rewritten').map(file => file.file))];
	const already = (hardening.readers ?? []).filter(file => !rewritten.includes(file));
	const total = rewritten.length + already.length;
	if (total === 0) return `no file reads ${hardening.variable} yet`;
	const how = [rewritten.length > 0 ? `${rewritten.length} rewritten now` : '', already.length > 0 ? `${already.length} already did` : ''].filter(Boolean).join(', ');
	return `${plural(total, 'file')} read ${hardening.variable} (${how})`;
}

/** The rule for an item, if leakfix has one (most items are the responder's alone). */
export function claimFor(session: Session, step: StepId, item: string): Claim | null {
	const rule = rules[step]?.[item];
	return rule ? rule(session) : null;
}

/** Every item leakfix has a rule for, as [step, item]. */
export function claimedItems(): Array<[StepId, string]> {
	return Object.entries(rules).flatMap(([step, items]) => Object.keys(items).map(item => [step as StepId, item] as [StepId, string]));
}
