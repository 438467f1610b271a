import type { PipedriveObject } from '../../plan/plan';

/**
 * The migration journal: what the Ledger wrote into one Pipedrive company, so a run can be
 * resumed, repeated without duplicates, audited and rolled back. Two implementations pass one
 * contract suite: an embedded file (no server) and PostgreSQL (n8n queue mode).
 *
 * Every handle is scoped to one target company (`companyId` from `/users/me`), so a sample run
 * into a test account and the full run into production never see each other's records.
 * The journal never holds the API token and holds patient values only inside before-images,
 * which keep exactly the fields an update changed (what rollback needs, no more). What the
 * migration wrote is kept as field prints (see `fieldPrints.ts`): salted hashes, no values.
 */

export const RUN_KINDS = ['sample', 'full', 'delta', 'rollback'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const ENTRY_ACTIONS = [
	'created',
	'updated',
	'unchanged',
	'skipped',
	'failed',
	'deleted',
	'restored',
] as const;
export type EntryAction = (typeof ENTRY_ACTIONS)[number];

export type RunStatus = 'running' | 'completed' | 'interrupted';

export type ActionCounts = Record<EntryAction, number>;

export interface RunRecord {
	id: string;
	companyId: number;
	kind: RunKind;
	specHash: string;
	/** RFC 3339 UTC. */
	startedAt: string;
	endedAt: string | null;
	status: RunStatus;
	/** Why the run stopped early (`budget-exhausted`, …); null when it completed. */
	stopReason: string | null;
	counts: ActionCounts;
}

export interface JournalEntry {
	runId: string;
	/** Position in the company's journal, strictly increasing across runs. */
	seq: number;
	sourceKey: string;
	bundleKey: string;
	object: PipedriveObject;
	pipedriveId: string | null;
	action: EntryAction;
	/** sha256 of the operation's canonical body + refs; null where nothing was planned. */
	payloadHash: string | null;
	/** For `updated`: the changed fields as they were before the update. */
	beforeImage: Record<string, unknown> | null;
	/** Reason code for `failed` / `skipped` (never a patient value). */
	errorCode: string | null;
	/**
	 * For `created` / `updated`: per field, a print of the value the migration has written there
	 * (`fieldPrints.ts`), so a later run can tell that Pipedrive changed it since. Null elsewhere.
	 */
	fieldPrints: Record<string, string> | null;
	/** Fields Pipedrive had changed since the migration wrote them (conflicts); null when none. */
	conflicts: string[] | null;
	at: string;
}

export type NewEntry = Omit<JournalEntry, 'seq' | 'at' | 'fieldPrints' | 'conflicts'> & {
	at?: string;
	fieldPrints?: Record<string, string> | null;
	conflicts?: string[] | null;
};

/** The source-key → Pipedrive-id map: the current state of every migrated record. */
export interface MappedRecord {
	sourceKey: string;
	bundleKey: string;
	object: PipedriveObject;
	pipedriveId: string;
	payloadHash: string;
	/** The run that created the record (rollback deletes it when that run is in scope). */
	createdByRun: string | null;
	/** What the migration last wrote, per field (prints, no values); null in journals older than prints. */
	fieldPrints: Record<string, string> | null;
}

export type IntentKind = 'create' | 'update' | 'delete' | 'restore';

/** A write about to be sent; an intent without an outcome is settled before any new write. */
export interface Intent {
	runId: string;
	sourceKey: string;
	bundleKey: string;
	object: PipedriveObject;
	kind: IntentKind;
	payloadHash: string | null;
	/** For `update`: the changed fields as they were, read before the write was sent. */
	beforeImage: Record<string, unknown> | null;
	/**
	 * Field prints of each body a write under this intent may have sent, the predecessors' first
	 * when it took over a dead writer's intent: a record written before a crash is found again by
	 * what was sent, even when the export changed since. Absent in older journals.
	 */
	sent?: Array<Record<string, string>> | null;
	at: string;
}

export type ClaimResult =
	| { status: 'claimed' }
	/** A previous writer died with this intent open: the write may or may not have landed. */
	| { status: 'stale'; previous: Intent }
	/** Another live worker is writing this key right now. */
	| { status: 'busy' };

export interface JournalStore {
	readonly companyId: number;

	startRun(run: { kind: RunKind; specHash: string; id?: string }): Promise<RunRecord>;
	/** Reopens an interrupted run so a resume keeps journaling into it. */
	resumeRun(runId: string): Promise<RunRecord>;
	endRun(
		runId: string,
		outcome: { status: Exclude<RunStatus, 'running'>; stopReason?: string },
	): Promise<RunRecord>;
	getRun(runId: string): Promise<RunRecord | null>;
	/** All runs of the company, oldest first. */
	listRuns(): Promise<RunRecord[]>;

	/** Journals the intent to write `sourceKey`; atomic, so two workers never write one key. */
	claimIntent(intent: Omit<Intent, 'at'>): Promise<ClaimResult>;
	/** Intents without an outcome (left by dead writers). */
	openIntents(): Promise<Intent[]>;
	/**
	 * Closes this handle's own open intent of `runId` on `sourceKey` as "not sent": the write it
	 * announced was refused before any request left (the daily budget), so a resume need not look
	 * it up. No entry, no change to the map. False (and nothing changes) when no such intent is
	 * open, e.g. another writer holds the key. Never for a write that may have been sent.
	 */
	settleUnsent(intent: { runId: string; sourceKey: string }): Promise<boolean>;
	/**
	 * Journals an outcome: appends the entry, closes the key's intent and updates the map
	 * (created/updated/unchanged set it, deleted removes it, restored sets the given hash),
	 * durably and as one step.
	 */
	record(entry: NewEntry): Promise<JournalEntry>;

	lookup(sourceKeys: readonly string[]): Promise<Map<string, MappedRecord>>;
	/** Every mapped record, in the order of the entries that last set them (created, updated, restored). */
	listMapped(): Promise<MappedRecord[]>;
	/** Entries of the given runs (all runs when omitted), in sequence order. */
	listEntries(filter?: { runIds?: readonly string[] }): Promise<JournalEntry[]>;
	/**
	 * The same entries a batch at a time (at most `JOURNAL_BATCH`), for a pass over a whole
	 * migration (Reconcile, the audit log) that need not hold its ~7 entries per patient at once.
	 */
	entryBatches(filter?: { runIds?: readonly string[] }): AsyncIterable<JournalEntry[]>;
	/** `listMapped` a batch at a time, in the same order. */
	mappedBatches(): AsyncIterable<MappedRecord[]>;

	getWatermark(name: string): Promise<string | null>;
	setWatermark(name: string, value: string): Promise<void>;

	close(): Promise<void>;
}

/**
 * The reason code of an `unchanged` outcome whose record someone deleted in Pipedrive after the
 * migration wrote it: the delta left it deleted, so it is not in Pipedrive.
 */
export const DELETED_IN_PIPEDRIVE = 'deleted-in-pipedrive';

/** An outcome after which the run's record is in Pipedrive (written now or before). */
export function leftInPipedrive(entry: Pick<JournalEntry, 'action' | 'errorCode'>): boolean {
	if (entry.errorCode === DELETED_IN_PIPEDRIVE) return false;
	return entry.action === 'created' || entry.action === 'updated' || entry.action === 'unchanged';
}

/** Records per batch of `entryBatches` and `mappedBatches`. */
export const JOURNAL_BATCH = 2000;

/** Every item of a store's batches, in order: `listEntries` and `listMapped` in one place. */
export async function collectBatches<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
	const all: T[] = [];
	for await (const batch of batches) for (const item of batch) all.push(item);
	return all;
}

export function emptyCounts(): ActionCounts {
	return {
		created: 0,
		updated: 0,
		unchanged: 0,
		skipped: 0,
		failed: 0,
		deleted: 0,
		restored: 0,
	};
}
