import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { rollback } from '../../lib/ledger/rollback';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { createdCustomFields } from '../../lib/pipedrive/provision';
import { SOURCE_KEY_FIELD_NAME } from '../../lib/pipedrive/schemaRequirements';
import { customFieldsOf } from '../pipedrive/helpers/sandboxFields';
import { handPlans } from './fixtures/handPlans';
import { commitFixture } from './helpers/fixtureCommit';
import { sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

type Rec = Record<string, unknown>;

/** Per 4 patients: 1 organization, 4 persons, 4 deals, 4 activities, 4 notes, 1 lead, 1 file. */
const CREATED = 1 + 4 * 4 + 1 * 2;

/** The custom fields of the fixture schema once provisioned into a company that had two of them. */
const ALL_FIELDS = {
	'person/Date of birth': 'date',
	'person/Referral source': 'enum [Website, Friend]',
	'person/Migration source key': 'varchar',
	'organization/Migration source key': 'varchar',
	'deal/Procedure codes': 'text',
	'deal/Migration source key': 'varchar',
};
/** The practice's own fields: reused by provisioning (one got an option added), never removed. */
const PRACTICE_FIELDS = {
	'person/Date of birth': 'date',
	'person/Referral source': 'enum [Website, Friend]',
};

describe('rollback removing the custom fields the migration created (embedded journal, sandbox)', () => {
	let account: SandboxAccount;
	let store: JournalStore;
	const practiceKeys: Record<string, string> = {};

	beforeEach(async () => {
		account = await sandboxAccount(
			{},
			{
				beforeProvisioning: async (client) => {
					const birth = await client.createField('person', {
						name: 'Date of birth',
						fieldType: 'date',
					});
					const referral = await client.createField('person', {
						name: 'Referral source',
						fieldType: 'enum',
						options: ['Website'],
					});
					practiceKeys.birth = birth.field_code;
					practiceKeys.referral = referral.field_code;
				},
			},
		);
		const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-fields-')), 'journal');
		store = FileJournalStore.open(dir, account.companyId);
	});
	afterEach(async () => {
		await store.close();
		await account.close();
	});

	const commit = (patients: number, kind: 'full' | 'delta', edited?: Set<number>) =>
		commitFixture(account, store, handPlans(account.registry, { patients, edited }), kind);

	const fieldsByCode = () => {
		const fields = account.sandbox.admin.snapshot().fields as Record<string, Rec[]>;
		return new Map(
			['person', 'organization', 'deal'].flatMap((object) =>
				fields[object].map((field) => [String(field.field_code), field] as const),
			),
		);
	};

	it('lists only the fields provisioning created, never the ones it reused', () => {
		const keys = account.registry.fields;
		expect(
			account.provisioned
				.filter((action) => ['person', 'organization', 'deal'].includes(action.object))
				.map((action) => `${action.object}/${action.name}: ${action.action}`),
		).toEqual([
			'person/Date of birth: unchanged',
			'person/Referral source: options-added',
			'deal/Procedure codes: created',
			'person/Migration source key: created',
			'organization/Migration source key: created',
			'deal/Migration source key: created',
		]);
		expect(createdCustomFields(account.provisioned)).toEqual([
			{ object: 'deal', name: 'Procedure codes', key: keys.deal['Procedure codes'].key },
			{
				object: 'person',
				name: SOURCE_KEY_FIELD_NAME,
				key: keys.person[SOURCE_KEY_FIELD_NAME].key,
			},
			{
				object: 'organization',
				name: SOURCE_KEY_FIELD_NAME,
				key: keys.organization[SOURCE_KEY_FIELD_NAME].key,
			},
			{ object: 'deal', name: SOURCE_KEY_FIELD_NAME, key: keys.deal[SOURCE_KEY_FIELD_NAME].key },
		]);
		expect(keys.person['Date of birth'].key).toBe(practiceKeys.birth);
		expect(keys.person['Referral source'].key).toBe(practiceKeys.referral);
	});

	it('deletes the created fields after every record of the whole migration is gone, and keeps the practice fields', async () => {
		const full = await commit(4, 'full');
		expect(full.totals.created).toBe(CREATED);
		await commit(4, 'delta', new Set([2]));
		expect(customFieldsOf(account.sandbox)).toEqual(ALL_FIELDS);
		const created = createdCustomFields(account.provisioned);

		const result = await rollback({
			store,
			client: account.client,
			removeCustomFields: created,
		});
		expect({
			status: result.status,
			message: result.message,
			deleted: result.deleted,
			restored: result.restored,
			failed: result.failed,
			fieldsRemoved: result.fieldsRemoved,
			fieldsFailed: result.fieldsFailed,
			verification: result.verification,
		}).toEqual({
			status: 'completed',
			message: null,
			deleted: CREATED,
			restored: 0,
			failed: [],
			fieldsRemoved: 4,
			fieldsFailed: [],
			verification: { checked: CREATED, passed: true, problems: [], differences: [] },
		});
		expect(customFieldsOf(account.sandbox)).toEqual(PRACTICE_FIELDS);
		const fields = fieldsByCode();
		expect(created.map((field) => fields.get(field.key)?.is_deleted)).toEqual([
			true,
			true,
			true,
			true,
		]);
		expect(fields.get(practiceKeys.birth)?.is_deleted).toBe(false);
		expect(fields.get(practiceKeys.referral)?.is_deleted).toBe(false);
		const live = account.sandbox.admin.snapshot({ live: true });
		expect(
			[
				live.organizations,
				live.persons,
				live.deals,
				live.activities,
				live.notes,
				live.leads,
				live.files,
			].map((records) => records.length),
		).toEqual([0, 0, 0, 0, 0, 0, 0]);

		// Again: the records are already taken back and the fields already gone (404 = done).
		const again = await rollback({ store, client: account.client, removeCustomFields: created });
		expect({
			status: again.status,
			deleted: again.deleted,
			alreadyDone: again.alreadyDone,
			fieldsRemoved: again.fieldsRemoved,
			fieldsFailed: again.fieldsFailed,
			passed: again.verification.passed,
		}).toEqual({
			status: 'completed',
			deleted: 0,
			alreadyDone: CREATED,
			fieldsRemoved: 4,
			fieldsFailed: [],
			passed: true,
		});
		expect(customFieldsOf(account.sandbox)).toEqual(PRACTICE_FIELDS);
	});

	it('keeps every field when one run is rolled back, and says why', async () => {
		await commit(4, 'full');
		const delta = await commit(4, 'delta', new Set([1, 3]));
		expect(delta.totals.updated).toBe(2);

		const result = await rollback({
			store,
			client: account.client,
			scopeRunId: delta.run.id,
			removeCustomFields: createdCustomFields(account.provisioned),
		});
		expect({
			status: result.status,
			message: result.message,
			deleted: result.deleted,
			restored: result.restored,
			fieldsRemoved: result.fieldsRemoved,
			fieldsFailed: result.fieldsFailed,
			verification: result.verification,
		}).toEqual({
			status: 'completed',
			message:
				'The 4 custom field(s) the migration created were kept: they are removed only when the whole migration is rolled back, because the records of the other runs still use them.',
			deleted: 0,
			restored: 2,
			fieldsRemoved: 0,
			fieldsFailed: [],
			verification: { checked: 2, passed: true, problems: [], differences: [] },
		});
		expect(customFieldsOf(account.sandbox)).toEqual(ALL_FIELDS);
		expect(account.sandbox.admin.snapshot({ live: true }).persons).toHaveLength(4);
	});

	it('reports a field Pipedrive refuses to delete and fails the verification', async () => {
		await commit(4, 'full');
		const result = await rollback({
			store,
			client: account.client,
			removeCustomFields: [
				...createdCustomFields(account.provisioned),
				{ object: 'person', name: 'Name', key: 'name' },
			],
		});
		expect({
			status: result.status,
			deleted: result.deleted,
			fieldsRemoved: result.fieldsRemoved,
			fieldsFailed: result.fieldsFailed,
			verification: result.verification,
		}).toEqual({
			status: 'completed',
			deleted: CREATED,
			fieldsRemoved: 4,
			fieldsFailed: [
				{
					object: 'person',
					name: 'Name',
					key: 'name',
					errorCode: 'http-400-ERR_SCHEMA_VALIDATION_FAILED',
					reason:
						"Pipedrive answered 400 to DELETE /api/v2/personFields/{field_code}; delete the field in Pipedrive's data fields settings or run the rollback again",
				},
			],
			verification: { checked: CREATED, passed: false, problems: [], differences: [] },
		});
		expect(customFieldsOf(account.sandbox)).toEqual(PRACTICE_FIELDS);
	});
});
