// Rotation and verification: the new key, the old key's deactivation, the verification probes and re-scan, keeping the key out of code, clean-up, follow-ups and the schedule.
import {
	type Session,
} from '../model.js';

import type {SessionEvent} from './events.js';

import {followUpsFrom, hardenedLine, verifyProbed, withSeverity} from './derived.js';
import {recorded} from './record.js';

export type RotationEvent = Extract<SessionEvent, {type: 'newkey.entered' | 'newkey.probed' | 'oldkey.deactivated' | 'verify.probed' | 'verify.rescanned' | 'hardened' | 'harden.started' | 'harden.abandoned' | 'cleanup.done' | 'followup.done' | 'schedule.set'}>;

export function reduceRotation(session: Session, event: RotationEvent): Session {
	switch (event.type) {
		case 'newkey.entered': {
			// A different new key starts the rotation's updates over: results were for the one before.
			const replacing = session.rotation?.newKey !== undefined && session.rotation.newKey.fingerprint !== event.key.fingerprint;
			const {newKeyProbe: _stale, ...rotation} = session.rotation ?? {};
			return recorded(
				session,
				{
					rotation: {...rotation, newKey: {...event.key, enteredAt: event.at}},
					...(replacing && session.inventory ? {inventory: session.inventory.map(({update: _u, restarted: _r, healthResult: _h, updateRetry: _f, ...entry}) => entry)} : {}),
				},
				{kind: 'newkey.entered', step: 'rotate', text: replacing ? `New key replaced by ${event.key.masked}: every consumer is updated again` : `New key entered (${event.key.masked})`},
				event.at,
			);
		}

		case 'newkey.probed': {
			return recorded(session, {rotation: {...session.rotation, newKeyProbe: event.result}}, {kind: 'newkey.probed', step: 'rotate', text: `New key probe: ${event.result.status} (${event.result.reason})`}, event.at);
		}

		case 'oldkey.deactivated': {
			return withSeverity(
				recorded(
					session,
					{followUps: followUpsFrom(session, event.at), rotation: {...session.rotation, deactivatedAt: event.at, deactivation: event.how}},
					{kind: 'oldkey.deactivated', step: 'rotate', text: `Old key deactivated: ${event.how}`},
					event.at,
				),
				event.at,
			);
		}

		case 'verify.probed': {
			const next = verifyProbed(session, event);
			return event.which === 'new' ? next : withSeverity(next, event.at);
		}

		case 'verify.rescanned': {
			return recorded(
				session,
				{verification: {...session.verification, rescan: {at: event.at, remaining: event.remaining, files: event.files}}},
				{kind: 'verify.rescanned', step: 'verify', text: event.remaining === 0 ? 'Re-scan: no copy of the old key left in the working tree' : `Re-scan: the old key is still in ${event.remaining} file(s): ${event.files.join(', ')}`},
				event.at,
			);
		}

		case 'hardened': {
			const {hardeningPending: _done, ...rest} = session;
			return recorded(rest, {hardening: {...event.hardening, at: event.at}}, {kind: 'hardened', step: 'rotate', text: hardenedLine(event.hardening)}, event.at);
		}

		case 'harden.started': {
			// Nothing on the timeline yet: the record comes when it is written (hardened) or not (abandoned).
			return recorded(session, {hardeningPending: {at: event.at, files: event.files, config: event.config, guard: event.guard}}, [], event.at);
		}

		case 'harden.abandoned': {
			// A cancel or a failure restored every file: nothing was written, and the record says so.
			const {hardeningPending: _gone, ...rest} = session;
			const planned = `${event.files} file rewrite(s)${event.config > 0 ? `, ${event.config} config change(s)` : ''}`;
			return recorded(rest, {}, {kind: 'harden.abandoned', step: 'rotate', text: `Keep the key out of code ${event.why}: nothing written (${planned} not made)`}, event.at);
		}

		case 'cleanup.done': {
			return recorded(session, {}, {kind: 'cleanup.done', step: 'verify', text: event.what}, event.at);
		}

		case 'followup.done': {
			const target = session.followUps?.find(followUp => followUp.id === event.id);
			if (!target) return session;
			return recorded(
				session,
				{followUps: session.followUps!.map(followUp => (followUp.id === event.id ? {...followUp, doneAt: event.at} : followUp))},
				{kind: 'followup.done', text: `Follow-up done: ${target.title}`},
				event.at,
			);
		}

		case 'schedule.set': {
			if (!Number.isInteger(event.days) || event.days < 1 || event.days > 3650 || Number.isNaN(Date.parse(event.from))) return session;
			const nextRotation = new Date(Date.parse(event.from) + event.days * 86_400_000).toISOString();
			return recorded(
				session,
				{schedule: {nextRotation, setAt: event.at, days: event.days, from: event.from}},
				{kind: 'schedule.set', text: `Next rotation of ${session.rotation?.newKey?.masked ?? session.key.masked}: ${nextRotation.slice(0, 10)} (${event.days} days after ${event.why})`},
				event.at,
			);
		}
	}
}
