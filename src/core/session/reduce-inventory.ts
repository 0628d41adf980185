// The inventory: discovery, entries added, edited, merged and removed, each entry's action results, and who can read each store.
import {
	type InventoryEntry,
	type Session,
} from '../model.js';

import {storeAddress} from '../inventory/address.js';

import {accessLine, accessSummary, mergeAccess, VERDICT_WORDS} from '../access.js';
import type {SessionEvent} from './events.js';

import {withResult} from './derived.js';
import {recorded} from './record.js';

export type InventoryEvent = Extract<SessionEvent, {type: 'inventory.discovered' | 'inventory.saved' | 'inventory.removed' | 'inventory.merged' | 'entry.result' | 'access.read' | 'access.marked'}>;

export function reduceInventory(session: Session, event: InventoryEvent): Session {
	switch (event.type) {
		case 'inventory.discovered': {
			const existing = session.inventory ?? [];
			const known = new Set(existing.map(entry => `${entry.service}\u0000${storeAddress(entry.store)}`));
			const used = new Set(existing.map(entry => entry.id));
			let next = existing.length;
			const added: InventoryEntry[] = [];
			for (const entry of event.entries) {
				if (known.has(`${entry.service}\u0000${storeAddress(entry.store)}`)) continue;
				let id = `svc-${++next}`;
				while (used.has(id)) id = `svc-${++next}`;
				used.add(id);
				added.push({...entry, id});
			}
			return recorded(
				session,
				{inventory: [...existing, ...added]},
				{kind: 'inventory.discovered', step: 'inventory', text: `Discovery proposed ${event.entries.length} consumer(s); ${added.length} new in the inventory`},
				event.at,
			);
		}

		case 'inventory.saved': {
			const existing = session.inventory ?? [];
			const replacing = existing.some(entry => entry.id === event.entry.id);
			return recorded(
				session,
				{inventory: replacing ? existing.map(entry => (entry.id === event.entry.id ? event.entry : entry)) : [...existing, event.entry]},
				{kind: 'inventory.saved', step: 'inventory', text: `${replacing ? 'Edited' : 'Added'} ${event.entry.service} [${event.entry.environment}]: ${storeAddress(event.entry.store)}`},
				event.at,
			);
		}

		case 'inventory.removed': {
			const gone = session.inventory?.find(entry => entry.id === event.id);
			if (!gone) return session;
			return recorded(
				session,
				{inventory: session.inventory!.filter(entry => entry.id !== event.id)},
				{kind: 'inventory.removed', step: 'inventory', text: `Removed ${gone.service}: ${storeAddress(gone.store)}`},
				event.at,
			);
		}

		case 'inventory.merged': {
			const from = session.inventory?.find(entry => entry.id === event.from);
			const into = session.inventory?.find(entry => entry.id === event.into);
			// Two places that hold the key are two updates: merging them would lose one.
			if (!from || !into || from === into || storeAddress(from.store) !== storeAddress(into.store)) return session;
			const merged = {...into, evidence: [...new Set([...into.evidence, ...from.evidence])]};
			return recorded(
				session,
				{inventory: session.inventory!.filter(entry => entry.id !== from.id).map(entry => (entry.id === into.id ? merged : entry))},
				{kind: 'inventory.merged', step: 'inventory', text: `Merged ${from.service} (${storeAddress(from.store)}) into ${into.service}`},
				event.at,
			);
		}

		case 'entry.result': {
			const target = session.inventory?.find(entry => entry.id === event.id);
			if (!target) return session;
			const field = {update: 'update', restart: 'restarted', health: 'healthResult', 'verify-health': 'verifyHealth'} as const;
			const label = {update: 'Update', restart: 'Restart', health: 'Health check', 'verify-health': 'Verification health check'}[event.action];
			return recorded(
				session,
				{inventory: session.inventory!.map(entry => (entry.id === event.id ? withResult(entry, field[event.action], event.result) : entry))},
				{kind: `entry.${event.action}`, step: event.action === 'verify-health' ? 'verify' : 'rotate', text: `${label} of ${target.service} [${target.environment}] (${storeAddress(target.store)}): ${event.result.status} — ${event.result.detail}`},
				event.at,
			);
		}

		case 'access.read': {
			const target = session.inventory?.find(entry => entry.id === event.id);
			if (!target) return session;
			const access = mergeAccess(target.access, event.readers, {commands: event.commands, unread: event.unread, at: event.at});
			return recorded(
				session,
				{inventory: session.inventory!.map(entry => (entry.id === event.id ? {...entry, access} : entry))},
				{kind: 'access.read', step: 'inventory', text: `Who can read ${target.service} (${storeAddress(target.store)}): ${accessSummary(access)}`},
				event.at,
			);
		}

		case 'access.marked': {
			const target = session.inventory?.find(entry => entry.id === event.id);
			const finding = target?.access?.findings.find(candidate => candidate.id === event.finding);
			if (!target?.access || !finding) return session;
			const note = event.note?.trim();
			if (finding.verdict === event.verdict && (note === undefined || note === (finding.note ?? ''))) return session;
			const marked = {...finding, verdict: event.verdict, markedAt: event.at, ...(note === undefined ? {} : {note: note || undefined})};
			if (marked.note === undefined) delete marked.note;
			return recorded(
				session,
				{inventory: session.inventory!.map(entry => (entry.id === event.id ? {...entry, access: {...entry.access!, findings: entry.access!.findings.map(candidate => (candidate.id === finding.id ? marked : candidate))}} : entry))},
				{kind: 'access.marked', step: 'inventory', text: `Reader of ${target.service} ${event.verdict === 'open' ? 'reopened (not reviewed)' : `judged ${VERDICT_WORDS[event.verdict]}`}: ${accessLine(marked)}`},
				event.at,
			);
		}
	}
}
