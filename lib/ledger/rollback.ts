import { PipedriveApiError } from '../pipedrive/errors';
import type { CreatedCustomField } from '../pipedrive/provision';
import type { FieldObject } from '../pipedrive/schemaRequirements';
import { PIPEDRIVE_OBJECTS, type PipedriveObject } from '../plan/plan';
import { changedFields } from './beforeImage';
import { apiId, type LedgerClient } from './ledgerClient';
import { readBack, readBackKey } from './readBack';
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
	status: 'completed' | 'interrupted';
	resetAt: string | null;
	message: string | null;
	deleted: number;
	restored: number;
	alreadyDone: number;
	failed: Array<{ sourceKey: string; object: PipedriveObject; errorCode: string; reason: string }>;
	/** Custom fields of `removeCustomFields` deleted (or found already gone) and verified gone. */
	fieldsRemoved: number;
	/** Custom fields that could not be removed or are still listed; any of them fails the verification. */
	fieldsFailed: FieldRemovalFailure[];
	verification: { checked: number; passed: boolean; problems: VerificationProblem[] };
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

	const result: Omit<RollbackResult, 'run' | 'verification'> = {
		fieldsRemoved: 0,
		fieldsFailed: [],
		scope: { runIds: scopeRuns.map((scoped) => scoped.id) },
		status: 'completed',
		resetAt: null,
		message: null,
		deleted: 0,
		restored: 0,
		alreadyDone: 0,
		failed: [],
	};
	const pending = steps.filter((step) => !step.done);
	result.alreadyDone = steps.length - pending.length;
	for (const step of pending) {
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
			continue;
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
				break;
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
			continue;
		}
		await store.record({
			runId: run.id,
			...identify(step),
			bundleKey: step.bundleKey,
			action: step.kind === 'delete' ? 'deleted' : 'restored',
			payloadHash: step.kind === 'delete' ? null : step.previousHash,
			beforeImage: null,
			errorCode: null,
		});
		if (step.kind === 'delete') result.deleted += 1;
		else result.restored += 1;
	}
	let verification =
		result.status === 'completed'
			? await verify(client, steps)
			: { checked: 0, passed: false, problems: [] };
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
	return null;
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
			done: undone,
		});
	}
	const rank = (object: PipedriveObject) =>
		PIPEDRIVE_OBJECTS.length - PIPEDRIVE_OBJECTS.indexOf(object);
	return steps.sort((a, b) => rank(a.object) - rank(b.object));
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
 * Every deleted record is gone; every restored record holds its before-image again. Read back in
 * bulk (v2 lists by `ids`, v1 pages), not one GET per record.
 */
async function verify(
	client: LedgerClient,
	steps: ReadonlyArray<Step>,
): Promise<RollbackResult['verification']> {
	const problems: VerificationProblem[] = [];
	const { records } = await readBack(client, steps);
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
