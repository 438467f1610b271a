import type { Intent, JournalEntry, MappedRecord, RunRecord } from './journalStore';

/**
 * The journal's state for one company, rebuilt by the embedded store from its file on open and
 * kept current as records are appended. Holds the map rules in one place: which action changes
 * the source-key → Pipedrive-id map and how.
 */
export class CompanyIndex {
	readonly runs = new Map<string, RunRecord>();
	readonly entries: JournalEntry[] = [];
	readonly mapped = new Map<string, MappedRecord>();
	readonly intents = new Map<string, Intent & { session: string }>();
	readonly watermarks = new Map<string, string>();
	lastSeq = 0;

	applyEntry(entry: JournalEntry): void {
		this.entries.push(entry);
		this.lastSeq = Math.max(this.lastSeq, entry.seq);
		this.intents.delete(entry.sourceKey);
		const run = this.runs.get(entry.runId);
		if (run) run.counts[entry.action] += 1;
		applyToMap(this.mapped, entry);
	}
}

/** How an outcome changes the map; shared by both stores so they cannot drift. */
export function applyToMap(mapped: Map<string, MappedRecord>, entry: JournalEntry): void {
	const current = mapped.get(entry.sourceKey);
	switch (entry.action) {
		case 'created':
			mapped.set(entry.sourceKey, {
				sourceKey: entry.sourceKey,
				bundleKey: entry.bundleKey,
				object: entry.object,
				pipedriveId: requireId(entry),
				payloadHash: entry.payloadHash ?? '',
				createdByRun: entry.runId,
				fieldPrints: entry.fieldPrints,
			});
			return;
		case 'updated':
		case 'restored':
			mapped.set(entry.sourceKey, {
				sourceKey: entry.sourceKey,
				bundleKey: entry.bundleKey,
				object: entry.object,
				pipedriveId: requireId(entry),
				payloadHash: entry.payloadHash ?? '',
				createdByRun: current?.createdByRun ?? null,
				fieldPrints: entry.fieldPrints,
			});
			return;
		case 'deleted':
			mapped.delete(entry.sourceKey);
			return;
		default:
			return;
	}
}

function requireId(entry: JournalEntry): string {
	if (entry.pipedriveId === null) {
		throw new Error(
			`Journal entry ${entry.seq} (${entry.object} ${entry.sourceKey}) is '${entry.action}' without a Pipedrive id; record outcomes with the id Pipedrive returned.`,
		);
	}
	return entry.pipedriveId;
}
