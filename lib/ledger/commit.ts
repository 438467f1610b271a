import { readFile } from 'node:fs/promises';

import { PIPEDRIVE_OBJECTS, type Plan, type PlanOperation } from '../plan/plan';
import type { FieldRegistry } from '../pipedrive/schemaRequirements';
import { changedFields } from './beforeImage';
import { resolvedBody } from './bodyPath';
import { findWritten, sourceKeyFieldKey } from './findWritten';
import { apiId, type LedgerClient } from './ledgerClient';
import { payloadHash } from './payloadHash';
import { updateBody } from './updateBody';
import {
	emptyCounts,
	type ActionCounts,
	type EntryAction,
	type JournalStore,
	type MappedRecord,
	type RunKind,
	type RunRecord,
} from './store/journalStore';
import { classifyWriteError, RecordRefusedError } from './writeErrors';

export interface CommitOptions {
	store: JournalStore;
	client: LedgerClient;
	registry: FieldRegistry;
	/** The spec hash the user confirmed (step 3); plans made with any other spec are refused. */
	confirmedSpecHash: string;
	kind: Exclude<RunKind, 'rollback'>;
	/** Journal into this run: resumed when it exists (page loops, restarts), started otherwise. */
	runId?: string;
	/** Reads a file operation's document; defaults to the local file system. */
	readDocument?: (file: NonNullable<PlanOperation['file']>) => Promise<Buffer>;
	/** Attempts per write when the outcome is uncertain (dropped connection, 5xx) before it counts as failed. */
	maxWriteAttempts?: number;
}

export interface OperationProblem {
	key: string;
	object: PlanOperation['object'];
	errorCode: string;
	/** Pipedrive's answer or the Ledger's reason; never a patient value. */
	reason: string;
}

export interface BundleResult {
	bundleKey: string;
	counts: ActionCounts;
	/** Operations not reached because the run stopped (budget); they run on resume. */
	pending: number;
	failed: OperationProblem[];
	/** Children held back because a parent failed or is missing. */
	heldBack: OperationProblem[];
	/**
	 * Writes that got no reliable answer even after retries: their intent stays open (not
	 * journaled as failed, since they may have landed) and the next run settles them by lookup.
	 */
	unsettled: OperationProblem[];
}

export interface CommitResult {
	run: RunRecord;
	status: 'completed' | 'interrupted';
	/** When the run stopped on the daily budget: when it resets. */
	resetAt: string | null;
	message: string | null;
	bundles: BundleResult[];
	totals: ActionCounts & { pending: number };
}

const DEFAULT_WRITE_ATTEMPTS = 5;

/**
 * Step 5 (and the sample of step 4): writes plans into Pipedrive in dependency order, journaling
 * an intent before every write and its outcome after, so a run can stop anywhere and resume
 * without duplicates. Already-migrated keys are left alone when their payload is unchanged and
 * updated (with a before-image for rollback) when it changed. A record that fails holds back its
 * children; the others go on.
 */
export async function commitPlans(
	plans: readonly Plan[],
	options: CommitOptions,
): Promise<CommitResult> {
	refuseUnconfirmedPlans(plans, options.confirmedSpecHash);
	requireSourceKeyFields(plans, options.registry);
	const { store } = options;
	const existing = options.runId ? await store.getRun(options.runId) : null;
	const run = existing
		? await store.resumeRun(existing.id)
		: await store.startRun({
				kind: options.kind,
				specHash: options.confirmedSpecHash,
				id: options.runId,
			});
	const writer = new PlanWriter(options, run.id);
	const operations = inDependencyOrder(plans);
	await writer.preload(operations);

	const bundles = new Map<string, BundleResult>();
	for (const plan of plans) bundles.set(plan.bundleKey, emptyBundle(plan.bundleKey));
	let stop: { resetAt: string } | null = null;
	for (const operation of operations) {
		const bundle = bundles.get(operation.bundleKey) ?? emptyBundle(operation.bundleKey);
		bundles.set(operation.bundleKey, bundle);
		if (stop) {
			bundle.pending += 1;
			continue;
		}
		const outcome = await writer.apply(operation);
		if (outcome.kind === 'stopped') {
			stop = { resetAt: outcome.resetAt };
			bundle.pending += 1;
			continue;
		}
		if (outcome.kind === 'unsettled') {
			bundle.pending += 1;
			bundle.unsettled.push(outcome.problem);
			continue;
		}
		bundle.counts[outcome.action] += 1;
		if (outcome.problem && outcome.action === 'failed') bundle.failed.push(outcome.problem);
		if (outcome.problem && outcome.action === 'skipped') bundle.heldBack.push(outcome.problem);
	}

	const results = [...bundles.values()];
	const totals = { ...emptyCounts(), pending: 0 };
	for (const bundle of results) {
		for (const action of Object.keys(bundle.counts) as EntryAction[])
			totals[action] += bundle.counts[action];
		totals.pending += bundle.pending;
	}
	const unsettled = results.reduce((sum, bundle) => sum + bundle.unsettled.length, 0);
	const stopReason = stop ? 'budget-exhausted' : unsettled > 0 ? 'unsettled-writes' : null;
	const ended = await store.endRun(
		run.id,
		stopReason ? { status: 'interrupted', stopReason } : { status: 'completed' },
	);
	return {
		run: ended,
		status: stopReason ? 'interrupted' : 'completed',
		resetAt: stop?.resetAt ?? null,
		message: stop
			? `The daily Pipedrive API budget is spent: ${totals.pending} operations were not sent. Run the commit again with run id ${run.id} after ${stop.resetAt} to resume; nothing is written twice.`
			: unsettled > 0
				? `${unsettled} writes got no reliable answer from Pipedrive. Run the commit again with run id ${run.id}: it looks them up before writing, so nothing is written twice.`
				: null,
		bundles: results,
		totals,
	};
}

function refuseUnconfirmedPlans(plans: readonly Plan[], confirmed: string): void {
	if (!confirmed) {
		throw new Error(
			'No confirmed spec hash was given: confirm the mapping spec (step 3) and pass its hash to the commit.',
		);
	}
	const wrong = plans.find((plan) => plan.specHash !== confirmed);
	if (wrong) {
		throw new Error(
			`The plan for bundle ${wrong.bundleKey} was made with mapping spec ${wrong.specHash.slice(0, 12)}…, but the confirmed spec is ${confirmed.slice(0, 12)}…. Confirm this spec (step 3) or transform the export again with the confirmed one; nothing was written.`,
		);
	}
}

/** Fails before any write when an interrupted write could not be found again. */
function requireSourceKeyFields(plans: readonly Plan[], registry: FieldRegistry): void {
	const objects = new Set(
		plans.flatMap((plan) => plan.operations.map((operation) => operation.object)),
	);
	for (const object of ['person', 'organization', 'deal', 'lead'] as const) {
		if (objects.has(object)) sourceKeyFieldKey(registry, object);
	}
}

/** Parents before children across all plans (a practice organization before its patients). */
function inDependencyOrder(plans: readonly Plan[]): PlanOperation[] {
	const rank = (operation: PlanOperation) => PIPEDRIVE_OBJECTS.indexOf(operation.object);
	return plans.flatMap((plan) => plan.operations).sort((a, b) => rank(a) - rank(b));
}

function emptyBundle(bundleKey: string): BundleResult {
	return { bundleKey, counts: emptyCounts(), pending: 0, failed: [], heldBack: [], unsettled: [] };
}

type Outcome =
	| { kind: 'done'; action: EntryAction; problem?: OperationProblem }
	| { kind: 'unsettled'; problem: OperationProblem }
	| { kind: 'stopped'; resetAt: string };

/** Writes one operation at a time against the journal; holds the run's view of the map. */
class PlanWriter {
	private readonly mapped = new Map<string, MappedRecord>();
	/** Keys that failed or were held back in this run: their children are held back too. */
	private readonly unavailable = new Set<string>();
	private takenIds: Set<string> | null = null;
	private readonly maxAttempts: number;

	constructor(
		private readonly options: CommitOptions,
		private readonly runId: string,
	) {
		this.maxAttempts = options.maxWriteAttempts ?? DEFAULT_WRITE_ATTEMPTS;
	}

	async preload(operations: readonly PlanOperation[]): Promise<void> {
		const keys = new Set<string>();
		for (const operation of operations) {
			keys.add(operation.key);
			for (const ref of Object.values(operation.refs)) keys.add(ref);
		}
		const found = await this.options.store.lookup([...keys]);
		for (const [key, record] of found) this.mapped.set(key, record);
	}

	async apply(operation: PlanOperation): Promise<Outcome> {
		try {
			return await this.applyOrThrow(operation);
		} catch (error) {
			const failure = classifyWriteError(error);
			if (failure.kind === 'budget') return { kind: 'stopped', resetAt: failure.resetAt };
			if (failure.kind === 'uncertain') {
				// It may have landed: keep the intent open for the next run to settle, hold the children.
				this.unavailable.add(operation.key);
				return {
					kind: 'unsettled',
					problem: {
						key: operation.key,
						object: operation.object,
						errorCode: failure.code,
						reason:
							'Pipedrive gave no reliable answer after retries; the next run looks it up before writing',
					},
				};
			}
			return this.finish(operation, 'failed', null, payloadHash(operation), {
				errorCode: failure.code,
				reason: failure.reason,
			});
		}
	}

	private async applyOrThrow(operation: PlanOperation): Promise<Outcome> {
		const hash = payloadHash(operation);
		const missingParent = Object.values(operation.refs).find(
			(ref) => this.unavailable.has(ref) || !this.mapped.has(ref),
		);
		if (missingParent !== undefined) {
			const errorCode = this.unavailable.has(missingParent) ? 'parent-failed' : 'parent-missing';
			return this.finish(operation, 'skipped', null, hash, {
				errorCode,
				reason: `its parent ${missingParent} is ${errorCode === 'parent-failed' ? 'failed or held back in this run' : 'not in the journal'}; fix the parent and commit again`,
			});
		}
		const current = this.mapped.get(operation.key);
		const resolved = this.resolveRefs(operation);
		const body = current ? updateBody(operation.object, resolved) : resolved;
		if (current && current.payloadHash === hash) {
			return this.finish(operation, 'unchanged', current.pipedriveId, hash);
		}
		const kind = current ? 'update' : 'create';
		const beforeImage = current
			? await this.readBeforeImage(operation, current.pipedriveId, body)
			: null;
		if (current && beforeImage === undefined) {
			return this.finish(operation, 'failed', current.pipedriveId, hash, {
				errorCode: 'target-missing',
				reason:
					'the record was deleted in Pipedrive after it was migrated; restore it there or remove it from the journal',
			});
		}
		const claim = await this.options.store.claimIntent({
			runId: this.runId,
			sourceKey: operation.key,
			bundleKey: operation.bundleKey,
			object: operation.object,
			kind,
			payloadHash: hash,
			beforeImage: beforeImage ?? null,
		});
		if (claim.status === 'busy') {
			return this.finish(operation, 'skipped', null, hash, {
				errorCode: 'busy-elsewhere',
				reason: 'another worker is writing this record right now; it is journaled there',
			});
		}
		// Another worker may have written this key since the map was preloaded (queue mode): with
		// the intent held, the journal's map is current; start over from it if it moved.
		const fresh = (await this.options.store.lookup([operation.key])).get(operation.key);
		if (
			fresh &&
			(fresh.pipedriveId !== current?.pipedriveId || fresh.payloadHash !== current?.payloadHash)
		) {
			this.mapped.set(operation.key, fresh);
			return this.applyOrThrow(operation);
		}
		if (current) {
			// An interrupted update with the same payload already read the true before-image.
			const previous =
				claim.status === 'stale' &&
				claim.previous.kind === 'update' &&
				claim.previous.payloadHash === hash
					? claim.previous.beforeImage
					: null;
			return this.update(operation, current, body, hash, previous ?? beforeImage ?? {});
		}
		return this.create(operation, body, hash, claim.status === 'stale');
	}

	private async create(
		operation: PlanOperation,
		body: Record<string, unknown>,
		hash: string,
		mayExist: boolean,
	): Promise<Outcome> {
		let lookFirst = mayExist;
		let lastUncertain: unknown = null;
		for (let attempt = 1; ; attempt++) {
			if (lookFirst) {
				const found = await findWritten(
					this.options.client,
					this.options.registry,
					operation,
					body,
					(object, id) => this.isTaken(object, id),
				);
				if (found !== null) return this.finish(operation, 'created', found, hash);
			}
			// Give up only after a lookup has shown the last uncertain attempt did not land.
			if (lastUncertain !== null && attempt > this.maxAttempts) throw lastUncertain;
			try {
				const created = await this.send(operation, body);
				return this.finish(operation, 'created', String(created.id), hash);
			} catch (error) {
				if (classifyWriteError(error).kind !== 'uncertain') throw error;
				// The server may have applied the POST before the answer was lost: look before writing again.
				lastUncertain = error;
				lookFirst = true;
			}
		}
	}

	private async update(
		operation: PlanOperation,
		current: MappedRecord,
		body: Record<string, unknown>,
		hash: string,
		beforeImage: Record<string, unknown>,
	): Promise<Outcome> {
		if (operation.object === 'file') {
			return this.finish(operation, 'failed', current.pipedriveId, hash, {
				errorCode: 'file-changed',
				reason:
					'an uploaded file cannot be replaced in place; roll back the file or upload it under a new key',
			});
		}
		for (let attempt = 1; ; attempt++) {
			try {
				await this.options.client.update(operation.object, apiId(current.pipedriveId), body);
				return this.finish(operation, 'updated', current.pipedriveId, hash, undefined, beforeImage);
			} catch (error) {
				const failure = classifyWriteError(error);
				// An update sends the whole new state, so repeating it is harmless.
				if (failure.kind !== 'uncertain' || attempt >= this.maxAttempts) throw error;
			}
		}
	}

	private async send(operation: PlanOperation, body: Record<string, unknown>) {
		if (operation.object !== 'file') return this.options.client.create(operation.object, body);
		const file = operation.file;
		if (!file)
			throw new Error(
				`File operation ${operation.key} has no document; the Mapper must attach one.`,
			);
		const read = this.options.readDocument ?? ((doc) => readFile(doc.path));
		const data = await read(file).catch(() => {
			throw new RecordRefusedError(
				'file-unreadable',
				`the document ${file.fileName} could not be read from the export folder; check that it exists and is readable`,
			);
		});
		return this.options.client.create('file', body, {
			name: file.fileName,
			data,
			contentType: file.mimeType,
		});
	}

	/**
	 * The fields the update will change, as Pipedrive holds them now: what rollback restores.
	 * undefined when the record is gone.
	 */
	private async readBeforeImage(
		operation: PlanOperation,
		pipedriveId: string,
		body: Record<string, unknown>,
	): Promise<Record<string, unknown> | undefined> {
		const record = await this.options.client.get(operation.object, apiId(pipedriveId));
		if (!record) return undefined;
		return changedFields(record, body);
	}

	private resolveRefs(operation: PlanOperation): Record<string, unknown> {
		return resolvedBody(operation, (key) => this.mapped.get(key)?.pipedriveId);
	}

	private async isTaken(object: PlanOperation['object'], id: string): Promise<boolean> {
		if (!this.takenIds) {
			this.takenIds = new Set(
				(await this.options.store.listMapped()).map(
					(record) => `${record.object}:${record.pipedriveId}`,
				),
			);
		}
		return this.takenIds.has(`${object}:${id}`);
	}

	private async finish(
		operation: PlanOperation,
		action: EntryAction,
		pipedriveId: string | null,
		hash: string,
		problem?: { errorCode: string; reason: string },
		beforeImage: Record<string, unknown> | null = null,
	): Promise<Outcome> {
		await this.options.store.record({
			runId: this.runId,
			sourceKey: operation.key,
			bundleKey: operation.bundleKey,
			object: operation.object,
			pipedriveId,
			action,
			payloadHash: hash,
			beforeImage,
			errorCode: problem?.errorCode ?? null,
		});
		if (action === 'failed' || action === 'skipped') {
			this.unavailable.add(operation.key);
		} else if (pipedriveId !== null) {
			const previous = this.mapped.get(operation.key);
			this.mapped.set(operation.key, {
				sourceKey: operation.key,
				bundleKey: operation.bundleKey,
				object: operation.object,
				pipedriveId,
				payloadHash: hash,
				createdByRun: action === 'created' ? this.runId : (previous?.createdByRun ?? null),
			});
			this.takenIds?.add(`${operation.object}:${pipedriveId}`);
		}
		return {
			kind: 'done',
			action,
			problem: problem && { key: operation.key, object: operation.object, ...problem },
		};
	}
}
