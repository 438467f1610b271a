import { PIPEDRIVE_OBJECTS, type PipedriveObject } from '../plan/plan';
import { changedFields } from './beforeImage';
import { apiId, type LedgerClient } from './ledgerClient';
import type { JournalEntry, JournalStore, RunRecord } from './store/journalStore';
import { classifyWriteError } from './writeErrors';

export interface RollbackOptions {
	store: JournalStore;
	client: LedgerClient;
	/** Roll back one run; by default the whole migration (every sample, full and delta run). */
	scopeRunId?: string;
	/** Journal into this rollback run: resumed when it exists, started otherwise. */
	runId?: string;
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
	verification: { checked: number; passed: boolean; problems: VerificationProblem[] };
}

/**
 * Takes a run, or the whole migration, back out of Pipedrive: deletes the records it created
 * and restores the records it updated from their before-images, children before parents.
 * Journaled as its own run with intents, so it resumes after a crash; records already taken
 * back are not touched again. Ends by reading every touched record back.
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
	const verification =
		result.status === 'completed'
			? await verify(client, steps)
			: { checked: 0, passed: false, problems: [] };
	const ended = await store.endRun(
		run.id,
		result.status === 'completed'
			? { status: 'completed' }
			: { status: 'interrupted', stopReason: 'budget-exhausted' },
	);
	return { ...result, run: ended, verification };
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

/** Every deleted record is gone; every restored record holds its before-image again. */
async function verify(
	client: LedgerClient,
	steps: ReadonlyArray<Step>,
): Promise<RollbackResult['verification']> {
	const problems: VerificationProblem[] = [];
	for (const step of steps) {
		const record = await client.get(step.object, apiId(step.pipedriveId));
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
