import { PipedriveApiError } from '../pipedrive/errors';
import type { CreatedCustomField } from '../pipedrive/provision';
import type { FieldObject } from '../pipedrive/schemaRequirements';
import { isV2Object, MAX_IDS_PER_LIST, PAGE_SIZE } from '../pipedrive/objects';
import { PIPEDRIVE_OBJECTS, type PipedriveObject } from '../plan/plan';
import { changedFields } from './beforeImage';
import { withoutFields } from './fieldPrints';
import { apiId, type LedgerClient } from './ledgerClient';
import {
	findPracticeWork,
	linksOf,
	recordId,
	type AttachedRecord,
	type ChangedRecord,
	type PracticeWork,
	type PracticeWorkPolicy,
} from './practiceWork';
import { inFlight, inFlightWidth } from './inFlight';
import { readBack, readBackKey, type ReadBack } from './readBack';
import type { JournalEntry, JournalStore, RunRecord } from './store/journalStore';
import { classifyWriteError } from './writeErrors';

export interface RollbackOptions {
	store: JournalStore;
	client: LedgerClient;
	/** Roll back one run; by default the whole migration (every sample, full and delta run). */
	scopeRunId?: string;
	/** Journal into this rollback run: resumed when it exists, started otherwise. */
	runId?: string;
	/**
	 * The custom fields the migration CREATED (Provision Schema's created field actions, see
	 * `createdCustomFields`), deleted once every record is gone and the record verification
	 * passed. Never fields provisioning reused: they held the practice's data before. Only for
	 * the whole migration: with `scopeRunId` they are kept and the message says why.
	 */
	removeCustomFields?: readonly CreatedCustomField[];
	/**
	 * What to do when the practice worked on migrated records in Pipedrive (practiceWork.ts):
	 * `stop` (default) deletes nothing and lists them; `keep` takes back everything else and leaves
	 * those records, the migrated records they hang on and the fields the practice changed;
	 * `include` deletes them too and restores updated records completely.
	 */
	practiceWork?: PracticeWorkPolicy;
	/** Steps in flight at once; default the client's rate-limiter burst limit (1 = one at a time). */
	concurrency?: number;
}

/** A record that differs from the pre-migration state on purpose, and why. No values. */
export interface Difference {
	object: PipedriveObject;
	pipedriveId: string;
	/** The migration's source key; null for a record the practice created. */
	sourceKey: string | null;
	/** For a changed record: the fields the practice changed. */
	fields: string[];
	reason: string;
}

export interface FieldRemovalFailure {
	object: FieldObject;
	name: string;
	key: string;
	errorCode: string;
	reason: string;
}

/** One record to take back: delete what the scope created, restore what it updated. */
interface Step {
	sourceKey: string;
	bundleKey: string;
	object: PipedriveObject;
	pipedriveId: string;
	kind: 'delete' | 'restore';
	/** For restore: the fields as they were before the scope's first update of the record. */
	beforeImage: Record<string, unknown> | null;
	/** For restore: the payload hash the map held before that update. */
	previousHash: string | null;
	/** For restore: the field prints the map held before that update (the map gets them back). */
	previousPrints?: Record<string, string> | null;
}

export interface VerificationProblem {
	sourceKey: string;
	object: PipedriveObject;
	pipedriveId: string;
	problem: 'still-present' | 'not-restored' | 'missing';
}

export interface RollbackResult {
	run: RunRecord;
	scope: { runIds: string[] };
	/** `stopped`: the practice's work was found and `practiceWork` is `stop`; nothing was deleted. */
	status: 'completed' | 'interrupted' | 'stopped';
	resetAt: string | null;
	message: string | null;
	/** What the practice did on top of the migration, found before anything was deleted. */
	practiceWork: {
		policy: PracticeWorkPolicy;
		changed: ChangedRecord[];
		attached: AttachedRecord[];
	};
	deleted: number;
	restored: number;
	alreadyDone: number;
	failed: Array<{ sourceKey: string; object: PipedriveObject; errorCode: string; reason: string }>;
	/** Custom fields of `removeCustomFields` deleted (or found already gone) and verified gone. */
	fieldsRemoved: number;
	/** Custom fields that could not be removed or are still listed; any of them fails the verification. */
	fieldsFailed: FieldRemovalFailure[];
	/**
	 * Every record taken back is checked; `differences` lists exactly what is left different from
	 * the pre-migration state on purpose (the practice's work kept) and why.
	 */
	verification: {
		checked: number;
		passed: boolean;
		problems: VerificationProblem[];
		differences: Difference[];
	};
}

/**
 * Takes a run, or the whole migration, back out of Pipedrive: deletes the records it created
 * and restores the records it updated from their before-images, children before parents.
 * Journaled as its own run with intents, so it resumes after a crash; records already taken
 * back are not touched again. Ends by reading every touched record back and, for the whole
 * migration when asked, by deleting the custom fields the migration created.
 */
export async function rollback(options: RollbackOptions): Promise<RollbackResult> {
	const { store, client } = options;
	const runs = await store.listRuns();
	const scopeRuns = scopeOf(runs, options.scopeRunId);
	const existing = options.runId ? await store.getRun(options.runId) : null;
	const run = existing
		? await store.resumeRun(existing.id)
		: await store.startRun({
				kind: 'rollback',
				specHash: scopeRuns[0]?.specHash ?? '',
				id: options.runId,
			});
	const allEntries = await store.listEntries();
	const steps = planSteps(allEntries, new Set(scopeRuns.map((scoped) => scoped.id)));

	const policy = options.practiceWork ?? 'stop';
	const result: Omit<RollbackResult, 'run' | 'verification'> = {
		fieldsRemoved: 0,
		fieldsFailed: [],
		scope: { runIds: scopeRuns.map((scoped) => scoped.id) },
		status: 'completed',
		resetAt: null,
		message: null,
		practiceWork: { policy, changed: [], attached: [] },
		deleted: 0,
		restored: 0,
		alreadyDone: 0,
		failed: [],
	};
	const open = steps.filter((step) => !step.done);
	result.alreadyDone = steps.length - open.length;
	const width = inFlightWidth(client, options.concurrency);
	const work = await findPracticeWork(client, store, open, width);
	result.practiceWork = { policy, changed: work.changed, attached: work.attached };
	if (policy === 'stop' && work.changed.length + work.attached.length > 0) {
		const ended = await store.endRun(run.id, {
			status: 'interrupted',
			stopReason: 'practice-work',
		});
		return {
			...result,
			status: 'stopped',
			message: stoppedMessage(work),
			run: ended,
			verification: { checked: 0, passed: false, problems: [], differences: [] },
		};
	}
	const { pending, differences } = applyPolicy(policy, open, work);
	// Children before parents: a step waits for the steps of the records that link to its record
	// (as the practice-work check read them), the rest in flight together up to the limiter's
	// burst limit. A step the budget stopped leaves its intent open; the rest of the rollback
	// waits for the next run.
	const ordered = inRollbackOrder(pending);
	const waits = childrenFirst(ordered, work);
	const taken = [...steps.filter((step) => step.done), ...pending];
	// Each kind is read back as soon as its own steps are done, while the other kinds' deletes are
	// still in flight, so the verification's reads fill the limiter's window instead of trailing.
	const reads = new KindReads(
		client,
		taken,
		width,
		work.listedSizes,
		() => result.status === 'completed',
	);
	await reads.whenStepsDone(ordered, (settle) =>
		inFlight(ordered, {
			width,
			after: (_, index) => waits[index],
			run: (step) => runStep(step).finally(() => settle(step)),
		}),
	);
	async function runStep(step: Step): Promise<void> {
		if (result.status === 'interrupted') return;
		const claim = await store.claimIntent({
			runId: run.id,
			sourceKey: step.sourceKey,
			bundleKey: step.bundleKey,
			object: step.object,
			kind: step.kind,
			payloadHash: step.previousHash,
			beforeImage: null,
		});
		if (claim.status === 'busy') {
			result.failed.push({
				...identify(step),
				errorCode: 'busy-elsewhere',
				reason: 'another worker holds this record',
			});
			return;
		}
		try {
			// Both writes are idempotent (DELETE of a gone record is fine, PATCH sets absolute values),
			// so a stale intent is settled by simply doing the step again.
			if (step.kind === 'delete') await client.delete(step.object, apiId(step.pipedriveId));
			else
				await client.update(
					restorable(step.object),
					apiId(step.pipedriveId),
					step.beforeImage ?? {},
				);
		} catch (error) {
			const failure = classifyWriteError(error);
			if (failure.kind === 'budget') {
				result.status = 'interrupted';
				result.resetAt = failure.resetAt;
				result.message = `The daily Pipedrive API budget is spent. Run the rollback again with run id ${run.id} after ${failure.resetAt} to finish it.`;
				return;
			}
			const reason =
				failure.kind === 'refused'
					? failure.reason
					: 'Pipedrive did not answer reliably; run the rollback again';
			await store.record({
				runId: run.id,
				...identify(step),
				bundleKey: step.bundleKey,
				action: 'failed',
				payloadHash: null,
				beforeImage: null,
				errorCode: failure.code,
			});
			result.failed.push({ ...identify(step), errorCode: failure.code, reason });
			return;
		}
		await store.record({
			runId: run.id,
			...identify(step),
			bundleKey: step.bundleKey,
			action: step.kind === 'delete' ? 'deleted' : 'restored',
			payloadHash: step.kind === 'delete' ? null : step.previousHash,
			beforeImage: null,
			errorCode: null,
			fieldPrints: step.kind === 'delete' ? null : (step.previousPrints ?? null),
		});
		if (step.kind === 'delete') result.deleted += 1;
		else result.restored += 1;
	}
	let verification =
		result.status === 'completed'
			? { ...verify(taken, await reads.records()), differences }
			: { checked: 0, passed: false, problems: [], differences };
	const fields = uniqueFields(options.removeCustomFields ?? []);
	const kept =
		fields.length > 0 ? keptFieldsReason(fields.length, options, result, verification) : null;
	if (kept) result.message = result.message ? `${result.message} ${kept}` : kept;
	else if (fields.length > 0) {
		const removal = await removeFields(client, fields);
		result.fieldsRemoved = removal.removed;
		result.fieldsFailed = removal.failed;
		if (removal.resetAt) {
			result.status = 'interrupted';
			result.resetAt = removal.resetAt;
			result.message = `Every record is taken back, but the daily Pipedrive API budget ran out while removing the custom fields. Run the rollback again with run id ${run.id} after ${removal.resetAt} to remove the rest.`;
		}
		if (removal.failed.length > 0) verification = { ...verification, passed: false };
	}
	const ended = await store.endRun(
		run.id,
		result.status === 'completed'
			? { status: 'completed' }
			: { status: 'interrupted', stopReason: 'budget-exhausted' },
	);
	return { ...result, run: ended, verification };
}

/** Why the custom fields stay this time, or null when they are to be removed now. */
function keptFieldsReason(
	count: number,
	options: RollbackOptions,
	result: Pick<RollbackResult, 'status' | 'failed'>,
	verification: RollbackResult['verification'],
): string | null {
	const fields = `The ${count} custom field(s) the migration created were kept`;
	if (options.scopeRunId !== undefined && options.scopeRunId !== '')
		return `${fields}: they are removed only when the whole migration is rolled back, because the records of the other runs still use them.`;
	if (result.status !== 'completed')
		return `${fields}; they are removed when the rollback is run again and every record is gone.`;
	if (result.failed.length > 0 || !verification.passed)
		return `${fields} because not every record is taken back (see failed and verification); run the rollback again to finish it and remove them.`;
	if (verification.differences.length > 0)
		return `${fields} because the practice's records kept in Pipedrive (verification.differences) still use them.`;
	return null;
}

const CHOICES =
	'Choose: practiceWork "keep" takes back everything else and leaves these records (and the migrated records they hang on) in place, flagged; "include" deletes them too and restores updated records completely.';

function stoppedMessage(work: PracticeWork): string {
	const parts: string[] = [];
	if (work.changed.length > 0)
		parts.push(
			`${work.changed.length} migrated record(s) were changed in Pipedrive after the migration wrote them`,
		);
	if (work.attached.length > 0)
		parts.push(`${work.attached.length} record(s) created in Pipedrive hang on migrated records`);
	return `Nothing was deleted: ${parts.join(' and ')} (see practiceWork). ${CHOICES}`;
}

/**
 * The steps to run under the policy and what stays different on purpose. `keep` leaves a
 * changed record, every migrated record a practice record hangs on, and (following their links)
 * the migrated records those point at, so nothing kept links to a deleted record; a restore keeps
 * the fields the practice changed. `include` also deletes the practice's records, children first.
 */
function applyPolicy(
	policy: PracticeWorkPolicy,
	open: ReadonlyArray<Step>,
	work: PracticeWork,
): { pending: Step[]; differences: Difference[] } {
	const differences: Difference[] = [];
	if (policy === 'include') {
		const extra: Step[] = work.attached.map((record) => ({
			sourceKey: `pipedrive:${record.object}:${record.pipedriveId}`,
			bundleKey: record.parents[0].sourceKey,
			object: record.object,
			pipedriveId: record.pipedriveId,
			kind: 'delete',
			beforeImage: null,
			previousHash: null,
		}));
		return { pending: inRollbackOrder([...extra, ...open]), differences };
	}
	const deletes = new Map(
		open
			.filter((step) => step.kind === 'delete')
			.map((step) => [recordId(step.object, step.pipedriveId), step]),
	);
	const kept = new Map<string, string>();
	const keep = (id: string, reason: string) => {
		if (!deletes.has(id) || kept.has(id)) return;
		kept.set(id, reason);
		const record = work.current.get(id);
		for (const { target } of record ? linksOf(record) : [])
			keep(target, `kept: the kept ${id.replace(':', ' ')} links to it`);
	};
	for (const changed of work.changed.filter((record) => record.step === 'delete'))
		keep(
			recordId(changed.object, changed.pipedriveId),
			'changed in Pipedrive after the migration wrote it; kept (practiceWork keep)',
		);
	for (const record of work.attached) {
		for (const parent of record.parents)
			keep(
				recordId(parent.object, parent.pipedriveId),
				`kept: the practice's ${record.object} ${record.pipedriveId} hangs on it`,
			);
		differences.push({
			object: record.object,
			pipedriveId: record.pipedriveId,
			sourceKey: null,
			fields: [],
			reason: `created in Pipedrive by the practice on ${record.parents
				.map((parent) => `${parent.object} ${parent.pipedriveId}`)
				.join(', ')}; kept (practiceWork keep)`,
		});
	}
	const changedFields = new Map(
		work.changed.map((record) => [recordId(record.object, record.pipedriveId), record.fields]),
	);
	const pending: Step[] = [];
	for (const step of open) {
		const id = recordId(step.object, step.pipedriveId);
		const fields = changedFields.get(id) ?? [];
		const reason = kept.get(id);
		if (reason !== undefined) {
			differences.push({ ...identify(step), fields, reason });
			continue;
		}
		if (step.kind === 'restore' && fields.length > 0) {
			differences.push({
				...identify(step),
				fields,
				reason:
					'these fields were changed by the practice after the migration wrote them; the restore kept them (practiceWork keep)',
			});
			pending.push({ ...step, beforeImage: withoutFields(step.beforeImage ?? {}, fields) });
			continue;
		}
		pending.push(step);
	}
	return { pending, differences };
}

/** Children before parents (reverse dependency order), stable within an object. */
function inRollbackOrder<T extends { object: PipedriveObject }>(steps: T[]): T[] {
	const rank = (object: PipedriveObject) =>
		PIPEDRIVE_OBJECTS.length - PIPEDRIVE_OBJECTS.indexOf(object);
	return [...steps].sort((a, b) => rank(a.object) - rank(b.object));
}

function uniqueFields(fields: readonly CreatedCustomField[]): CreatedCustomField[] {
	const seen = new Set<string>();
	return fields.filter((field) => {
		const id = `${field.object}/${field.key}`;
		if (seen.has(id)) return false;
		seen.add(id);
		return true;
	});
}

/**
 * Deletes the custom fields (404 = already gone = done), then lists each object's fields again:
 * a field still listed is a failure. Stops at a spent daily budget, listing the rest as failed.
 */
async function removeFields(
	client: LedgerClient,
	fields: readonly CreatedCustomField[],
): Promise<{ removed: number; failed: FieldRemovalFailure[]; resetAt: string | null }> {
	const failed: FieldRemovalFailure[] = [];
	const deleted: CreatedCustomField[] = [];
	for (const [index, field] of fields.entries()) {
		try {
			await client.deleteField(field.object, field.key);
			deleted.push(field);
		} catch (error) {
			const failure = classifyWriteError(error);
			if (failure.kind === 'budget') {
				const reason = `The daily Pipedrive API budget is spent; run the rollback again after ${failure.resetAt} to remove this field`;
				for (const rest of fields.slice(index))
					failed.push({ ...rest, errorCode: 'budget-exhausted', reason });
				return { removed: deleted.length, failed, resetAt: failure.resetAt };
			}
			const reason =
				error instanceof PipedriveApiError
					? `Pipedrive answered ${error.status} to ${error.endpoint}; delete the field in Pipedrive's data fields settings or run the rollback again`
					: 'Pipedrive did not answer reliably; run the rollback again';
			failed.push({ ...field, errorCode: failure.code, reason });
		}
	}
	let removed = 0;
	for (const object of new Set(deleted.map((field) => field.object))) {
		const live = new Set((await client.listFields(object)).map((field) => field.field_code));
		for (const field of deleted.filter((candidate) => candidate.object === object)) {
			if (!live.has(field.key)) removed += 1;
			else
				failed.push({
					...field,
					errorCode: 'still-present',
					reason: 'Pipedrive still lists the field after deleting it; run the rollback again',
				});
		}
	}
	return { removed, failed, resetAt: null };
}

function identify(step: Step) {
	return { sourceKey: step.sourceKey, object: step.object, pipedriveId: step.pipedriveId };
}

function restorable(object: PipedriveObject): Exclude<PipedriveObject, 'file'> {
	if (object === 'file')
		throw new Error('Files are never updated by the commit, so there is nothing to restore.');
	return object;
}

function scopeOf(runs: RunRecord[], scopeRunId: string | undefined): RunRecord[] {
	if (scopeRunId === undefined || scopeRunId === '')
		return runs.filter((run) => run.kind !== 'rollback');
	const run = runs.find((candidate) => candidate.id === scopeRunId);
	if (!run)
		throw new Error(
			`Run ${scopeRunId} is not in this company's journal; check the run id and the target account.`,
		);
	if (run.kind === 'rollback')
		throw new Error(
			`Run ${scopeRunId} is itself a rollback; roll back the migration runs instead.`,
		);
	return [run];
}

/**
 * What the scope did to each record and whether a later rollback already undid it. Ordered
 * children before parents (reverse dependency order), then by journal order.
 */
function planSteps(
	entries: readonly JournalEntry[],
	scope: ReadonlySet<string>,
): Array<Step & { done: boolean }> {
	const byKey = new Map<string, JournalEntry[]>();
	for (const entry of entries) {
		const list = byKey.get(entry.sourceKey) ?? [];
		list.push(entry);
		byKey.set(entry.sourceKey, list);
	}
	const steps: Array<Step & { done: boolean }> = [];
	for (const [sourceKey, history] of byKey) {
		const writes = history.filter(
			(entry) =>
				scope.has(entry.runId) && (entry.action === 'created' || entry.action === 'updated'),
		);
		if (writes.length === 0) continue;
		const first = writes[0];
		const last = writes[writes.length - 1];
		const undone = history.some(
			(entry) =>
				entry.seq > last.seq &&
				(entry.action === 'deleted' || (entry.action === 'restored' && first.action === 'updated')),
		);
		const created = writes.find((entry) => entry.action === 'created');
		const pipedriveId = last.pipedriveId ?? '';
		if (created) {
			steps.push({
				sourceKey,
				bundleKey: first.bundleKey,
				object: first.object,
				pipedriveId,
				kind: 'delete',
				beforeImage: null,
				previousHash: null,
				done: undone,
			});
			continue;
		}
		const previous = [...history]
			.reverse()
			.find(
				(entry) =>
					entry.seq < first.seq && ['created', 'updated', 'restored'].includes(entry.action),
			);
		steps.push({
			sourceKey,
			bundleKey: first.bundleKey,
			object: first.object,
			pipedriveId,
			kind: 'restore',
			beforeImage: mergeBeforeImages(writes),
			previousHash: previous?.payloadHash ?? null,
			previousPrints: previous?.fieldPrints ?? null,
			done: undone,
		});
	}
	return inRollbackOrder(steps);
}

/**
 * For each step (in rollback order), the earlier steps it waits for: those of the records that
 * link to its record, as the practice-work check read them (`work.current`) or found them hanging
 * on it (`include`). A record gone already links nowhere. Children come before their parents in
 * rollback order (every link points to an object earlier in PIPEDRIVE_OBJECTS), so a child is
 * always seen before the parent that waits for it.
 */
function childrenFirst(steps: readonly Step[], work: PracticeWork): number[][] {
	const parentsOf = new Map<string, string[]>();
	for (const [id, record] of work.current)
		if (record)
			parentsOf.set(
				id,
				linksOf(record).map(({ target }) => target),
			);
	for (const record of work.attached)
		parentsOf.set(
			recordId(record.object, record.pipedriveId),
			record.parents.map((parent) => recordId(parent.object, parent.pipedriveId)),
		);
	const children = new Map<string, number[]>();
	return steps.map((step, index) => {
		const id = recordId(step.object, step.pipedriveId);
		for (const parent of parentsOf.get(id) ?? [])
			children.set(parent, [...(children.get(parent) ?? []), index]);
		return children.get(id) ?? [];
	});
}

/** The state before the first update: for each field, the oldest before-image that holds it. */
function mergeBeforeImages(updates: readonly JournalEntry[]): Record<string, unknown> {
	const merged: Record<string, unknown> = {};
	const custom: Record<string, unknown> = {};
	for (const update of updates) {
		for (const [key, value] of Object.entries(update.beforeImage ?? {})) {
			if (key === 'custom_fields' && value && typeof value === 'object') {
				for (const [hash, old] of Object.entries(value as Record<string, unknown>)) {
					if (!(hash in custom)) custom[hash] = old;
				}
			} else if (!(key in merged)) {
				merged[key] = value;
			}
		}
	}
	if (Object.keys(custom).length > 0) merged.custom_fields = custom;
	return merged;
}

/**
 * The verification's read-backs, one per kind, each started once every step of its kind has run
 * (a kind with nothing left to do at once), so its reads happen after its own writes. Read back in
 * bulk (v2 lists by `ids`, v1 pages), not one GET per record. A kind is not read when the
 * rollback has stopped (`stillGoing` false: the daily budget); a failed read is kept and thrown
 * by `records`, after every other read has ended.
 */
class KindReads {
	private readonly started = new Map<PipedriveObject, Promise<ReadBack['records']>>();

	constructor(
		private readonly client: LedgerClient,
		private readonly taken: ReadonlyArray<Step>,
		private readonly width: number,
		private readonly listedSizes: ReadonlyMap<PipedriveObject, number>,
		private readonly stillGoing: () => boolean,
	) {}

	/** Runs `work`, which calls `settle(step)` once each of `steps` has run; reads each kind then. */
	async whenStepsDone(
		steps: ReadonlyArray<Step>,
		work: (settle: (step: Step) => void) => Promise<void>,
	): Promise<void> {
		const left = new Map<PipedriveObject, number>();
		for (const step of steps) left.set(step.object, (left.get(step.object) ?? 0) + 1);
		for (const object of new Set(this.taken.map((step) => step.object)))
			if (!left.has(object)) this.start(object);
		try {
			await work((step) => {
				const count = (left.get(step.object) ?? 1) - 1;
				left.set(step.object, count);
				if (count === 0) this.start(step.object);
			});
		} catch (error) {
			// No read left running behind a failed rollback.
			await Promise.allSettled(this.started.values());
			throw error;
		}
	}

	/** Every kind's records read back; throws the first failed read. */
	async records(): Promise<ReadBack['records']> {
		const merged: ReadBack['records'] = new Map();
		const answers = await Promise.allSettled(this.started.values());
		for (const answer of answers) {
			if (answer.status === 'rejected') throw answer.reason;
			for (const [key, record] of answer.value) merged.set(key, record);
		}
		return merged;
	}

	private start(object: PipedriveObject): void {
		if (this.started.has(object) || !this.stillGoing()) return;
		const refs = this.taken.filter((step) => step.object === object);
		const size = this.listedSizes.get(object);
		const reading =
			isV2Object(object) && size !== undefined && listingIsCheaper(size, refs.length)
				? readWhole(this.client, object, refs)
				: readBack(this.client, refs, { width: this.width }).then((read) => read.records);
		// Settled in `records`; never an unhandled rejection while the deletes go on.
		reading.catch(() => undefined);
		this.started.set(object, reading);
	}
}

/**
 * Whether listing a whole v2 collection (PAGE_SIZE records a page, as the practice-work check
 * just counted it) takes no more calls than reading `count` records by ids (MAX_IDS_PER_LIST a
 * call, at the same token price a call). After a rollback deleted them, a migration's records are
 * mostly gone from their collections, so the listing is usually far shorter than the ids calls.
 */
export function listingIsCheaper(collectionSize: number, count: number): boolean {
	const pages = Math.max(1, Math.ceil(collectionSize / PAGE_SIZE));
	return pages <= Math.ceil(count / MAX_IDS_PER_LIST);
}

/**
 * The records of `refs` as the whole collection lists them now; one absent from the listing is
 * gone (null), as absent from an ids call. The list pages in the shape the ids calls return.
 */
async function readWhole(
	client: LedgerClient,
	object: PipedriveObject,
	refs: ReadonlyArray<Step>,
): Promise<ReadBack['records']> {
	const records: ReadBack['records'] = new Map(
		refs.map((ref) => [readBackKey(object, ref.pipedriveId), null]),
	);
	for await (const record of client.list(object)) {
		const key = readBackKey(object, String(record.id));
		if (records.has(key)) records.set(key, record);
	}
	return records;
}

/** Every deleted record is gone; every restored record holds its before-image again. */
function verify(
	steps: ReadonlyArray<Step>,
	records: ReadBack['records'],
): Omit<RollbackResult['verification'], 'differences'> {
	const problems: VerificationProblem[] = [];
	for (const step of steps) {
		const record = records.get(readBackKey(step.object, step.pipedriveId)) ?? null;
		if (step.kind === 'delete' && record)
			problems.push({ ...identify(step), problem: 'still-present' });
		if (step.kind === 'restore' && !record)
			problems.push({ ...identify(step), problem: 'missing' });
		if (
			step.kind === 'restore' &&
			record &&
			Object.keys(changedFields(record, step.beforeImage ?? {})).length > 0
		) {
			problems.push({ ...identify(step), problem: 'not-restored' });
		}
	}
	return { checked: steps.length, passed: problems.length === 0, problems };
}
