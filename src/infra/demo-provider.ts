// The demo's CloudSight: a loopback server that answers the probe as the real API is expected
// to (404 for a read of an unknown image with a live key: live; 401 otherwise), so the demo
// exercises the probe offline through the one documented setting, LEAKFIX_PROBE_BASE_URL. Its
// "dashboard" makes new keys and deactivates old ones, so the rotation and the verification
// can be walked end to end. Every request it answers and every dashboard action is one line of
// its log (keys masked), so what the demo sent to "CloudSight" can be read afterwards.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {mask} from '../core/secrets.js';

export type DemoDashboard = {issueKey(): string; deactivate(key: string): void};

export type DemoProvider = {baseUrl: string; close(): void; dashboard: DemoDashboard};

/** Outside text on one line: control characters shown as \xNN. */
function visible(text: string): string {
	return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, char => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * `key`: the demo's key (live). `known`: for a resumed demo, whether a key it has not made in
 * this run was live (by the incident's fingerprints: the old key until deactivated, the new one).
 * `log`: a file (0600, appended) that gets one line per request and per dashboard action.
 */
export async function startDemoProvider(key: string | null, options: {known?: (key: string) => boolean; log?: string} = {}): Promise<DemoProvider> {
	const live = new Set(key === null ? [] : [key]);
	const revoked = new Set<string>();
	const isLive = (candidate: string) => !revoked.has(candidate) && (live.has(candidate) || (options.known?.(candidate) ?? false));
	const record = (line: string) => {
		if (options.log === undefined) return;
		try {
			fs.mkdirSync(path.dirname(options.log), {recursive: true, mode: 0o700});
			// Appended without following a link planted at the log's path.
			const fd = fs.openSync(options.log, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
			try {
				fs.writeSync(fd, `${new Date().toISOString()} ${line}\n`);
			} finally {
				fs.closeSync(fd);
			}
		} catch {} // the log is a courtesy: the demo goes on without it
	};
	const server = http.createServer((request, response) => {
		const auth = request.headers.authorization ?? '';
		const presented = auth.startsWith('CloudSight ') ? auth.slice('CloudSight '.length) : null;
		const accepted = request.method === 'GET' && (request.url ?? '').startsWith('/v1/images/') && presented !== null && isLive(presented);
		const status = accepted ? 404 : 401;
		record(`${visible(request.method ?? '?')} http://${visible(request.headers.host ?? '?')}${visible((request.url ?? '').slice(0, 200))} key ${presented === null ? '(none)' : mask(presented)} -> ${status} ${accepted ? 'live' : 'refused'}`);
		response.writeHead(status, {'content-type': 'application/json'});
		response.end(JSON.stringify(accepted ? {error: 'not found'} : {error: 'unauthorized'}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	server.unref();
	const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	record(`started at ${baseUrl}`);
	return {
		baseUrl,
		close() {
			server.closeAllConnections();
			server.close();
		},
		dashboard: {
			issueKey() {
				const made = randomBytes(16).toString('base64url');
				live.add(made);
				record(`dashboard: issued a new key ${mask(made)}`);
				return made;
			},
			deactivate(old) {
				live.delete(old);
				revoked.add(old);
				record(`dashboard: deactivated key ${mask(old)}`);
			},
		},
	};
}
