// Steps 3–5 at a glance on the wizard: one line of state and the key that opens the work.
import {Text} from 'ink';
import {keyOf} from './keymap.js';
import type {Session, StepId} from '../core/model.js';
import {formatTime} from '../core/time.js';
import {visible} from '../core/text.js';

export function workPanelLine(session: Session, step: StepId): {text: string; color: string} | null {
	const entries = session.inventory ?? [];
	switch (step) {
		case 'inventory': {
			if (entries.length === 0) return {text: `No consumers listed yet: ${keyOf('step:inventory', 'work')} opens the inventory, where ${keyOf('inventory', 'discover')} discovers them in the repository and ${keyOf('inventory', 'add')} adds one by hand.`, color: 'yellow'};
			const by = (env: string) => entries.filter(entry => entry.environment === env).length;
			return {text: `Inventory: ${entries.length} consumer(s) (prod ${by('prod')}, staging ${by('staging')}, dev ${by('dev')}, unknown ${by('unknown')}) · w opens it`, color: 'green'};
		}

		case 'rotate': {
			const r = session.rotation ?? {};
			const done = entries.filter(entry => entry.update?.status === 'done' || entry.update?.status === 'manual').length;
			const failed = entries.filter(entry => entry.update?.status === 'failed').length;
			const skipped = entries.filter(entry => entry.update?.status === 'skipped').length;
			const parts = [
				r.newKey ? `new key ${r.newKey.masked}${r.newKeyProbe ? ` ${r.newKeyProbe.status}` : ''}` : 'no new key yet',
				`${done}/${entries.length} consumer(s) updated${failed > 0 ? `, ${failed} failed` : ''}${skipped > 0 ? `, ${skipped} skipped` : ''}`,
				r.deactivatedAt ? `old key deactivated ${formatTime(r.deactivatedAt)}` : 'old key still active',
			];
			return {text: `Rotation: ${parts.join(' · ')} · w opens it`, color: failed > 0 ? 'red' : r.deactivatedAt ? 'green' : 'yellow'};
		}

		case 'verify': {
			const v = session.verification ?? {};
			// Every updated consumer needs a passing check (leakfix's, or checked by hand).
			const checked = entries.filter(entry => entry.update?.status === 'done' || entry.update?.status === 'manual');
			const parts = [
				`old key ${v.oldKey ? v.oldKey.status : 'not probed'}`,
				`new key ${v.newKey ? v.newKey.status : 'not probed'}`,
				v.rescan ? (v.rescan.remaining === 0 ? 're-scan clean' : `still in ${v.rescan.remaining} file(s)`) : 'not re-scanned',
				`health ${checked.filter(entry => entry.verifyHealth?.status === 'done' || entry.verifyHealth?.status === 'manual').length}/${checked.length} updated consumer(s) checked`,
			];
			return {text: `Verification: ${parts.join(' · ')} · w opens it`, color: v.verifiedAt ? 'green' : 'yellow'};
		}

		default: {
			return null;
		}
	}
}

export function WorkPanel({session, step}: {session: Session; step: StepId}) {
	const line = workPanelLine(session, step);
	return line ? (
		<Text color={line.color} wrap="truncate">
			{visible(line.text)}
		</Text>
	) : null;
}
