import type { Intent, JournalEntry, MappedRecord, RunRecord } from './journalStore';

/** Where one journal line lies in its file: its first byte and its length in bytes (no newline). */
export interface LineSpan {
	at: number;
	length: number;
}

/** A mapped record as the index keeps it: the line of the entry that last set it, and its creator run. */
export interface MappedSlot extends LineSpan {
	createdByRun: string | null;
}

/**
 * The journal's state for one company, rebuilt by the embedded store from its file on open and
 * kept current as records are appended. Holds the map rules in one place: which action changes
 * the source-key → Pipedrive-id map and how.
 *
 * Entries and mapped records are kept as the position of their line in the file, not as objects:
 * a 20,000-patient migration journals ~148,000 entries (~283,000 lines with their intents),
 * whose field prints alone held ~75 MB of the n8n process's heap. The store reads the lines back
 * when they are asked for (a page's lookups, a listing for the audit log or a rollback); the
 * index holds ~24 bytes per entry and ~170 per mapped record.
 */
export class CompanyIndex {
	readonly runs = new Map<string, RunRecord>();
	/** Every entry's line and run, in sequence order (parallel arrays: no object per entry). */
	readonly entryAt: number[] = [];
	readonly entryLength: number[] = [];
	readonly entryRun: string[] = [];
	readonly mapped = new Map<string, MappedSlot>();
	readonly intents = new Map<string, Intent & { session: string }>();
	readonly watermarks = new Map<string, string>();
	lastSeq = 0;

	applyEntry(entry: JournalEntry, line: LineSpan): void {
		const run = this.runs.get(entry.runId);
		this.entryAt.push(line.at);
		this.entryLength.push(line.length);
		// The run's own id string, shared by all its entries, where the run is known.
		this.entryRun.push(run?.id ?? entry.runId);
		this.lastSeq = Math.max(this.lastSeq, entry.seq);
		this.intents.delete(entry.sourceKey);
		if (run) run.counts[entry.action] += 1;
		applyMapRule(this.mapped, entry, (createdByRun) => ({ ...line, createdByRun }));
	}
}

/** How an outcome changes the map; shared by both stores so they cannot drift. */
export function applyToMap(mapped: Map<string, MappedRecord>, entry: JournalEntry): void {
	applyMapRule(mapped, entry, (createdByRun) => mappedRecordOf(entry, createdByRun));
}

/** The mapped record an entry sets, given the run that created the record. */
export function mappedRecordOf(entry: JournalEntry, createdByRun: string | null): MappedRecord {
	return {
		sourceKey: entry.sourceKey,
		bundleKey: entry.bundleKey,
		object: entry.object,
		pipedriveId: requireId(entry),
		payloadHash: entry.payloadHash ?? '',
		createdByRun,
		fieldPrints: entry.fieldPrints,
	};
}

/** The outcomes that change the map; every other outcome leaves it as it is. */
export function changesMap(action: JournalEntry['action']): boolean {
	return (
		action === 'created' || action === 'updated' || action === 'restored' || action === 'deleted'
	);
}

/**
 * The map rule over any record shape that knows its creator run: `created` sets the key (created
 * by this run), `updated` and `restored` set it keeping the creator, `deleted` removes it. A key
 * set again moves to the end, so the map lists its records in the order of the entries that last
 * set them, as the PostgreSQL store orders them (by `last_seq`).
 */
function applyMapRule<T extends { createdByRun: string | null }>(
	mapped: Map<string, T>,
	entry: JournalEntry,
	make: (createdByRun: string | null) => T,
): void {
	switch (entry.action) {
		case 'created':
			requireId(entry);
			setLast(mapped, entry.sourceKey, make(entry.runId));
			return;
		case 'updated':
		case 'restored':
			requireId(entry);
			setLast(mapped, entry.sourceKey, make(mapped.get(entry.sourceKey)?.createdByRun ?? null));
			return;
		case 'deleted':
			mapped.delete(entry.sourceKey);
			return;
		default:
			return;
	}
}

/** Sets `key` last in the map's order (a Map leaves a key set again where it first was). */
function setLast<T>(mapped: Map<string, T>, key: string, value: T): void {
	mapped.delete(key);
	mapped.set(key, value);
}

function requireId(entry: JournalEntry): string {
	if (entry.pipedriveId === null) {
		throw new Error(
			`Journal entry ${entry.seq} (${entry.object} ${entry.sourceKey}) is '${entry.action}' without a Pipedrive id; record outcomes with the id Pipedrive returned.`,
		);
	}
	return entry.pipedriveId;
}
