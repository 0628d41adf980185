// Rotation and verification: the new key, the old key's deactivation, the verification probes and re-scan, keeping the key out of code, clean-up, follow-ups and the schedule.
import {
	type Session,
} from '../model.js';

import type {SessionEvent} from './events.js';

import {followUpsFrom, hardenedLine, verifyProbed, withSeverity} from './derived.js';

export type RotationEvent = Extract<SessionEvent, {type: 'newkey.entered' | 'newkey.probed' | 'oldkey.deactivated' | 'verify.probed' | 'verify.rescanned' | 'hardened' | 'harden.started' | 'harden.abandoned' | 'cleanup.done' | 'followup.done' | 'schedule.set'}>;

export function reduceRotation(session: Session, event: RotationEvent): Session {
	switch (event.type) {
		case 'newkey.entered': {
			// A different new key starts the rotation's updates over: results were for the one before.
			const replacing = session.rotation?.newKey !== undefined && session.rotation.newKey.fingerprint !== event.key.fingerprint;
			const {newKeyProbe: _stale, ...rotation} = session.rotation ?? {};
			return {
				...session,
				rotation: {...rotation, newKey: {...event.key, enteredAt: event.at}},
				...(replacing && session.inventory ? {inventory: session.inventory.map(({update: _u, restarted: _r, healthResult: _h, updateRetry: _f, ...entry}) => entry)} : {}),
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'newkey.entered', step: 'rotate', text: replacing ? `New key replaced by ${event.key.masked}: every consumer is updated again` : `New key entered (${event.key.masked})`}],
			};
		}

		case 'newkey.probed': {
			return {
				...session,
				rotation: {...session.rotation, newKeyProbe: event.result},
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'newkey.probed', step: 'rotate', text: `New key probe: ${event.result.status} (${event.result.reason})`}],
			};
		}

		case 'oldkey.deactivated': {
			return withSeverity(
				{
					...session,
					followUps: followUpsFrom(session, event.at),
					rotation: {...session.rotation, deactivatedAt: event.at, deactivation: event.how},
					updatedAt: event.at,
					timeline: [...session.timeline, {at: event.at, kind: 'oldkey.deactivated', step: 'rotate', text: `Old key deactivated: ${event.how}`}],
				},
				event.at,
			);
		}

		case 'verify.probed': {
			const next = verifyProbed(session, event);
			return event.which === 'new' ? next : withSeverity(next, event.at);
		}

		case 'verify.rescanned': {
			return {
				...session,
				verification: {...session.verification, rescan: {at: event.at, remaining: event.remaining, files: event.files}},
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'verify.rescanned', step: 'verify', text: event.remaining === 0 ? 'Re-scan: no copy of the old key left in the working tree' : `Re-scan: the old key is still in ${event.remaining} file(s): ${event.files.join(', ')}`}],
			};
		}

		case 'hardened': {
			const {hardeningPending: _done, ...rest} = session;
			return {...rest, hardening: {...event.hardening, at: event.at}, updatedAt: event.at, timeline: [...session.timeline, {at: event.at, kind: 'hardened', step: 'rotate', text: hardenedLine(event.hardening)}]};
		}

		case 'harden.started': {
			return {...session, hardeningPending: {at: event.at, files: event.files, config: event.config, guard: event.guard}, updatedAt: event.at};
		}

		case 'harden.abandoned': {
			// A cancel or a failure restored every file: nothing was written, and the record says so.
			const {hardeningPending: _gone, ...rest} = session;
			const planned = `${event.files} file rewrite(s)${event.config > 0 ? `, ${event.config} config change(s)` : ''}`;
			return {...rest, updatedAt: event.at, timeline: [...session.timeline, {at: event.at, kind: 'harden.abandoned', step: 'rotate', text: `Keep the key out of code ${event.why}: nothing written (${planned} not made)`}]};
		}

		case 'cleanup.done': {
			return {...session, updatedAt: event.at, timeline: [...session.timeline, {at: event.at, kind: 'cleanup.done', step: 'verify', text: event.what}]};
		}

		case 'followup.done': {
			const target = session.followUps?.find(followUp => followUp.id === event.id);
			if (!target) return session;
			return {
				...session,
				followUps: session.followUps!.map(followUp => (followUp.id === event.id ? {...followUp, doneAt: event.at} : followUp)),
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'followup.done', text: `Follow-up done: ${target.title}`}],
			};
		}

		case 'schedule.set': {
			if (!Number.isInteger(event.days) || event.days < 1 || event.days > 3650 || Number.isNaN(Date.parse(event.from))) return session;
			const nextRotation = new Date(Date.parse(event.from) + event.days * 86_400_000).toISOString();
			return {
				...session,
				schedule: {nextRotation, setAt: event.at, days: event.days, from: event.from},
				updatedAt: event.at,
				timeline: [...session.timeline, {at: event.at, kind: 'schedule.set', text: `Next rotation of ${session.rotation?.newKey?.masked ?? session.key.masked}: ${nextRotation.slice(0, 10)} (${event.days} days after ${event.why})`}],
			};
		}
	}
}
