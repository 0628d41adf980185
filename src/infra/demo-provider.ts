// The demo's CloudSight: a loopback server that answers the probe as the real API is expected
// to (404 for a read of an unknown image with a live key: live; 401 otherwise), so the demo
// exercises the probe offline through the one documented setting, LEAKFIX_PROBE_BASE_URL. Its
// "dashboard" makes new keys and deactivates old ones, so the rotation and the verification
// can be walked end to end.
import {randomBytes} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export type DemoDashboard = {issueKey(): string; deactivate(key: string): void};

/**
 * `key`: the demo's key (live). `known`: for a resumed demo, whether a key it has not made in
 * this run was live (by the incident's fingerprints: the old key until deactivated, the new one).
 */
export async function startDemoProvider(key: string | null, known?: (key: string) => boolean): Promise<{baseUrl: string; close(): void; dashboard: DemoDashboard}> {
	const live = new Set(key === null ? [] : [key]);
	const revoked = new Set<string>();
	const isLive = (candidate: string) => !revoked.has(candidate) && (live.has(candidate) || (known?.(candidate) ?? false));
	const server = http.createServer((request, response) => {
		const auth = request.headers.authorization ?? '';
		const accepted = request.method === 'GET' && (request.url ?? '').startsWith('/v1/images/') && auth.startsWith('CloudSight ') && isLive(auth.slice('CloudSight '.length));
		response.writeHead(accepted ? 404 : 401, {'content-type': 'application/json'});
		response.end(JSON.stringify(accepted ? {error: 'not found'} : {error: 'unauthorized'}));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	server.unref();
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close() {
			server.closeAllConnections();
			server.close();
		},
		dashboard: {
			issueKey() {
				const made = randomBytes(16).toString('base64url');
				live.add(made);
				return made;
			},
			deactivate(old) {
				live.delete(old);
				revoked.add(old);
			},
		},
	};
}
