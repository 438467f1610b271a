import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { PIPEDRIVE_OBJECTS, type Plan, type PlanOperation } from '../plan/plan';
import { SOURCE_KEY_OBJECTS } from '../pipedrive/objects';
import type { FieldRegistry } from '../pipedrive/schemaRequirements';
import { changedFields } from './beforeImage';
import { resolvedBody } from './bodyPath';
import {
	changedFieldsOf,
	changedSinceWritten,
	emptyPrints,
	fieldPrints,
	withoutFields,
	type FieldPrints,
} from './fieldPrints';
import { findWritten, sentIdentity, sourceKeyFieldKey } from './findWritten';
import { apiId, type LedgerClient } from './ledgerClient';
import { payloadHash } from './payloadHash';
import { inFlight, inFlightWidth } from './inFlight';
import { readBack, readBackKey } from './readBack';
import { updateBody } from './updateBody';
import {
	emptyCounts,
	type ActionCounts,
	type ClaimResult,
	DELETED_IN_PIPEDRIVE,
	type EntryAction,
	type Intent,
	type JournalStore,
	type MappedRecord,
	type RunKind,
	type RunRecord,
} from './store/journalStore';
import {
	classifyWriteError,
	LookupFailedError,
	RecordRefusedError,
	refusedBeforeSending,
} from './writeErrors';

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
	/** What to do with a field changed in Pipedrive since the migration wrote it; default keep-pipedrive. */
	conflictPolicy?: ConflictPolicy;
	/**
	 * Writes kept in flight at once; default the client's rate-limiter burst limit, so the plan's
	 * window is filled (the limiter keeps it from being exceeded). 1 = one write at a time.
	 */
	concurrency?: number;
	/** Called after each operation settles (written, skipped, failed or left for later). */
	onProgress?: (progress: { done: number; total: number }) => void;
	/** How long a write waits for a key another live writer holds; default BUSY_WAIT_MS. */
	busyWaitMs?: number;
}

/** Longer than one write with its retries and rate-limit waits takes another writer. */
const BUSY_WAIT_MS = 120_000;
const BUSY_POLL_MS = 250;

/**
 * A field someone changed in Pipedrive after the migration wrote it, met by an update:
 * `keep-pipedrive` leaves the practice's value and updates the other fields, `source-wins`
 * overwrites it (its old value goes into the before-image, as for every update), `stop` writes
 * nothing of that record and holds it for a person to decide.
 */
export const CONFLICT_POLICIES = ['keep-pipedrive', 'source-wins', 'stop'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/** Journal reason codes of the three resolutions (also in the audit log). */
export const CONFLICT_CODES: Record<ConflictPolicy, string> = {
	'keep-pipedrive': 'conflict-kept-pipedrive',
	'source-wins': 'conflict-source-wins',
	stop: 'conflict-stopped',
};

/** The conflict "field" of a record someone deleted in Pipedrive since the migration wrote it. */
export const DELETED_RECORD_FIELD = '*';

/** One record's conflicts: field paths and labels only, never a value. */
export interface Conflict {
	key: string;
	object: PlanOperation['object'];
	pipedriveId: string;
	/** Body paths: `phones`, `custom_fields.<hash>`. */
	fields: string[];
	/** The mapped fields' labels, in the order of `fields`. */
	labels: string[];
	resolution: ConflictPolicy;
	/** When the update met the conflict (RFC 3339 UTC). */
	at: string;
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
	/** Records whose update met fields changed in Pipedrive since the migration wrote them. */
	conflicts: Conflict[];
}

export interface CommitResult {
	run: RunRecord;
	status: 'completed' | 'interrupted';
	/** When the run stopped on the daily budget: when it resets. */
	resetAt: string | null;
	message: string | null;
	bundles: BundleResult[];
	totals: ActionCounts & { pending: number };
	/** Conflicting fields of the run: how many, and how each policy resolved them. */
	conflicts: {
		policy: ConflictPolicy;
		fields: number;
		kept: number;
		overwritten: number;
		stopped: number;
	};
}

const DEFAULT_WRITE_ATTEMPTS = 5;

/**
 * Step 5 (and the sample of step 4): writes plans into Pipedrive in dependency order, journaling
 * an intent before every write and its outcome after, so a run can stop anywhere and resume
 * without duplicates. Already-migrated keys are left alone when their payload is unchanged and
 * updated (with a before-image for rollback) when it changed. A record that fails holds back its
 * children; the others go on. Several operations are in flight at once (`concurrency`), each
 * after its parents' ids are known, so a kill at any point leaves at most that many open
 * intents, each settled by lookup on resume.
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
	/** Set by the first write the daily budget refused; nothing starts after it. */
	const halt: { budget: { resetAt: string } | null; account: string | null } = {
		budget: null,
		account: null,
	};
	// Several bundles in flight, each operation after its parents and after any earlier write of
	// its own key (a record planned in two bundles is written once, then found unchanged).
	const latest = new Map<string, number>();
	const after = operations.map((operation, index) => {
		const earlier = [operation.key, ...Object.values(operation.refs)]
			.map((key) => latest.get(key))
			.filter((found): found is number => found !== undefined);
		latest.set(operation.key, index);
		return earlier;
	});
	const settle = async (operation: PlanOperation): Promise<void> => {
		const bundle = bundles.get(operation.bundleKey) ?? emptyBundle(operation.bundleKey);
		bundles.set(operation.bundleKey, bundle);
		if (halt.budget || halt.account) {
			bundle.pending += 1;
			return;
		}
		const outcome = await writer.apply(operation);
		if (outcome.kind === 'refused-account') {
			halt.account ??= outcome.reason;
			bundle.pending += 1;
			return;
		}
		if (outcome.kind === 'stopped') {
			halt.budget = { resetAt: outcome.resetAt };
			bundle.pending += 1;
			return;
		}
		if (outcome.kind === 'unsettled') {
			bundle.pending += 1;
			bundle.unsettled.push(outcome.problem);
			return;
		}
		bundle.counts[outcome.action] += 1;
		if (outcome.conflict) bundle.conflicts.push(outcome.conflict);
		if (outcome.problem && outcome.action === 'failed') bundle.failed.push(outcome.problem);
		if (outcome.problem && outcome.action === 'skipped') bundle.heldBack.push(outcome.problem);
	};
	let done = 0;
	await inFlight(operations, {
		width: inFlightWidth(options.client, options.concurrency),
		after: (_operation, index) => after[index],
		run: async (operation) => {
			await settle(operation);
			options.onProgress?.({ done: ++done, total: operations.length });
		},
	});
	const results = [...bundles.values()].map((bundle) => inPlanOrder(bundle, operations));
	const totals = { ...emptyCounts(), pending: 0 };
	for (const bundle of results) {
		for (const action of Object.keys(bundle.counts) as EntryAction[])
			totals[action] += bundle.counts[action];
		totals.pending += bundle.pending;
	}
	const unsettled = results.reduce((sum, bundle) => sum + bundle.unsettled.length, 0);
	const policy = options.conflictPolicy ?? 'keep-pipedrive';
	const conflicting = results.flatMap((bundle) => bundle.conflicts);
	const fieldsOf = (resolution: ConflictPolicy) =>
		conflicting
			.filter((conflict) => conflict.resolution === resolution)
			.reduce((sum, conflict) => sum + conflict.fields.length, 0);
	const stop = halt.budget;
	const stopReason = halt.account
		? 'account-refused'
		: stop
			? 'budget-exhausted'
			: unsettled > 0
				? 'unsettled-writes'
				: null;
	const ended = await store.endRun(
		run.id,
		stopReason ? { status: 'interrupted', stopReason } : { status: 'completed' },
	);
	return {
		run: ended,
		status: stopReason ? 'interrupted' : 'completed',
		resetAt: stop?.resetAt ?? null,
		message: halt.account
			? `${halt.account}. ${totals.pending} operations are still to do; fix it and run the commit again with run id ${run.id}: it looks up any write left in doubt first, so nothing is written twice.`
			: stop
				? `The daily Pipedrive API budget is spent: ${totals.pending} operations were not sent. Run the commit again with run id ${run.id} after ${stop.resetAt} to resume; nothing is written twice.`
				: unsettled > 0
					? `${unsettled} writes got no reliable answer from Pipedrive. Run the commit again with run id ${run.id}: it looks them up before writing, so nothing is written twice.`
					: null,
		bundles: results,
		totals,
		conflicts: {
			policy,
			fields: conflicting.reduce((sum, conflict) => sum + conflict.fields.length, 0),
			kept: fieldsOf('keep-pipedrive'),
			overwritten: fieldsOf('source-wins'),
			stopped: fieldsOf('stop'),
		},
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
	for (const object of SOURCE_KEY_OBJECTS) {
		if (objects.has(object)) sourceKeyFieldKey(registry, object);
	}
}

/** Parents before children across all plans (a practice organization before its patients). */
function inDependencyOrder(plans: readonly Plan[]): PlanOperation[] {
	const rank = (operation: PlanOperation) => PIPEDRIVE_OBJECTS.indexOf(operation.object);
	return plans.flatMap((plan) => plan.operations).sort((a, b) => rank(a) - rank(b));
}

/** A bundle's problems and conflicts in plan order, however the writes in flight finished. */
function inPlanOrder(bundle: BundleResult, operations: readonly PlanOperation[]): BundleResult {
	const position = new Map(operations.map((operation, index) => [operation.key, index]));
	const byPlan = <T extends { key: string }>(list: T[]) =>
		[...list].sort((a, b) => (position.get(a.key) ?? 0) - (position.get(b.key) ?? 0));
	return {
		...bundle,
		failed: byPlan(bundle.failed),
		heldBack: byPlan(bundle.heldBack),
		unsettled: byPlan(bundle.unsettled),
		conflicts: byPlan(bundle.conflicts),
	};
}

function emptyBundle(bundleKey: string): BundleResult {
	return {
		bundleKey,
		counts: emptyCounts(),
		pending: 0,
		failed: [],
		heldBack: [],
		unsettled: [],
		conflicts: [],
	};
}

/** What an update of an already-migrated record sends besides its body. */
interface PendingUpdate {
	current: MappedRecord;
	/** The sent fields as Pipedrive held them: what rollback restores. */
	beforeImage: Record<string, unknown>;
	/** What the migration has written after this update (kept fields keep their old print). */
	prints: FieldPrints;
	conflict: Conflict | null;
}

type Outcome =
	| { kind: 'done'; action: EntryAction; problem?: OperationProblem; conflict?: Conflict }
	| { kind: 'unsettled'; problem: OperationProblem }
	| { kind: 'stopped'; resetAt: string }
	| { kind: 'refused-account'; reason: string };

/** Writes one operation at a time against the journal; holds the run's view of the map. */
class PlanWriter {
	private readonly mapped = new Map<string, MappedRecord>();
	/** Keys that failed or were held back in this run: their children are held back too. */
	private readonly unavailable = new Set<string>();
	private takenIds: Promise<Set<string>> | null = null;
	/** Records about to be updated, read in bulk before the first write (conflict checks). */
	private readonly current = new Map<string, Record<string, unknown> | null>();
	/** Open update intents by key: what a writer that died may already have put in Pipedrive. */
	private readonly openUpdates = new Map<string, Intent>();
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
		const updates = operations.flatMap((operation) => {
			const mapped = this.mapped.get(operation.key);
			return mapped && mapped.payloadHash !== payloadHash(operation) ? [mapped] : [];
		});
		const { records } = await readBack(this.options.client, updates);
		for (const [key, record] of records) this.current.set(key, record);
		if (updates.length > 0)
			for (const intent of await this.options.store.openIntents())
				if (intent.kind === 'update' && intent.sent?.length)
					this.openUpdates.set(intent.sourceKey, intent);
	}

	async apply(operation: PlanOperation): Promise<Outcome> {
		try {
			return await this.applyOrThrow(operation);
		} catch (error) {
			const failure = classifyWriteError(error);
			if (failure.kind === 'budget') return { kind: 'stopped', resetAt: failure.resetAt };
			// Nothing landed and nothing will: the intent stays open, the run stops with one message.
			if (failure.kind === 'account') return { kind: 'refused-account', reason: failure.reason };
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
				problem: { errorCode: failure.code, reason: failure.reason },
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
				problem: {
					errorCode,
					reason: `its parent ${missingParent} is ${errorCode === 'parent-failed' ? 'failed or held back in this run' : 'not in the journal'}; fix the parent and commit again`,
				},
			});
		}
		const current = this.mapped.get(operation.key);
		const resolved = this.resolveRefs(operation);
		if (current && current.payloadHash === hash) {
			return this.finish(operation, 'unchanged', current.pipedriveId, hash);
		}
		if (current && this.movesToAnotherPatient(operation, current)) {
			return this.finish(operation, 'skipped', current.pipedriveId, hash, {
				problem: {
					errorCode: 'planned-for-another-patient',
					reason: `the journal holds this record for ${current.bundleKey}, and only a delta moves a record to another patient: if the practice moved it, the delta run moves it; if two patients share its ID in the export (a page's read checks IDs within the page only), read the whole export (step 1), fix the ID in the source and commit again`,
				},
			});
		}
		if (!current) return this.claimAndWrite(operation, resolved, hash, null);
		const record = await this.currentRecord(operation.object, current.pipedriveId);
		if (!record) return this.deletedInPipedrive(operation, current, hash);
		const body = updateBody(operation.object, resolved);
		// A field holding what a dead writer's update sent is the migration's own write, not the practice's.
		const sentByDeadWriter = (field: string) =>
			this.openUpdates
				.get(operation.key)
				?.sent?.some(
					(prints) =>
						prints[field] !== undefined &&
						changedFieldsOf(operation.key, record, { [field]: prints[field] }).length === 0,
				) === true;
		const changed = changedSinceWritten(operation.key, record, current.fieldPrints, body).filter(
			(field) => !sentByDeadWriter(field),
		);
		const policy = this.options.conflictPolicy ?? 'keep-pipedrive';
		const conflict = changed.length > 0 ? this.conflict(operation, current, changed, policy) : null;
		if (conflict && policy === 'stop') {
			return this.finish(operation, 'skipped', current.pipedriveId, hash, {
				problem: {
					errorCode: CONFLICT_CODES.stop,
					reason: `${conflict.labels.join(', ')} changed in Pipedrive since the migration wrote ${changed.length === 1 ? 'it' : 'them'}; nothing of this record was written. Decide which value stays, then commit again with conflictPolicy keep-pipedrive or source-wins`,
				},
				conflict,
			});
		}
		const send = conflict && policy === 'keep-pipedrive' ? withoutFields(body, changed) : body;
		return this.claimAndWrite(operation, send, hash, {
			current,
			beforeImage: changedFields(record, send),
			// Kept fields keep the print of what the migration wrote, so the next update meets them
			// again. A field mapped empty is printed empty, but never over a held print (Pipedrive
			// still holds what was written there), nor in a journal older than prints (whose empty
			// fields may already hold the practice's values).
			prints: {
				...(current.fieldPrints && emptyPrints(operation.key, operation.emptyFields)),
				...current.fieldPrints,
				...fieldPrints(operation.key, send, operation.fields),
			},
			conflict,
		});
	}

	/**
	 * Someone deleted the record in Pipedrive after the migration wrote it, by hand or by merging
	 * two persons into one: a decision of the practice. A delta never re-creates it (that would undo
	 * a merge), whatever the policy; `stop` holds it and its children back for a person to decide,
	 * the others leave it deleted and report it as a conflict on the whole record, every time the
	 * export changes it again. Not a failure: the watermark moves on.
	 */
	private deletedInPipedrive(
		operation: PlanOperation,
		current: MappedRecord,
		hash: string,
	): Promise<Outcome> {
		const stop = this.options.conflictPolicy === 'stop';
		const conflict = this.conflict(
			operation,
			current,
			[DELETED_RECORD_FIELD],
			stop ? 'stop' : 'keep-pipedrive',
		);
		if (stop) {
			this.unavailable.add(operation.key);
			return this.finish(operation, 'skipped', current.pipedriveId, hash, {
				problem: {
					errorCode: CONFLICT_CODES.stop,
					reason:
						'the record was deleted in Pipedrive after the migration wrote it (by hand or by a merge), so nothing of it was written; restore it in Pipedrive (deleted records stay restorable for 30 days) and commit again, or commit with conflictPolicy keep-pipedrive to leave it deleted',
				},
				conflict,
			});
		}
		return this.finish(operation, 'unchanged', current.pipedriveId, hash, {
			conflict,
			errorCode: DELETED_IN_PIPEDRIVE,
		});
	}

	private conflict(
		operation: PlanOperation,
		current: MappedRecord,
		fields: string[],
		resolution: ConflictPolicy,
	): Conflict {
		return {
			key: operation.key,
			object: operation.object,
			pipedriveId: current.pipedriveId,
			fields,
			labels: fields.map((path) =>
				path === DELETED_RECORD_FIELD
					? 'the whole record (deleted in Pipedrive)'
					: (operation.fields.find((field) => field.path === path)?.label ?? path),
			),
			resolution,
			at: new Date().toISOString(),
		};
	}

	/** Journals the intent, then creates or (with `update`) updates the record. */
	private async claimAndWrite(
		operation: PlanOperation,
		body: Record<string, unknown>,
		hash: string,
		update: PendingUpdate | null,
	): Promise<Outcome> {
		const current = update?.current;
		const identity = update
			? fieldPrints(operation.key, body, operation.fields)
			: sentIdentity(operation, body);
		const intent = {
			runId: this.runId,
			sourceKey: operation.key,
			bundleKey: operation.bundleKey,
			object: operation.object,
			kind: update ? ('update' as const) : ('create' as const),
			payloadHash: hash,
			beforeImage: update?.beforeImage ?? null,
			sent: identity ? [identity] : [],
		};
		const claim = await this.claimWhenFree(intent);
		// A dead writer may have sent other bodies (the export changed since): this intent keeps
		// them too, so after a crash now the next run still finds whichever one landed.
		const sentBefore = claim.status === 'stale' ? (claim.previous.sent ?? []) : [];
		if (sentBefore.length > 0)
			await this.options.store.claimIntent({ ...intent, sent: [...sentBefore, ...intent.sent] });
		if (claim.status === 'busy') {
			return this.finish(operation, 'skipped', null, hash, {
				problem: {
					errorCode: 'busy-elsewhere',
					reason: 'another worker is writing this record right now; it is journaled there',
				},
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
		if (update) {
			// An interrupted update read the true before-image of the fields it changed; what is in
			// Pipedrive now may be its own write. The fields this update adds come from the read.
			const previous =
				claim.status === 'stale' && claim.previous.kind === 'update'
					? claim.previous.beforeImage
					: null;
			return this.update(
				operation,
				body,
				hash,
				{ ...update, beforeImage: { ...update.beforeImage, ...previous } },
				claim.status === 'stale',
			);
		}
		return this.create(operation, body, hash, claim.status === 'stale', {
			sentBefore,
			// A record found by what the dead writer sent holds what it sent, not what the export holds now.
			outdated: claim.status === 'stale' && claim.previous.payloadHash !== hash,
		});
	}

	/**
	 * Claims the key's intent, waiting while another live writer holds it: pages of a group
	 * migration running at once share records (an employer or referring dentist several patients
	 * name), and the other writer settles its one write within its retries. Once it has, the claim
	 * succeeds and the journal's fresh map shows what it wrote. A writer that died frees the key
	 * at once (its intent turns stale); one still busy after `busyWaitMs` leaves the record held
	 * back for a re-run, as before.
	 */
	private async claimWhenFree(intent: Omit<Intent, 'at'>): Promise<ClaimResult> {
		const waitUntil = Date.now() + (this.options.busyWaitMs ?? BUSY_WAIT_MS);
		for (;;) {
			const claim = await this.options.store.claimIntent(intent);
			if (claim.status !== 'busy' || Date.now() >= waitUntil) return claim;
			await sleep(BUSY_POLL_MS);
		}
	}

	private async create(
		operation: PlanOperation,
		body: Record<string, unknown>,
		hash: string,
		mayExist: boolean,
		earlier: { sentBefore: readonly FieldPrints[]; outdated: boolean },
	): Promise<Outcome> {
		const created = (sent: Record<string, unknown>) => ({
			fieldPrints: {
				...emptyPrints(operation.key, operation.emptyFields),
				...fieldPrints(operation.key, sent, operation.fields),
			},
		});
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
					earlier.sentBefore,
				).catch((error: unknown) => {
					throw new LookupFailedError(error);
				});
				if (found !== null) {
					// Found by a body a dead writer sent before the export changed: bring it up to date.
					if (earlier.outdated && operation.object !== 'file')
						await this.options.client.update(
							operation.object,
							apiId(found),
							updateBody(operation.object, body),
						);
					return this.finish(operation, 'created', found, hash, created(body));
				}
			}
			// Give up only after a lookup has shown the last uncertain attempt did not land.
			if (lastUncertain !== null && attempt > this.maxAttempts) throw lastUncertain;
			try {
				const sent = await this.send(operation, body);
				return this.finish(operation, 'created', String(sent.id), hash, created(body));
			} catch (error) {
				// Refused before it left, and nothing earlier landed: any doubt (an earlier writer, an
				// uncertain attempt) was looked up just before this attempt and found nothing.
				if (refusedBeforeSending(error)) await this.settleUnsent(operation);
				if (classifyWriteError(error).kind !== 'uncertain') throw error;
				// The server may have applied the POST before the answer was lost: look before writing again.
				lastUncertain = error;
				lookFirst = true;
			}
		}
	}

	private async update(
		operation: PlanOperation,
		body: Record<string, unknown>,
		hash: string,
		update: PendingUpdate,
		/** A dead writer left an intent on this key: its update may have landed. */
		mayHaveLanded: boolean,
	): Promise<Outcome> {
		const { current, conflict } = update;
		if (operation.object === 'file') {
			return this.finish(operation, 'failed', current.pipedriveId, hash, {
				problem: {
					errorCode: 'file-changed',
					reason:
						'an uploaded file cannot be replaced in place; roll back the file or upload it under a new key',
				},
			});
		}
		for (let attempt = 1; ; attempt++) {
			try {
				await this.options.client.update(operation.object, apiId(current.pipedriveId), body);
				return this.finish(operation, 'updated', current.pipedriveId, hash, {
					beforeImage: update.beforeImage,
					fieldPrints: update.prints,
					conflict: conflict ?? undefined,
					errorCode: conflict ? CONFLICT_CODES[conflict.resolution] : undefined,
				});
			} catch (error) {
				// Only when no attempt can have landed: the before-image read for this update must stay
				// the one the resume restores from (an update that landed would make it read its own values).
				if (!mayHaveLanded && attempt === 1 && refusedBeforeSending(error))
					await this.settleUnsent(operation);
				const failure = classifyWriteError(error);
				// An update sends the whole new state, so repeating it is harmless.
				if (failure.kind !== 'uncertain' || attempt >= this.maxAttempts) throw error;
			}
		}
	}

	/**
	 * The daily budget refused this write before it was sent: its intent is closed as not sent,
	 * so the resume writes it without looking it up first.
	 */
	private async settleUnsent(operation: PlanOperation): Promise<void> {
		await this.options.store.settleUnsent({ runId: this.runId, sourceKey: operation.key });
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
	 * The record as Pipedrive holds it now (null when it is gone): conflicts and the before-image
	 * come from it. Read once, in bulk, by `preload`; a record met again after a write is re-read.
	 */
	private async currentRecord(
		object: PlanOperation['object'],
		pipedriveId: string,
	): Promise<Record<string, unknown> | null> {
		const key = readBackKey(object, pipedriveId);
		const read = this.current.get(key);
		this.current.delete(key);
		return read !== undefined ? read : this.options.client.get(object, apiId(pipedriveId));
	}

	private resolveRefs(operation: PlanOperation): Record<string, unknown> {
		return resolvedBody(operation, (key) => this.mapped.get(key)?.pipedriveId);
	}

	private async isTaken(object: PlanOperation['object'], id: string): Promise<boolean> {
		// One read of the map, shared by the writes in flight that need it.
		this.takenIds ??= this.options.store
			.listMapped()
			.then((mapped) => new Set(mapped.map((record) => `${record.object}:${record.pipedriveId}`)));
		return (await this.takenIds).has(`${object}:${id}`);
	}

	/**
	 * Whether a full or sample run would hand a patient's record to another patient. A record of
	 * one patient planned in another's bundle is, outside a delta, two patients sharing one source
	 * ID across pages (the page's read cannot see the other page); updating it would overwrite the
	 * first patient's record with the second's, so it is held back with its children. A delta moves
	 * it: there the practice moved it. Organizations are shared by design (an employer is planned in
	 * the bundle of every patient who names it).
	 */
	private movesToAnotherPatient(operation: PlanOperation, current: MappedRecord): boolean {
		return (
			this.options.kind !== 'delta' &&
			operation.object !== 'organization' &&
			current.bundleKey !== operation.bundleKey
		);
	}

	private async finish(
		operation: PlanOperation,
		action: EntryAction,
		pipedriveId: string | null,
		hash: string,
		extra: {
			problem?: { errorCode: string; reason: string };
			beforeImage?: Record<string, unknown>;
			fieldPrints?: FieldPrints;
			conflict?: Conflict;
			/** A reason code for an outcome that is no problem (a resolved conflict). */
			errorCode?: string;
		} = {},
	): Promise<Outcome> {
		const { problem, conflict } = extra;
		await this.options.store.record({
			runId: this.runId,
			sourceKey: operation.key,
			bundleKey: operation.bundleKey,
			object: operation.object,
			pipedriveId,
			action,
			payloadHash: hash,
			beforeImage: extra.beforeImage ?? null,
			errorCode: problem?.errorCode ?? extra.errorCode ?? null,
			fieldPrints: extra.fieldPrints ?? null,
			conflicts: conflict?.fields ?? null,
		});
		// A record stopped on a conflict is still in Pipedrive: its children may go on.
		if ((action === 'failed' || action === 'skipped') && !conflict) {
			this.unavailable.add(operation.key);
		} else if (pipedriveId !== null && action !== 'skipped') {
			const previous = this.mapped.get(operation.key);
			this.mapped.set(operation.key, {
				sourceKey: operation.key,
				bundleKey: operation.bundleKey,
				object: operation.object,
				pipedriveId,
				payloadHash: hash,
				createdByRun: action === 'created' ? this.runId : (previous?.createdByRun ?? null),
				fieldPrints:
					action === 'unchanged' ? (previous?.fieldPrints ?? null) : (extra.fieldPrints ?? null),
			});
			void this.takenIds?.then((taken) => taken.add(`${operation.object}:${pipedriveId}`));
		}
		return {
			kind: 'done',
			action,
			problem: problem && { key: operation.key, object: operation.object, ...problem },
			conflict,
		};
	}
}
