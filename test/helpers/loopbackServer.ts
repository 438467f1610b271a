import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the loopback server received it. */
export interface RecordedRequest {
	method: string;
	/** Path with query string, e.g. `/api/v1/users/me?limit=1`. */
	url: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

export interface LoopbackReply {
	status?: number;
	headers?: Record<string, string>;
	/** A Buffer or string is sent as is; anything else as JSON. */
	body?: unknown;
}

export interface LoopbackServer {
	/** `http://127.0.0.1:<port>` */
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (port chosen by the OS) that records every request and answers
 * with what `reply` returns, so tests see exactly what went over the wire.
 */
export async function startLoopbackServer(
	reply: (request: RecordedRequest) => LoopbackReply | Promise<LoopbackReply>,
): Promise<LoopbackServer> {
	const requests: RecordedRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const recorded: RecordedRequest = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
			};
			requests.push(recorded);
			void Promise.resolve(reply(recorded)).then(({ status = 200, headers = {}, body }) => {
				const raw =
					Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body ?? null);
				const contentType =
					Buffer.isBuffer(body) || typeof body === 'string' ? 'text/plain' : 'application/json';
				res.writeHead(status, { 'content-type': contentType, ...headers });
				res.end(raw);
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
