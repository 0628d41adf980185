// Judging a provider's answer to a revoke-by-API request. Pure. Only the playbook's own "done"
// answer is revoked; an answer saying the key was already dead is said as such; everything else
// (a 403, a 429, a 5xx, an HTML page, a redirect, a timeout) is "not proven", never "revoked".
import type {HttpAnswer} from './probe.js';
import {jsonValues} from './scopes.js';

export type RevokeSpec = {
	method: 'POST' | 'DELETE';
	url: string;
	headers: Record<string, string>;
	body?: string;
	done: {status: number[]; json?: {path: string; equals: string | boolean}; async: boolean};
	gone: number[];
	why: string;
};

/** accepted: the provider took the request and revokes later (probe the key to see it dead). */
export type RevokeStatus = 'revoked' | 'accepted' | 'already-dead' | 'not-proven';
export type RevokeVerdict = {status: RevokeStatus; reason: string};

export function judgeRevoke(spec: RevokeSpec, answer: HttpAnswer): RevokeVerdict {
	const html = /text\/html/i.test(answer.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(answer.body);
	if (answer.status >= 300 && answer.status < 400) return {status: 'not-proven', reason: `a redirect (HTTP ${answer.status}), not followed: the key goes only to the provider's own endpoint`};
	if (answer.status === 429) return {status: 'not-proven', reason: 'rate limited (HTTP 429): try again later, or use the dashboard'};
	if (answer.status >= 500) return {status: 'not-proven', reason: `the provider answered HTTP ${answer.status} (a server error): not revoked as far as leakfix knows`};
	if (html) return {status: 'not-proven', reason: `an HTML page (HTTP ${answer.status}), not the provider's API`};
	if (spec.done.status.includes(answer.status)) {
		if (spec.done.json) {
			let body: unknown;
			try {
				body = JSON.parse(answer.body) as unknown;
			} catch {
				return {status: 'not-proven', reason: `HTTP ${answer.status} without a JSON body`};
			}
			const value = jsonValues(body, spec.done.json.path)[0];
			if (value !== String(spec.done.json.equals)) {
				const error = jsonValues(body, 'error')[0];
				if (error && /invalid_auth|token_revoked|account_inactive|not_authed|token_expired/.test(error)) return {status: 'already-dead', reason: `the provider answered ${error}: the key was already rejected`};
				return {status: 'not-proven', reason: `HTTP ${answer.status} but ${spec.done.json.path} is ${value ?? 'absent'}${error ? ` (${error})` : ''}`};
			}
		}
		if (spec.done.async) return {status: 'accepted', reason: `the provider accepted the request (HTTP ${answer.status}); it revokes the key shortly: probe it to see it rejected`};
		return {status: 'revoked', reason: `the provider answered HTTP ${answer.status}${spec.done.json ? ` with ${spec.done.json.path}: ${String(spec.done.json.equals)}` : ''}`};
	}
	if (spec.gone.includes(answer.status)) return {status: 'already-dead', reason: `HTTP ${answer.status}: the provider already rejects the key`};
	return {status: 'not-proven', reason: `HTTP ${answer.status} is not the answer that means revoked`};
}
