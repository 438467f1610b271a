import { Client } from 'pg';

/**
 * One connection to a database of the machine's PostgreSQL (localhost:5432, user postgres, trust
 * auth, as on CI) for the checks that give n8n or the journal a database of their own.
 */
export async function localPostgres<T>(
	database: string,
	work: (client: Client) => Promise<T>,
): Promise<T> {
	const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}
