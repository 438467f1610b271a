import type { PipedriveClient } from '../pipedrive/client';

/** The part of the Pipedrive client the Ledger uses (so tests can count or fault its calls). */
export type LedgerClient = Pick<
	PipedriveClient,
	| 'create'
	| 'update'
	| 'get'
	| 'listByIds'
	| 'listPage'
	| 'delete'
	| 'list'
	| 'findBySourceKey'
	| 'listFields'
	| 'deleteField'
> &
	/** Without it (a test's fake client) the Ledger writes one record at a time. */
	Partial<Pick<PipedriveClient, 'inFlightLimit'>>;

/** Pipedrive ids travel as strings in the journal; the API wants numbers except for lead UUIDs. */
export function apiId(id: string): number | string {
	return /^\d+$/.test(id) ? Number(id) : id;
}
