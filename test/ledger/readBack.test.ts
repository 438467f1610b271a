import { PipedriveClient } from '../../lib/pipedrive/client';
import { readBack, readBackKey, type RecordRef } from '../../lib/ledger/readBack';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import {
	readsSince,
	sandboxAccount,
	type SandboxAccount,
	type SandboxCounters,
} from './helpers/sandboxAccount';

/**
 * Expected figures are worked out by hand from ../shared/reference/pipedrive/token-costs.csv:
 * v2 list (GET /api/v2/persons, …) 10 tokens for up to 100 ids; v1 list (GET /api/v1/notes,
 * /leads, /files) 20 tokens a page (500; files 100); v1 GET by id 2 tokens.
 */
describe('readBack', () => {
	let account: SandboxAccount;
	/** Writes the setup records without the rate limiter's pacing (the sandbox's burst is raised). */
	let setup: PipedriveClient;
	beforeEach(async () => {
		account = await sandboxAccount({ burstLimit: 100_000 });
		setup = new PipedriveClient(
			new FetchTransport({ baseUrl: account.sandbox.baseUrl, apiToken: account.sandbox.apiToken }),
		);
	});
	afterEach(() => account.close());

	const charged = (before: SandboxCounters) => readsSince(account, before);

	async function persons(count: number): Promise<number[]> {
		const ids: number[] = [];
		for (let i = 1; i <= count; i++) {
			const created = await setup.create('person', {
				name: `Read-back person ${i}`,
				custom_fields: {
					[account.registry.fields.person['Date of birth'].key]: '1980-01-02',
				},
			});
			ids.push(Number(created.id));
		}
		return ids;
	}

	it('reads 250 persons in 3 list calls (30 tokens), each as client.get returns it', async () => {
		const ids = await persons(250);
		const before = account.sandbox.admin.counters();
		const result = await readBack(
			account.client,
			ids.map((id) => ({ object: 'person', pipedriveId: String(id) })),
		);
		expect({ requests: result.requests, tokens: result.tokens }).toEqual({
			requests: 3,
			tokens: 30,
		});
		expect(charged(before)).toEqual({ requests: 3, tokens: 30 });
		expect(result.records.size).toBe(250);
		for (const id of [ids[0], ids[137], ids[249]]) {
			const stored = result.records.get(readBackKey('person', id));
			expect(stored).toEqual(await setup.get('person', id));
			expect(stored).toMatchObject({
				name: expect.stringMatching(/^Read-back person \d+$/),
				custom_fields: { [account.registry.fields.person['Date of birth'].key]: '1980-01-02' },
			});
		}
	});

	it('reads mixed objects by the cheaper of list and GET, and returns null for deleted records', async () => {
		const [alive, deleted] = await persons(2);
		await setup.delete('person', deleted);
		const org = await setup.create('organization', { name: 'Read-back practice' });
		const deals = [];
		for (let i = 0; i < 3; i++) deals.push(await setup.create('deal', { title: `Plan ${i}` }));
		const activity = await setup.create('activity', {
			subject: 'Visit',
			participants: [{ person_id: alive, primary: true }],
		});
		const notes = [];
		for (let i = 0; i < 12; i++)
			notes.push(await setup.create('note', { content: `Note ${i}`, person_id: alive }));
		await setup.delete('note', notes[4].id);
		const lead = await setup.create('lead', { title: 'Open plan', person_id: alive });
		const file = await setup.create(
			'file',
			{ person_id: alive },
			{ name: 'consent.txt', data: Buffer.from('consent'), contentType: 'text/plain' },
		);
		const refs: RecordRef[] = [
			{ object: 'person', pipedriveId: alive },
			{ object: 'person', pipedriveId: deleted },
			{ object: 'organization', pipedriveId: org.id },
			...deals.map((deal): RecordRef => ({ object: 'deal', pipedriveId: deal.id })),
			{ object: 'activity', pipedriveId: activity.id },
			...notes.map((note): RecordRef => ({ object: 'note', pipedriveId: note.id })),
			{ object: 'lead', pipedriveId: lead.id },
			{ object: 'file', pipedriveId: file.id },
		];
		const before = account.sandbox.admin.counters();
		const result = await readBack(account.client, refs);

		// 2 persons, 1 organization, 3 deals, 1 activity: fewer than a 10-token list call is worth,
		// so one GET each (7 × 1); 12 notes: one page (20 ≤ 12 × 2); the single lead and file: one
		// GET each (2 + 2).
		expect({ requests: result.requests, tokens: result.tokens }).toEqual({
			requests: 10,
			tokens: 31,
		});
		expect(charged(before)).toEqual({ requests: 10, tokens: 31 });
		expect(result.records.get(readBackKey('person', deleted))).toBeNull();
		expect(result.records.get(readBackKey('note', notes[4].id))).toBeNull();
		expect(result.records.get(readBackKey('person', alive))).toMatchObject({ id: alive });
		expect(result.records.get(readBackKey('note', notes[11].id))).toMatchObject({
			content: 'Note 11',
		});
		expect(result.records.get(readBackKey('lead', lead.id))).toMatchObject({ title: 'Open plan' });
		expect(result.records.get(readBackKey('file', file.id))).toMatchObject({
			file_name: 'consent.txt',
		});
		expect([...result.records.values()].filter((record) => record === null)).toHaveLength(2);
		expect(result.records.size).toBe(refs.length);
		// In the order asked for (here grouped by object already), not the order of the calls:
		// the notes' page was read before the GETs of the persons.
		expect([...result.records.keys()]).toEqual(
			refs.map((ref) => readBackKey(ref.object, ref.pipedriveId)),
		);

		// Presence only (Reconcile's check): the same calls and verdicts, no record bodies kept.
		const again = account.sandbox.admin.counters();
		const presence = await readBack(account.client, refs, { presenceOnly: true });
		expect(charged(again)).toEqual({ requests: 10, tokens: 31 });
		expect([...presence.records.keys()]).toEqual([...result.records.keys()]);
		const gone = [readBackKey('person', deleted), readBackKey('note', notes[4].id)];
		for (const [key, record] of presence.records)
			expect(record).toEqual(gone.includes(key) ? null : {});
	});

	it('pages v1 notes newest first and falls back to GETs when the pages stop paying', async () => {
		const [person] = await persons(1);
		const ids: number[] = [];
		for (let i = 0; i < 700; i++)
			ids.push(Number((await setup.create('note', { content: `N${i}`, person_id: person })).id));
		const newest = ids.slice(-30);
		await setup.delete('note', newest[10]);
		let before = account.sandbox.admin.counters();
		const recent = await readBack(
			account.client,
			newest.map((id) => ({ object: 'note', pipedriveId: id })),
		);
		// The first page (ids 700…201 of 699 live notes) holds them all; the deleted one lies
		// above the page's lowest id, so it is gone: 1 page, 20 tokens.
		expect({ requests: recent.requests, tokens: recent.tokens }).toEqual({
			requests: 1,
			tokens: 20,
		});
		expect(charged(before)).toEqual({ requests: 1, tokens: 20 });
		expect(recent.records.get(readBackKey('note', newest[10]))).toBeNull();
		expect([...recent.records.values()].filter(Boolean)).toHaveLength(29);

		before = account.sandbox.admin.counters();
		const oldest = await readBack(
			account.client,
			ids.slice(0, 15).map((id) => ({ object: 'note', pipedriveId: id })),
		);
		// 15 GETs would cost 30: one page (20) is tried and finds none; a second would pass 30,
		// so the 15 are read by GET: 1 + 15 requests, 20 + 30 tokens.
		expect({ requests: oldest.requests, tokens: oldest.tokens }).toEqual({
			requests: 16,
			tokens: 50,
		});
		expect(charged(before)).toEqual({ requests: 16, tokens: 50 });
		expect([...oldest.records.values()].filter(Boolean)).toHaveLength(15);
	});

	it('pages both lead lists and calls a lead in neither gone, without a GET each', async () => {
		const [person] = await persons(1);
		const leads: string[] = [];
		for (let i = 0; i < 40; i++)
			leads.push(
				String((await setup.create('lead', { title: `Plan ${i}`, person_id: person })).id),
			);
		for (const id of leads.slice(0, 30)) await setup.delete('lead', id);
		for (const id of leads.slice(30, 35)) await setup.update('lead', id, { is_archived: true });
		const before = account.sandbox.admin.counters();
		const result = await readBack(
			account.client,
			leads.map((id) => ({ object: 'lead', pipedriveId: id })),
		);
		// GET /leads (20 tokens) holds the 5 live leads; 35 left would cost 70 by GET, so
		// GET /leads/archived (40 tokens) is read: the 5 archived ones. Both lists read to their end,
		// the other 30 are gone: 2 requests, 60 tokens (40 GETs: 80 tokens).
		expect({ requests: result.requests, tokens: result.tokens }).toEqual({
			requests: 2,
			tokens: 60,
		});
		expect(charged(before)).toEqual({ requests: 2, tokens: 60 });
		expect(account.sandbox.admin.counters().requests['GET /api/v1/leads/archived']).toBe(1);
		const found = (ids: string[]) => ids.map((id) => result.records.get(readBackKey('lead', id)));
		expect(found(leads.slice(0, 30))).toEqual(Array(30).fill(null));
		expect(found(leads.slice(30, 35)).map((lead) => lead?.is_archived)).toEqual(
			Array(5).fill(true),
		);
		expect(found(leads.slice(35)).map((lead) => lead?.title)).toEqual([
			'Plan 35',
			'Plan 36',
			'Plan 37',
			'Plan 38',
			'Plan 39',
		]);
	});
});
