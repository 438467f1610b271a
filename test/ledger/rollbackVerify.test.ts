import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { LedgerClient } from '../../lib/ledger/ledgerClient';
import { listingIsCheaper, rollback } from '../../lib/ledger/rollback';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import { handPlans } from './fixtures/handPlans';
import { commitFixture } from './helpers/fixtureCommit';
import { readsSince, sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

/**
 * Rollback verification reads every record back in bulk from the real sandbox. To see it catch a
 * rollback that did not take, the client acknowledges deletes and updates without sending them
 * (as if Pipedrive had answered success and kept the record).
 */
describe('rollback verification', () => {
	let account: SandboxAccount;
	let store: FileJournalStore;
	let dir: string;
	beforeEach(async () => {
		account = await sandboxAccount();
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollback-verify-'));
		store = FileJournalStore.open(dir, account.companyId);
	});
	afterEach(async () => {
		await store.close();
		await account.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	const commit = (plans: ReturnType<typeof handPlans>, kind: 'full' | 'delta') =>
		commitFixture(account, store, plans, kind);

	function ignoringWrites(): LedgerClient {
		const client = account.client;
		return {
			create: client.create.bind(client),
			update: async () => ({}),
			get: client.get.bind(client),
			listByIds: client.listByIds.bind(client),
			listPage: client.listPage.bind(client),
			delete: async () => undefined,
			list: client.list.bind(client),
			findBySourceKey: client.findBySourceKey.bind(client),
			listFields: client.listFields.bind(client),
			deleteField: client.deleteField.bind(client),
		};
	}

	it('finds every record a rollback left behind, reading them back in bulk', async () => {
		await commit(handPlans(account.registry, { patients: 12 }), 'full');
		const before = account.sandbox.admin.counters();
		const result = await rollback({ store, client: ignoringWrites() });
		// 12 patients: 1 organization, 12 each of persons, deals, activities, notes; 4 leads, 4 files.
		expect(result.verification.checked).toBe(57);
		expect(result.verification.passed).toBe(false);
		expect(result.verification.problems.map((p) => p.problem)).toEqual(
			Array(57).fill('still-present'),
		);
		// The organization by GET (1 token); persons, deals, activities each by one page of their
		// whole collection, as the check below counted it (3 × 10, as one ids call each would cost);
		// the 12 notes in one page (20 ≤ 12 × 2); 4 leads and 4 files by GET (8 × 2).
		// One GET per record would take 57 requests and 77 tokens. Before deleting, the check for
		// the practice's work (practiceWork.ts) lists each collection that can hang on them once:
		// persons, deals, activities (v2, 10 each), notes, files, leads (v1, 20 each): 6 requests,
		// 90 tokens; the listing holds the records of those collections as they are now, so only the
		// organization is read back (GET, 1 token).
		expect(readsSince(account, before)).toEqual({ requests: 13 + 6 + 1, tokens: 67 + 90 + 1 });
	});

	it('lists a whole v2 collection back when its pages are no more than the ids calls', () => {
		// Pipedrive: a v2 list page holds up to 500 records, an ids call up to 100 ids; both cost the
		// list's 10 tokens. 120 persons deleted from a collection of 120: 1 page against 2 ids calls.
		expect(listingIsCheaper(120, 120)).toBe(true);
		expect(listingIsCheaper(500, 100)).toBe(true);
		expect(listingIsCheaper(0, 1)).toBe(true);
		// The practice's own 1,200 persons besides 120 of ours: 3 pages against 2 ids calls.
		expect(listingIsCheaper(1200, 120)).toBe(false);
		expect(listingIsCheaper(501, 100)).toBe(false);
	});

	it('finds a restore that did not take', async () => {
		await commit(handPlans(account.registry, { patients: 3 }), 'full');
		const delta = await commit(
			handPlans(account.registry, { patients: 3, edited: new Set([2]) }),
			'delta',
		);
		const result = await rollback({ store, client: ignoringWrites(), scopeRunId: delta.run.id });
		expect(result.restored).toBe(1);
		expect(result.verification.problems).toEqual([
			expect.objectContaining({ sourceKey: 'dental-exec:patient:2', problem: 'not-restored' }),
		]);
	});

	it('reads a kind back while the deletes of its parents are still to come', async () => {
		await commit(handPlans(account.registry, { patients: 12 }), 'full');
		const client = account.client;
		const calls: string[] = [];
		const logged: LedgerClient = {
			...ignoringWrites(),
			delete: async (object, id) => {
				calls.push(`delete ${object}`);
				await client.delete(object, id);
			},
			listPage: async (object, ...rest) => {
				calls.push(`list ${object}`);
				return client.listPage(object, ...rest);
			},
		};
		const result = await rollback({ store, client: logged });
		expect(result.verification.passed).toBe(true);
		const deletes = calls.filter((call) => call.startsWith('delete'));
		// Children before parents: the one organization last.
		expect(deletes.at(-1)).toBe('delete organization');
		// The 12 notes are read back (one page, after the practice-work check's own page) once the
		// last note is deleted, before the organization (which waits for all 12 persons) goes.
		const lastNoteDelete = calls.lastIndexOf('delete note');
		const verifyNotes = calls.indexOf('list note', lastNoteDelete);
		expect(verifyNotes).toBeGreaterThan(lastNoteDelete);
		expect(verifyNotes).toBeLessThan(calls.lastIndexOf('delete organization'));
	});
});
