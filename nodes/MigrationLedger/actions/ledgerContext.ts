import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FileJournalStore } from '../../../lib/ledger/store/fileJournalStore';
import type { JournalStore } from '../../../lib/ledger/store/journalStore';
import {
	PostgresJournalStore,
	type PostgresJournalConfig,
} from '../../../lib/ledger/store/postgresJournalStore';
import type { PipedriveClient } from '../../../lib/pipedrive/client';
import type { Plan } from '../../../lib/plan/plan';
import { isPlanPageItem, readPlanPage } from '../../../lib/pages/pages';
// The Pipedrive client over n8n's credential, with one rate limiter per credential per process.
import { pipedriveContext } from '../../shared/pipedriveContext';

export interface Ledger {
	client: PipedriveClient;
	store: JournalStore;
	companyId: number;
}

/**
 * Opens the journal for the company the Pipedrive credential points at (its id from
 * `/users/me`), runs `work`, and closes the journal whatever happens. The journal is the local
 * folder (embedded) or the PostgreSQL credential (queue mode).
 */
export async function withLedger<T>(
	context: IExecuteFunctions,
	work: (ledger: Ledger) => Promise<T>,
): Promise<T> {
	const { client } = await pipedriveContext(context);
	const { companyId } = await client.me();
	const store = await openJournal(context, companyId);
	try {
		return await work({ client, store, companyId });
	} finally {
		await store.close();
	}
}

async function openJournal(context: IExecuteFunctions, companyId: number): Promise<JournalStore> {
	const journal = context.getNodeParameter('journal', 0) as 'embedded' | 'postgres';
	if (journal === 'postgres') {
		const credentials = await context.getCredentials<PostgresCredentials>(
			'migrationJournalPostgres',
		);
		return PostgresJournalStore.open(postgresConfig(credentials), companyId);
	}
	const dir = (context.getNodeParameter('journalDir', 0) as string).trim();
	if (!dir) {
		throw new NodeOperationError(context.getNode(), 'No journal folder is set', {
			description:
				'Set Journal Folder to a folder only the n8n user can read (e.g. /home/node/.n8n/migration-journal)',
		});
	}
	return FileJournalStore.open(dir, companyId);
}

export interface PostgresCredentials {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	ssl?: 'disable' | 'allow' | 'require';
	schema?: string;
}

export function postgresConfig(credentials: PostgresCredentials): PostgresJournalConfig {
	return {
		host: credentials.host,
		port: Number(credentials.port),
		database: credentials.database,
		user: credentials.user,
		password: credentials.password || undefined,
		ssl: credentials.ssl,
		schema: credentials.schema,
	};
}

/**
 * The plans among the input items (the Mapper's Transform output), with their item index; an
 * item naming a page's plans file (Transform of a streamed read) gives that file's plans.
 */
export function planItems(context: IExecuteFunctions): Array<{ plan: Plan; itemIndex: number }> {
	return context.getInputData().flatMap((item, itemIndex) => {
		if (isPlanPageItem(item.json))
			return readPlanPage(item.json.file as string).map((plan) => ({ plan, itemIndex }));
		const json = item.json as unknown as Plan;
		if (!Array.isArray(json.operations) || typeof json.bundleKey !== 'string') {
			throw new NodeOperationError(context.getNode(), `Input item ${itemIndex} is not a plan`, {
				itemIndex,
				description: "Connect the Migration Mapper's Transform output (one plan per item)",
			});
		}
		return [{ plan: json, itemIndex }];
	});
}
