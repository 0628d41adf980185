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

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const random = (alphabet: string, length: number) => Array.from(randomBytes(length), byte => alphabet[byte % alphabet.length]).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Fake keys of every provider shape, built at run time (never literals in the repo). */
export const fakeKeys = {
	github: () => 'gh' + 'p_' + random(ALNUM, 36),
	stripeLive: () => 'sk_' + 'live_' + random(ALNUM, 24),
	stripeTest: () => 'sk_' + 'test_' + random(ALNUM, 24),
	slack: () => 'xo' + 'xb-' + random('0123456789', 12) + '-' + random(ALNUM, 24),
	openai: () => 'sk-' + 'proj-' + random(ALNUM, 40),
	awsPair: () => `${'AK' + 'IA' + random(BASE32, 16)}:${random(ALNUM + '/+', 40)}`,
};
