// The session's events: what the UI and the commands dispatch; the clock stamps them.
import {
	type ExposureSummary,
	type FindingVerdict,
	type Hardening,
	type ActionResult,
	type InventoryEntry,
	type LogSummary,
	type StoredProbeResult,
	type StepId,
} from '../model.js';

import {type AccessVerdict, type FoundReader} from '../access.js';

export type SessionEvent =
	| {type: 'item.done'; step: StepId; item: string; at: string}
	| {type: 'item.reopened'; step: StepId; item: string; at: string}
	| {type: 'item.skipped'; step: StepId; item: string; reason: string; at: string}
	| {type: 'item.noted'; step: StepId; item: string; note: string; at: string}
	| {type: 'cursor.moved'; step: StepId; item: number}
	| {type: 'incident.resumed'; at: string; keyEntered: boolean}
	| {type: 'key.entered'; at: string}
	| {type: 'scan.completed'; at: string; summary: ExposureSummary}
	| {type: 'probe.consented'; at: string; request: string}
	| {type: 'probe.completed'; at: string; result: StoredProbeResult}
	| {type: 'logs.analyzed'; at: string; summary: LogSummary}
	| {type: 'finding.marked'; at: string; id: string; verdict: FindingVerdict; note?: string}
	| {type: 'inventory.discovered'; at: string; entries: InventoryEntry[]}
	| {type: 'inventory.saved'; at: string; entry: InventoryEntry}
	| {type: 'inventory.removed'; at: string; id: string}
	| {type: 'inventory.merged'; at: string; from: string; into: string}
	| {type: 'newkey.entered'; at: string; key: {fingerprint: string; masked: string; length: number}}
	| {type: 'newkey.probed'; at: string; result: StoredProbeResult}
	| {type: 'entry.result'; at: string; id: string; action: 'update' | 'restart' | 'health' | 'verify-health'; result: ActionResult}
	| {type: 'oldkey.deactivated'; at: string; how: string}
	| {type: 'verify.probed'; at: string; which: 'old' | 'new'; result: StoredProbeResult}
	| {type: 'verify.rescanned'; at: string; remaining: number; files: string[]}
	| {type: 'followup.done'; at: string; id: string}
	/** Who can read an entry's store, as the access readers found it (src/engines/access). */
	| {type: 'access.read'; at: string; id: string; commands: string[]; readers: FoundReader[]; unread: string[]}
	/** The responder's verdict on one reader: expected, or to fix (open: not reviewed). */
	| {type: 'access.marked'; at: string; id: string; finding: string; verdict: AccessVerdict; note?: string}
	/** The next regular rotation: `days` after `from` (the rotation's end, src/core/schedule.ts). */
	| {type: 'schedule.set'; at: string; days: number; from: string; why: string}
	| {type: 'cleanup.done'; at: string; what: string}
	| {type: 'hardened'; at: string; hardening: Omit<Hardening, 'at'>}
	| {type: 'status.shared'; at: string; to: string}
	| {type: 'harden.started'; at: string; files: string[]; config: string[]; guard: string}
	| {type: 'harden.abandoned'; at: string; why: string; files: number; config: number};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the clock stamps it (the UI dispatches these). */
export type UnstampedEvent = DistributiveOmit<SessionEvent, 'at'>;

export function stamp(event: UnstampedEvent, at: string): SessionEvent {
	return event.type === 'cursor.moved' ? event : ({...event, at} as SessionEvent);
}

