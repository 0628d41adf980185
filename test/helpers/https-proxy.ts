// A loopback HTTPS stand-in for a provider's API, reached the way a real CLI reaches the real
// one: through a CONNECT proxy on 127.0.0.1 (HTTPS_PROXY), which terminates TLS itself with a
// certificate for the provider's host names, signed by a throwaway CA made at test time with
// openssl (trusted by the CLI through SSL_CERT_FILE / AWS_CA_BUNDLE). Nothing leaves the machine:
// a CONNECT to any other host is refused.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type {AddressInfo, Socket} from 'node:net';
import path from 'node:path';
import {promisify} from 'node:util';
import os from 'node:os';

const run = promisify(execFile);

export type StandInRequest = {method: string; host: string; path: string; headers: http.IncomingHttpHeaders; body: Buffer};
export type StandInResponse = {status: number; headers?: Record<string, string>; body?: string};
export type StandInHandler = (request: StandInRequest) => StandInResponse | Promise<StandInResponse>;

export type StandIn = {
	/** http://127.0.0.1:PORT, for HTTPS_PROXY */
	proxyUrl: string;
	/** The throwaway CA's certificate (PEM): SSL_CERT_FILE, AWS_CA_BUNDLE. */
	caFile: string;
	/** Every request the stand-in answered, in order. */
	requests: StandInRequest[];
	/** Hosts a CONNECT was refused for. */
	refused: string[];
	close(): Promise<void>;
};

/** Whether `openssl` can be run here (the stand-in needs it for its certificates). */
export async function hasOpenssl(): Promise<boolean> {
	try {
		await run('openssl', ['version']);
		return true;
	} catch {
		return false;
	}
}

/** A CA and a server certificate for `hosts`, in a fresh temporary folder. */
async function makeCertificates(dir: string, hosts: string[]): Promise<{caFile: string; key: Buffer; cert: Buffer}> {
	const at = (name: string) => path.join(dir, name);
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	await run('openssl', ['req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=leakfix throwaway test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
	await run('openssl', ['req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', `/CN=${hosts[0]}`]);
	fs.writeFileSync(
		at('server.ext'),
		['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', `subjectAltName=${hosts.map(host => `DNS:${host}`).join(',')}`, 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'].join('\n'),
	);
	await run('openssl', ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-set_serial', '0x1eaf', '-days', '2', '-sha256', '-extfile', at('server.ext'), '-out', at('server.pem')]);
	return {caFile: at('ca.pem'), key: fs.readFileSync(at('server.key')), cert: fs.readFileSync(at('server.pem'))};
}

/** Starts the proxy and the TLS stand-in answering for `hosts` with `handler`. */
export async function startStandIn(hosts: string[], handler: StandInHandler): Promise<StandIn> {
	// Lives as long as the stand-in (tempDir() folders go after each test).
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakfix-ca-'));
	const {caFile, key, cert} = await makeCertificates(dir, hosts);
	const requests: StandInRequest[] = [];
	const refused: string[] = [];
	const sockets = new Set<Socket>();
	const tls = https.createServer({key, cert}, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const request: StandInRequest = {method: req.method ?? 'GET', host: (req.headers.host ?? '').replace(/:443$/, ''), path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks)};
			requests.push(request);
			void Promise.resolve()
				.then(() => handler(request))
				.then(
					answer => {
						res.writeHead(answer.status, {'content-type': 'application/json', ...answer.headers});
						res.end(answer.body ?? '');
					},
					(error: unknown) => {
						res.writeHead(500, {'content-type': 'text/plain'});
						res.end(String(error));
					},
				);
		});
	});
	const proxy = http.createServer((_req, res) => {
		res.writeHead(405);
		res.end('CONNECT only');
	});
	proxy.on('connect', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		const host = (req.url ?? '').replace(/:\d+$/, '');
		if (!hosts.includes(host)) {
			refused.push(host);
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		tls.emit('connection', socket);
	});
	await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
	return {
		proxyUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
		caFile,
		requests,
		refused,
		async close() {
			for (const socket of sockets) socket.destroy();
			tls.close();
			await new Promise<void>(resolve => proxy.close(() => resolve()));
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** Runs `work` with these environment variables set (undefined: removed), restoring them after. */
export async function withEnv<T>(env: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
	const saved = Object.fromEntries(Object.keys(env).map(name => [name, process.env[name]]));
	const set = (values: Record<string, string | undefined>) => {
		for (const [name, value] of Object.entries(values)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	};
	set(env);
	try {
		return await work();
	} finally {
		set(saved);
	}
}
