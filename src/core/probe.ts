// Reading a provider's answer to a liveness probe. Pure: the engine does the request, these
// functions only judge. A 403, an HTML page, a redirect, a timeout, a 5xx or a network error is
// `unknown`, never `revoked`: a WAF's 403 or a captive portal must not declare a key dead.
export type Liveness = 'live' | 'revoked' | 'unknown';
export type ProbeVerdict = {status: Liveness; reason: string; details?: Record<string, string>};

export type HttpAnswer = {status: number; headers: Record<string, string>; body: string};
export type CommandAnswer = {exitCode: number; stdout: string; stderr: string};

export type ClassifierSpec =
	| {by: 'status'; live: number[]; revoked: number[]; liveNote?: Record<string, string>}
	| {by: 'slack-auth-test'}
	| {by: 'graphql'; live: string; revokedCodes: string[]}
	| {by: 'aws-sts'};

function looksLikeHtml(answer: HttpAnswer): boolean {
	return /text\/html/i.test(answer.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(answer.body);
}

export function classifyHttp(spec: ClassifierSpec, answer: HttpAnswer): ProbeVerdict {
	if (answer.status >= 300 && answer.status < 400) return {status: 'unknown', reason: `redirect (HTTP ${answer.status}) not followed: the key is only ever sent to the provider's own endpoint`};
	if (answer.status >= 500) return {status: 'unknown', reason: `the provider answered HTTP ${answer.status} (a server error says nothing about the key)`};
	if (answer.status === 429) return {status: 'unknown', reason: 'rate limited (HTTP 429): try again later'};
	switch (spec.by) {
		case 'status': {
			if (looksLikeHtml(answer)) return {status: 'unknown', reason: `an HTML page (HTTP ${answer.status}), not the provider's API: a proxy or a login page?`};
			if (spec.live.includes(answer.status)) {
				const note = spec.liveNote?.[String(answer.status)];
				return {status: 'live', reason: `HTTP ${answer.status}: the key was accepted${note ? ` (${note})` : ''}`};
			}
			if (spec.revoked.includes(answer.status)) return {status: 'revoked', reason: `HTTP ${answer.status}: the provider rejected the key`};
			return {status: 'unknown', reason: `HTTP ${answer.status} is neither a clear acceptance nor a clear rejection`};
		}

		case 'slack-auth-test': {
			// Slack answers 200 either way; the body says which.
			let body: {ok?: boolean; error?: string; team?: string; user?: string};
			try {
				body = JSON.parse(answer.body) as typeof body;
			} catch {
				return {status: 'unknown', reason: `HTTP ${answer.status} without a JSON body`};
			}
			if (answer.status === 200 && body.ok === true) return {status: 'live', reason: 'auth.test answered ok', details: {...(body.team ? {team: body.team} : {}), ...(body.user ? {user: body.user} : {})}};
			if (body.ok === false && ['invalid_auth', 'account_inactive', 'token_revoked', 'not_authed', 'token_expired'].includes(body.error ?? '')) {
				return {status: 'revoked', reason: `auth.test answered ${body.error}`};
			}
			return {status: 'unknown', reason: `auth.test answered ${body.error ?? `HTTP ${answer.status}`}`};
		}

		case 'graphql': {
			// An error can come with HTTP 200; the body decides, and only a named code is revoked.
			if (looksLikeHtml(answer)) return {status: 'unknown', reason: `an HTML page (HTTP ${answer.status}), not the provider's API: a proxy or a login page?`};
			let body: {data?: unknown; errors?: Array<{message?: string; extensions?: {code?: string}}>};
			try {
				body = JSON.parse(answer.body) as typeof body;
			} catch {
				return {status: 'unknown', reason: `HTTP ${answer.status} without a JSON body`};
			}
			const codes = (Array.isArray(body.errors) ? body.errors : []).map(error => error?.extensions?.code ?? '').filter(Boolean);
			let value: unknown = body.data;
			for (const part of spec.live.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
			if (answer.status === 200 && value !== undefined && value !== null && codes.length === 0) return {status: 'live', reason: `the GraphQL API answered ${spec.live}`};
			const revoked = codes.find(code => spec.revokedCodes.includes(code));
			if (revoked) return {status: 'revoked', reason: `the GraphQL API answered ${revoked} (HTTP ${answer.status})`};
			if (answer.status === 401) return {status: 'revoked', reason: 'HTTP 401: the provider rejected the key'};
			return {status: 'unknown', reason: `HTTP ${answer.status}${codes.length > 0 ? ` with ${codes.join(', ')}` : ''}: neither an answer nor a clear rejection`};
		}

		case 'aws-sts': {
			return {status: 'unknown', reason: 'the AWS probe runs the aws CLI, not an HTTP request'};
		}
	}
}

export function classifyCommand(spec: ClassifierSpec, answer: CommandAnswer): ProbeVerdict {
	if (spec.by !== 'aws-sts') return {status: 'unknown', reason: 'no command classifier for this provider'};
	if (answer.exitCode === 0) {
		try {
			const identity = JSON.parse(answer.stdout) as {Account?: string; Arn?: string};
			if (identity.Account) return {status: 'live', reason: 'sts get-caller-identity answered', details: {account: identity.Account, ...(identity.Arn ? {arn: identity.Arn} : {})}};
		} catch {}
		return {status: 'unknown', reason: 'aws answered without an identity'};
	}
	if (/InvalidClientTokenId/.test(answer.stderr)) return {status: 'revoked', reason: 'AWS does not know this access key id (InvalidClientTokenId): deleted or deactivated'};
	if (/SignatureDoesNotMatch/.test(answer.stderr)) return {status: 'unknown', reason: 'the access key id exists but the secret does not match (SignatureDoesNotMatch): check the secret you entered'};
	if (/Unable to locate credentials|could not be found|command not found/i.test(answer.stderr)) return {status: 'unknown', reason: 'the aws CLI could not run the probe'};
	return {status: 'unknown', reason: `aws exited ${answer.exitCode}: ${answer.stderr.split('\n').find(Boolean) ?? ''}`.trim()};
}

/** The AWS account id, decoded offline from an AKIA/ASIA access key id (no request). */
export function awsAccountFromKeyId(keyId: string): string | null {
	if (!/^(AKIA|ASIA)[A-Z2-7]{16}$/.test(keyId)) return null;
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const char of keyId.slice(4)) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
	const first48 = BigInt(`0b${bits.slice(0, 48)}`);
	const account = (first48 & 0x7f_ff_ff_ff_ff_80n) >> 7n;
	// An account id has 12 digits; anything larger is not a real key id.
	return account > 999_999_999_999n ? null : account.toString().padStart(12, '0');
}
