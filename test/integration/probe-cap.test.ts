// A probe answer is read up to 64 KB and no further: a loopback server that would stream 256 MB
// counts what it managed to send before the probe closed the connection.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {PROBE_BODY_LIMIT, probeKey, readCapped} from '../../src/engines/probe.js';
import {findProvider, loadPlaybooks} from '../../src/playbooks/load.js';
import {fakeCloudSightKey} from '../helpers/keys.js';

const playbooks = await loadPlaybooks();
const servers: http.Server[] = [];
afterEach(() => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		server.close();
	}
});

const HUGE = 256 * 1024 * 1024;

/** Streams up to HUGE bytes (respecting backpressure); `closed` resolves with the bytes sent when the client hangs up. */
async function hugeAnswer(status: number): Promise<{base: string; closed: Promise<number>}> {
	let resolveClosed: (sent: number) => void = () => undefined;
	const closed = new Promise<number>(resolve => (resolveClosed = resolve));
	const server = http.createServer((_request, response) => {
		let sent = 0;
		let open = true;
		response.on('close', () => {
			open = false;
			resolveClosed(sent);
		});
		response.writeHead(status, {'content-type': 'application/json', 'content-length': String(HUGE)});
		const piece = Buffer.alloc(1024 * 1024, 'a');
		const pump = () => {
			while (open && sent < HUGE) {
				sent += piece.length;
				if (!response.write(piece)) {
					response.once('drain', pump);
					return;
				}
			}
			if (sent >= HUGE) response.end();
		};
		pump();
	});
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return {base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed};
}

describe('the probe reads at most 64 KB of an answer', () => {
	it('stops reading a 256 MB answer at the cap and closes the connection (the server sent a bounded amount)', async () => {
		const {base, closed} = await hugeAnswer(401);
		const key = fakeCloudSightKey();
		const result = await probeKey(findProvider(playbooks, 'cloudsight'), key, {baseUrl: base, timeoutMs: 60_000});
		expect(result.status).toBe('revoked');
		// The server learns the client hung up; by then it has sent a few socket buffers' worth, not 256 MB.
		const sent = await closed;
		expect(sent).toBeLessThan(32 * 1024 * 1024);
	});

	it('returns exactly the first 64 KB, and a short body whole', async () => {
		const long = new Response(new ReadableStream({
			pull(controller) {
				controller.enqueue(new TextEncoder().encode('x'.repeat(10_000)));
			},
		}));
		expect((await readCapped(long, PROBE_BODY_LIMIT)).length).toBe(PROBE_BODY_LIMIT);
		expect(await readCapped(new Response('{"ok":true}'), PROBE_BODY_LIMIT)).toBe('{"ok":true}');
		expect(await readCapped(new Response(null), PROBE_BODY_LIMIT)).toBe('');
		// A character cut at the cap is replaced, never an error.
		expect(await readCapped(new Response('ab€'), 3)).toBe('ab\uFFFD');
	});
});
