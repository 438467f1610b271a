import { startSandbox, type RunningSandbox } from '../../sandbox';
import { client, type Call } from './sandboxClient';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('sandbox v2 entities', () => {
	let sb: RunningSandbox;
	let call: Call;

	beforeEach(async () => {
		sb = await startSandbox({ seed: 11 });
		call = client(sb);
	});
	afterEach(() => sb.close());

	async function personField(name: string, type: string, options?: string[]) {
		const res = await call('POST', '/api/v2/personFields', {
			field_name: name,
			field_type: type,
			...(options ? { options: options.map((label) => ({ label })) } : {}),
		});
		expect(res.status).toBe(200);
		return res.body.data as {
			field_code: string;
			options: Array<{ id: number; label: string }> | null;
		};
	}

	it('creates a person with 200, derives first and last name, defaults primary and label', async () => {
		const res = await call('POST', '/api/v2/persons', {
			name: 'Anna Maria Janssens',
			emails: [{ value: 'anna@example.test' }, { value: 'a2@example.test', label: 'home' }],
		});
		expect(res.status).toBe(200);
		expect(res.body.success).toBe(true);
		const { add_time, update_time, ...rest } = res.body.data;
		expect(add_time).toMatch(RFC3339);
		expect(update_time).toBe(add_time);
		expect(rest).toEqual({
			id: 1,
			name: 'Anna Maria Janssens',
			first_name: 'Anna',
			last_name: 'Maria Janssens',
			owner_id: 1,
			org_id: null,
			emails: [
				{ value: 'anna@example.test', primary: true, label: 'work' },
				{ value: 'a2@example.test', primary: false, label: 'home' },
			],
			phones: [],
			label_ids: [],
			picture_id: null,
			visible_to: 3,
			is_deleted: false,
			custom_fields: {},
		});
	});

	it('lists custom fields as an object keyed by hash, null when unset', async () => {
		const tier = await personField('Tier', 'enum', ['Gold', 'Silver']);
		const note = await personField('Remark', 'varchar');
		const res = await call('POST', '/api/v2/persons', {
			name: 'P',
			custom_fields: { [tier.field_code]: tier.options![1].id },
		});
		expect(res.body.data.custom_fields).toEqual({
			[tier.field_code]: tier.options![1].id,
			[note.field_code]: null,
		});
	});

	it('limits returned custom fields with custom_fields= and labels options with include_option_labels', async () => {
		const tier = await personField('Tier', 'enum', ['Gold', 'Silver']);
		const tags = await personField('Tags', 'set', ['x', 'y']);
		const created = await call('POST', '/api/v2/persons', {
			name: 'P',
			custom_fields: {
				[tier.field_code]: tier.options![0].id,
				[tags.field_code]: [tags.options![1].id],
			},
		});
		const id = created.body.data.id;
		const only = await call('GET', `/api/v2/persons/${id}?custom_fields=${tier.field_code}`);
		expect(only.body.data.custom_fields).toEqual({ [tier.field_code]: tier.options![0].id });
		const labelled = await call('GET', `/api/v2/persons?include_option_labels=true`);
		expect(labelled.body.data[0].custom_fields).toEqual({
			[tier.field_code]: { id: tier.options![0].id, label: 'Gold' },
			[tags.field_code]: [{ id: tags.options![1].id, label: 'y' }],
		});
	});

	it('refuses a custom field hash at the top level with ERR_SCHEMA_VALIDATION_FAILED', async () => {
		const field = await personField('Source key', 'varchar');
		const res = await call('POST', '/api/v2/persons', { name: 'P', [field.field_code]: 'x' });
		expect(res.status).toBe(400);
		expect(res.body).toEqual({
			success: false,
			error: `Validation failed: Parameter '${field.field_code}' is not allowed for this request`,
			code: 'ERR_SCHEMA_VALIDATION_FAILED',
			error_info: 'Please check developers.pipedrive.com',
			data: null,
			additional_data: null,
		});
		const list = await call('GET', '/api/v2/persons');
		expect(list.body.data).toEqual([]);
	});

	it.each([
		['a number sent as a string', { name: 'P', owner_id: '1' }, "owner_id: Expected 'integer'"],
		[
			'a boolean 0/1',
			{ name: 'P', emails: [{ value: 'a@b.c', primary: 1 }] },
			"emails[0].primary: Expected 'boolean'",
		],
		[
			'an add_time that is not RFC 3339',
			{ name: 'P', add_time: '2024-01-01 10:00:00' },
			"add_time: Expected an RFC 3339 date-time like '2024-01-01T00:00:00Z'",
		],
		[
			'an unknown property',
			{ name: 'P', nickname: 'x' },
			"Parameter 'nickname' is not allowed for this request",
		],
		['a missing name', { emails: [] }, 'name: Required'],
	])('refuses %s', async (_label, body, problem) => {
		const res = await call('POST', '/api/v2/persons', body);
		expect(res.status).toBe(400);
		expect(res.body.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');
		expect(res.body.error).toBe(`Validation failed: ${problem}`);
	});

	it('checks custom field values by type, naming the field code and never the value', async () => {
		const tier = await personField('Tier', 'enum', ['Gold']);
		const tags = await personField('Tags', 'set', ['x', 'y']);
		const born = await personField('Born', 'date');
		const cases: Array<[Record<string, unknown>, string]> = [
			[
				{ [tier.field_code]: String(tier.options![0].id) },
				`custom_fields.${tier.field_code}: Expected 'number' as value for single option custom field`,
			],
			[
				{ [tier.field_code]: 999 },
				`custom_fields.${tier.field_code}: Option id is not an option of this custom field`,
			],
			[
				{ [tags.field_code]: [] },
				`custom_fields.${tags.field_code}: Expected a non-empty array; use null to clear a multiple options custom field`,
			],
			[
				{ [tags.field_code]: tags.options![0].id },
				`custom_fields.${tags.field_code}: Expected 'array' of option ids for multiple options custom field`,
			],
			[
				{ [born.field_code]: '31/12/1980' },
				`custom_fields.${born.field_code}: Expected a date 'YYYY-MM-DD'`,
			],
			[
				{ ['f'.repeat(40)]: 'x' },
				`custom_fields.${'f'.repeat(40)}: Unknown custom field for this entity`,
			],
		];
		for (const [custom_fields, problem] of cases) {
			const res = await call('POST', '/api/v2/persons', { name: 'P', custom_fields });
			expect([res.status, res.body.error]).toEqual([400, `Validation failed: ${problem}`]);
		}
		const ok = await call('POST', '/api/v2/persons', {
			name: 'P',
			custom_fields: {
				[tags.field_code]: tags.options!.map((o) => o.id),
				[born.field_code]: '1980-12-31',
			},
		});
		expect(ok.body.data.custom_fields).toEqual({
			[tier.field_code]: null,
			[tags.field_code]: tags.options!.map((o) => o.id),
			[born.field_code]: '1980-12-31',
		});
	});

	it('never echoes the values it refuses in error messages', async () => {
		const born = await personField('Born', 'date');
		const patient = 'Jan Peeters 31/12/1980 85.12.31-123.45';
		const responses = [
			await call('POST', '/api/v2/persons', {
				name: 'P',
				custom_fields: { [born.field_code]: patient },
			}),
			await call('POST', '/api/v2/persons', {
				name: 'P',
				emails: [{ value: patient, primary: patient }],
			}),
			await call('POST', '/api/v2/persons', { name: 'P', birthday: patient }),
			await call('POST', '/api/v1/notes', {
				content: patient,
				add_time: patient,
				person_id: patient,
			}),
			await call('POST', '/api/v1/leads', { title: patient, channel: patient, person_id: 1 }),
		];
		for (const res of responses) {
			expect(res.status).toBe(400);
			expect(JSON.stringify(res.body)).not.toContain('Peeters');
			expect(JSON.stringify(res.body)).not.toContain('85.12.31');
		}
	});

	it('pages lists with an opaque cursor that is null at the end, and filters', async () => {
		const org = await call('POST', '/api/v2/organizations', { name: 'Practice' });
		for (const name of ['A', 'B', 'C'])
			await call('POST', '/api/v2/persons', {
				name,
				org_id: name === 'B' ? undefined : org.body.data.id,
			});
		const first = await call('GET', '/api/v2/persons?limit=2');
		expect(first.body.data.map((p: { name: string }) => p.name)).toEqual(['A', 'B']);
		expect(typeof first.body.additional_data.next_cursor).toBe('string');
		const second = await call(
			'GET',
			`/api/v2/persons?limit=2&cursor=${first.body.additional_data.next_cursor}`,
		);
		expect(second.body.data.map((p: { name: string }) => p.name)).toEqual(['C']);
		expect(second.body.additional_data).toEqual({ next_cursor: null });
		const byOrg = await call(
			'GET',
			`/api/v2/persons?org_id=${org.body.data.id}&sort_direction=desc`,
		);
		expect(byOrg.body.data.map((p: { name: string }) => p.name)).toEqual(['C', 'A']);
		const byIds = await call('GET', '/api/v2/persons?ids=2,3');
		expect(byIds.body.data.map((p: { id: number }) => p.id)).toEqual([2, 3]);
		const tooMany = await call('GET', '/api/v2/persons?limit=501');
		expect(tooMany.status).toBe(400);
	});

	it('filters by updated_since and updated_until on the sandbox clock', async () => {
		await call('POST', '/api/v2/persons', { name: 'Old' });
		sb.admin.advanceClock(3_600_000);
		const since = new Date(Date.now() + 3_600_000 - 1_000).toISOString().replace(/\.\d+Z$/, 'Z');
		sb.admin.advanceClock(5_000);
		await call('POST', '/api/v2/persons', { name: 'New' });
		const res = await call('GET', `/api/v2/persons?updated_since=${since}`);
		expect(res.body.data.map((p: { name: string }) => p.name)).toEqual(['New']);
		const until = await call('GET', `/api/v2/persons?updated_until=${since}`);
		expect(until.body.data.map((p: { name: string }) => p.name)).toEqual(['Old']);
		expect((await call('GET', '/api/v2/persons?updated_since=yesterday')).status).toBe(400);
	});

	it('deleting a person or an organization leaves its notes, activities, deals, files and leads linked and listed (no cascade is documented)', async () => {
		const org = (await call('POST', '/api/v2/organizations', { name: 'Practice' })).body.data.id;
		const person = (await call('POST', '/api/v2/persons', { name: 'P', org_id: org })).body.data.id;
		const note = (await call('POST', '/api/v1/notes', { content: 'n', person_id: person })).body
			.data.id;
		const activity = (
			await call('POST', '/api/v2/activities', { subject: 'Call', type: 'call', person_id: person })
		).body.data.id;
		const deal = (
			await call('POST', '/api/v2/deals', { title: 'D', person_id: person, org_id: org })
		).body.data.id;
		const lead = (await call('POST', '/api/v1/leads', { title: 'L', person_id: person })).body.data
			.id;
		const form = new FormData();
		form.append('file', new Blob(['x']), 'x.txt');
		form.append('person_id', String(person));
		const file = (
			(await (
				await fetch(`${sb.baseUrl}/api/v1/files`, {
					method: 'POST',
					headers: { 'x-api-token': sb.apiToken },
					body: form,
				})
			).json()) as { data: { id: number } }
		).data.id;

		expect((await call('DELETE', `/api/v2/persons/${person}`)).status).toBe(200);
		expect((await call('DELETE', `/api/v2/organizations/${org}`)).status).toBe(200);
		const linked = async (path: string, key: string) =>
			((await call('GET', path)).body.data as Array<Record<string, unknown>>).map((r) => [
				r.id,
				r[key],
			]);
		expect(await linked('/api/v1/notes', 'person_id')).toEqual([[note, person]]);
		expect(await linked('/api/v2/activities', 'person_id')).toEqual([[activity, person]]);
		expect(await linked('/api/v2/deals', 'org_id')).toEqual([[deal, org]]);
		expect(await linked('/api/v1/files', 'person_id')).toEqual([[file, person]]);
		expect(await linked('/api/v1/leads', 'person_id')).toEqual([[lead, person]]);
		// Only the deleted records themselves carry the flag.
		expect((await call('GET', `/api/v2/persons/${person}`)).body.data.is_deleted).toBe(true);
		expect((await call('GET', `/api/v2/deals/${deal}`)).body.data.is_deleted).toBe(false);
	});

	it('patches, then soft-deletes: lists leave it out, GET shows is_deleted, PATCH is 404', async () => {
		const created = await call('POST', '/api/v2/persons', {
			name: 'P',
			phones: [{ value: '+32 470 00 00 00', label: 'mobile' }],
		});
		const id = created.body.data.id;
		const patched = await call('PATCH', `/api/v2/persons/${id}`, { name: 'Q R' });
		expect([
			patched.body.data.name,
			patched.body.data.first_name,
			patched.body.data.last_name,
		]).toEqual(['Q R', 'Q', 'R']);
		expect(patched.body.data.phones).toEqual([
			{ value: '+32 470 00 00 00', primary: true, label: 'mobile' },
		]);
		const del = await call('DELETE', `/api/v2/persons/${id}`);
		expect(del.body).toEqual({ success: true, data: { id } });
		expect((await call('GET', '/api/v2/persons')).body.data).toEqual([]);
		const got = await call('GET', `/api/v2/persons/${id}`);
		expect([got.status, got.body.data.is_deleted]).toEqual([200, true]);
		expect((await call('PATCH', `/api/v2/persons/${id}`, { name: 'Z' })).status).toBe(404);
		expect((await call('DELETE', `/api/v2/persons/${id}`)).status).toBe(404);
		const missing = await call('GET', '/api/v2/persons/999');
		expect(missing.body).toEqual({
			success: false,
			error: 'Person not found',
			error_info: 'Please check developers.pipedrive.com',
			data: null,
			additional_data: null,
		});
	});

	it('places deals in the default pipeline and enforces the status/time rules', async () => {
		const open = await call('POST', '/api/v2/deals', {
			title: 'Implant',
			value: 1200.5,
			currency: 'EUR',
		});
		expect(open.body.data).toMatchObject({
			pipeline_id: 1,
			stage_id: 1,
			status: 'open',
			value: 1200.5,
			won_time: null,
			origin: 'API',
		});
		const won = await call('POST', '/api/v2/deals', {
			title: 'Crown',
			status: 'won',
			won_time: '2024-03-01T09:30:00Z',
		});
		expect(won.body.data).toMatchObject({
			status: 'won',
			won_time: '2024-03-01T09:30:00Z',
			close_time: '2024-03-01T09:30:00Z',
			lost_time: null,
		});
		const wrong = await call('POST', '/api/v2/deals', {
			title: 'X',
			status: 'open',
			won_time: '2024-03-01T09:30:00Z',
			lost_reason: 'price',
		});
		expect(wrong.body.error).toBe(
			'Validation failed: won_time: Only allowed when status is won; lost_reason: Only allowed when status is lost',
		);
		const stage = await call('POST', '/api/v2/deals', { title: 'S', stage_id: 3 });
		expect([stage.body.data.pipeline_id, stage.body.data.stage_id]).toEqual([1, 3]);
		const valueAsString = await call('POST', '/api/v2/deals', { title: 'V', value: '100' });
		expect(valueAsString.body.error).toBe("Validation failed: value: Expected 'number'");
		await call('DELETE', `/api/v2/deals/${open.body.data.id}`);
		const deleted = await call('GET', '/api/v2/deals?status=deleted');
		expect(deleted.body.data.map((d: { id: number }) => d.id)).toEqual([open.body.data.id]);
		const wonList = await call('GET', '/api/v2/deals?status=won');
		expect(wonList.body.data.map((d: { title: string }) => d.title)).toEqual(['Crown']);
	});

	it('derives an activity person_id from the primary participant and echoes times as HH:MM', async () => {
		const a = await call('POST', '/api/v2/persons', { name: 'A' });
		const b = await call('POST', '/api/v2/persons', { name: 'B' });
		const res = await call('POST', '/api/v2/activities', {
			subject: 'Check-up',
			type: 'meeting',
			due_date: '2024-05-02',
			due_time: '09:30:00',
			duration: '00:45',
			done: true,
			participants: [
				{ person_id: a.body.data.id, primary: false },
				{ person_id: b.body.data.id, primary: true },
			],
		});
		expect(res.status).toBe(200);
		expect(res.body.data).toMatchObject({
			person_id: b.body.data.id,
			due_date: '2024-05-02',
			due_time: '09:30',
			duration: '00:45',
			done: true,
			type: 'meeting',
		});
		expect(res.body.data.marked_as_done_time).toMatch(RFC3339);
		const badType = await call('POST', '/api/v2/activities', { type: 'teleport' });
		expect(badType.body.error).toBe('Validation failed: type: Unknown activity type key_string');
		const badDate = await call('POST', '/api/v2/activities', { due_date: '2024-02-30' });
		expect(badDate.body.error).toBe("Validation failed: due_date: Expected a date 'YYYY-MM-DD'");
		const list = await call('GET', `/api/v2/activities?person_id=${b.body.data.id}&done=true`);
		expect(list.body.data.map((x: { subject: string }) => x.subject)).toEqual(['Check-up']);
	});

	it('creates organizations with an address whose missing parts are null', async () => {
		const res = await call('POST', '/api/v2/organizations', {
			name: 'Cabinet',
			address: { value: 'Rue Haute 1, 1000 Bruxelles', postal_code: '1000' },
		});
		expect(res.body.data.address).toEqual({
			value: 'Rue Haute 1, 1000 Bruxelles',
			country: null,
			admin_area_level_1: null,
			admin_area_level_2: null,
			locality: null,
			sublocality: null,
			route: null,
			street_number: null,
			subpremise: null,
			postal_code: '1000',
		});
		expect((await call('POST', '/api/v2/organizations', {})).body.error).toBe(
			'Validation failed: name: Required',
		);
	});
});
