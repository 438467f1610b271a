import { toCsv, toCsvStream } from './report/csv';
import { collectBatches, type JournalEntry, type JournalStore } from './store/journalStore';

/**
 * The audit log of step 5: every insert, update, skip and failure (and, for rollback runs,
 * every delete and restore) with run, time, source key, object, Pipedrive id and action, and the
 * fields an update found changed in Pipedrive since the migration wrote them (conflicts, by body
 * path; the error code says how they were resolved). Built from the journal only, so it holds
 * identifiers and reason codes, never patient values.
 */
export interface AuditRow {
	run: string;
	time: string;
	sourceKey: string;
	bundleKey: string;
	object: string;
	pipedriveId: string;
	action: string;
	errorCode: string;
	/** Conflicting fields, `;`-separated body paths (`phones;custom_fields.<hash>`); empty when none. */
	conflicts: string;
}

export async function auditLog(
	store: JournalStore,
	runIds?: readonly string[],
): Promise<AuditRow[]> {
	return collectBatches(auditLogBatches(store, runIds));
}

/** The audit log a batch of rows at a time, for files of a whole migration (`auditLogCsvStream`). */
export async function* auditLogBatches(
	store: JournalStore,
	runIds?: readonly string[],
): AsyncGenerator<AuditRow[]> {
	for await (const entries of store.entryBatches(runIds ? { runIds } : undefined))
		yield entries.map(toAuditRow);
}

export function toAuditRow(entry: JournalEntry): AuditRow {
	return {
		run: entry.runId,
		time: entry.at,
		sourceKey: entry.sourceKey,
		bundleKey: entry.bundleKey,
		object: entry.object,
		pipedriveId: entry.pipedriveId ?? '',
		action: entry.action,
		errorCode: entry.errorCode ?? '',
		conflicts: (entry.conflicts ?? []).join(';'),
	};
}

export function auditLogCsv(rows: readonly AuditRow[]): string {
	return toCsv(AUDIT_CSV_HEADER, auditCsvCells(rows));
}

/** The same CSV from batches of rows, in chunks: a file written without holding the audit log. */
export async function* auditLogCsvStream(
	batches: AsyncIterable<readonly AuditRow[]>,
): AsyncGenerator<string> {
	yield* toCsvStream(AUDIT_CSV_HEADER, mapBatches(batches, auditCsvCells));
}

async function* mapBatches<T, U>(
	batches: AsyncIterable<T>,
	map: (batch: T) => U,
): AsyncGenerator<U> {
	for await (const batch of batches) yield map(batch);
}

const AUDIT_CSV_HEADER = [
	'run',
	'time',
	'source_key',
	'bundle_key',
	'object',
	'pipedrive_id',
	'action',
	'error_code',
	'conflicts',
];

function* auditCsvCells(rows: Iterable<AuditRow>): Generator<string[]> {
	for (const row of rows)
		yield [
			row.run,
			row.time,
			row.sourceKey,
			row.bundleKey,
			row.object,
			row.pipedriveId,
			row.action,
			row.errorCode,
			row.conflicts,
		];
}
