import { toCsv } from './report/csv';
import type { JournalEntry, JournalStore } from './store/journalStore';

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
	const entries = await store.listEntries(runIds ? { runIds } : undefined);
	return entries.map(toAuditRow);
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
	return toCsv(
		[
			'run',
			'time',
			'source_key',
			'bundle_key',
			'object',
			'pipedrive_id',
			'action',
			'error_code',
			'conflicts',
		],
		rows.map((row) => [
			row.run,
			row.time,
			row.sourceKey,
			row.bundleKey,
			row.object,
			row.pipedriveId,
			row.action,
			row.errorCode,
			row.conflicts,
		]),
	);
}
