import { createHash } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { client, type Call, type Json } from './sandboxClient';

const V1_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('sandbox v1 notes, files, leads, activity types', () => {
	let sb: RunningSandbox;
	let call: Call;
	let personId: number;

	beforeEach(async () => {
		sb = await startSandbox({ seed: 5, burstLimit: 1000, fileSizeLimitBytes: 1024 });
		call = client(sb);
		personId = (await call('POST', '/api/v2/persons', { name: 'Patient' })).body.data.id;
	});
	afterEach(() => sb.close());

	it('creates a note with 200, keeping add_time and author, stripping script', async () => {
		const res = await call('POST', '/api/v1/notes', {
			content: '<p>Allergy: <b>latex</b></p><script>alert(1)</script>',
			person_id: personId,
			add_time: '2019-04-01 08:15:00',
			user_id: 1,
			pinned_to_person_flag: 1,
		});
		expect(res.status).toBe(200);
		expect(res.body.data).toMatchObject({
			id: 1,
			active_flag: true,
			content: '<p>Allergy: <b>latex</b></p>',
			person_id: personId,
			person: { name: 'Patient' },
			deal: null,
			add_time: '2019-04-01 08:15:00',
			user_id: 1,
			pinned_to_person_flag: true,
			pinned_to_deal_flag: false,
		});
		expect(res.body.data.update_time).toMatch(V1_TIME);
	});

	it('refuses notes without content, without a parent, too long, or with a bad add_time', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ person_id: personId }, '"content" is required'],
			[
				{ content: 'x' },
				'One of lead_id, deal_id, person_id, org_id, project_id or task_id is required',
			],
			[
				{ content: 'x'.repeat(100_001), person_id: personId },
				'"content" is longer than 100000 characters; split the note',
			],
			[
				{ content: 'x', person_id: personId, add_time: '2019-04-01T08:15:00Z' },
				'"add_time" must be YYYY-MM-DD HH:MM:SS (UTC)',
			],
			[{ content: 'x', person_id: 999 }, 'person_id: Referenced person not found'],
		];
		for (const [body, info] of cases) {
			const res = await call('POST', '/api/v1/notes', body);
			expect([res.status, res.body.success, res.body.error_info]).toEqual([400, false, info]);
		}
		expect((await call('GET', '/api/v1/notes')).body.data).toEqual([]);
	});

	it('accepts form-encoded v1 bodies, lists with offset paging and soft-deletes notes', async () => {
		for (const content of ['a', 'b', 'c']) {
			const res = await call('POST', '/v1/notes', `content=${content}&person_id=${personId}`, {
				'content-type': 'application/x-www-form-urlencoded',
			});
			expect(res.status).toBe(200);
		}
		const page = await call('GET', `/api/v1/notes?person_id=${personId}&limit=2`);
		expect(page.body.data.map((n: { content: string }) => n.content)).toEqual(['a', 'b']);
		expect(page.body.additional_data).toEqual({
			pagination: { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 },
		});
		expect((await call('DELETE', '/api/v1/notes/2')).body).toEqual({ success: true, data: true });
		const rest = await call('GET', '/api/v1/notes?start=0');
		expect(rest.body.data.map((n: { content: string }) => n.content)).toEqual(['a', 'c']);
		expect((await call('GET', '/api/v1/notes/2')).body.data.active_flag).toBe(false);
		const updated = await call('PUT', '/api/v1/notes/3', { content: 'c2' });
		expect(updated.body.data.content).toBe('c2');
	});

	it('uploads, downloads, renames and deletes a file; enforces one part and the size cap', async () => {
		const upload = async (parts: Array<[string, Blob | string, string?]>) => {
			const form = new FormData();
			for (const [name, value, fileName] of parts) {
				if (typeof value === 'string') form.append(name, value);
				else form.append(name, value, fileName);
			}
			const res = await fetch(`${sb.baseUrl}/api/v1/files`, {
				method: 'POST',
				headers: { 'x-api-token': sb.apiToken },
				body: form,
			});
			return { status: res.status, body: (await res.json()) as Json };
		};
		const bytes = Buffer.from('%PDF-1.4 consent form');
		const ok = await upload([
			['file', new Blob([bytes], { type: 'application/pdf' }), 'consent.pdf'],
			['person_id', String(personId)],
		]);
		expect(ok.status).toBe(200);
		expect(ok.body.data).toMatchObject({
			id: 1,
			file_name: 'consent.pdf',
			file_type: 'pdf',
			file_size: bytes.length,
			person_id: personId,
			person_name: 'Patient',
			active_flag: true,
		});
		const download = await fetch(`${sb.baseUrl}/api/v1/files/1/download`, {
			headers: { 'x-api-token': sb.apiToken },
		});
		expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
		expect(download.headers.get('content-type')).toBe('application/pdf');
		const snapshotFile = sb.admin.snapshot().files[0];
		expect(snapshotFile.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

		const big = await upload([['file', new Blob([Buffer.alloc(1025)]), 'scan.png']]);
		expect([big.status, big.body.error]).toEqual([
			413,
			'File is larger than the per-file limit of 1024 bytes',
		]);
		const two = await upload([
			['file', new Blob(['a']), 'a.txt'],
			['file', new Blob(['b']), 'b.txt'],
		]);
		expect([two.status, two.body.error_info]).toEqual([
			400,
			'Send exactly one multipart/form-data file part named "file"',
		]);

		expect(
			(await call('PUT', '/api/v1/files/1', { name: 'Consent 2019.pdf' })).body.data.name,
		).toBe('Consent 2019.pdf');
		expect((await call('DELETE', '/api/v1/files/1')).body).toEqual({
			success: true,
			data: { id: 1 },
		});
		expect((await call('GET', '/api/v1/files/1/download')).status).toBe(404);
		expect((await call('GET', '/api/v1/files')).body.data).toEqual([]);
	});

	it('creates leads with 201 and UUID ids, requiring a title and a person or organization', async () => {
		const field = (
			await call('POST', '/api/v2/dealFields', {
				field_name: 'Recall',
				field_type: 'enum',
				options: [{ label: '6m' }],
			})
		).body.data;
		const labels = (await call('GET', '/api/v1/leadLabels')).body.data;
		expect(labels.map((l: { name: string }) => l.name)).toEqual(['Hot', 'Warm', 'Cold']);
		const res = await call('POST', '/api/v1/leads', {
			title: 'Lapsed patient',
			person_id: personId,
			label_ids: [labels[2].id],
			value: { amount: 90, currency: 'EUR' },
			[field.field_code]: String(field.options[0].id),
		});
		expect(res.status).toBe(201);
		expect(res.body.data.id).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(res.body.data).toMatchObject({
			title: 'Lapsed patient',
			person_id: personId,
			organization_id: null,
			label_ids: [labels[2].id],
			value: { amount: 90, currency: 'EUR' },
			source_name: 'API',
			[field.field_code]: field.options[0].id,
		});
		const noParent = await call('POST', '/api/v1/leads', { title: 'Orphan' });
		expect(noParent.body).toEqual({
			success: false,
			error: "Couldn't create lead, body is invalid.",
			error_info:
				'A lead always has to be linked to a person or an organization or both: send person_id or organization_id',
			data: null,
			additional_data: null,
		});
		const channel = await call('POST', '/api/v1/leads', {
			title: 'X',
			person_id: personId,
			channel: 'web',
		});
		expect(channel.body.error_info).toBe('"channel" must be a number');
		const id = res.body.data.id;
		expect(
			(await call('PATCH', `/api/v1/leads/${id}`, { title: 'Recall due' })).body.data.title,
		).toBe('Recall due');
		const list = await call('GET', `/api/v1/leads?person_id=${personId}`);
		expect(list.body.data.map((l: { id: string }) => l.id)).toEqual([id]);
		expect((await call('DELETE', `/api/v1/leads/${id}`)).body).toEqual({
			success: true,
			data: { id },
		});
		expect((await call('GET', `/api/v1/leads/${id}`)).status).toBe(404);
	});

	it('lists default activity types and generates key_string from a new name', async () => {
		const list = await call('GET', '/api/v1/activityTypes');
		expect(list.body.data.map((t: { key_string: string }) => t.key_string)).toEqual([
			'call',
			'meeting',
			'task',
			'deadline',
			'email',
			'lunch',
		]);
		const created = await call('POST', '/api/v1/activityTypes', {
			name: 'Contrôle (6 mois)',
			icon_key: 'calendar',
		});
		expect(created.body.data).toMatchObject({
			key_string: 'controle_6_mois',
			is_custom_flag: true,
			active_flag: true,
		});
		const again = await call('POST', '/api/v1/activityTypes', {
			name: 'Contrôle 6 mois',
			icon_key: 'calendar',
		});
		expect(again.body.data.key_string).toBe('controle_6_mois_2');
		const activity = await call('POST', '/api/v2/activities', {
			type: 'controle_6_mois',
			subject: 'Recall',
		});
		expect(activity.status).toBe(200);
		expect(
			(await call('POST', '/api/v1/activityTypes', { name: 'X', icon_key: 'rocket' })).status,
		).toBe(400);
	});
});

describe('sandbox pipelines and stages', () => {
	let sb: RunningSandbox;
	let call: Call;
	beforeEach(async () => {
		sb = await startSandbox({ burstLimit: 1000 });
		call = client(sb);
	});
	afterEach(() => sb.close());

	it('seeds the default pipeline and adds pipelines and stages in order', async () => {
		const pipelines = await call('GET', '/api/v2/pipelines');
		expect(
			pipelines.body.data.map((p: { id: number; name: string; order_nr: number }) => [
				p.id,
				p.name,
				p.order_nr,
			]),
		).toEqual([[1, 'Pipeline', 1]]);
		const stages = await call('GET', '/api/v2/stages?pipeline_id=1&sort_by=order_nr');
		expect(stages.body.data.map((s: { name: string }) => s.name)).toEqual([
			'Qualified',
			'Contact Made',
			'Demo Scheduled',
			'Proposal Made',
			'Negotiations Started',
		]);
		const treatment = await call('POST', '/api/v2/pipelines', { name: 'Treatment plans' });
		expect(treatment.body.data).toMatchObject({
			id: 2,
			name: 'Treatment plans',
			order_nr: 2,
			is_deleted: false,
		});
		const proposed = await call('POST', '/api/v2/stages', { name: 'Proposed', pipeline_id: 2 });
		const accepted = await call('POST', '/api/v2/stages', { name: 'Accepted', pipeline_id: 2 });
		expect([proposed.body.data.order_nr, accepted.body.data.order_nr]).toEqual([1, 2]);
		expect((await call('POST', '/api/v2/stages', { name: 'X' })).body.error).toBe(
			'Validation failed: pipeline_id: Required',
		);
		const deal = await call('POST', '/api/v2/deals', { title: 'Plan', pipeline_id: 2 });
		expect(deal.body.data.stage_id).toBe(proposed.body.data.id);
		expect((await call('DELETE', '/api/v2/pipelines/2')).body.error).toBe(
			'Validation failed: pipeline_id: Move or delete its deals first',
		);
		await call('DELETE', `/api/v2/deals/${deal.body.data.id}`);
		expect((await call('DELETE', '/api/v2/pipelines/2')).body).toEqual({
			success: true,
			data: { id: 2 },
		});
		expect((await call('GET', '/api/v2/stages?pipeline_id=2')).body.data).toEqual([]);
	});
});

describe('sandbox search', () => {
	let sb: RunningSandbox;
	let call: Call;
	beforeEach(async () => {
		sb = await startSandbox({ burstLimit: 1000 });
		call = client(sb);
	});
	afterEach(() => sb.close());

	it('finds persons by custom field with exact_match, case-insensitive on the full value', async () => {
		const key = (
			await call('POST', '/api/v2/personFields', {
				field_name: 'Migration source key',
				field_type: 'varchar',
			})
		).body.data.field_code;
		await call('POST', '/api/v2/persons', {
			name: 'One',
			custom_fields: { [key]: 'dental-exec:patient:10' },
		});
		const two = await call('POST', '/api/v2/persons', {
			name: 'Two',
			emails: [{ value: 'two@example.test' }],
			custom_fields: { [key]: 'dental-exec:patient:1' },
		});
		const exact = await call(
			'GET',
			'/api/v2/persons/search?term=DENTAL-EXEC%3Apatient%3A1&fields=custom_fields&exact_match=true',
		);
		expect(exact.body.data.items).toEqual([
			{
				result_score: 1,
				item: {
					id: two.body.data.id,
					type: 'person',
					name: 'Two',
					phones: [],
					emails: ['two@example.test'],
					visible_to: 3,
					owner: { id: 1 },
					organization: null,
					custom_fields: ['dental-exec:patient:1'],
					notes: [],
				},
			},
		]);
		expect(exact.body.additional_data).toEqual({ next_cursor: null });
		const partial = await call(
			'GET',
			'/api/v2/persons/search?term=patient%3A1&fields=custom_fields',
		);
		expect(partial.body.data.items.map((i: { item: { name: string } }) => i.item.name)).toEqual([
			'One',
			'Two',
		]);
		expect((await call('GET', '/api/v2/persons/search?term=x')).status).toBe(400);
		await call('DELETE', `/api/v2/persons/${two.body.data.id}`);
		const afterDelete = await call(
			'GET',
			'/api/v2/persons/search?term=two%40example.test&fields=email&exact_match=true',
		);
		expect(afterDelete.body.data.items).toEqual([]);
	});

	it('searches deals, organizations and leads, and itemSearch/field case-sensitively', async () => {
		const org = await call('POST', '/api/v2/organizations', {
			name: 'Cabinet Dentaire Sud',
			address: { value: 'Rue du Midi 4, Bruxelles' },
		});
		const person = await call('POST', '/api/v2/persons', { name: 'Lead Person' });
		await call('POST', '/api/v2/deals', { title: 'Bridge 24-26', org_id: org.body.data.id });
		await call('POST', '/api/v1/leads', {
			title: 'Whitening interest',
			person_id: person.body.data.id,
		});
		const orgs = await call('GET', '/api/v2/organizations/search?term=midi&fields=address');
		expect(
			orgs.body.data.items.map((i: { item: { name: string; address: string } }) => [
				i.item.name,
				i.item.address,
			]),
		).toEqual([['Cabinet Dentaire Sud', 'Rue du Midi 4, Bruxelles']]);
		const deals = await call('GET', '/api/v2/deals/search?term=bridge');
		expect(deals.body.data.items[0].item).toMatchObject({
			title: 'Bridge 24-26',
			organization: { id: org.body.data.id, name: 'Cabinet Dentaire Sud' },
			stage: { id: 1, name: 'Qualified' },
		});
		const leads = await call('GET', '/api/v2/leads/search?term=whitening');
		expect(leads.body.data.items[0].item).toMatchObject({
			title: 'Whitening interest',
			person: { id: person.body.data.id, name: 'Lead Person' },
		});
		const field = await call(
			'GET',
			'/api/v2/itemSearch/field?entity_type=organization&field=name&term=Cabinet&match=beginning',
		);
		expect(field.body.data).toEqual([
			{ result_score: 1, item: { id: org.body.data.id, name: 'Cabinet Dentaire Sud' } },
		]);
		const caseSensitive = await call(
			'GET',
			'/api/v2/itemSearch/field?entity_type=organization&field=name&term=cabinet&match=beginning',
		);
		expect(caseSensitive.body.data).toEqual([]);
	});
});
