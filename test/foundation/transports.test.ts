import busboy from 'busboy';
import { createServer } from 'node:net';

import { FetchTransport } from '../../lib/transport/fetchTransport';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../lib/transport/transport';
import { TransportError } from '../../lib/transport/transport';
import { runWorkflow } from '../../runner/engine';
import {
	startLoopbackServer,
	type LoopbackServer,
	type RecordedRequest,
} from '../helpers/loopbackServer';
import { FIXTURE_PACKAGE, probeWorkflow } from './fixtureNodes';

const TOKEN = 'transport-test-token-91aa';
const PDF = Buffer.from('%PDF-1.4 binary \x00\x01\x02\xff end', 'latin1');

/** What the loopback server answers, by path. */
function reply(request: RecordedRequest) {
	switch (request.url.split('?')[0]) {
		case '/api/v2/persons':
			return request.method === 'POST'
				? {
						status: 400,
						body: {
							success: false,
							error: 'Validation failed',
							code: 'ERR_SCHEMA_VALIDATION_FAILED',
						},
					}
				: { body: { success: true, data: [{ id: 1 }] } };
		case '/api/v1/files':
			return { status: 201, body: { success: true, data: { id: 9 } } };
		case '/api/v1/files/9/download':
			return { headers: { 'content-type': 'application/pdf' }, body: PDF };
		default:
			return { status: 404, body: { success: false, error: 'Not found' } };
	}
}

interface MultipartParts {
	fields: Record<string, string>;
	files: Array<{ field: string; filename: string; mimeType: string; data: Buffer }>;
}

function parseMultipart(request: RecordedRequest): Promise<MultipartParts> {
	return new Promise((resolve, reject) => {
		const parts: MultipartParts = { fields: {}, files: [] };
		const parser = busboy({ headers: request.headers });
		parser.on('field', (name, value) => (parts.fields[name] = value));
		parser.on('file', (field, stream, info) => {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () =>
				parts.files.push({
					field,
					filename: info.filename,
					mimeType: info.mimeType,
					data: Buffer.concat(chunks),
				}),
			);
		});
		parser.on('close', () => resolve(parts));
		parser.on('error', reject);
		parser.end(request.body);
	});
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** n8nTransport as a node uses it: through the engine, the credential and executeItems. */
function n8nTransportFor(baseUrl: string): HttpTransport {
	return {
		async request(request: HttpRequest): Promise<HttpResponse> {
			const json = request.multipart
				? {
						...request,
						multipart: {
							...request.multipart,
							file: {
								...request.multipart.file,
								data: request.multipart.file.data.toString('base64'),
							},
						},
					}
				: request;
			const result = await runWorkflow(
				probeWorkflow(`${FIXTURE_PACKAGE}.transportProbe`, [{ request: json }]),
				{ credentials: { pipedriveMigrationApi: { apiToken: TOKEN, baseUrl } } },
			);
			if (result.error) throw new Error(result.error.message);
			const [{ status, contentType, body }] = result.output('Probe') as Array<{
				status: number;
				contentType: string;
				body: unknown;
			}>;
			const decoded =
				typeof body === 'object' && body !== null && 'base64' in body
					? Buffer.from(String(body.base64), 'base64')
					: body;
			return { status, headers: { 'content-type': contentType }, body: decoded };
		},
	};
}

const transports: Array<[string, (baseUrl: string) => HttpTransport]> = [
	['FetchTransport', (baseUrl) => new FetchTransport({ baseUrl, apiToken: TOKEN })],
	['n8nTransport', n8nTransportFor],
];

describe.each(transports)('%s', (_name, makeTransport) => {
	let server: LoopbackServer;
	let transport: HttpTransport;

	beforeEach(async () => {
		server = await startLoopbackServer(reply);
		transport = makeTransport(`${server.url}/`);
	});

	afterEach(async () => {
		await server.close();
	});

	it('sends the token header and the query without undefined values, and parses JSON', async () => {
		const response = await transport.request({
			method: 'GET',
			path: '/api/v2/persons',
			query: { limit: 2, cursor: undefined, include_fields: 'a,b', archived: false },
		});

		expect(response.status).toBe(200);
		expect(response.body).toEqual({ success: true, data: [{ id: 1 }] });
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0].url).toBe(
			'/api/v2/persons?limit=2&include_fields=a%2Cb&archived=false',
		);
		expect(server.requests[0].headers['x-api-token']).toBe(TOKEN);
	});

	it('sends a JSON body and resolves with an error status instead of rejecting', async () => {
		const response = await transport.request({
			method: 'POST',
			path: '/api/v2/persons',
			body: { name: 'A', custom_fields: { abc: 1 } },
		});

		expect(response.status).toBe(400);
		expect(response.body).toEqual({
			success: false,
			error: 'Validation failed',
			code: 'ERR_SCHEMA_VALIDATION_FAILED',
		});
		expect(server.requests[0].headers['content-type']).toMatch(/^application\/json/);
		expect(JSON.parse(server.requests[0].body.toString('utf8'))).toEqual({
			name: 'A',
			custom_fields: { abc: 1 },
		});
	});

	it('uploads a file as multipart/form-data with its text fields', async () => {
		const response = await transport.request({
			method: 'POST',
			path: '/api/v1/files',
			multipart: {
				fields: { person_id: '12', deal_id: '4' },
				file: { name: 'xray.pdf', data: PDF, contentType: 'application/pdf' },
			},
		});

		expect(response.status).toBe(201);
		expect(server.requests[0].headers['x-api-token']).toBe(TOKEN);
		expect(await parseMultipart(server.requests[0])).toEqual({
			fields: { person_id: '12', deal_id: '4' },
			files: [{ field: 'file', filename: 'xray.pdf', mimeType: 'application/pdf', data: PDF }],
		});
	});

	it('downloads a binary body as an intact Buffer', async () => {
		const response = await transport.request({ method: 'GET', path: '/api/v1/files/9/download' });

		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/pdf');
		expect(Buffer.isBuffer(response.body)).toBe(true);
		expect((response.body as Buffer).equals(PDF)).toBe(true);
	});
});

describe('FetchTransport', () => {
	it('sends an OAuth access token as a Bearer authorization header', async () => {
		const server = await startLoopbackServer(reply);
		try {
			await new FetchTransport({ baseUrl: server.url, accessToken: 'oauth-access-1' }).request({
				method: 'GET',
				path: '/api/v2/persons',
			});
			expect(server.requests[0].headers.authorization).toBe('Bearer oauth-access-1');
			expect(server.requests[0].headers['x-api-token']).toBeUndefined();
		} finally {
			await server.close();
		}
	});

	it('rejects with a TransportError naming the code when nothing answers', async () => {
		const port = await closedPort();
		const request = new FetchTransport({
			baseUrl: `http://127.0.0.1:${port}`,
			apiToken: TOKEN,
		}).request({
			method: 'GET',
			path: '/api/v2/persons',
		});

		await expect(request).rejects.toBeInstanceOf(TransportError);
		await expect(request).rejects.toMatchObject({
			code: 'ECONNREFUSED',
			message: 'GET /api/v2/persons got no response (ECONNREFUSED)',
		});
	});
});

describe('n8nTransport', () => {
	it('rejects with a TransportError naming the code when nothing answers', async () => {
		const port = await closedPort();
		const result = await runWorkflow(
			probeWorkflow(`${FIXTURE_PACKAGE}.transportProbe`, [
				{ request: { method: 'GET', path: '/api/v2/persons' }, reportTransportError: true },
			]),
			{
				credentials: {
					pipedriveMigrationApi: { apiToken: TOKEN, baseUrl: `http://127.0.0.1:${port}` },
				},
			},
		);

		expect(result.output('Probe')).toEqual([
			{
				transportError: {
					code: 'ECONNREFUSED',
					message: 'GET /api/v2/persons got no response (ECONNREFUSED)',
				},
			},
		]);
	});

	it('turns a refused connection into the node’s NodeApiError for that item', async () => {
		const port = await closedPort();
		const result = await runWorkflow(
			probeWorkflow(
				`${FIXTURE_PACKAGE}.transportProbe`,
				[{ request: { method: 'GET', path: '/api/v2/persons' } }],
				{ continueOnFail: true },
			),
			{
				credentials: {
					pipedriveMigrationApi: { apiToken: TOKEN, baseUrl: `http://127.0.0.1:${port}` },
				},
			},
		);

		expect(result.items('Probe')).toEqual([
			{
				json: { error: 'The service refused the connection - perhaps it is offline' },
				pairedItem: { item: 0 },
			},
		]);
	});
});
