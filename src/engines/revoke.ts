// Revoke by API: the playbook's revoke request (rotation.deactivate.request), sent only after the
// responder confirmed what is shown by describeRevoke (the key masked). The key goes in a header or
// the body, never the URL or a child's argv; the URL may hold its SHA-512 (npm's token id). Sent
// only to the playbook's https host (or the loopback LEAKFIX_PROBE_BASE_URL), redirects not followed.
import {createHash} from 'node:crypto';
import {judgeRevoke, type RevokeStatus} from '../core/revoke.js';
import {mask} from '../core/secrets.js';
import type {ProviderPlaybook} from '../playbooks/schema.js';
import {target} from './probe-request.js';
import {sendRequest} from './scopes.js';

export type RevokeResult = {status: RevokeStatus; reason: string; request: string; at: string};

function url(provider: ProviderPlaybook, key: string, baseUrl?: string): string {
	const spec = provider.rotation.deactivate.request!;
	return target(spec.url.replace('{key:sha512}', createHash('sha512').update(key).digest('hex')), baseUrl);
}

/** What will be sent, with the key masked (and its hash shortened): shown before the responder confirms. */
export function describeRevoke(provider: ProviderPlaybook, key: string, baseUrl?: string): string | null {
	const spec = provider.rotation.deactivate.request;
	if (!spec) return null;
	const masked = mask(key);
	const shown = url(provider, key, baseUrl).replace(/[0-9a-f]{128}/, hash => `<sha512 ${hash.slice(0, 8)}…>`);
	const headers = Object.entries(spec.headers)
		.filter(([, value]) => value.includes('{key}'))
		.map(([name, value]) => `${name}: ${value.split('{key}').join(masked)}`);
	const body = spec.body === undefined ? '' : ` body ${spec.body.split('{key}').join(masked)}`;
	return `${spec.method} ${shown}${headers.length > 0 ? ` with ${headers.join(', ')}` : ''}${body}`;
}

/** Sends the revoke request. Never throws: a failure is `not-proven` with the reason. */
export async function revokeKey(provider: ProviderPlaybook, key: string, options: {baseUrl?: string; timeoutMs?: number; now?: () => Date} = {}): Promise<RevokeResult> {
	const spec = provider.rotation.deactivate.request;
	const at = () => (options.now?.() ?? new Date()).toISOString();
	if (!spec) return {status: 'not-proven', reason: `${provider.name} has no revoke API in its playbook: ${provider.rotation.deactivate.steps}`, request: '', at: at()};
	const request = describeRevoke(provider, key, options.baseUrl)!;
	// The body's key is JSON-escaped when the body is JSON.
	const body = spec.body === undefined ? undefined : spec.body.trimStart().startsWith('{') ? spec.body.split('{key}').join(JSON.stringify(key).slice(1, -1)) : spec.body;
	const answer = await sendRequest({method: spec.method, url: url(provider, key, undefined), headers: spec.headers, ...(body === undefined ? {} : {body})}, key, {...(options.baseUrl ? {baseUrl: options.baseUrl} : {}), ...(options.timeoutMs ? {timeoutMs: options.timeoutMs} : {})});
	if ('error' in answer) return {status: 'not-proven', reason: `${answer.error}: not revoked as far as leakfix knows`, request, at: at()};
	const verdict = judgeRevoke(spec, answer);
	return {...verdict, reason: verdict.reason.split(key).join(mask(key)), request, at: at()};
}
