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
