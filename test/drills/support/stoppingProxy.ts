import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A stand-in for a Pipedrive server that goes away mid-run: it forwards every request to the
 * sandbox until the `stopAfterWrites`-th write (POST, PATCH, DELETE under /api) has been applied,
 * then drops that answer and every open connection and stops listening, so everything after
 * it meets a refused connection, as when the sandbox process stops.
 */
export async function stoppingProxy(
	target: string,
	stopAfterWrites: number,
): Promise<{ url: string; stopped: () => boolean; close(): Promise<void> }> {
	const sockets = new Set<Socket>();
	let writes = 0;
	let stopped = false;
	const stop = (server: Server) => {
		stopped = true;
		server.close();
		for (const socket of sockets) socket.destroy();
	};
	const server = createServer((req, res) => {
		const isWrite = req.method !== 'GET' && (req.url ?? '').startsWith('/api');
		const upstream = request(
			new URL(req.url ?? '/', target),
			{ method: req.method, headers: req.headers },
			(answer) => {
				if (isWrite && ++writes >= stopAfterWrites) return stop(server);
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		stopped: () => stopped,
		close: () => new Promise((resolve) => (stopped ? resolve() : server.close(() => resolve()))),
	};
}
