import { createHash } from 'node:crypto';

import { PIPEDRIVE_OBJECTS, type PipedriveObject, type Plan } from '../plan/plan';
import { diffReport, type DiffReport } from './diff';
import type { LedgerClient } from './ledgerClient';
import { readBack, readBackKey } from './readBack';
import type { EntryAction, JournalEntry, JournalStore } from './store/journalStore';

export interface ObjectReconciliation {
	object: PipedriveObject;
	/** What should be in Pipedrive: the export's totals when given, else the planned keys. */
	expected: number;
	/** Distinct source keys planned in the scope's runs. */
	planned: number;
	created: number;
	updated: number;
	unchanged: number;
	skipped: number;
	failed: number;
	/** Records the journal maps in Pipedrive now. */
	inPipedrive: number;
	passed: boolean;
}

export interface ReconcileReport {
	runIds: string[];
	objects: ObjectReconciliation[];
	verification: {
		share: number;
		checked: number;
		missing: number;
		/** Field comparison of the checked records, when the plans were given. */
		fields: Pick<DiffReport, 'totals' | 'readBack'> | null;
		/** What reading the checked records back cost (list calls by ids and v1 pages). */
		readBack: { requests: number; tokens: number };
		passed: boolean;
	};
	passed: boolean;
	/** One line per problem, no patient values. */
	findings: string[];
}

export interface ReconcileOptions {
	store: JournalStore;
	client: LedgerClient;
	/** The runs to reconcile; by default every sample, full and delta run. */
	runIds?: readonly string[];
	/** Totals per object from the export (what must land); by default the planned keys. */
	expected?: Partial<Record<PipedriveObject, number>>;
	/**
	 * Share of the mapped records (0–1) read back to prove they are there; by default all of
	 * them (the bulk read-back costs about 0.1 token a record).
	 */
	verifyShare?: number;
	/** The plans, to compare the read-back records field by field. */
	plans?: readonly Plan[];
}

/** Every written record is read back unless a smaller share is asked for. */
export const DEFAULT_VERIFY_SHARE = 1;

/**
 * Step 5's reconciliation: per object, the journal's outcome counts against what the export
 * says should exist, plus a read-back of a deterministic share of the records (chosen by a hash
 * of the source key, so a re-run checks the same ones). Passes only when every expected record
 * is in Pipedrive, none failed or is held back, and every checked record is there.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
	const { store, client } = options;
	const verifyShare = options.verifyShare ?? DEFAULT_VERIFY_SHARE;
	if (!(verifyShare >= 0 && verifyShare <= 1)) {
		throw new Error(
			`The verification share must be between 0 and 1 (e.g. 0.1 for 10 %); got ${verifyShare}.`,
		);
	}
	const runs = (await store.listRuns()).filter((run) => run.kind !== 'rollback');
	const runIds = options.runIds ? [...options.runIds] : runs.map((run) => run.id);
	const latest = await latestPerKey(store, runIds);
	// The map a batch at a time: a count per object, and the records chosen for the read-back
	// (their key, object and id only; a whole migration's records are not held with their prints).
	const inPipedrive = new Map<PipedriveObject, number>();
	const chosen: Array<{ sourceKey: string; object: PipedriveObject; pipedriveId: string }> = [];
	for await (const batch of store.mappedBatches())
		for (const { sourceKey, object, pipedriveId } of batch) {
			inPipedrive.set(object, (inPipedrive.get(object) ?? 0) + 1);
			if (chosenForCheck(sourceKey, verifyShare)) chosen.push({ sourceKey, object, pipedriveId });
		}

	const objects = PIPEDRIVE_OBJECTS.map((object) => {
		const outcomes = [...latest.values()].filter((entry) => entry.object === object);
		const count = (action: EntryAction) =>
			outcomes.filter((entry) => entry.action === action).length;
		const planned = outcomes.length;
		const mapped = inPipedrive.get(object) ?? 0;
		const expected = options.expected?.[object] ?? planned;
		const row = {
			object,
			expected,
			planned,
			created: count('created'),
			updated: count('updated'),
			unchanged: count('unchanged'),
			skipped: count('skipped'),
			failed: count('failed'),
			inPipedrive: mapped,
		};
		return { ...row, passed: row.failed === 0 && row.skipped === 0 && mapped === expected };
	}).filter((row) => row.expected > 0 || row.planned > 0 || row.inPipedrive > 0);

	let missing = 0;
	let fields: ReconcileReport['verification']['fields'] = null;
	let cost = { requests: 0, tokens: 0 };
	if (options.plans) {
		const keys = new Set(chosen.map((record) => record.sourceKey));
		const sampled = options.plans.map((plan) => ({
			...plan,
			operations: plan.operations.filter((operation) => keys.has(operation.key)),
		}));
		const diff = await diffReport(sampled, { store, client });
		fields = { totals: diff.totals, readBack: diff.readBack };
		cost = { requests: diff.readBack.requests, tokens: diff.readBack.tokens };
		missing = new Set(
			diff.fields
				.filter((field) => field.stored === null && field.status === 'missing')
				.map((f) => f.sourceKey),
		).size;
	} else {
		const read = await readBack(client, chosen, { presenceOnly: true });
		cost = { requests: read.requests, tokens: read.tokens };
		missing = chosen.filter(
			(record) => !read.records.get(readBackKey(record.object, record.pipedriveId)),
		).length;
	}
	const verificationPassed =
		missing === 0 && (!fields || fields.totals.mismatch + fields.totals.missing === 0);
	const findings = objects
		.filter((row) => !row.passed)
		.map(
			(row) =>
				`${row.object}: ${row.inPipedrive} in Pipedrive, ${row.expected} expected, ${row.failed} failed, ${row.skipped} held back`,
		);
	if (!verificationPassed) {
		findings.push(
			`read-back: ${missing} of ${chosen.length} checked records missing${fields ? `, ${fields.totals.mismatch} fields mismatch, ${fields.totals.missing} fields missing` : ''}`,
		);
	}
	return {
		runIds,
		objects,
		verification: {
			share: verifyShare,
			checked: chosen.length,
			missing,
			fields,
			readBack: cost,
			passed: verificationPassed,
		},
		passed: findings.length === 0,
		findings,
	};
}

/** What Reconcile keeps of a key's last outcome. */
type Outcome = Pick<JournalEntry, 'object' | 'action'>;

/**
 * The last outcome of each source key in the runs (a re-run's `unchanged` replaces `created`),
 * read a batch at a time and kept as object and action only.
 */
async function latestPerKey(
	store: JournalStore,
	runIds: readonly string[],
): Promise<Map<string, Outcome>> {
	const latest = new Map<string, Outcome>();
	const rank = (entry: Outcome) => (entry.action === 'unchanged' ? 0 : 1);
	for await (const batch of store.entryBatches({ runIds }))
		for (const entry of batch) {
			// Another worker wrote it (queue mode): its entry tells the outcome, not this skip.
			if (entry.errorCode === 'busy-elsewhere') continue;
			const previous = latest.get(entry.sourceKey);
			// `unchanged` after `created` says nothing new: keep the write that put the record there.
			if (
				previous &&
				rank(entry) < rank(previous) &&
				previous.action !== 'failed' &&
				previous.action !== 'skipped'
			)
				continue;
			latest.set(entry.sourceKey, { object: entry.object, action: entry.action });
		}
	return latest;
}

function chosenForCheck(sourceKey: string, share: number): boolean {
	if (share >= 1) return true;
	const bucket = createHash('sha256').update(sourceKey).digest().readUInt32BE(0) / 0x100000000;
	return bucket < share;
}
