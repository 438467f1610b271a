import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { PostgresJournalStore } from '../../../lib/ledger/store/postgresJournalStore';
import { postgresConfig, type PostgresCredentials } from '../actions/ledgerContext';

/**
 * Tests the Migration Journal (PostgreSQL) credential the way the node will use it: connect and
 * create the journal schema when missing (company 0 is never a Pipedrive company, so nothing
 * of a migration is read or written).
 */
export async function migrationJournalPostgresConnection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const store = await PostgresJournalStore.open(
			postgresConfig(credential.data as unknown as PostgresCredentials),
			0,
		);
		await store.close();
		return { status: 'OK', message: 'Connected; the journal schema is ready' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
