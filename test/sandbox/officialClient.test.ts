import { v1, v2 } from 'pipedrive';
import { startSandbox, type RunningSandbox } from '../../sandbox';

/**
 * The official `pipedrive` npm client (33.7.0), pointed at the sandbox with a custom base path,
 * as an independent client: create, get, list, update and delete through it.
 */
describe('the official pipedrive client against the sandbox', () => {
	let sb: RunningSandbox;
	let v2Config: v2.Configuration;
	let v1Config: v1.Configuration;

	beforeAll(async () => {
		sb = await startSandbox({ burstLimit: 1000 });
		v2Config = new v2.Configuration({ apiKey: sb.apiToken, basePath: `${sb.baseUrl}/api/v2` });
		v1Config = new v1.Configuration({ apiKey: sb.apiToken, basePath: `${sb.baseUrl}/api/v1` });
	});
	afterAll(() => sb.close());

	it('persons: create, get, list, update, delete (v2)', async () => {
		const api = new v2.PersonsApi(v2Config);
		const created = await api.addPerson({
			AddPersonRequest: {
				name: 'Jan Peeters',
				emails: [{ value: 'jan@example.test', primary: true, label: 'work' }],
			},
		});
		const id = created.data?.id as number;
		expect(created.success).toBe(true);
		expect((await api.getPerson({ id })).data?.name).toBe('Jan Peeters');
		expect((await api.getPersons({ ids: String(id) })).data?.map((p) => p.id)).toEqual([id]);
		expect(
			(await api.updatePerson({ id, UpdatePersonRequest: { name: 'Jan Janssens' } })).data?.name,
		).toBe('Jan Janssens');
		expect((await api.deletePerson({ id })).data?.id).toBe(id);
		expect((await api.getPersons({})).data).toEqual([]);
	});

	it('organizations: create, get, list, update, delete (v2)', async () => {
		const api = new v2.OrganizationsApi(v2Config);
		const id = (await api.addOrganization({ AddOrganizationRequest: { name: 'Cabinet Dentaire' } }))
			.data?.id as number;
		expect((await api.getOrganization({ id })).data?.name).toBe('Cabinet Dentaire');
		expect((await api.getOrganizations({})).data?.map((o) => o.name)).toEqual(['Cabinet Dentaire']);
		expect(
			(await api.updateOrganization({ id, UpdateOrganizationRequest: { name: 'Cabinet Sud' } }))
				.data?.name,
		).toBe('Cabinet Sud');
		expect((await api.deleteOrganization({ id })).data?.id).toBe(id);
		expect((await api.getOrganization({ id })).data?.is_deleted).toBe(true);
	});

	it('deals: create, get, list, update, delete (v2), with custom_fields passed through', async () => {
		const fields = new v2.DealFieldsApi(v2Config);
		const field = await fields.addDealField({
			AddDealFieldRequest: { field_name: 'Treatment code', field_type: 'varchar' } as never,
		});
		const code = field.data?.field_code as string;
		const api = new v2.DealsApi(v2Config);
		const created = await api.addDeal({
			AddDealRequest: {
				title: 'Implant 36',
				value: 1250,
				currency: 'EUR',
				custom_fields: { [code]: 'D6010' },
			},
		});
		const id = created.data?.id as number;
		expect(created.data?.custom_fields).toEqual({ [code]: 'D6010' });
		expect((await api.getDeal({ id })).data?.title).toBe('Implant 36');
		expect((await api.getDeals({ status: 'open' })).data?.map((d) => d.id)).toEqual([id]);
		const won = await api.updateDeal({
			id,
			UpdateDealRequest: { status: 'won', won_time: '2024-06-01T10:00:00Z' },
		});
		expect([won.data?.status, won.data?.won_time]).toEqual(['won', '2024-06-01T10:00:00Z']);
		expect((await api.deleteDeal({ id })).data?.id).toBe(id);
	});

	it('activities: create, get, list, update, delete (v2)', async () => {
		const person = await new v2.PersonsApi(v2Config).addPerson({
			AddPersonRequest: { name: 'Participant' },
		});
		const api = new v2.ActivitiesApi(v2Config);
		const created = await api.addActivity({
			AddActivityRequest: {
				subject: 'Check-up',
				type: 'meeting',
				due_date: '2024-07-01',
				due_time: '09:00',
				duration: '00:30',
				participants: [{ person_id: person.data?.id as number, primary: true }],
			},
		});
		const id = created.data?.id as number;
		expect(created.data?.person_id).toBe(person.data?.id);
		expect((await api.getActivity({ id })).data?.subject).toBe('Check-up');
		expect(
			(await api.getActivities({ person_id: person.data?.id })).data?.map((a) => a.id),
		).toEqual([id]);
		expect((await api.updateActivity({ id, AddActivityRequest: { done: true } })).data?.done).toBe(
			true,
		);
		expect((await api.deleteActivity({ id })).data?.id).toBe(id);
	});

	it('notes: create, get, list, update, delete (v1)', async () => {
		const person = await new v2.PersonsApi(v2Config).addPerson({
			AddPersonRequest: { name: 'Noted' },
		});
		const personId = person.data?.id as number;
		const api = new v1.NotesApi(v1Config);
		const created = await api.addNote({
			AddNoteRequest: {
				content: '<p>Recall in 6 months</p>',
				person_id: personId,
				add_time: '2020-01-02 03:04:05',
			},
		});
		const id = created.data?.id as number;
		expect(created.data?.add_time).toBe('2020-01-02 03:04:05');
		expect((await api.getNote({ id })).data?.content).toBe('<p>Recall in 6 months</p>');
		expect((await api.getNotes({ person_id: personId })).data?.map((n) => n.id)).toEqual([id]);
		expect(
			(await api.updateNote({ id, NoteRequest: { content: '<p>Recall in 12 months</p>' } })).data
				?.content,
		).toBe('<p>Recall in 12 months</p>');
		expect((await api.deleteNote({ id })).data).toBe(true);
	});

	it('leads: create, get, list, update, delete (v1)', async () => {
		const person = await new v2.PersonsApi(v2Config).addPerson({
			AddPersonRequest: { name: 'Prospect' },
		});
		const personId = person.data?.id as number;
		const api = new v1.LeadsApi(v1Config);
		const created = await api.addLead({
			AddLeadRequest: { title: 'Whitening', person_id: personId },
		});
		const id = created.data?.id as string;
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		expect((await api.getLead({ id })).data?.title).toBe('Whitening');
		expect((await api.getLeads({ person_id: personId })).data?.map((l) => l.id)).toEqual([id]);
		expect(
			(await api.updateLead({ id, UpdateLeadRequest: { title: 'Whitening (2025)' } })).data?.title,
		).toBe('Whitening (2025)');
		expect((await api.deleteLead({ id })).data?.id).toBe(id);
	});

	it('surfaces a refused request as Pipedrive error body', async () => {
		const api = new v2.PersonsApi(
			new v2.Configuration({ apiKey: 'not-a-token', basePath: `${sb.baseUrl}/api/v2` }),
		);
		await expect(api.getPersons({})).rejects.toMatchObject({
			success: false,
			error: 'unauthorized access',
			errorCode: 401,
		});
	});
});
