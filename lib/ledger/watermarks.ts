import type { JournalStore } from './store/journalStore';

/**
 * Delta watermarks: per source entity (`dental-exec:patient`), the modification time up to which
 * records are migrated. Kept in the journal store, not in n8n static data (not saved for manual
 * runs, last writer wins). Advanced only after a commit that completed without failures, so a
 * failed record is picked up again by the next delta run.
 */
export async function readWatermark(store: JournalStore, name: string): Promise<string | null> {
	requireName(name);
	return store.getWatermark(name);
}

export interface AdvanceRequest {
	name: string;
	/** RFC 3339 time. */
	value: string;
	/** The commit run this advance follows; its outcome decides whether advancing is safe. */
	runId?: string;
	/** Advance even though the run has failures or the value moves backwards. */
	force?: boolean;
}

export async function advanceWatermark(
	store: JournalStore,
	request: AdvanceRequest,
): Promise<{ name: string; previous: string | null; value: string }> {
	requireName(request.name);
	if (Number.isNaN(Date.parse(request.value))) {
		throw new Error(
			`The watermark value '${request.value}' is not a date-time; give an RFC 3339 time such as 2026-11-21T08:00:00Z.`,
		);
	}
	const previous = await store.getWatermark(request.name);
	if (!request.force) {
		if (request.runId !== undefined) {
			const run = await store.getRun(request.runId);
			if (!run)
				throw new Error(
					`Run ${request.runId} is not in this company's journal; check the run id and the target account.`,
				);
			const problems = run.counts.failed + run.counts.skipped;
			if (run.status !== 'completed' || problems > 0) {
				throw new Error(
					`Run ${run.id} ${run.status !== 'completed' ? `is ${run.status}` : `has ${problems} failed or held-back records`}, so watermark ${request.name} stays at ${previous ?? 'its start'}: those records would be missed. Fix them and commit again, or advance with force.`,
				);
			}
		}
		if (previous !== null && Date.parse(request.value) < Date.parse(previous)) {
			throw new Error(
				`Watermark ${request.name} is at ${previous}; moving it back to ${request.value} would re-read records. Advance with force if that is intended.`,
			);
		}
	}
	await store.setWatermark(request.name, request.value);
	return { name: request.name, previous, value: request.value };
}

function requireName(name: string): void {
	if (!/^[a-z0-9-]+:[A-Za-z0-9_-]+$/.test(name)) {
		throw new Error(
			`The watermark name '${name}' is not valid: use <source>:<entity>, e.g. dental-exec:patient.`,
		);
	}
}
