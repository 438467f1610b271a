import { auditLog } from '../../lib/ledger/auditLog';
import type { ConflictPolicy } from '../../lib/ledger/commit';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { handPlans } from './fixtures/handPlans';
import { commitFixture } from './helpers/fixtureCommit';
import { journalKinds } from './helpers/journals';
import { sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

/**
 * Change detection before an update: the front desk edits a migrated person in Pipedrive, then
 * the export changes the same patient and a delta runs. Phones of fixture patient i are
 * `+32 470 00 000i` (handPlans); the staff's number is made up here.
 */
const journals = journalKinds();
beforeAll(() => journals.setUp());
afterAll(() => journals.tearDown());

const STAFF_PHONE = '+32 499 12 34 56';

describe.each(journals.kinds)('conflicts with the $name journal', (kind) => {
	let account: SandboxAccount;
	let store: JournalStore;

	beforeEach(async () => {
		account = await sandboxAccount();
		store = await (await kind.fresh())(account.companyId);
	});
	afterEach(async () => {
		await store.close();
		await account.close();
	});

	const commit = (
		edited: number[],
		conflictPolicy?: ConflictPolicy,
		plans = handPlans(account.registry, { patients: 3, edited: new Set(edited) }),
	) => commitFixture(account, store, plans, edited.length > 0 ? 'delta' : 'full', conflictPolicy);

	/** As the front desk would: PATCH through the API, outside the migration. */
	async function staffEdit(patient: number, body: Record<string, unknown>): Promise<number> {
		const id = Number(
			(await store.lookup([`dental-exec:patient:${patient}`])).get(`dental-exec:patient:${patient}`)
				?.pipedriveId,
		);
		const response = await fetch(`${account.sandbox.baseUrl}/api/v2/persons/${id}`, {
			method: 'PATCH',
			headers: { 'x-api-token': account.sandbox.apiToken, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(response.status).toBe(200);
		return id;
	}
	const person = async (id: number) =>
		(await account.client.get('person', id)) as { name: string; phones: Array<{ value: string }> };

	async function migrateAndEdit() {
		expect((await commit([])).totals.created).toBeGreaterThan(0);
		const edited = await staffEdit(2, {
			phones: [{ value: STAFF_PHONE, label: 'mobile', primary: true }],
		});
		// Patient 3's number only reshaped (spaces dropped, label changed): the same number, no conflict.
		const reshaped = await staffEdit(3, {
			phones: [{ value: '+3247000 0003', label: 'work', primary: true }],
		});
		return { edited, reshaped };
	}

	it('keep-pipedrive (default): the staff phone survives, the name updates, the conflict is reported and audited', async () => {
		const { edited, reshaped } = await migrateAndEdit();
		const delta = await commit([2, 3]);
		expect(delta.totals).toMatchObject({ updated: 2, skipped: 0, failed: 0 });
		expect(delta.conflicts).toEqual({
			policy: 'keep-pipedrive',
			fields: 1,
			kept: 1,
			overwritten: 0,
			stopped: 0,
		});
		const [conflict] = delta.bundles.flatMap((bundle) => bundle.conflicts);
		expect(conflict).toMatchObject({
			key: 'dental-exec:patient:2',
			object: 'person',
			pipedriveId: String(edited),
			fields: ['phones'],
			labels: ['Phone'],
			resolution: 'keep-pipedrive',
		});
		expect(await person(edited)).toMatchObject({
			name: 'Fixture Patient 2 (edited)',
			phones: [{ value: STAFF_PHONE }],
		});
		expect(await person(reshaped)).toMatchObject({
			name: 'Fixture Patient 3 (edited)',
			phones: [{ value: '+32 470 00 0003' }],
		});
		const rows = await auditLog(store, [delta.run.id]);
		expect(rows.filter((row) => row.conflicts !== '')).toEqual([
			expect.objectContaining({
				sourceKey: 'dental-exec:patient:2',
				object: 'person',
				pipedriveId: String(edited),
				action: 'updated',
				errorCode: 'conflict-kept-pipedrive',
				conflicts: 'phones',
				time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
			}),
		]);

		// The phone still holds the practice's value, so the next source change meets it again.
		const again = await commit(
			[1, 2],
			undefined,
			handPlans(account.registry, { patients: 3, edited: new Set([1, 2]) }).map((plan) => ({
				...plan,
				operations: plan.operations.map((operation) =>
					operation.key === 'dental-exec:patient:2'
						? { ...operation, body: { ...operation.body, name: 'Fixture Patient 2 (again)' } }
						: operation,
				),
			})),
		);
		expect(again.conflicts.kept).toBe(1);
		expect((await person(edited)).phones).toMatchObject([{ value: STAFF_PHONE }]);
	});

	it('source-wins: the export overwrites the staff phone and the before-image keeps it', async () => {
		const { edited } = await migrateAndEdit();
		const delta = await commit([2, 3], 'source-wins');
		expect(delta.conflicts).toEqual({
			policy: 'source-wins',
			fields: 1,
			kept: 0,
			overwritten: 1,
			stopped: 0,
		});
		expect((await person(edited)).phones).toMatchObject([{ value: '+32 470 00 0002' }]);
		const entry = (await store.listEntries({ runIds: [delta.run.id] })).find(
			(candidate) => candidate.sourceKey === 'dental-exec:patient:2',
		);
		expect(entry).toMatchObject({
			action: 'updated',
			errorCode: 'conflict-source-wins',
			conflicts: ['phones'],
			beforeImage: {
				name: 'Fixture Patient 2',
				phones: [{ value: STAFF_PHONE, label: 'mobile', primary: true }],
			},
		});
	});

	it('stop: nothing of the conflicting person is written, the others update, its children go on', async () => {
		const { edited } = await migrateAndEdit();
		const delta = await commit([2, 3], 'stop');
		expect(delta.totals).toMatchObject({ updated: 1, skipped: 1, failed: 0 });
		expect(delta.conflicts.stopped).toBe(1);
		expect(await person(edited)).toMatchObject({
			name: 'Fixture Patient 2',
			phones: [{ value: STAFF_PHONE }],
		});
		const bundle = delta.bundles.find((b) => b.bundleKey === 'dental-exec:patient:2');
		expect(bundle?.heldBack).toEqual([
			{
				key: 'dental-exec:patient:2',
				object: 'person',
				errorCode: 'conflict-stopped',
				reason:
					'Phone changed in Pipedrive since the migration wrote it; nothing of this record was written. Decide which value stays, then commit again with conflictPolicy keep-pipedrive or source-wins',
			},
		]);
		// Patient 2's deal, activity and note (leads and files are every third patient's).
		expect(bundle?.counts).toMatchObject({ skipped: 1, unchanged: 3 });
	});

	/** As the front desk would, or a merge of two persons into one does: DELETE outside the migration. */
	async function staffDelete(patient: number): Promise<number> {
		const key = `dental-exec:patient:${patient}`;
		const id = Number((await store.lookup([key])).get(key)?.pipedriveId);
		const response = await fetch(`${account.sandbox.baseUrl}/api/v2/persons/${id}`, {
			method: 'DELETE',
			headers: { 'x-api-token': account.sandbox.apiToken },
		});
		expect(response.status).toBe(200);
		return id;
	}

	it('a person the staff deleted stays deleted: a conflict on the whole record, no failure, nothing re-created', async () => {
		expect((await commit([])).totals.created).toBeGreaterThan(0);
		const deleted = await staffDelete(2);
		const delta = await commit([2, 3]);
		// Patient 3 updates; patient 2's person is left deleted, its deal, activity and note unchanged.
		expect(delta.totals).toMatchObject({ created: 0, updated: 1, skipped: 0, failed: 0 });
		expect(delta.run.counts).toMatchObject({ created: 0, skipped: 0, failed: 0 });
		expect(delta.conflicts).toMatchObject({ policy: 'keep-pipedrive', fields: 1, kept: 1 });
		expect(delta.bundles.flatMap((bundle) => bundle.conflicts)).toEqual([
			expect.objectContaining({
				key: 'dental-exec:patient:2',
				object: 'person',
				pipedriveId: String(deleted),
				fields: ['*'],
				labels: ['the whole record (deleted in Pipedrive)'],
				resolution: 'keep-pipedrive',
			}),
		]);
		expect(await account.client.get('person', deleted)).toBeNull();
		const rows = await auditLog(store, [delta.run.id]);
		expect(rows.filter((row) => row.sourceKey === 'dental-exec:patient:2')).toEqual([
			expect.objectContaining({
				action: 'unchanged',
				errorCode: 'deleted-in-pipedrive',
				conflicts: '*',
			}),
		]);
	});

	it('stop: a person the staff deleted is held back with its children, with advice that names what to do', async () => {
		expect((await commit([])).totals.created).toBeGreaterThan(0);
		await staffDelete(2);
		const delta = await commit([2, 3], 'stop');
		expect(delta.totals).toMatchObject({ created: 0, updated: 1, failed: 0 });
		expect(delta.conflicts.stopped).toBe(1);
		const bundle = delta.bundles.find((b) => b.bundleKey === 'dental-exec:patient:2');
		expect(bundle?.heldBack[0]).toEqual({
			key: 'dental-exec:patient:2',
			object: 'person',
			errorCode: 'conflict-stopped',
			reason:
				'the record was deleted in Pipedrive after the migration wrote it (by hand or by a merge), so nothing of it was written; restore it in Pipedrive (deleted records stay restorable for 30 days) and commit again, or commit with conflictPolicy keep-pipedrive to leave it deleted',
		});
		// Its deal, activity and note wait for the person (leads and files are every third patient's).
		expect(bundle?.counts).toMatchObject({ skipped: 4, unchanged: 0 });
	});

	/** Patient 2's emails as the export lists them, printed with `fieldType` (handPlans: `list`). */
	const withEmails = (plans: ReturnType<typeof handPlans>, emails: string[], fieldType: string) =>
		plans.map((plan) => ({
			...plan,
			operations: plan.operations.map((operation) =>
				operation.key === 'dental-exec:patient:2'
					? {
							...operation,
							body: {
								...operation.body,
								emails: emails.map((value, i) => ({ value, primary: i === 0, label: 'home' })),
							},
							fields: operation.fields.map((field) =>
								field.path === 'emails' ? { ...field, fieldType } : field,
							),
						}
					: operation,
			),
		}));
	const EMAILS = ['first@example.test', 'second@example.test'];
	const emailsOf = async (id: number) =>
		((await account.client.get('person', id)) as { emails: Array<Record<string, unknown>> }).emails
			.filter((email) => email.primary === true)
			.map((email) => email.value);

	it.each([
		['contacts', 1, 'second@example.test'],
		// A journal from before the primary was printed: its lists compare their numbers only.
		['list', 0, 'first@example.test'],
	])(
		'the email the front desk made primary, with prints of type %s: conflicts %i, primary after the delta %s',
		async (fieldType, conflicts, primary) => {
			const plans = (edited: number[], emails: string[]) =>
				withEmails(
					handPlans(account.registry, { patients: 3, edited: new Set(edited) }),
					emails,
					fieldType,
				);
			expect((await commit([], undefined, plans([], EMAILS))).totals.created).toBeGreaterThan(0);
			const id = await staffEdit(2, {
				emails: EMAILS.map((value, i) => ({ value, primary: i === 1, label: 'home' })),
			});
			// The export adds a third address: the delta rewrites the list.
			const delta = await commit([2], undefined, plans([2], [...EMAILS, 'third@example.test']));
			expect(delta.conflicts.fields).toBe(conflicts);
			expect(delta.bundles.flatMap((bundle) => bundle.conflicts.flatMap((c) => c.fields))).toEqual(
				conflicts ? ['emails'] : [],
			);
			expect(await emailsOf(id)).toEqual([primary]);
		},
	);

	it('an email typed into a field migrated empty is a conflict when the export brings one, and is kept', async () => {
		// Patient 2's first export has no email; the front desk adds one; the next export has one too.
		const first = handPlans(account.registry, { patients: 3, noEmail: new Set([2]) });
		expect((await commit([], undefined, first)).totals.created).toBeGreaterThan(0);
		const id = await staffEdit(2, {
			emails: [{ value: 'front.desk@example.test', label: 'work', primary: true }],
		});
		const delta = await commit([2]);
		expect(delta.conflicts).toMatchObject({ policy: 'keep-pipedrive', fields: 1, kept: 1 });
		expect(delta.bundles.flatMap((bundle) => bundle.conflicts)).toEqual([
			expect.objectContaining({ key: 'dental-exec:patient:2', fields: ['emails'] }),
		]);
		expect(await account.client.get('person', id)).toMatchObject({
			name: 'Fixture Patient 2 (edited)',
			emails: [{ value: 'front.desk@example.test' }],
		});
	});
});
