import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

import { FileJournalStore } from '../../../lib/ledger/store/fileJournalStore';
import type { JournalStore } from '../../../lib/ledger/store/journalStore';
import {
	PostgresJournalStore,
	type PostgresJournalConfig,
} from '../../../lib/ledger/store/postgresJournalStore';

/**
 * Both journal stores for the engine tests. The PostgreSQL one lives in a database created for
 * this test file (random name) and dropped at the end.
 */
export interface JournalKind {
	name: 'embedded' | 'postgres';
	/** A fresh, empty journal location. */
	fresh(): Promise<(companyId: number) => Promise<JournalStore>>;
}

const server = { host: '127.0.0.1', port: 5432, user: 'postgres' };

async function admin(database: string, sql: string): Promise<void> {
	const client = new Client({ ...server, database });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

export function journalKinds(): {
	kinds: JournalKind[];
	setUp(): Promise<void>;
	tearDown(): Promise<void>;
} {
	const database = `ledger_test_${randomBytes(6).toString('hex')}`;
	const pgConfig = (schema: string): PostgresJournalConfig => ({ ...server, database, schema });
	return {
		kinds: [
			{
				name: 'embedded',
				fresh: async () => {
					const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-')), 'journal');
					return async (companyId) => FileJournalStore.open(dir, companyId);
				},
			},
			{
				name: 'postgres',
				fresh: async () => {
					const schema = `j_${randomBytes(5).toString('hex')}`;
					return (companyId) => PostgresJournalStore.open(pgConfig(schema), companyId);
				},
			},
		],
		setUp: () => admin('postgres', `create database ${database}`),
		tearDown: () => admin('postgres', `drop database if exists ${database} with (force)`),
	};
}

export { server as postgresServer };
