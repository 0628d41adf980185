// A playbook's revoke-by-API request (rotation.deactivate.request): the provider's own endpoint
// that kills a key, run by `leakfix revoke` and the Rotate step only after the responder confirms.
// `{key}` goes in a header or the body, never the URL; `{key:sha512}` (the key's SHA-512, hex: the
// id npm gives a token) may go in the URL, since a hash is not the key.
import * as z from 'zod';

export const revokeRequestSchema = z.strictObject({
	method: z.enum(['POST', 'DELETE']),
	url: z
		.string()
		.regex(/^https:\/\/[^/]+\//, 'an https:// URL: the key is never sent in clear')
		.refine(url => (url.match(/\{[^}]*\}/g) ?? []).every(holder => holder === '{key:sha512}'), 'the key never goes in a URL: put {key} in a header or the body ({key:sha512} may go in the URL)'),
	headers: z.record(z.string(), z.string()).default({}),
	body: z.string().optional(),
	/** The statuses that mean revoked; `json`: a body field that must hold this value too (Slack answers 200 either way). */
	done: z.strictObject({
		status: z.array(z.number().int()).min(1),
		json: z.strictObject({path: z.string(), equals: z.union([z.string(), z.boolean()])}).optional(),
		/** The provider only accepts the request (GitHub's 202): the key dies later, so leakfix says "accepted", not "revoked". */
		async: z.boolean().default(false),
	}),
	/** The statuses that mean the key was already dead (nothing to revoke). */
	gone: z.array(z.number().int()).default([]),
	why: z.string().min(1),
});
export type RevokeRequest = z.infer<typeof revokeRequestSchema>;
