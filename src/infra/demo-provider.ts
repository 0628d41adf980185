// The demo's CloudSight: a loopback server that answers the probe as the real API is expected
// to (404 for a read of an unknown image with the demo key: live; 401 otherwise), so the demo
// exercises the probe offline through the one documented setting, LEAKFIX_PROBE_BASE_URL.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export async function startDemoProvider(key: string): Promise<{baseUrl: string; close(): void}> {
	const server = http.createServer((request, response) => {
		const accepted = request.method === 'GET' && (request.url ?? '').startsWith('/v1/images/') && request.headers.authorization === `CloudSight ${key}`;
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
	};
}
