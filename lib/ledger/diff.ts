import type { MappedField, Plan, PlanOperation } from '../plan/plan';
import { getAtPath, resolvedBody } from './bodyPath';
import { apiId, type LedgerClient } from './ledgerClient';
import { storedAt } from '../verify/verify';
import { normalise } from './normalise';
import { readBackCost } from './readBack';
import { leftInPipedrive, type JournalStore, type MappedRecord } from './store/journalStore';
import { summariseByField, type FieldSummaryBase } from './report/fieldSummary';

export type FieldStatus = 'match' | 'mismatch' | 'missing' | 'not-checked';

/** One mapped field of one written record. Holds patient values: for the practice's report only. */
export interface FieldDiff {
	bundleKey: string;
	sourceKey: string;
	object: PlanOperation['object'];
	pipedriveId: string | null;
	canonical: string;
	label: string;
	path: string;
	fieldType: string;
	expected: unknown;
	stored: unknown;
	status: FieldStatus;
}

export interface DiffSummaryRow extends FieldSummaryBase {
	match: number;
	mismatch: number;
	missing: number;
}

export interface DiffReport {
	runId: string | null;
	fields: FieldDiff[];
	summary: DiffSummaryRow[];
	totals: Record<FieldStatus, number>;
	readBack: {
		records: number;
		requests: number;
		tokens: number;
		budgetTokens: number | null;
		skippedForBudget: number;
	};
}

export interface DiffOptions {
	store: JournalStore;
	client: LedgerClient;
	/** Compare the records this run wrote (created, updated or found unchanged); all mapped records when omitted. */
	runId?: string;
	/** Stop reading back once this many tokens are spent; the rest is reported as not checked. */
	maxReadBackTokens?: number;
}

/**
 * Write fidelity against the plan (Reconcile's optional field comparison and the Ledger's own
 * tests): it shows that Commit wrote what the plan said, and nothing more. The practice's diff
 * report is lib/verify, which derives what Pipedrive must hold from the source instead.
 *
 * The field-level diff of step 4: reads every written record back from Pipedrive and compares
 * each mapped field, the value the plan sent against the value Pipedrive stores, normalised per
 * field type. A field is `missing` when the plan sent a value and Pipedrive holds none.
 */
export async function diffReport(
	plans: readonly Plan[],
	options: DiffOptions,
): Promise<DiffReport> {
	const { store, client } = options;
	const operations = plans.flatMap((plan) => plan.operations);
	const inRun = options.runId ? await writtenIn(store, options.runId) : null;
	const mapped = await store.lookup([
		...new Set(
			operations.flatMap((operation) => [operation.key, ...Object.values(operation.refs)]),
		),
	]);
	const report: DiffReport = {
		runId: options.runId ?? null,
		fields: [],
		summary: [],
		totals: { match: 0, mismatch: 0, missing: 0, 'not-checked': 0 },
		readBack: {
			records: 0,
			requests: 0,
			tokens: 0,
			budgetTokens: options.maxReadBackTokens ?? null,
			skippedForBudget: 0,
		},
	};
	for (const operation of operations) {
		if (inRun && !inRun.has(operation.key)) continue;
		const record = mapped.get(operation.key);
		if (!record) continue;
		report.readBack.records += 1;
		const cost = readBackCost(operation.object);
		const budget = options.maxReadBackTokens;
		const affordable = budget === undefined || report.readBack.tokens + cost <= budget;
		let stored: Record<string, unknown> | null = null;
		if (affordable) {
			stored = await client.get(operation.object, apiId(record.pipedriveId));
			report.readBack.requests += 1;
			report.readBack.tokens += cost;
		} else {
			report.readBack.skippedForBudget += 1;
		}
		const planned = resolvedBody(operation, (key) => mapped.get(key)?.pipedriveId);
		for (const field of operation.fields) {
			const diff = compareField(operation, record, field, planned, affordable ? stored : undefined);
			report.fields.push(diff);
			report.totals[diff.status] += 1;
		}
	}
	report.summary = summarise(report.fields);
	return report;
}

async function writtenIn(store: JournalStore, runId: string): Promise<Set<string>> {
	const run = await store.getRun(runId);
	if (!run)
		throw new Error(
			`Run ${runId} is not in this company's journal; check the run id and the target account.`,
		);
	const written = new Set<string>();
	for await (const batch of store.entryBatches({ runIds: [runId] }))
		for (const entry of batch) if (leftInPipedrive(entry)) written.add(entry.sourceKey);
	return written;
}

/** `stored` undefined = not read (budget); null = the record is gone from Pipedrive. */
function compareField(
	operation: PlanOperation,
	record: MappedRecord,
	field: MappedField,
	planned: Record<string, unknown>,
	stored: Record<string, unknown> | null | undefined,
): FieldDiff {
	const expected = plannedValue(operation, field, planned);
	const storedValue = stored ? storedAt(stored, field.path) : null;
	const base = {
		bundleKey: operation.bundleKey,
		sourceKey: operation.key,
		object: operation.object,
		pipedriveId: record.pipedriveId,
		canonical: field.canonical,
		label: field.label,
		path: field.path,
		fieldType: field.fieldType,
		expected: expected ?? null,
		stored: storedValue ?? null,
	};
	if (stored === undefined) return { ...base, status: 'not-checked' };
	const want = normalise(expected, field.fieldType, field.path);
	const have = normalise(storedValue, field.fieldType, field.path);
	if (want === have) return { ...base, status: 'match' };
	return { ...base, status: have === null ? 'missing' : 'mismatch' };
}

/** What the plan sent: its body with refs resolved, or (files) the document's name and size. */
function plannedValue(
	operation: PlanOperation,
	field: MappedField,
	planned: Record<string, unknown>,
): unknown {
	if (operation.file && (field.path === 'file_name' || field.path === 'name'))
		return operation.file.fileName;
	if (operation.file && field.path === 'file_size') return operation.file.sizeBytes;
	return getAtPath(planned, field.path);
}

function summarise(fields: readonly FieldDiff[]): DiffSummaryRow[] {
	return summariseByField<DiffSummaryRow, FieldStatus>(fields, ['match', 'mismatch', 'missing']);
}
