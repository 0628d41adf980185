// Fake keys are built at run time so this repo never trips a secret scanner.
import {randomBytes} from 'node:crypto';

/** A CloudSight-shaped key: 22 characters of URL-safe base64. */
export function fakeCloudSightKey(): string {
	return randomBytes(16).toString('base64url');
}

/** A Stripe-shaped live key. */
export function fakeStripeKey(): string {
	return 'sk_' + 'live_' + randomBytes(18).toString('hex');
}
