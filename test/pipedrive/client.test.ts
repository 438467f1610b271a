import { FetchTransport } from '../../lib/transport/fetchTransport';
import { PipedriveApiError, PipedriveClient } from '../../lib/pipedrive/client';
import {
	type Loopback,
	type LoopbackAnswer,
	type LoopbackRequest,
	ok,
	startLoopback,
} from './helpers/loopback';

const TOKEN = 'tok-3f9c2a7e-never-printed';

/** v1 entity families that are out of support: the client must never touch them. */
const OUT_OF_SUPPORT_V1 =
	/^\/(api\/)?v1\/(persons|organizations|deals|activities|products|pipelines|stages|itemSearch)(\/|$)/;

describe('PipedriveClient', () => {
	let server: Loopback;
	afterEach(async () => {
		expect(server.requests.filter((r) => OUT_OF_SUPPORT_V1.test(r.path))).toEqual([]);
		await server.close();
	});

	async function clientFor(
		handler: (req: LoopbackRequest) => LoopbackAnswer,
	): Promise<PipedriveClient> {
		server = await startLoopback(handler);
		return new PipedriveClient(new FetchTransport({ baseUrl: server.baseUrl, apiToken: TOKEN }));
	}

	it('creates persons, organizations, deals and activities through v2, leads and notes through v1', async () => {
		let id = 100;
		const client = await clientFor((req) => ok({ id: id++, ...(req.body as object) }));
		await expect(client.create('person', { name: 'P' })).resolves.toEqual({ id: 100, name: 'P' });
		await client.create('organization', { name: 'O' });
		await client.create('deal', { title: 'D' });
		await client.create('activity', { subject: 'A' });
		await client.create('lead', { title: 'L', person_id: 100 });
		await client.create('note', { content: 'N', person_id: 100 });
		expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /api/v2/persons',
			'POST /api/v2/organizations',
			'POST /api/v2/deals',
			'POST /api/v2/activities',
			'POST /api/v1/leads',
			'POST /api/v1/notes',
		]);
		expect(server.requests[0].headers['x-api-token']).toBe(TOKEN);
		expect(server.requests[4].body).toEqual({ title: 'L', person_id: 100 });
	});

	it('uploads a file as v1 multipart with the link ids as text fields', async () => {
		const client = await clientFor(() => ok({ id: 7, file_name: 'x-ray.pdf' }));
		const created = await client.create(
			'file',
			{ person_id: 12, deal_id: undefined },
			{ name: 'x-ray.pdf', data: Buffer.from('%PDF-1.4 test'), contentType: 'application/pdf' },
		);
		expect(created).toEqual({ id: 7, file_name: 'x-ray.pdf' });
		const upload = server.requests[0];
		expect(`${upload.method} ${upload.path}`).toBe('POST /api/v1/files');
		expect(String(upload.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
		expect(upload.body).toContain('name="person_id"\r\n\r\n12\r\n');
		expect(upload.body).toContain('filename="x-ray.pdf"');
		expect(upload.body).toContain('%PDF-1.4 test');
		expect(upload.body).not.toContain('deal_id');
	});

	it('updates with PATCH on v2 and leads, PUT on notes', async () => {
		const client = await clientFor((req) => ok({ id: 1, ...(req.body as object) }));
		await client.update('person', 5, { name: 'Q' });
		await client.update('lead', 'a1b2-uuid', { title: 'T' });
		await client.update('note', 9, { content: 'C' });
		expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'PATCH /api/v2/persons/5',
			'PATCH /api/v1/leads/a1b2-uuid',
			'PUT /api/v1/notes/9',
		]);
	});

	it('get answers null for missing and deleted records; delete treats 404 as done', async () => {
		const client = await clientFor((req) => {
			if (req.path.endsWith('/404'))
				return { status: 404, body: { success: false, error: 'Not found' } };
			if (req.path === '/api/v2/persons/2') return ok({ id: 2, is_deleted: true });
			if (req.path === '/api/v1/notes/3') return ok({ id: 3, active_flag: false });
			return ok({ id: 1, name: 'live' });
		});
		await expect(client.get('person', 404)).resolves.toBeNull();
		await expect(client.get('person', 2)).resolves.toBeNull();
		await expect(client.get('note', 3)).resolves.toBeNull();
		await expect(client.get('deal', 1)).resolves.toEqual({ id: 1, name: 'live' });
		await expect(client.delete('activity', 404)).resolves.toBeUndefined();
		await expect(client.delete('file', 8)).resolves.toBeUndefined();
		expect(server.requests.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual([
			'DELETE /api/v2/activities/404',
			'DELETE /api/v1/files/8',
		]);
	});

	it('lists every page: v2 by cursor, v1 by offset, re-checking filters the endpoint ignores', async () => {
		const client = await clientFor((req) => {
			if (req.path === '/api/v2/activities') {
				return req.query.cursor === 'c2'
					? ok([{ id: 3, person_id: 5 }], { next_cursor: null })
					: ok(
							[
								{ id: 1, person_id: 5 },
								{ id: 2, person_id: 5, is_deleted: true },
							],
							{ next_cursor: 'c2' },
						);
			}
			// v1 files ignore person_id: the client filters.
			return req.query.start === '2'
				? ok([{ id: 12, person_id: 5 }], {
						pagination: { start: 2, limit: 500, more_items_in_collection: false },
					})
				: ok(
						[
							{ id: 10, person_id: 5 },
							{ id: 11, person_id: 6 },
						],
						{
							pagination: { start: 0, limit: 500, more_items_in_collection: true, next_start: 2 },
						},
					);
		});
		const activities: unknown[] = [];
		for await (const a of client.list('activity', { person_id: 5 })) activities.push(a);
		expect(activities).toEqual([
			{ id: 1, person_id: 5 },
			{ id: 3, person_id: 5 },
		]);
		const files: unknown[] = [];
		for await (const f of client.list('file', { person_id: 5 })) files.push(f);
		expect(files).toEqual([
			{ id: 10, person_id: 5 },
			{ id: 12, person_id: 5 },
		]);
		expect(server.requests.map((r) => [r.path, r.query])).toEqual([
			['/api/v2/activities', { person_id: '5', limit: '500' }],
			['/api/v2/activities', { person_id: '5', limit: '500', cursor: 'c2' }],
			// The files list pages at most 100 (its spec's `limit` maximum).
			['/api/v1/files', { person_id: '5', start: '0', limit: '100' }],
			['/api/v1/files', { person_id: '5', start: '2', limit: '100' }],
		]);
	});

	it('finds by source key with exact search, keeping only records whose field holds exactly that key', async () => {
		const key = 'a'.repeat(40);
		const client = await clientFor((req) => {
			if (req.path === '/api/v2/persons/search') {
				return ok(
					{
						items: [
							{ result_score: 1, item: { id: 1 } },
							{ result_score: 1, item: { id: 2 } },
							{ item: { id: 3 } },
						],
					},
					{ next_cursor: null },
				);
			}
			if (req.path === '/api/v2/persons/1')
				return ok({ id: 1, custom_fields: { [key]: 'dental-exec:patient:7' } });
			if (req.path === '/api/v2/persons/2')
				return ok({ id: 2, custom_fields: { [key]: 'DENTAL-EXEC:PATIENT:7' } });
			return ok({ id: 3, is_deleted: true, custom_fields: { [key]: 'dental-exec:patient:7' } });
		});
		await expect(client.findBySourceKey('person', key, 'dental-exec:patient:7')).resolves.toEqual([
			1,
		]);
		expect(server.requests[0].query).toEqual({
			term: 'dental-exec:patient:7',
			fields: 'custom_fields',
			exact_match: 'true',
			limit: '500',
		});
	});

	it('reads the connected user and the users of the company', async () => {
		const client = await clientFor((req) =>
			req.path === '/api/v1/users/me'
				? ok({ id: 1, company_id: 77, company_domain: 'smile' })
				: ok([
						{ id: 1, name: 'Admin', email: 'Admin@Practice.be', active_flag: true, is_admin: 1 },
						{ id: 2, name: 'Old', email: 'old@practice.be', active_flag: false, is_admin: 0 },
					]),
		);
		await expect(client.me()).resolves.toEqual({
			userId: 1,
			companyId: 77,
			companyDomain: 'smile',
		});
		await expect(client.users()).resolves.toEqual([
			{ id: 1, name: 'Admin', email: 'Admin@Practice.be', active: true, isAdmin: true },
			{ id: 2, name: 'Old', email: 'old@practice.be', active: false, isAdmin: false },
		]);
	});

	it('deletes custom fields through the v2 Fields API; 404 is already gone, a refusal throws', async () => {
		const client = await clientFor((req) => {
			if (req.path.endsWith('/gone'))
				return { status: 404, body: { success: false, error: 'Not found' } };
			if (req.path.endsWith('/system'))
				return { status: 400, body: { success: false, error: 'System fields cannot be changed' } };
			return ok({ field_code: req.path.split('/').pop() });
		});
		await expect(client.deleteField('person', 'a'.repeat(40))).resolves.toBeUndefined();
		await expect(client.deleteField('organization', 'b'.repeat(40))).resolves.toBeUndefined();
		await expect(client.deleteField('deal', 'gone')).resolves.toBeUndefined();
		const error = (await client
			.deleteField('deal', 'system')
			.catch((e: unknown) => e)) as PipedriveApiError;
		expect(error).toBeInstanceOf(PipedriveApiError);
		expect(error.status).toBe(400);
		expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			`DELETE /api/v2/personFields/${'a'.repeat(40)}`,
			`DELETE /api/v2/organizationFields/${'b'.repeat(40)}`,
			'DELETE /api/v2/dealFields/gone',
			'DELETE /api/v2/dealFields/system',
		]);
	});

	it("turns Pipedrive's error envelope into a PipedriveApiError with status, code and message, never the token", async () => {
		const client = await clientFor(() => ({
			status: 400,
			body: {
				success: false,
				error: 'Validation failed: name: required',
				code: 'ERR_SCHEMA_VALIDATION_FAILED',
			},
		}));
		const error = (await client
			.create('person', { name: '' })
			.catch((e: unknown) => e)) as PipedriveApiError;
		expect(error).toBeInstanceOf(PipedriveApiError);
		expect(error.status).toBe(400);
		expect(error.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');
		expect(error.retryable).toBe(false);
		expect(error.message).toBe(
			'Pipedrive answered 400 to POST /api/v2/persons: Validation failed: name: required',
		);
		expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
			TOKEN,
		);
	});

	it('keeps submitted values that Pipedrive echoes out of the message, but not field keys', async () => {
		const key = 'c'.repeat(40);
		const client = await clientFor(() => ({
			status: 400,
			body: {
				success: false,
				error: `Validation failed: Parameter 'Jan Peeters' is not allowed; '${key}': jan@peeters.be, +32 475 12 34 56`,
				code: 'ERR_SCHEMA_VALIDATION_FAILED',
			},
		}));
		const error = (await client
			.update('person', 3, { name: 'Jan Peeters' })
			.catch((e: unknown) => e)) as PipedriveApiError;
		expect(error.message).toBe(
			`Pipedrive answered 400 to PATCH /api/v2/persons/{id}: Validation failed: Parameter '…' is not allowed; '${key}': …@… …`,
		);
	});

	it('reports a non-JSON 403 (the firewall page) as not retryable and without the page', async () => {
		const client = await clientFor(() => ({
			status: 403,
			body: '<html>denied</html>',
			contentType: 'text/html',
		}));
		const error = (await client.get('person', 4).catch((e: unknown) => e)) as PipedriveApiError;
		expect(error.status).toBe(403);
		expect(error.retryable).toBe(false);
		expect(error.message).toBe(
			'Pipedrive answered 403 to GET /api/v2/persons/{id}: access denied with a non-JSON page (Pipedrive blocks tokens that keep sending after rate limits); wait before running again',
		);
	});

	it('downloads a file as bytes', async () => {
		const client = await clientFor(() => ({
			status: 200,
			body: 'binary-bytes',
			contentType: 'application/octet-stream',
		}));
		await expect(client.downloadFile(7)).resolves.toEqual(Buffer.from('binary-bytes'));
		expect(server.requests[0].path).toBe('/api/v1/files/7/download');
	});
});
