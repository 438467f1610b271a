import { startSandbox, type RunningSandbox } from '../../sandbox';
import { CREATABLE_TYPES, CUSTOM_FIELD_CAP_CODE } from '../../sandbox/routes/fields';
import { client } from './sandboxClient';

const users = [
	{ name: 'Dr. Lore Claes', email: 'lore@practice.test' },
	{ name: 'Former Hygienist', email: 'gone@practice.test', active: false },
];

describe('sandbox fields', () => {
	let sb: RunningSandbox;
	beforeEach(async () => {
		sb = await startSandbox({ plan: 'lite', burstLimit: 1000 });
	});
	afterEach(() => sb.close());

	it('lists system fields with readable codes and is_custom_field false', async () => {
		const res = await client(sb)('GET', '/api/v2/personFields');
		const codes = res.body.data.map((f: { field_code: string }) => f.field_code);
		expect(codes.slice(0, 6)).toEqual([
			'name',
			'first_name',
			'last_name',
			'owner_id',
			'org_id',
			'emails',
		]);
		expect(
			res.body.data.every((f: { is_custom_field: boolean }) => f.is_custom_field === false),
		).toBe(true);
		expect(res.body.additional_data).toEqual({ next_cursor: null });
	});

	it('creates every creatable field type with a 40-hex field_code and composite subfields', async () => {
		const call = client(sb);
		for (const type of CREATABLE_TYPES) {
			const options =
				type === 'enum' || type === 'set' ? [{ label: 'One' }, { label: 'Two' }] : undefined;
			const res = await call('POST', '/api/v2/dealFields', {
				field_name: `F ${type}`,
				field_type: type,
				...(options ? { options } : {}),
			});
			expect([type, res.status]).toEqual([type, 200]);
			expect(res.body.data.field_code).toMatch(/^[0-9a-f]{40}$/);
			expect(res.body.data.field_type).toBe(type);
			expect(res.body.data.is_custom_field).toBe(true);
		}
		const list = await call('GET', '/api/v2/dealFields?limit=500');
		const monetary = list.body.data.find(
			(f: { field_type: string; is_custom_field: boolean }) =>
				f.field_type === 'monetary' && f.is_custom_field,
		);
		expect(monetary.subfields).toEqual([
			{
				field_code: `${monetary.field_code}_currency`,
				field_name: 'Currency of F monetary',
				field_type: 'varchar',
			},
		]);
		const noOptions = await call('POST', '/api/v2/dealFields', {
			field_name: 'E',
			field_type: 'enum',
		});
		expect(noOptions.body.error).toBe(
			'Validation failed: options: Required for enum and set fields',
		);
		const badType = await call('POST', '/api/v2/dealFields', {
			field_name: 'I',
			field_type: 'int',
		});
		expect(badType.status).toBe(400);
	});

	it('adds, renames and deletes options atomically, and deletes a field', async () => {
		const call = client(sb);
		const field = (
			await call('POST', '/api/v2/organizationFields', {
				field_name: 'Insurer',
				field_type: 'set',
				options: [{ label: 'CM' }],
			})
		).body.data;
		const base = `/api/v2/organizationFields/${field.field_code}/options`;
		const added = await call('POST', base, [{ label: 'Solidaris' }, { label: 'Partena' }]);
		const [s, p] = added.body.data;
		expect(added.body.data).toEqual([
			{ id: s.id, label: 'Solidaris' },
			{ id: p.id, label: 'Partena' },
		]);
		expect((await call('PATCH', base, [{ id: p.id, label: 'Partenamut' }])).body.data).toEqual([
			{ id: p.id, label: 'Partenamut' },
		]);
		const atomic = await call('DELETE', base, [{ id: s.id }, { id: 424242 }]);
		expect(atomic.body.error).toBe('Validation failed: [1].id: Option not found');
		expect((await call('DELETE', base, [{ id: s.id }])).body.data).toEqual([
			{ id: s.id, label: 'Solidaris' },
		]);
		const got = await call('GET', `/api/v2/organizationFields/${field.field_code}`);
		expect(got.body.data.options.map((o: { label: string }) => o.label)).toEqual([
			'CM',
			'Partenamut',
		]);
		expect((await call('DELETE', `/api/v2/organizationFields/${field.field_code}`)).status).toBe(
			200,
		);
		expect((await call('GET', `/api/v2/organizationFields/${field.field_code}`)).status).toBe(404);
		expect((await call('DELETE', '/api/v2/organizationFields/name')).body.error).toBe(
			'Validation failed: field_code: System fields cannot be changed',
		);
	});

	it('caps custom fields by plan across entities with a 403 and a code (Lite: 30)', async () => {
		const call = client(sb);
		for (let i = 0; i < 30; i++) {
			const path = ['/api/v2/personFields', '/api/v2/organizationFields', '/api/v2/dealFields'][
				i % 3
			];
			expect(
				(await call('POST', path, { field_name: `F${i}`, field_type: 'varchar' })).status,
			).toBe(200);
		}
		const refused = await call('POST', '/api/v2/productFields', {
			field_name: 'One too many',
			field_type: 'varchar',
		});
		expect(refused.status).toBe(403);
		expect(refused.body).toEqual({
			success: false,
			error: "Couldn't add the custom field. Custom fields limit of 30 reached for this plan.",
			code: CUSTOM_FIELD_CAP_CODE,
			error_info: 'Please check developers.pipedrive.com',
			data: null,
			additional_data: null,
		});
	});

	it('gives two sandboxes different hash keys for the same field name', async () => {
		const other = await startSandbox();
		try {
			const body = { field_name: 'Migration source key', field_type: 'varchar' };
			const a = await client(sb)('POST', '/api/v2/personFields', body);
			const b = await client(other)('POST', '/api/v2/personFields', body);
			expect(a.body.data.field_code).toMatch(/^[0-9a-f]{40}$/);
			expect(b.body.data.field_code).toMatch(/^[0-9a-f]{40}$/);
			expect(a.body.data.field_code).not.toBe(b.body.data.field_code);
		} finally {
			await other.close();
		}
	});
});

describe('sandbox users and auth', () => {
	let sb: RunningSandbox;
	beforeEach(async () => {
		sb = await startSandbox({ users });
	});
	afterEach(() => sb.close());

	it('answers /users/me with the company id and domain', async () => {
		const me = await client(sb)('GET', '/api/v1/users/me');
		expect(me.body.data).toMatchObject({
			id: 1,
			name: 'Sandbox Admin',
			email: 'admin@sandbox.test',
			is_you: true,
			company_id: sb.companyId,
			company_domain: `sandbox-${sb.companyId}`,
		});
	});

	it('lists seeded users with active flags and finds by email', async () => {
		const call = client(sb);
		const list = await call('GET', '/v1/users');
		expect(
			list.body.data.map((u: { email: string; active_flag: boolean }) => [u.email, u.active_flag]),
		).toEqual([
			['admin@sandbox.test', true],
			['lore@practice.test', true],
			['gone@practice.test', false],
		]);
		const found = await call(
			'GET',
			'/api/v1/users/find?term=LORE%40practice.test&search_by_email=1',
		);
		expect(found.body.data.map((u: { id: number }) => u.id)).toEqual([2]);
		expect(
			(await call('GET', '/api/v1/users/find?term=nobody%40x.test&search_by_email=1')).body,
		).toEqual({ success: true, data: null });
		expect((await call('GET', '/api/v1/users/3')).body.data.name).toBe('Former Hygienist');
	});

	it('refuses missing, wrong and inactive-user tokens with 401 in Pipedrive shape', async () => {
		const expected = {
			status: 401,
			body: { success: false, error: 'unauthorized access', errorCode: 401 },
		};
		const pick = ({ status, body }: { status: number; body: unknown }) => ({ status, body });
		expect(pick(await client(sb, {})('GET', '/api/v2/persons'))).toEqual(expected);
		expect(
			pick(await client(sb, { 'x-api-token': 'f'.repeat(40) })('GET', '/api/v2/persons')),
		).toEqual(expected);
		expect(
			pick(
				await client(sb, { 'x-api-token': sb.admin.userToken('gone@practice.test') })(
					'GET',
					'/api/v2/persons',
				),
			),
		).toEqual(expected);
		expect(
			pick(await client(sb, { authorization: `Bearer ${sb.apiToken}` })('GET', '/api/v2/persons')),
		).toEqual(expected);
		const oauth = await client(sb, { authorization: `Bearer ${sb.oauthToken}` })(
			'GET',
			'/api/v2/persons',
		);
		expect([
			oauth.status,
			oauth.headers['x-ratelimit-limit'],
			oauth.headers['x-daily-requests-left'],
		]).toEqual([200, '160', undefined]);
		const lore = await client(sb, { 'x-api-token': sb.admin.userToken('lore@practice.test') })(
			'GET',
			'/api/v1/users/me',
		);
		expect(lore.body.data.id).toBe(2);
	});

	it('answers out-of-support v1 entity endpoints with 410', async () => {
		const res = await client(sb)('POST', '/v1/persons', { name: 'X' });
		expect(res.status).toBe(410);
		expect(res.body.error).toBe(
			'/v1/persons is an API v1 endpoint that is out of support since 2026-08-01; use the API v2 endpoint under /api/v2',
		);
		expect((await client(sb)('GET', '/api/v1/deals/5')).status).toBe(410);
		expect((await client(sb)('GET', '/api/v2/persons/%E0%A4%A')).status).toBe(404);
		expect((await client(sb)('PUT', '/api/v2/persons/1', {})).status).toBe(405);
	});
});
