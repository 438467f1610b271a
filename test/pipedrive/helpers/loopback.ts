import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny scripted HTTP server on 127.0.0.1 for the Pipedrive lib's unit tests: each test answers
 * requests with its own handler and reads back what arrived. Unlike test/helpers/loopbackServer.ts
 * it can drop a connection without an answer (`'drop'`), which the retry tests need, and hands
 * the handler a parsed path, query and JSON body.
 */
export interface LoopbackRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export type LoopbackAnswer =
	| { status: number; body?: unknown; headers?: Record<string, string>; contentType?: string }
	| 'drop';

export interface Loopback {
	baseUrl: string;
	requests: LoopbackRequest[];
	close(): Promise<void>;
}

export async function startLoopback(
	handler: (req: LoopbackRequest) => LoopbackAnswer | Promise<LoopbackAnswer>,
): Promise<Loopback> {
	const requests: LoopbackRequest[] = [];
	const server = createServer((incoming: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (c: Buffer) => chunks.push(c));
		incoming.on('end', async () => {
			const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
			const text = Buffer.concat(chunks).toString('utf8');
			let body: unknown = text;
			if ((incoming.headers['content-type'] ?? '').includes('json') && text)
				body = JSON.parse(text);
			const req: LoopbackRequest = {
				method: incoming.method ?? 'GET',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: incoming.headers,
				body,
			};
			requests.push(req);
			const answer = await handler(req);
			if (answer === 'drop') {
				res.socket?.destroy();
				return;
			}
			const payload =
				answer.body === undefined
					? ''
					: typeof answer.body === 'string'
						? answer.body
						: JSON.stringify(answer.body);
			res.writeHead(answer.status, {
				'content-type': answer.contentType ?? 'application/json',
				...(answer.headers ?? {}),
			});
			res.end(payload);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Pipedrive's success envelope. */
export function ok(data: unknown, additional?: Record<string, unknown>): LoopbackAnswer {
	return { status: 200, body: { success: true, data, additional_data: additional ?? null } };
}
