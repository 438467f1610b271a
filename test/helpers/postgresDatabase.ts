import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The real PostgreSQL the tests use (127.0.0.1:5432, trust auth). */
export const postgresServer = { host: '127.0.0.1', port: 5432, user: 'postgres' };

/** Runs `work` on a connection to `database`, closed afterwards. */
export async function withPostgres<T>(
	database: string,
	work: (client: Client) => Promise<T>,
): Promise<T> {
	const client = new Client({ ...postgresServer, database });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/**
 * A database of its own for this test file (random name), created before its tests and dropped
 * after them; returns its name.
 */
export function temporaryDatabase(prefix: string): string {
	const database = `${prefix}_${randomBytes(6).toString('hex')}`;
	beforeAll(() => withPostgres('postgres', (c) => c.query(`create database ${database}`)));
	afterAll(() =>
		withPostgres('postgres', (c) => c.query(`drop database if exists ${database} with (force)`)),
	);
	return database;
}
