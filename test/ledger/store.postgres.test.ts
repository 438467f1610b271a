import { randomBytes } from 'node:crypto';

import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { PostgresJournalStore } from '../../lib/ledger/store/postgresJournalStore';
import {
	postgresServer,
	temporaryDatabase,
	withPostgres as admin,
} from '../helpers/postgresDatabase';
import { describeJournalStoreContract } from './store.contract';

const server = postgresServer;
const database = temporaryDatabase('journal_test');

describeJournalStoreContract('PostgreSQL', () => {
	const schema = `s_${randomBytes(4).toString('hex')}`;
	const handles: JournalStore[] = [];
	return {
		open: async (companyId) => {
			const store = await PostgresJournalStore.open({ ...server, database, schema }, companyId);
			handles.push(store);
			return store;
		},
		// Terminating the backends is what a killed worker looks like to PostgreSQL.
		crashAll: async () => {
			await admin(database, (client) =>
				client.query(
					'select pg_terminate_backend(pid, 5000) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
					[database],
				),
			);
			handles.splice(0);
		},
	};
});

describe('PostgreSQL journal', () => {
	it('rejects a schema name that is not a plain identifier', async () => {
		await expect(
			PostgresJournalStore.open({ ...server, database, schema: 'x; drop table y' }, 1),
		).rejects.toThrow("The journal schema name 'x; drop table y' is not allowed");
	});
});

describe('PostgreSQL journal connections', () => {
	it('shares one pool of 10 connections per process among its open handles (n8n queue mode: several pages on one worker)', async () => {
		const schema = `p_${randomBytes(4).toString('hex')}`;
		const handles = await Promise.all(
			Array.from({ length: 8 }, (_, i) =>
				PostgresJournalStore.open({ ...server, database, schema }, 100 + i),
			),
		);
		try {
			// Every handle busy with 10 queries at once: each would fill a pool of its own.
			await Promise.all(handles.flatMap((h) => Array.from({ length: 10 }, () => h.listRuns())));
			const backends = await admin(database, async (client) =>
				Number(
					(
						await client.query<{ n: string }>(
							'select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
							[database],
						)
					).rows[0].n,
				),
			);
			// 8 anchors (one per handle: the liveness proof) + one pool of 10.
			expect(backends).toBe(18);
		} finally {
			for (const h of handles) await h.close();
		}
		// A backend leaves pg_stat_activity a moment after its client hung up (on a loaded machine,
		// not at once): every one must be gone within 5 s.
		const connected = () =>
			admin(database, async (client) =>
				Number(
					(
						await client.query<{ n: string }>(
							'select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
							[database],
						)
					).rows[0].n,
				),
			);
		let left = await connected();
		for (const deadline = Date.now() + 5000; left > 0 && Date.now() < deadline; ) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			left = await connected();
		}
		expect(left).toBe(0);
	});
});
