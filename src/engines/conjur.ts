// Updating a CyberArk Conjur variable without putting the value in anyone's argv. The conjur CLI
// takes a value only as an argument (`conjur variable set -i ID -v VALUE`, readable with ps), so
// leakfix speaks Conjur's REST API itself: `POST /secrets/{account}/variable/{id}` with the value
// as the request body, `Authorization: Token token="<base64 access token>"`.
//
// Where it goes: the appliance URL and account from CONJUR_APPLIANCE_URL / CONJUR_ACCOUNT, else
// the user's Conjur config (~/.conjurrc, or the file CONJURRC names: appliance_url, account,
// cert_file). How it authenticates, first that applies:
//   1. CONJUR_AUTHN_TOKEN: an access token (the JSON Conjur issues, or it base64-encoded);
//   2. CONJUR_AUTHN_LOGIN + CONJUR_AUTHN_API_KEY: `POST /authn/{account}/{login}/authenticate`
//      with the API key as the body (never argv);
//   3. the user's own `conjur` CLI, logged in: `conjur authenticate` prints an access token.
// The token and the API key are credentials: never shown, never saved, never in argv.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {parse as parseYaml} from 'yaml';
import {visible} from '../core/text.js';
import {helpersConfined, runCommand, type CommandRunner} from '../infra/command.js';

export type ConjurContext = {
	/** The environment to read CONJUR_* from (default: this process's). */
	env?: Record<string, string | undefined>;
	/** The home folder holding .conjurrc (default: the user's). */
	home?: string;
	run?: CommandRunner;
	timeoutMs?: number;
	cwd?: string;
};

export type ConjurConfig = {
	applianceUrl: string;
	account: string;
	/** PEM file with the CA that signed the appliance's certificate (cert_file). */
	certFile?: string;
	/** Where each value came from, in words: "CONJUR_ACCOUNT", "~/.conjurrc". */
	from: string[];
};

export type ConjurAuth = {kind: 'token-env'} | {kind: 'api-key'; login: string} | {kind: 'cli'};

type Result<T> = {ok: true; value: T} | {ok: false; reason: string};

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** The appliance URL and account, or what is missing and how to give it. Reads one file, nothing else. */
export function conjurConfig(context: ConjurContext = {}): Result<ConjurConfig> {
	const env = context.env ?? process.env;
	const home = context.home ?? os.homedir();
	const rcFile = env.CONJURRC && env.CONJURRC.length > 0 ? env.CONJURRC : path.join(home, '.conjurrc');
	let rc: Record<string, unknown> = {};
	let rcRead = false;
	try {
		const text = fs.readFileSync(rcFile, 'utf8');
		const parsed = parseYaml(text) as unknown;
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) rc = parsed as Record<string, unknown>;
		rcRead = true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return {ok: false, reason: `the Conjur config ${visible(rcFile)} cannot be read as YAML (${visible((error as Error).message.split('\n')[0] ?? '')})`};
	}
	const text = (value: unknown) => (typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined);
	const rcName = env.CONJURRC ? 'CONJURRC' : '~/.conjurrc';
	const from: string[] = [];
	const pick = (envName: string, rcKey: string): string | undefined => {
		const fromEnv = text(env[envName]);
		if (fromEnv) {
			from.push(envName);
			return fromEnv;
		}
		const fromRc = text(rc[rcKey]);
		if (fromRc) from.push(`${rcKey} in ${rcName}`);
		return fromRc;
	};
	const applianceUrl = pick('CONJUR_APPLIANCE_URL', 'appliance_url');
	const account = pick('CONJUR_ACCOUNT', 'account');
	const certFile = pick('CONJUR_CERT_FILE', 'cert_file');
	const where = rcRead ? `${rcName} has none` : `there is no ${rcName}`;
	if (!applianceUrl) return {ok: false, reason: `no Conjur appliance URL: set CONJUR_APPLIANCE_URL, or appliance_url in ~/.conjurrc (${where}; \`conjur init\` writes it)`};
	if (!account) return {ok: false, reason: `no Conjur account: set CONJUR_ACCOUNT, or account in ~/.conjurrc (${where})`};
	let url: URL;
	try {
		url = new URL(applianceUrl);
	} catch {
		return {ok: false, reason: `the Conjur appliance URL "${visible(applianceUrl)}" is not a URL`};
	}
	// The token and the value travel in the request: never in clear beyond this machine.
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
		return {ok: false, reason: `the Conjur appliance URL "${visible(applianceUrl)}" is not https:// (the value and the access token would travel in clear)`};
	}
	return {ok: true, value: {applianceUrl: url.toString().replace(/\/+$/, ''), account, ...(certFile ? {certFile: certFile.replace(/^~(?=\/)/, home)} : {}), from}};
}

/** Which credentials will be used, without using them. */
export function conjurAuth(context: ConjurContext = {}): ConjurAuth {
	const env = context.env ?? process.env;
	if (env.CONJUR_AUTHN_TOKEN && env.CONJUR_AUTHN_TOKEN.trim().length > 0) return {kind: 'token-env'};
	if (env.CONJUR_AUTHN_LOGIN && env.CONJUR_AUTHN_API_KEY) return {kind: 'api-key', login: env.CONJUR_AUTHN_LOGIN};
	return {kind: 'cli'};
}

export function authWords(auth: ConjurAuth): string {
	return auth.kind === 'token-env' ? 'the access token in CONJUR_AUTHN_TOKEN' : auth.kind === 'api-key' ? `the API key of ${visible(auth.login)} (CONJUR_AUTHN_LOGIN, CONJUR_AUTHN_API_KEY)` : 'your conjur CLI\'s login (`conjur authenticate`)';
}

/** A Conjur access token as the Authorization header wants it: base64 of the JSON, no newlines. */
export function tokenHeaderValue(raw: string): string | null {
	const text = raw.trim();
	const header = /Token\s+token="([^"]+)"/.exec(text);
	if (header) return header[1]!;
	if (text.startsWith('{')) {
		try {
			JSON.parse(text);
			return Buffer.from(text, 'utf8').toString('base64');
		} catch {
			return null;
		}
	}
	// Already base64 (what `Accept-Encoding: base64` answers): it must decode to the JSON token.
	if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
		const compact = text.replace(/\s+/g, '');
		if (Buffer.from(compact, 'base64').toString('utf8').trim().startsWith('{')) return compact;
	}
	return null;
}

type HttpAnswer = {status: number; body: string};

function request(config: ConjurConfig, method: 'POST' | 'GET', pathname: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<HttpAnswer> {
	const base = new URL(config.applianceUrl);
	const url = new URL(`${base.pathname.replace(/\/+$/, '')}${pathname}`, base);
	const ca = config.certFile ? fs.readFileSync(config.certFile) : undefined;
	const transport = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = transport.request(
			url,
			{method, headers: method === 'GET' ? headers : {...headers, 'content-length': String(Buffer.byteLength(body, 'utf8'))}, timeout: timeoutMs, ...(ca && url.protocol === 'https:' ? {ca} : {})},
			res => {
				const chunks: Buffer[] = [];
				let size = 0;
				res.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size <= 64 * 1024) chunks.push(chunk);
				});
				res.on('end', () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`), {code: 'ETIMEDOUT'})));
		req.on('error', reject);
		if (method === 'GET') req.end();
		else req.end(body, 'utf8');
	});
}

const networkReason = (error: unknown) => {
	const code = (error as NodeJS.ErrnoException).code;
	return visible(code === 'ETIMEDOUT' ? (error as Error).message : code ? `${code}${/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) ? ' (the appliance\'s certificate is not trusted: set cert_file in ~/.conjurrc or CONJUR_CERT_FILE)' : ''}` : (error as Error).message);
};

/** What Conjur said in an error answer: {"error":{"message":…}}, else the start of the body. */
function conjurError(body: string): string {
	try {
		const parsed = JSON.parse(body) as {error?: {message?: unknown; code?: unknown}};
		if (typeof parsed.error?.message === 'string') return visible(parsed.error.message).slice(0, 200);
	} catch {}
	return visible(body.trim().split('\n')[0] ?? '').slice(0, 200);
}

/** An access token for the Authorization header, from the first credentials that apply. */
export async function conjurToken(config: ConjurConfig, context: ConjurContext = {}): Promise<Result<string>> {
	const env = context.env ?? process.env;
	const auth = conjurAuth(context);
	if (auth.kind === 'token-env') {
		const token = tokenHeaderValue(env.CONJUR_AUTHN_TOKEN!);
		return token ? {ok: true, value: token} : {ok: false, reason: 'CONJUR_AUTHN_TOKEN holds no Conjur access token (the JSON token, or it base64-encoded)'};
	}
	if (auth.kind === 'api-key') {
		let answer: HttpAnswer;
		try {
			answer = await request(config, 'POST', `/authn/${encodeURIComponent(config.account)}/${encodeURIComponent(auth.login)}/authenticate`, {'content-type': 'text/plain'}, env.CONJUR_AUTHN_API_KEY!, context.timeoutMs ?? 15_000);
		} catch (error) {
			return {ok: false, reason: `Conjur authentication as ${visible(auth.login)} could not reach ${visible(config.applianceUrl)}: ${networkReason(error)}`};
		}
		if (answer.status !== 200) return {ok: false, reason: `Conjur refused the API key of ${visible(auth.login)} (HTTP ${answer.status}${answer.status === 401 ? ': wrong login or API key' : ''})`};
		const token = tokenHeaderValue(answer.body);
		return token ? {ok: true, value: token} : {ok: false, reason: 'Conjur\'s authentication answer held no access token'};
	}
	const run = context.run ?? runCommand;
	// The CLI's own login (its netrc or keyring); nothing of ours goes to it.
	let result;
	try {
		result = await run('conjur', ['authenticate'], {input: '', ...(context.cwd ? {cwd: context.cwd} : {})});
	} catch (error) {
		return {ok: false, reason: `no Conjur credentials: set CONJUR_AUTHN_TOKEN, or CONJUR_AUTHN_LOGIN and CONJUR_AUTHN_API_KEY, or log in with the conjur CLI (${visible((error as Error).message)})`};
	}
	if (result.exitCode !== 0) {
		const said = visible(`${result.stderr}\n${result.stdout}`.trim().split('\n').find(line => line.trim().length > 0) ?? '').slice(0, 200);
		return {ok: false, reason: `\`conjur authenticate\` failed (exit ${result.exitCode}${said ? `: ${said}` : ''}): log in with \`conjur login\`, or set CONJUR_AUTHN_TOKEN or CONJUR_AUTHN_LOGIN and CONJUR_AUTHN_API_KEY`};
	}
	const token = tokenHeaderValue(result.stdout);
	return token ? {ok: true, value: token} : {ok: false, reason: '`conjur authenticate` printed no access token'};
}

export type ConjurOutcome = {status: 'done' | 'failed'; detail: string};

/**
 * Sets the variable's value to `value` (a new version; Conjur keeps the old ones). The value is the
 * request body, exactly; it is never in argv, a URL, or the outcome's words.
 */
export async function setConjurVariable(variableId: string, value: string, context: ConjurContext = {}): Promise<ConjurOutcome> {
	if (helpersConfined()) return {status: 'failed', detail: 'not updated: a demo incident reaches no real service, and a Conjur update would go to a real appliance'};
	const config = conjurConfig(context);
	if (!config.ok) return {status: 'failed', detail: `not updated: ${config.reason}`};
	if (value.length === 0) return {status: 'failed', detail: 'not updated: the value is empty'};
	const token = await conjurToken(config.value, context);
	if (!token.ok) return {status: 'failed', detail: `not updated: ${token.reason}`};
	const where = `${config.value.applianceUrl}/secrets/${encodeURIComponent(config.value.account)}/variable/${encodeURIComponent(variableId)}`;
	let answer: HttpAnswer;
	try {
		answer = await request(
			config.value,
			'POST',
			`/secrets/${encodeURIComponent(config.value.account)}/variable/${encodeURIComponent(variableId)}`,
			// octet-stream: the body is the value as it is, never parsed as form fields.
			{authorization: `Token token="${token.value}"`, 'content-type': 'application/octet-stream'},
			value,
			context.timeoutMs ?? 15_000,
		);
	} catch (error) {
		return {status: 'failed', detail: `POST ${visible(where)} failed: ${networkReason(error)}; the variable may or may not have changed: check it in Conjur before trying again`};
	}
	if (answer.status === 201) return {status: 'done', detail: `POST ${visible(where)}: Conjur answered 201 Created (a new version of ${visible(variableId)} holds the value sent in the request body; the old versions are kept)`};
	const why: Record<number, string> = {
		401: 'the access token was refused (expired, or for another appliance)',
		403: 'this identity has no update privilege on the variable',
		404: 'no such variable in this account (check the variable id and the account)',
		422: 'Conjur refused the value',
	};
	const said = conjurError(answer.body);
	return {status: 'failed', detail: `POST ${visible(where)}: HTTP ${answer.status}${why[answer.status] ? `: ${why[answer.status]}` : ''}${said ? ` (Conjur: ${said})` : ''}`};
}

/** The preview's words: where the update goes and with which credentials (no network, no CLI). */
export function previewConjur(variableId: string, context: ConjurContext = {}): string[] {
	const config = conjurConfig(context);
	if (!config.ok) return [`now: ${config.reason}; the update will stop until it is set`];
	const {applianceUrl, account, from, certFile} = config.value;
	return [`now: Conjur at ${visible(applianceUrl)}, account ${visible(account)} (from ${from.join(', ')})${certFile ? `, CA ${visible(certFile)}` : ''}; variable ${visible(variableId)}; authenticates with ${authWords(conjurAuth(context))}`];
}

/**
 * Who can fetch the variable's value: `GET /resources/{account}/variable/{id}?permitted_roles=true&privilege=execute`
 * (read-only; the same credentials as the update). The role ids, or why not.
 */
export async function conjurPermittedRoles(variableId: string, context: ConjurContext = {}): Promise<{ok: true; roles: string[]; request: string} | {ok: false; reason: string; request: string}> {
	const config = conjurConfig(context);
	if (!config.ok) return {ok: false, reason: config.reason, request: 'GET <appliance_url>/resources/…'};
	const pathname = `/resources/${encodeURIComponent(config.value.account)}/variable/${encodeURIComponent(variableId)}?permitted_roles=true&privilege=execute`;
	const shown = `GET ${visible(config.value.applianceUrl)}${visible(pathname)}`;
	if (helpersConfined()) return {ok: false, reason: 'a demo incident reaches no real service', request: shown};
	const token = await conjurToken(config.value, context);
	if (!token.ok) return {ok: false, reason: token.reason, request: shown};
	let answer: HttpAnswer;
	try {
		answer = await request(config.value, 'GET', pathname, {authorization: `Token token="${token.value}"`}, '', context.timeoutMs ?? 15_000);
	} catch (error) {
		return {ok: false, reason: networkReason(error), request: shown};
	}
	if (answer.status !== 200) return {ok: false, reason: `HTTP ${answer.status}${answer.status === 403 ? ': this identity may not see who holds the privilege' : ''}${conjurError(answer.body) ? ` (Conjur: ${conjurError(answer.body)})` : ''}`, request: shown};
	try {
		const roles = JSON.parse(answer.body) as unknown;
		if (Array.isArray(roles)) return {ok: true, roles: roles.filter((role): role is string => typeof role === 'string'), request: shown};
	} catch {}
	return {ok: false, reason: 'Conjur\'s answer is not a list of roles', request: shown};
}
