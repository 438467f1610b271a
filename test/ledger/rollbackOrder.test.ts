import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { LedgerClient } from '../../lib/ledger/ledgerClient';
import { rollback } from '../../lib/ledger/rollback';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import { handPlans } from './fixtures/handPlans';
import { commitFixture } from './helpers/fixtureCommit';
import { sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

/** Link fields of the sandbox's stored records and the collection each points into. */
const LINK_FIELDS: Record<string, string> = {
	person_id: 'person',
	org_id: 'organization',
	organization_id: 'organization',
	deal_id: 'deal',
	lead_id: 'lead',
};

const COLLECTIONS = {
	persons: 'person',
	deals: 'deal',
	activities: 'activity',
	notes: 'note',
	files: 'file',
	leads: 'lead',
} as const;

/**
 * The rollback deletes in flight together, answers arriving out of order (jitter), yet no record
 * is deleted before every migrated record that links to it is gone: each parent's DELETE is sent
 * only after the DELETEs of its children were answered. The links are read from the sandbox's own
 * records before the rollback.
 */
describe('rollback order with deletes in flight', () => {
	let account: SandboxAccount;
	let store: FileJournalStore;
	let dir: string;
	beforeEach(async () => {
		account = await sandboxAccount({ latencyMs: 5, jitterMs: 40 });
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollback-order-'));
		store = FileJournalStore.open(dir, account.companyId);
	});
	afterEach(async () => {
		await store.close();
		await account.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('sends a parent’s DELETE only after its children’s DELETEs were answered', async () => {
		await commitFixture(account, store, handPlans(account.registry, { patients: 12 }), 'full');
		const snapshot = account.sandbox.admin.snapshot();
		const children = new Map<string, string[]>();
		for (const [collection, object] of Object.entries(COLLECTIONS))
			for (const record of snapshot[collection as keyof typeof COLLECTIONS]) {
				for (const [field, parent] of Object.entries(LINK_FIELDS)) {
					const value = record[field];
					const id =
						value && typeof value === 'object' ? (value as { value?: unknown }).value : value;
					if (id === null || id === undefined) continue;
					const key = `${parent}:${String(id)}`;
					children.set(key, [...(children.get(key) ?? []), `${object}:${String(record.id)}`]);
				}
			}

		let tick = 0;
		let inFlight = 0;
		let widest = 0;
		const sent = new Map<string, number>();
		const answered = new Map<string, number>();
		const client: LedgerClient = Object.assign(Object.create(account.client) as LedgerClient, {
			delete: async (object: string, id: number | string) => {
				const key = `${object}:${String(id)}`;
				sent.set(key, tick++);
				widest = Math.max(widest, ++inFlight);
				try {
					await account.client.delete(object as 'person', id);
				} finally {
					inFlight -= 1;
					answered.set(key, tick++);
				}
			},
		});

		const result = await rollback({ store, client });
		// 12 patients: 1 organization, 12 each of persons, deals, activities, notes; 4 leads, 4 files.
		expect(result).toMatchObject({ status: 'completed', deleted: 57, failed: [] });
		expect(result.verification.passed).toBe(true);
		expect(sent.size).toBe(57);
		expect(widest).toBeGreaterThan(1);
		const early: string[] = [];
		for (const [parent, sentAt] of sent)
			for (const child of children.get(parent) ?? [])
				if (!((answered.get(child) ?? Infinity) < sentAt)) early.push(`${parent} before ${child}`);
		expect(early).toEqual([]);
		// Every patient's person has children, so the order was really checked.
		expect([...sent.keys()].filter((key) => (children.get(key) ?? []).length > 0)).toHaveLength(13);
	});
});
