import { rollback } from '../../lib/ledger/rollback';
import type { PracticeWorkPolicy } from '../../lib/ledger/practiceWork';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import type { SandboxSnapshot } from '../../sandbox';
import { handPlans } from './fixtures/handPlans';
import { commitFixture } from './helpers/fixtureCommit';
import { staffWrite } from './helpers/staffApi';
import { sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Rollback after go-live: the front desk adds a note and a call to migrated patient 2 and changes
 * patient 1's phone in Pipedrive. Per 3 fixture patients the migration creates 1 organization,
 * 3 persons, 3 deals, 3 activities, 3 notes, 1 lead and 1 file (handPlans: every third patient
 * has a lead and a file) = 15 records.
 */
const CREATED = 15;

let account: SandboxAccount;
let store: JournalStore;
beforeEach(async () => {
	account = await sandboxAccount();
	store = FileJournalStore.open(
		path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'practice-work-')), 'journal'),
		account.companyId,
	);
});
afterEach(async () => {
	await store.close();
	await account.close();
});

const commit = (edited: number[] = []) =>
	commitFixture(
		account,
		store,
		handPlans(account.registry, { patients: 3, edited: new Set(edited) }),
		edited.length > 0 ? 'delta' : 'full',
	);

const api = (method: string, apiPath: string, body: unknown) =>
	staffWrite(account.sandbox, method, apiPath, body);
const idOf = async (key: string) => Number((await store.lookup([key])).get(key)?.pipedriveId);
const records = () => {
	const { persons, organizations, deals, activities, notes, files, leads } =
		account.sandbox.admin.snapshot({ live: true }) as SandboxSnapshot;
	return { persons, organizations, deals, activities, notes, files, leads };
};
const ids = (list: Array<Record<string, unknown>>) => list.map((record) => record.id);

/** The migration, then the staff's work: a note and a call on patient 2, a new phone for patient 1. */
async function migrateThenStaffWork() {
	const before = records();
	expect((await commit()).totals.created).toBe(CREATED);
	const person1 = await idOf('dental-exec:patient:1');
	const person2 = await idOf('dental-exec:patient:2');
	const org = await idOf('dental-exec:practice:1');
	const note = await api('POST', '/api/v1/notes', {
		content: 'Called about the invoice',
		person_id: person2,
	});
	const call = await api('POST', '/api/v2/activities', {
		subject: 'Call back',
		type: 'call',
		person_id: person2,
	});
	await api('PATCH', `/api/v2/persons/${person1}`, {
		phones: [{ value: '+32 499 12 34 56', label: 'mobile' }],
	});
	return { before, person1, person2, org, note, call };
}

const roll = (practiceWork?: PracticeWorkPolicy, scopeRunId?: string) =>
	rollback({ store, client: account.client, practiceWork, scopeRunId });

it('by default the staff note, call and phone stop the rollback: the list names them and nothing is deleted', async () => {
	const { person1, person2, note, call } = await migrateThenStaffWork();
	const migrated = records();
	const result = await roll();
	expect(result.status).toBe('stopped');
	expect(result.deleted).toBe(0);
	expect(result.practiceWork).toEqual({
		policy: 'stop',
		changed: [
			{
				sourceKey: 'dental-exec:patient:1',
				object: 'person',
				pipedriveId: String(person1),
				fields: ['phones'],
				step: 'delete',
			},
		],
		attached: [
			{
				object: 'note',
				pipedriveId: String(note),
				parents: [
					{
						object: 'person',
						pipedriveId: String(person2),
						sourceKey: 'dental-exec:patient:2',
						link: 'person_id',
					},
				],
			},
			{
				object: 'activity',
				pipedriveId: String(call),
				parents: [
					{
						object: 'person',
						pipedriveId: String(person2),
						sourceKey: 'dental-exec:patient:2',
						link: 'person_id',
					},
				],
			},
		],
	});
	expect(result.message).toBe(
		'Nothing was deleted: 1 migrated record(s) were changed in Pipedrive after the migration wrote them and 2 record(s) created in Pipedrive hang on migrated records (see practiceWork). Choose: practiceWork "keep" takes back everything else and leaves these records (and the migrated records they hang on) in place, flagged; "include" deletes them too and restores updated records completely.',
	);
	expect(result.verification.passed).toBe(false);
	expect(records()).toEqual(migrated);
});

it('keep: everything else is taken back; the staff records, their person, the edited person and the practice they link to remain', async () => {
	const { before, person1, person2, org, note, call } = await migrateThenStaffWork();
	const result = await roll('keep');
	expect(result.status).toBe('completed');
	expect(result.deleted).toBe(CREATED - 3);
	expect(result.verification).toMatchObject({ checked: CREATED - 3, passed: true, problems: [] });
	expect(result.verification.differences).toEqual([
		{
			object: 'note',
			pipedriveId: String(note),
			sourceKey: null,
			fields: [],
			reason: `created in Pipedrive by the practice on person ${person2}; kept (practiceWork keep)`,
		},
		{
			object: 'activity',
			pipedriveId: String(call),
			sourceKey: null,
			fields: [],
			reason: `created in Pipedrive by the practice on person ${person2}; kept (practiceWork keep)`,
		},
		{
			object: 'person',
			pipedriveId: String(person1),
			sourceKey: 'dental-exec:patient:1',
			fields: ['phones'],
			reason: 'changed in Pipedrive after the migration wrote it; kept (practiceWork keep)',
		},
		{
			object: 'person',
			pipedriveId: String(person2),
			sourceKey: 'dental-exec:patient:2',
			fields: [],
			reason: `kept: the practice's note ${note} hangs on it`,
		},
		{
			object: 'organization',
			pipedriveId: String(org),
			sourceKey: 'dental-exec:practice:1',
			fields: [],
			reason: `kept: the kept person ${person1} links to it`,
		},
	]);
	// The account is the pre-migration one (empty) plus exactly the kept records.
	const after = records();
	expect(before).toEqual({
		persons: [],
		organizations: [],
		deals: [],
		activities: [],
		notes: [],
		files: [],
		leads: [],
	});
	expect({
		persons: ids(after.persons),
		organizations: ids(after.organizations),
		deals: ids(after.deals),
		activities: ids(after.activities),
		notes: ids(after.notes),
		files: ids(after.files),
		leads: ids(after.leads),
	}).toEqual({
		persons: [person1, person2],
		organizations: [org],
		deals: [],
		activities: [call],
		notes: [note],
		files: [],
		leads: [],
	});
});

it('include: the staff records go too and the account is back to its pre-migration snapshot', async () => {
	const { before } = await migrateThenStaffWork();
	const result = await roll('include');
	expect(result.status).toBe('completed');
	expect(result.deleted).toBe(CREATED + 2);
	expect(result.verification).toEqual({
		checked: CREATED + 2,
		passed: true,
		problems: [],
		differences: [],
	});
	expect(records()).toEqual(before);
});

it('a restore keeps the fields the practice changed since the update, unless told to include them', async () => {
	await commit();
	const delta = await commit([1]);
	expect(delta.totals.updated).toBe(1);
	const person1 = await idOf('dental-exec:patient:1');
	await api('PATCH', `/api/v2/persons/${person1}`, { name: 'Renamed at the front desk' });

	const stopped = await roll(undefined, delta.run.id);
	expect(stopped.practiceWork.changed).toEqual([
		{
			sourceKey: 'dental-exec:patient:1',
			object: 'person',
			pipedriveId: String(person1),
			fields: ['name'],
			step: 'restore',
		},
	]);
	const kept = await roll('keep', delta.run.id);
	expect(kept.restored).toBe(1);
	expect(kept.verification.passed).toBe(true);
	expect(kept.verification.differences).toEqual([
		{
			object: 'person',
			pipedriveId: String(person1),
			sourceKey: 'dental-exec:patient:1',
			fields: ['name'],
			reason:
				'these fields were changed by the practice after the migration wrote them; the restore kept them (practiceWork keep)',
		},
	]);
	expect(await account.client.get('person', person1)).toMatchObject({
		name: 'Renamed at the front desk',
	});
});

it('an email the front desk types into a field the migration left empty stops the rollback', async () => {
	// Patient 1's export has no email: the migration sent none and journaled the field as empty.
	const plans = handPlans(account.registry, { patients: 3, noEmail: new Set([1]) });
	expect((await commitFixture(account, store, plans, 'full')).totals.created).toBe(CREATED);
	const person1 = await idOf('dental-exec:patient:1');
	expect(await account.client.get('person', person1)).toMatchObject({ emails: [] });
	await api('PATCH', `/api/v2/persons/${person1}`, {
		emails: [{ value: 'new.address@example.test', label: 'home', primary: true }],
	});
	const migrated = records();

	const result = await roll();
	expect(result.status).toBe('stopped');
	expect(result.deleted).toBe(0);
	expect(result.practiceWork.changed).toEqual([
		{
			sourceKey: 'dental-exec:patient:1',
			object: 'person',
			pipedriveId: String(person1),
			fields: ['emails'],
			step: 'delete',
		},
	]);
	expect(records()).toEqual(migrated);
});
