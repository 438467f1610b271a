import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

import { commitPlans } from '../../lib/ledger/commit';
import { PostgresJournalStore } from '../../lib/ledger/store/postgresJournalStore';
import { PipedriveClient } from '../../lib/pipedrive/client';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { FIXTURE_SPEC_HASH, handPlans, readFixtureDocument } from './fixtures/handPlans';
import { postgresServer } from './helpers/journals';
import { duplicates, landedCounts } from './helpers/landed';
import { sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

const database = `ledger_race_${randomBytes(6).toString('hex')}`;
async function admin(sql: string): Promise<void> {
	const client = new Client({ ...postgresServer, database: 'postgres' });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}
beforeAll(() => admin(`create database ${database}`));
afterAll(() => admin(`drop database if exists ${database} with (force)`));

describe('two queue-mode workers sharing the PostgreSQL journal', () => {
	let account: SandboxAccount;
	beforeEach(async () => {
		account = await sandboxAccount({ burstLimit: 1000 });
	});
	afterEach(() => account.close());

	it('never write the same record twice, even when given the same bundles at once', async () => {
		const config = { ...postgresServer, database, schema: `r_${randomBytes(4).toString('hex')}` };
		const worker = async () => {
			const store = await PostgresJournalStore.open(config, account.companyId);
			const client = new PipedriveClient(
				new FetchTransport({
					baseUrl: account.sandbox.baseUrl,
					apiToken: account.sandbox.apiToken,
				}),
			);
			try {
				return await commitPlans(handPlans(account.registry, { patients: 8 }), {
					store,
					client,
					registry: account.registry,
					confirmedSpecHash: FIXTURE_SPEC_HASH,
					kind: 'full',
					readDocument: readFixtureDocument,
				});
			} finally {
				await store.close();
			}
		};
		const results = await Promise.all([worker(), worker()]);
		const records = 1 + 8 * 4 + 2 * 2;
		expect(results[0].totals.created + results[1].totals.created).toBe(records);
		// A key the other worker holds is waited for, not held back: each worker ends with every
		// record either written by itself or found written by the other (group pages share records).
		for (const result of results) {
			expect(result.totals).toMatchObject({ failed: 0, skipped: 0, pending: 0 });
			expect(result.totals.created + result.totals.unchanged).toBe(records);
		}

		const landed = landedCounts(account.sandbox.admin.snapshot({ live: true }), account.registry);
		expect(duplicates(landed)).toEqual([]);
		expect(landed.size).toBe(records);

		// The shared journal matches Pipedrive: a third run finds every record there and writes nothing.
		const third = await worker();
		expect(third.totals).toMatchObject({
			created: 0,
			updated: 0,
			unchanged: records,
			failed: 0,
			skipped: 0,
		});
	});
});
