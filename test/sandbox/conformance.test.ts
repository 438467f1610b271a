import { startSandbox, type RunningSandbox } from '../../sandbox';
import { allRoutes } from '../../sandbox/routes';
import { Router } from '../../sandbox/routing';
import { OpenApiContract, openApiDirectory, specsPresent } from '../helpers/openapi';
import type { Json } from './sandboxClient';

/**
 * Every response the sandbox gives for every implemented operation — successes and errors — is
 * validated against the official OpenAPI files; every JSON request body a success case sends is
 * validated against the operation's request schema; requests the spec forbids are refused.
 */
const routes = allRoutes();
const router = new Router(routes);

if (!specsPresent()) {
	it('checks conformance against the official OpenAPI files', () => {
		const message = `Pipedrive OpenAPI files not found in ${openApiDirectory()}: conformance was NOT checked (set PIPEDRIVE_OPENAPI_DIR)`;
		if (process.env.CI === 'true') throw new Error(message);
		console.warn(message);
		expect(specsPresent()).toBe(false);
	});
} else {
	describe('sandbox conformance with the official OpenAPI files', () => {
		const contract = new OpenApiContract();
		const seen = new Map<string, Set<'success' | 'error'>>();
		let sb: RunningSandbox;

		beforeAll(async () => {
			sb = await startSandbox({
				burstLimit: 100_000,
				users: [{ name: 'Dr. Two', email: 'two@practice.test' }],
			});
		});
		afterAll(() => sb.close());

		type Sent = { status: number; body: Json };
		interface Options {
			form?: boolean;
			multipart?: FormData;
			token?: string | null;
		}

		async function send(
			method: string,
			path: string,
			body?: unknown,
			options: Options = {},
		): Promise<Sent> {
			const match = router.match(method, path.split('?')[0]);
			if (!match || !('route' in match))
				throw new Error(`test calls an unimplemented route ${method} ${path}`);
			const template = match.route.path;
			const headers: Record<string, string> =
				options.token === null ? {} : { 'x-api-token': options.token ?? sb.apiToken };
			let payload: string | FormData | undefined;
			if (options.multipart) payload = options.multipart;
			else if (body !== undefined && options.form) {
				headers['content-type'] = 'application/x-www-form-urlencoded';
				payload = new URLSearchParams(body as Record<string, string>).toString();
			} else if (body !== undefined) {
				headers['content-type'] = 'application/json';
				payload = JSON.stringify(body);
			}
			const res = await fetch(`${sb.baseUrl}${path}`, { method, headers, body: payload });
			const op = `${method} ${template}`;
			const kind = res.status < 400 ? 'success' : 'error';
			if (!seen.has(op)) seen.set(op, new Set());
			(seen.get(op) as Set<'success' | 'error'>).add(kind);
			if (contract.documentsBinary(method, template, res.status)) {
				return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
			}
			const json = (await res.json()) as Json;
			const outcome = contract.validateResponse(method, template, res.status, json);
			expect({ op, status: res.status, schema: outcome.schema, errors: outcome.errors }).toEqual({
				op,
				status: res.status,
				schema: outcome.schema,
				errors: [],
			});
			if (kind === 'error') expect([json.success, typeof json.error]).toEqual([false, 'string']);
			return { status: res.status, body: json };
		}

		/** A success case: the request body (if any) is valid per the spec, the answer is 2xx and valid. */
		async function ok(
			method: string,
			path: string,
			body?: unknown,
			options: Options = {},
		): Promise<Json> {
			const template = (router.match(method, path.split('?')[0]) as { route: { path: string } })
				.route.path;
			if (body !== undefined) {
				expect({
					op: `${method} ${template}`,
					errors: contract.validateRequest(method, template, body, {
						strict: template.startsWith('/api/v2/'),
					}),
				}).toEqual({
					op: `${method} ${template}`,
					errors: [],
				});
			}
			const res = await send(method, path, body, options);
			expect({ op: `${method} ${path}`, status: res.status }).toEqual({
				op: `${method} ${path}`,
				status: method === 'POST' && template === '/api/v1/leads' ? 201 : 200,
			});
			return res.body.data ?? res.body;
		}

		async function fails(
			status: number,
			method: string,
			path: string,
			body?: unknown,
			options: Options = {},
		): Promise<Json> {
			const res = await send(method, path, body, options);
			expect({ op: `${method} ${path}`, status: res.status }).toEqual({
				op: `${method} ${path}`,
				status,
			});
			return res.body;
		}

		it('has a validator that catches responses breaking the spec', () => {
			const person = contract.validateResponse('GET', '/api/v2/persons/{id}', 200, {
				success: true,
				data: { id: '7', emails: 'a@b.c', is_deleted: 'no' },
			});
			expect(person.errors).toEqual([
				'/data/id must be integer,null {"type":["integer","null"]}',
				'/data/emails must be array,null {"type":["array","null"]}',
				'/data/is_deleted must be boolean,null {"type":["boolean","null"]}',
			]);
			const field = contract.validateResponse('GET', '/api/v2/personFields/{field_code}', 200, {
				success: true,
				data: { field_name: 'X', field_type: 'rocket', is_custom_field: true },
			});
			expect(field.errors.map((e) => e.split(' {')[0])).toEqual([
				"/data must have required property 'field_code'",
				"/data must have required property 'is_optional_response_field'",
				'/data/field_type must be equal to one of the allowed values',
			]);
			expect(
				contract.validateResponse('GET', '/api/v2/persons', 201, { success: true }).errors,
			).toEqual(['status 201 is not documented for GET /api/v2/persons']);
		});

		it('refuses requests the spec forbids, as Pipedrive does', async () => {
			const forbidden: Array<[string, string, Record<string, unknown>]> = [
				['POST', '/api/v2/organizations', { name: 42 }],
				['POST', '/api/v2/organizations', { owner_id: 1 }],
				['POST', '/api/v2/deals', { title: 'T', value: '12.50' }],
				['POST', '/api/v2/stages', { name: 'Only a name' }],
				['POST', '/api/v2/personFields', { field_name: 'X', field_type: 'int' }],
				['POST', '/api/v2/pipelines', { name: 'P', is_deal_probability_enabled: 'yes' }],
				['POST', '/api/v1/leadLabels', { name: 'L', color: 'mauve' }],
			];
			for (const [method, path, body] of forbidden) {
				const template = (router.match(method, path) as { route: { path: string } }).route.path;
				expect(contract.validateRequest(method, template, body)).not.toEqual([]);
				await fails(400, method, path, body);
			}
			// v2 also refuses properties its schema does not list (the spec itself allows extras)
			const unknown = { name: 'P', favourite_colour: 'blue' };
			expect(contract.validateRequest('POST', '/api/v2/persons', unknown)).toEqual([]);
			expect(
				contract.validateRequest('POST', '/api/v2/persons', unknown, { strict: true }),
			).not.toEqual([]);
			const res = await fails(400, 'POST', '/api/v2/persons', unknown);
			expect(res.code).toBe('ERR_SCHEMA_VALIDATION_FAILED');
		});

		it('persons, organizations, deals, activities', async () => {
			const org = await ok('POST', '/api/v2/organizations', {
				name: 'Cabinet',
				address: { value: 'Rue 1', locality: 'Liège' },
				website: 'https://cabinet.test',
			});
			const person = await ok('POST', '/api/v2/persons', {
				name: 'Eva Peeters',
				org_id: org.id,
				emails: [{ value: 'eva@example.test', primary: true, label: 'home' }],
				phones: [{ value: '+3247000000', label: 'mobile' }],
				add_time: '2020-05-01T10:00:00Z',
				birthday: '1990-02-03',
			});
			const deal = await ok('POST', '/api/v2/deals', {
				title: 'Implant',
				person_id: person.id,
				org_id: org.id,
				value: 1500,
				currency: 'EUR',
				status: 'lost',
				lost_time: '2021-01-01T00:00:00Z',
				lost_reason: 'Declined',
				expected_close_date: '2021-02-01',
			});
			const activity = await ok('POST', '/api/v2/activities', {
				subject: 'Check-up',
				type: 'meeting',
				due_date: '2024-01-02',
				due_time: '10:00',
				duration: '00:30',
				done: false,
				deal_id: deal.id,
				participants: [{ person_id: person.id, primary: true }],
				note: '<p>Bring X-rays</p>',
			});
			const items: Array<[string, number, Record<string, unknown>, Record<string, unknown>]> = [
				['organizations', org.id, { name: 'Cabinet Nord' }, { name: 7 }],
				[
					'persons',
					person.id,
					{ name: 'Eva Janssens', job_title: 'Teacher' },
					{ emails: 'eva@example.test' },
				],
				[
					'deals',
					deal.id,
					{ status: 'won', won_time: '2022-01-01T00:00:00Z' },
					{ status: 'maybe' },
				],
				['activities', activity.id, { done: true }, { done: 'yes' }],
			];
			for (const [segment, id, patch, badPatch] of items) {
				await ok('GET', `/api/v2/${segment}?limit=1`);
				await ok('GET', `/api/v2/${segment}?ids=${id},999999&limit=100`);
				await fails(
					400,
					'GET',
					`/api/v2/${segment}?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`,
				);
				await ok('GET', `/api/v2/${segment}/${id}`);
				await ok('PATCH', `/api/v2/${segment}/${id}`, patch);
				await fails(400, 'PATCH', `/api/v2/${segment}/${id}`, badPatch);
				await fails(400, 'GET', `/api/v2/${segment}?limit=0`);
				await fails(400, 'POST', `/api/v2/${segment}`, { unknown_property: 1 });
				await fails(404, 'GET', `/api/v2/${segment}/999999`);
			}
			for (const [segment, id] of items.slice().reverse()) {
				await ok('DELETE', `/api/v2/${segment}/${id}`);
				await fails(404, 'DELETE', `/api/v2/${segment}/${id}`);
				await ok('GET', `/api/v2/${segment}/${id}`);
			}
		});

		it('fields and options for persons, organizations, deals, products', async () => {
			for (const segment of ['personFields', 'organizationFields', 'dealFields', 'productFields']) {
				const system = await ok('GET', `/api/v2/${segment}`);
				await ok('GET', `/api/v2/${segment}/${system[0].field_code}`);
				const text = await ok('POST', `/api/v2/${segment}`, {
					field_name: 'Source key',
					field_type: 'varchar',
				});
				const money = await ok('POST', `/api/v2/${segment}`, {
					field_name: 'Balance',
					field_type: 'monetary',
				});
				const choice = await ok('POST', `/api/v2/${segment}`, {
					field_name: 'Tier',
					field_type: 'enum',
					options: [{ label: 'A' }],
				});
				await ok('GET', `/api/v2/${segment}/${money.field_code}`);
				await ok('PATCH', `/api/v2/${segment}/${text.field_code}`, {
					field_name: 'Migration source key',
				});
				const added = await ok('POST', `/api/v2/${segment}/${choice.field_code}/options`, [
					{ label: 'B' },
					{ label: 'C' },
				]);
				await ok('PATCH', `/api/v2/${segment}/${choice.field_code}/options`, [
					{ id: added[0].id, label: 'B2' },
				]);
				await ok('DELETE', `/api/v2/${segment}/${choice.field_code}/options`, [
					{ id: added[1].id },
				]);
				await fails(400, 'POST', `/api/v2/${segment}/${choice.field_code}/options`, [
					{ name: 'no label' },
				]);
				await fails(400, 'PATCH', `/api/v2/${segment}/${choice.field_code}/options`, [
					{ id: 987654, label: 'x' },
				]);
				await fails(400, 'DELETE', `/api/v2/${segment}/${choice.field_code}/options`, [
					{ id: 987654 },
				]);
				await fails(400, 'POST', `/api/v2/${segment}`, { field_name: 'X', field_type: 'boolean' });
				await fails(400, 'PATCH', `/api/v2/${segment}/${text.field_code}`, {});
				await fails(404, 'GET', `/api/v2/${segment}/${'0'.repeat(40)}`);
				await fails(400, 'GET', `/api/v2/${segment}?limit=1000`);
				await ok('DELETE', `/api/v2/${segment}/${money.field_code}`);
				await fails(404, 'DELETE', `/api/v2/${segment}/${money.field_code}`);
			}
		});

		it('pipelines and stages', async () => {
			const pipeline = await ok('POST', '/api/v2/pipelines', {
				name: 'Treatment plans',
				is_deal_probability_enabled: true,
			});
			const stage = await ok('POST', '/api/v2/stages', {
				name: 'Proposed',
				pipeline_id: pipeline.id,
				deal_probability: 50,
				is_deal_rot_enabled: true,
				days_to_rotten: 30,
			});
			await ok('GET', '/api/v2/pipelines');
			await ok('GET', `/api/v2/pipelines/${pipeline.id}`);
			await ok('PATCH', `/api/v2/pipelines/${pipeline.id}`, { name: 'Treatment' });
			await ok('GET', `/api/v2/stages?pipeline_id=${pipeline.id}&sort_by=order_nr`);
			await ok('GET', `/api/v2/stages/${stage.id}`);
			await ok('PATCH', `/api/v2/stages/${stage.id}`, { name: 'Presented' });
			await fails(400, 'GET', '/api/v2/pipelines?sort_by=name');
			await fails(400, 'GET', '/api/v2/stages?pipeline_id=abc');
			await fails(400, 'POST', '/api/v2/pipelines', {});
			await fails(404, 'GET', '/api/v2/pipelines/999');
			await fails(404, 'PATCH', '/api/v2/pipelines/999', { name: 'x' });
			await fails(404, 'GET', '/api/v2/stages/999');
			await fails(400, 'PATCH', `/api/v2/stages/${stage.id}`, { pipeline_id: 999 });
			await ok('DELETE', `/api/v2/stages/${stage.id}`);
			await fails(404, 'DELETE', `/api/v2/stages/${stage.id}`);
			await ok('DELETE', `/api/v2/pipelines/${pipeline.id}`);
			await fails(404, 'DELETE', `/api/v2/pipelines/${pipeline.id}`);
		});

		it('search', async () => {
			const keyField = await ok('POST', '/api/v2/personFields', {
				field_name: 'Search key',
				field_type: 'varchar',
			});
			const org = await ok('POST', '/api/v2/organizations', {
				name: 'Search Org',
				address: { value: 'Main 1' },
			});
			const person = await ok('POST', '/api/v2/persons', {
				name: 'Searchable Person',
				org_id: org.id,
				custom_fields: { [keyField.field_code]: 'k-1' },
			});
			await ok('POST', '/api/v2/deals', {
				title: 'Searchable Deal',
				person_id: person.id,
				org_id: org.id,
			});
			await ok('POST', '/api/v1/leads', {
				title: 'Searchable Lead',
				person_id: person.id,
				value: { amount: 10, currency: 'EUR' },
			});
			await ok('GET', '/api/v2/persons/search?term=k-1&fields=custom_fields&exact_match=true');
			await ok('GET', '/api/v2/organizations/search?term=search');
			await ok('GET', '/api/v2/deals/search?term=searchable&status=open');
			await ok('GET', '/api/v2/leads/search?term=searchable');
			await ok(
				'GET',
				'/api/v2/itemSearch/field?term=Search&entity_type=organization&field=name&match=beginning',
			);
			await fails(400, 'GET', '/api/v2/persons/search?term=a');
			await fails(400, 'GET', '/api/v2/organizations/search?term=ab&fields=email');
			await fails(400, 'GET', '/api/v2/deals/search?term=ab&status=archived');
			await fails(400, 'GET', '/api/v2/leads/search');
			await fails(400, 'GET', '/api/v2/itemSearch/field?term=x&entity_type=person');
		});

		it('users, activity types, lead labels', async () => {
			await ok('GET', '/api/v1/users');
			await ok('GET', '/api/v1/users/find?term=two%40practice.test&search_by_email=1');
			await ok('GET', '/api/v1/users/me');
			await ok('GET', '/api/v1/users/2');
			await fails(400, 'GET', '/api/v1/users/find');
			await fails(401, 'GET', '/api/v1/users/me', undefined, { token: 'wrong' });
			await fails(401, 'GET', '/api/v1/users', undefined, { token: null });
			await fails(404, 'GET', '/api/v1/users/99');

			await ok('GET', '/api/v1/activityTypes');
			const type = await ok('POST', '/api/v1/activityTypes', {
				name: 'Recall',
				icon_key: 'calendar',
				color: 'FFAA00',
			});
			await ok('PUT', `/api/v1/activityTypes/${type.id}`, { name: 'Recall visit' });
			await fails(400, 'POST', '/api/v1/activityTypes', { name: 'No icon' });
			await fails(400, 'PUT', `/api/v1/activityTypes/${type.id}`, { icon_key: 'rocket' });
			await ok('DELETE', `/api/v1/activityTypes/${type.id}`);
			await fails(404, 'DELETE', `/api/v1/activityTypes/${type.id}`);
			await fails(401, 'GET', '/api/v1/activityTypes', undefined, { token: null });

			await ok('GET', '/api/v1/leadLabels');
			const label = await ok('POST', '/api/v1/leadLabels', { name: 'Recall due', color: 'green' });
			await ok('PATCH', `/api/v1/leadLabels/${label.id}`, { color: 'purple' });
			await fails(400, 'PATCH', `/api/v1/leadLabels/${label.id}`, { color: 'mauve' });
			await ok('DELETE', `/api/v1/leadLabels/${label.id}`);
			await fails(404, 'DELETE', `/api/v1/leadLabels/${label.id}`);
			await fails(401, 'GET', '/api/v1/leadLabels', undefined, { token: null });
		});

		it('notes, files, leads', async () => {
			const person = await ok('POST', '/api/v2/persons', { name: 'Note Person' });
			const note = await ok('POST', '/api/v1/notes', {
				content: '<p>Anamnesis</p>',
				person_id: person.id,
				add_time: '2018-03-04 05:06:07',
				pinned_to_person_flag: 1,
			});
			await ok('GET', `/api/v1/notes?person_id=${person.id}&limit=10`);
			await ok('GET', `/api/v1/notes?start=0&limit=500&sort=${encodeURIComponent('id DESC')}`);
			await ok('GET', `/api/v1/notes/${note.id}`);
			await ok('PUT', `/api/v1/notes/${note.id}`, { content: '<p>Anamnesis (updated)</p>' });
			await fails(400, 'POST', '/api/v1/notes', { content: 'orphan' });
			await fails(400, 'GET', '/api/v1/notes?limit=900');
			await fails(404, 'GET', '/api/v1/notes/99999');
			await fails(400, 'PUT', `/api/v1/notes/${note.id}`, { add_time: 'yesterday' });
			await ok('DELETE', `/api/v1/notes/${note.id}`);
			await fails(404, 'DELETE', `/api/v1/notes/${note.id}`);

			const form = new FormData();
			form.append('file', new Blob([Buffer.from('scan')], { type: 'image/png' }), 'scan.png');
			form.append('person_id', String(person.id));
			const file = await ok('POST', '/api/v1/files', undefined, { multipart: form });
			await ok('GET', '/api/v1/files?limit=5');
			await ok('GET', `/api/v1/files?start=0&limit=100&sort=${encodeURIComponent('id DESC')}`);
			await fails(400, 'GET', '/api/v1/files?limit=101');
			await fails(400, 'GET', `/api/v1/files?sort=${encodeURIComponent('file_name ASC')}`);
			await ok('GET', `/api/v1/files/${file.id}`);
			const download = await send('GET', `/api/v1/files/${file.id}/download`);
			expect([download.status, download.body]).toEqual([200, Buffer.from('scan')]);
			await ok(
				'PUT',
				`/api/v1/files/${file.id}`,
				{ name: 'Scan 2020.png', description: 'Panoramic' },
				{ form: true },
			);
			const empty = new FormData();
			empty.append('person_id', String(person.id));
			await fails(400, 'POST', '/api/v1/files', undefined, { multipart: empty });
			await fails(400, 'GET', '/api/v1/files?start=x');
			await fails(404, 'GET', '/api/v1/files/9999');
			await fails(400, 'PUT', `/api/v1/files/${file.id}`, { owner: 'x' }, { form: true });
			await ok('DELETE', `/api/v1/files/${file.id}`);
			await fails(404, 'GET', `/api/v1/files/${file.id}/download`);
			await fails(404, 'DELETE', `/api/v1/files/${file.id}`);

			const lead = await ok('POST', '/api/v1/leads', {
				title: 'Lead',
				person_id: person.id,
				expected_close_date: '2025-01-01',
				was_seen: true,
				visible_to: '3',
			});
			await ok('GET', `/api/v1/leads?person_id=${person.id}`);
			await ok(
				'GET',
				`/api/v1/leads?start=0&limit=500&sort=${encodeURIComponent('update_time DESC')}`,
			);
			await ok('GET', `/api/v1/leads/${lead.id}`);
			await ok('PATCH', `/api/v1/leads/${lead.id}`, {
				title: 'Lead (recall)',
				value: { amount: 75, currency: 'EUR' },
			});
			// Archived leads leave GET /leads and are listed by GET /leads/archived.
			await ok('PATCH', `/api/v1/leads/${lead.id}`, { is_archived: true });
			const listed = async (path: string) =>
				((await ok('GET', path)) as Json[]).map((listedLead) => listedLead.id);
			expect(await listed(`/api/v1/leads?person_id=${person.id}`)).toEqual([]);
			expect(
				await listed(
					`/api/v1/leads/archived?person_id=${person.id}&start=0&limit=500&sort=${encodeURIComponent('update_time DESC')}`,
				),
			).toEqual([lead.id]);
			await fails(400, 'GET', '/api/v1/leads/archived?limit=0');
			await ok('PATCH', `/api/v1/leads/${lead.id}`, { is_archived: false });
			expect(await listed(`/api/v1/leads/archived?person_id=${person.id}`)).toEqual([]);
			await fails(400, 'POST', '/api/v1/leads', { title: 'No parent' });
			await fails(400, 'PATCH', `/api/v1/leads/${lead.id}`, { channel: 'web' });
			await fails(400, 'GET', '/api/v1/leads?owner_id=me');
			await fails(404, 'GET', '/api/v1/leads/00000000-0000-4000-8000-000000000000');
			await ok('DELETE', `/api/v1/leads/${lead.id}`);
			await fails(404, 'DELETE', `/api/v1/leads/${lead.id}`);
		});

		it('answers 429 in a documented shape', async () => {
			const tight = await startSandbox({ burstLimit: 1 });
			try {
				const first = await fetch(`${tight.baseUrl}/api/v2/persons`, {
					headers: { 'x-api-token': tight.apiToken },
				});
				const second = await fetch(`${tight.baseUrl}/api/v2/persons`, {
					headers: { 'x-api-token': tight.apiToken },
				});
				expect([first.status, second.status]).toEqual([200, 429]);
				expect(
					contract.validateResponse('GET', '/api/v2/persons', 429, await second.json()).errors,
				).toEqual([]);
			} finally {
				await tight.close();
			}
		});

		it('covered every implemented operation with a validated success and a validated error', () => {
			const missing = routes
				.map((r) => `${r.method} ${r.path}`)
				.filter((op) => !(seen.get(op)?.has('success') && seen.get(op)?.has('error')));
			expect(missing).toEqual([]);
			expect(routes.every((r) => contract.hasOperation(r.method, r.path))).toBe(true);
		});
	});
}
