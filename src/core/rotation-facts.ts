// Facts of a rotation the screens and the commands both decide by (issue 13: not in a screen).
// Pure: the session and the playbook's rotation come in as data.
import type {Session} from './model.js';

/** An IAM user's name from its ARN (arn:aws:iam::123:user/path/name); null for any other principal. */
export function awsUserName(arn: string | undefined | null): string | null {
	return arn ? (/:user\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn)?.[1] ?? null) : null;
}

/** The leaked key's IAM user, as its probes have told it (the assess probe, else the verification's). */
export function awsUserOf(session: Session): string | null {
	return awsUserName(session.probe?.details?.arn ?? session.verification?.oldKey?.details?.arn);
}

/**
 * A provider whose rotation regenerates the key kills the old one as the new one is made: once
 * the new key is entered, the old one is deactivated, said so. Null when that does not apply (another
 * pattern, or the old key's deactivation is already recorded).
 */
export function deactivatedByRegeneration(rotation: {pattern: string}, session: Pick<Session, 'rotation'>): string | null {
	return rotation.pattern === 'regenerate' && !session.rotation?.deactivatedAt ? 'regenerated: the old key died when the new one was made' : null;
}
