// What a probe sends, without sending it: the consent text, the setting that points probes at a
// loopback server, the AWS pair. No execa here: the wizard shows this before anything runs.
import {randomBytes} from 'node:crypto';
import {splitPair} from '../core/leaked-key.js';
import {mask} from '../core/secrets.js';
import {UserError} from '../infra/errors.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/;

/** The probe base URL from the environment, checked: only a loopback origin is accepted. */
export function probeBaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const value = env.LEAKFIX_PROBE_BASE_URL;
	if (!value) return undefined;
	if (!LOOPBACK.test(value)) {
		throw new UserError(`LEAKFIX_PROBE_BASE_URL must be a loopback origin such as http://127.0.0.1:8080 (got ${value}).`, 'It exists for tests and the demo; real probes go to the provider.');
	}
	return value.replace(/\/$/, '');
}

/** Splits an AWS key pair entered as "AKIA…:secret" (or on two lines). */
export function awsPair(key: string): {id: string; secret: string} {
	const pair = splitPair(key);
	if (!pair) throw new UserError('An AWS key is the access key id and the secret together: AKIA…:secret (or two lines).');
	return pair;
}

/**
 * The key put into a header or body: `{key}` as it is, `{key:basic:USER}` as HTTP Basic
 * credentials (base64 of USER:key, e.g. Mailgun's api:KEY), `{key:basic}` the key itself as
 * Basic credentials (a key entered as ID:SECRET, e.g. Twilio's SID:token).
 */
export function fillKey(text: string, key: string): string {
	return text
		.replace(/\{key:basic:([^}]*)\}/g, (_, user: string) => Buffer.from(`${user}:${key}`).toString('base64'))
		.split('{key:basic}')
		.join(Buffer.from(key).toString('base64'))
		.split('{key}')
		.join(key);
}

/** The same, masked, for what is shown before anything is sent. */
function fillMasked(text: string, masked: string): string {
	return text
		.replace(/\{key:basic:([^}]*)\}/g, (_, user: string) => `base64(${user}:${masked})`)
		.split('{key:basic}')
		.join(`base64(${masked})`)
		.split('{key}')
		.join(masked);
}

export function target(url: string, baseUrl: string | undefined): string {
	const resolved = url.replace('{random}', randomBytes(12).toString('hex'));
	if (!baseUrl) return resolved;
	const parsed = new URL(resolved);
	return `${baseUrl}${parsed.pathname}${parsed.search}`;
}

/** What will be sent, with the key masked: shown before the first probe, kept in the report. */
export function describeProbe(provider: ProviderPlaybook, key: string, baseUrl?: string): string {
	const probe = provider.probe;
	if (!probe) return `${provider.name} has no probe: check the key in its dashboard.`;
	const masked = mask(key);
	if (probe.kind === 'aws-cli') return `aws sts get-caller-identity (the key pair in the child's environment, ${masked})${provider.analyzer ? '; if live, what the key can do: aws iam list-attached-user-policies, list-user-policies and list-groups-for-user for its user (same pair, read-only)' : ''}`;
	const headers = Object.entries(probe.headers)
		.filter(([, value]) => value.includes('{key'))
		.map(([name, value]) => `${name}: ${fillMasked(value, masked)}`);
	// Stable text (no random token in it), so a consent can be compared with the next request.
	const placeholder = 'LEAKFIX_RANDOM';
	const playbookUrl = new URL(probe.url.replace('{random}', placeholder));
	const url = `${baseUrl ?? playbookUrl.origin}${playbookUrl.pathname}${playbookUrl.search}`.replace(placeholder, '<random>');
	return `${probe.method} ${url}${headers.length > 0 ? ` with ${headers.join(', ')}` : ''}${analyzerRequests(provider, baseUrl)}`;
}

/** The analyzer's follow-up requests, named in the consent: they are sent only when the probe says live. */
function analyzerRequests(provider: ProviderPlaybook, baseUrl?: string): string {
	const requests = provider.analyzer?.requests ?? [];
	if (requests.length === 0) return '';
	const urls = requests.map(request => {
		const parsed = new URL(request.url.replace(/\{fact:([^}]+)\}/g, 'FACT_$1'));
		return `${request.method} ${baseUrl ?? parsed.origin}${decodeURIComponent(parsed.pathname).replace(/FACT_([^/]+)/g, '<$1>')}${parsed.search}`;
	});
	return `; if live, what the key can do: ${urls.join(', ')} (same key, read-only)`;
}

