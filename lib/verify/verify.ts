import type { PatientBundle } from '../model/bundle';
import type { Provider, ReferenceEntity } from '../model/reference';
import type { PipedriveObject } from '../plan/plan';
import type { FieldRegistry } from '../pipedrive/schemaRequirements';
import type { MappingSpec } from '../mapping/spec';
import { getAtPath } from '../ledger/bodyPath';
import { normalise } from '../ledger/normalise';
import {
	DELETED_IN_PIPEDRIVE,
	leftInPipedrive,
	type JournalStore,
} from '../ledger/store/journalStore';
import type { SourceProfile } from '../sources/common/profile';
import { expectedForBundle, expectedForReference } from './expected';
import type { ExpectedField, ExpectedRecord, SourceRef } from './expected';
import type { UserLite } from '../pipedrive/fallbackOwner';
import { expectedOwners } from './owners';
import { readSourceCells, type SourceCell } from './sourceCells';
import { tallyField, type FieldSummaryBase } from '../ledger/report/fieldSummary';

/**
 * The field-level diff, verified from the source: for every record the export says must exist,
 * the value each mapped field must hold (derived from the source record by the spec's rule, see
 * expected.ts), the value Pipedrive holds, and the verdict. Records that should exist and do not,
 * and records the run wrote that no rule asks for, are reported too.
 */

export type FieldStatus = 'match' | 'mismatch' | 'missing' | 'unexpected' | 'not-checked';

/** One field of one record. Holds patient values: for the practice's report only. */
export interface FieldDiff {
	bundleKey: string;
	sourceKey: string;
	object: PipedriveObject;
	pipedriveId: string | null;
	canonical: string;
	label: string;
	path: string;
	fieldType: string;
	rule: ExpectedField['rule'];
	/** The export's own text for this field: file, line, column header, raw cell. */
	source: SourceCell[];
	/** Where the record sits in the export when no column applies (links, source keys). */
	origin: { file: string; line: number } | null;
	expected: unknown;
	stored: unknown;
	status: FieldStatus;
}

export interface DiffSummaryRow extends FieldSummaryBase {
	match: number;
	mismatch: number;
	missing: number;
	unexpected: number;
}

export interface DiffReport {
	runId: string | null;
	fields: FieldDiff[];
	summary: DiffSummaryRow[];
	totals: Record<FieldStatus, number>;
	records: {
		expected: number;
		verified: number;
		missing: number;
		unexpected: number;
		/**
		 * Of the missing records: those the practice deleted in Pipedrive after the migration wrote
		 * them, as a delta found (the journal's `deleted-in-pipedrive`), and nothing wrote since. Still
		 * missing (Pipedrive does not hold them), but the practice's doing, not a lost record.
		 */
		deletedInPipedrive: number;
	};
	owners: {
		matched: number;
		fallback: number;
		toReview: string[];
		/** The fallback owner setting could not be followed: the connected user was expected instead. */
		warning?: string;
	};
	readBack: {
		records: number;
		requests: number;
		tokens: number;
		budgetTokens: number | null;
		skippedForBudget: number;
	};
}

/** Reads records back: `${object}:${id}` → the record as Pipedrive answers it, or null (gone). */
export type RecordReader = (
	wanted: Array<{ object: PipedriveObject; pipedriveId: string }>,
	budgetTokens: number | undefined,
) => Promise<{
	records: Map<string, Record<string, unknown> | null>;
	requests: number;
	tokens: number;
	skipped: number;
}>;

export interface VerifyInput {
	bundles: readonly PatientBundle[];
	references: readonly ReferenceEntity[];
	spec: MappingSpec;
	registry: FieldRegistry;
	/** Pipedrive's users and the API user, read by the verifier itself (never the owner map). */
	users: readonly UserLite[];
	apiUserId: number;
	store: JournalStore;
	read: RecordReader;
	/** Also report records this run wrote that no rule asks for (a wrong lead, a stray deal). */
	runId?: string;
	maxReadBackTokens?: number;
	/** The export folder and its profile, to show each field's raw text as the export holds it. */
	export?: { dir: string; profile: SourceProfile };
	/**
	 * A report verified in parts (pages of a streamed read): the records (`object:sourceKey`) an
	 * earlier part verified, left out here (an employer's organization, the reference entities);
	 * this part adds its own.
	 */
	verified?: Set<string>;
	/**
	 * Keep only the fields that did not match, counting the matches into the summary and totals
	 * (a report verified in parts: one diff per value of the export would grow with it).
	 */
	problemsOnly?: boolean;
	/** The summary's counts carried on from earlier parts of one report. */
	summaryRows?: Map<string, Record<string, string | number>>;
	/**
	 * A report verified in parts: the missing records are collected here and looked up in the
	 * journal once, after the last part (one pass over the journal, not one per part).
	 */
	missingKeys?: Set<string>;
}

export async function verifyFromSource(input: VerifyInput): Promise<DiffReport> {
	const providers = input.references.filter((e): e is Provider => e.kind === 'provider');
	const owners = expectedOwners(
		providers,
		input.users,
		input.spec.rules.fallbackOwnerEmail,
		input.apiUserId,
	);
	const context = { spec: input.spec, registry: input.registry, owners };
	// An employer's organization is expected by each of its patients: verified once.
	const expected: ExpectedRecord[] = [
		...new Map(
			[
				...input.references.flatMap((entity) => expectedForReference(entity, context)),
				...input.bundles.flatMap((bundle) => expectedForBundle(bundle, context)),
			]
				.map((record): [string, ExpectedRecord] => [`${record.object}:${record.sourceKey}`, record])
				.filter(([key]) => !input.verified?.has(key)),
		).entries(),
	].map(([key, record]) => {
		input.verified?.add(key);
		return record;
	});
	const parentKeys = expected.flatMap((r) => r.fields.flatMap((f) => f.expectedRef ?? []));
	const mapped = await input.store.lookup([
		...new Set([...expected.map((r) => r.sourceKey), ...parentKeys]),
	]);
	const wanted = expected.flatMap((r) => {
		const record = mapped.get(r.sourceKey);
		return record ? [{ object: r.object, pipedriveId: record.pipedriveId }] : [];
	});
	const read = await input.read(wanted, input.maxReadBackTokens);

	const report: DiffReport = {
		runId: input.runId ?? null,
		fields: [],
		summary: [],
		totals: { match: 0, mismatch: 0, missing: 0, unexpected: 0, 'not-checked': 0 },
		records: {
			expected: expected.length,
			verified: 0,
			missing: 0,
			unexpected: 0,
			deletedInPipedrive: 0,
		},
		owners: {
			matched: owners.matched.length,
			fallback: owners.toReview.length,
			toReview: owners.toReview,
			...(owners.fallbackWarning
				? { warning: `${owners.fallbackWarning}. This report expects the connected user instead` }
				: {}),
		},
		readBack: {
			records: wanted.length,
			requests: read.requests,
			tokens: read.tokens,
			budgetTokens: input.maxReadBackTokens ?? null,
			skippedForBudget: read.skipped,
		},
	};
	const rows = input.summaryRows ?? new Map<string, Record<string, string | number>>();
	const missingKeys = input.missingKeys ?? new Set<string>();
	// The export's own text is read after the verdicts, for the fields the report keeps only.
	const kept: Array<{ diff: FieldDiff; ref: SourceRef }> = [];
	const push = (diff: FieldDiff, ref?: SourceRef) => {
		if (recordVerdict(report, rows, input.problemsOnly, diff) && ref) kept.push({ diff, ref });
	};
	for (const record of expected) {
		const journal = mapped.get(record.sourceKey);
		const id = journal?.pipedriveId ?? null;
		const stored = id === null ? null : read.records.get(`${record.object}:${id}`);
		if (stored === null || id === null) {
			report.records.missing += 1;
			if (id !== null) missingKeys.add(record.sourceKey);
		} else if (stored !== undefined) report.records.verified += 1;
		for (const field of record.fields) {
			const expectedValue =
				field.expectedRef === undefined
					? field.expected
					: (mapped.get(field.expectedRef)?.pipedriveId ?? `(${field.expectedRef} not migrated)`);
			const storedValue = stored ? storedAt(stored, field.path) : null;
			push(
				{
					bundleKey: record.bundleKey,
					sourceKey: record.sourceKey,
					object: record.object,
					pipedriveId: id,
					canonical: field.canonical,
					label: field.label,
					path: field.path,
					fieldType: field.fieldType,
					rule: field.rule,
					source: [],
					origin: field.source ? { file: field.source.file, line: field.source.line } : null,
					expected: expectedValue ?? null,
					stored: storedValue ?? null,
					status:
						stored === undefined && id !== null
							? 'not-checked'
							: verdict(field, expectedValue, storedValue),
				},
				field.source ?? undefined,
			);
		}
	}
	if (input.runId) {
		const wanted = new Set(expected.map((r) => r.sourceKey));
		const scope = {
			store: input.store,
			runId: input.runId,
			bundles: bundleKeysOf(input),
			isExpected: (object: PipedriveObject, sourceKey: string) =>
				wanted.has(sourceKey) || input.verified?.has(`${object}:${sourceKey}`) === true,
		};
		await reportUnexpected(scope, report, push);
	}
	if (!input.missingKeys)
		report.records.deletedInPipedrive = await deletedInPipedrive(input.store, missingKeys);
	if (input.export && kept.length > 0) {
		const cells = await readSourceCells(
			input.export.dir,
			input.export.profile,
			kept.map(({ ref }) => ref),
		);
		for (const { diff, ref } of kept) diff.source = cells(ref);
	}
	report.summary = [...rows.values()] as unknown as DiffSummaryRow[];
	return report;
}

const VERDICTS = ['match', 'mismatch', 'missing', 'unexpected'] as const;

/** `label:number` per phone, sorted: each number as normalise compares phones, with its label. */
function labelledItems(value: unknown): string {
	const items = Array.isArray(value) ? (value as Array<Record<string, unknown>>) : [];
	return items
		.flatMap((item) => {
			const number = normalise(item.value, 'phone', 'phones');
			return number === null ? [] : [`${String(item.label ?? '')}:${number}`];
		})
		.sort()
		.join(' | ');
}

const flat = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The text after the `[label]`s it starts with, as long as each is one of `labels`. */
function withoutLabels(text: string, labels: readonly string[]): string {
	const allowed = new Set(labels.map((label) => flat(label)));
	let rest = text;
	for (let match = /^\[([^\]]*)\]\s*/.exec(rest); match && allowed.has(flat(match[1])); ) {
		rest = rest.slice(match[0].length);
		match = /^\[([^\]]*)\]\s*/.exec(rest);
	}
	return rest;
}

/** Text as the `contains` and `lines` rules read it: one space between words, any letter case. */
const loose = (s: string) => flat(s).toLowerCase().replace(/[-_]+/g, ' ');

/** `part` in `text` as whole words: plan "1" is not in "Treatment plan 12". */
function hasWords(text: string, part: string): boolean {
	const escaped = loose(part).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(loose(text));
}

const part = (value: unknown) =>
	value === undefined || value === null ? '' : String(value).trim();

/** Each expected address part in its own part of the stored address; a second line in its text. */
function addressVerdict(expected: unknown, stored: unknown): FieldStatus {
	const want = (expected ?? {}) as Record<string, unknown>;
	if (!stored || typeof stored !== 'object') return 'missing';
	const have = stored as Record<string, unknown>;
	for (const [key, value] of Object.entries(want)) {
		if (key === 'line2') {
			if (part(value) && !hasWords(part(have.value), part(value))) return 'mismatch';
		} else if (part(value) !== part(have[key])) return 'mismatch';
	}
	return 'match';
}

/** As many lines as expected, each expected line's words together in a line of its own. */
function linesVerdict(expected: unknown, stored: unknown): FieldStatus {
	const lines = String(stored)
		.split(/\r?\n/)
		.filter((line) => line.trim() !== '');
	const wanted = expected as string[][];
	if (lines.length !== wanted.length) return 'mismatch';
	const free = [...lines];
	for (const words of wanted) {
		const at = free.findIndex((line) => words.every((word) => hasWords(line, word)));
		if (at < 0) return 'mismatch';
		free.splice(at, 1);
	}
	return 'match';
}

/** Only codes of the source, and all of them when they fit a text field (255 characters). */
function codesVerdict(expected: unknown, stored: unknown): FieldStatus {
	const codes = expected as string[];
	const have = String(stored)
		.split(/[,;]\s*/)
		.map((code) => code.trim())
		.filter(Boolean);
	if (have.length === 0 || have.some((code) => !codes.includes(code))) return 'mismatch';
	const fits = codes.join(', ').length <= 255;
	return fits && new Set(have).size !== new Set(codes).size ? 'mismatch' : 'match';
}

const STRUCTURED: Partial<
	Record<ExpectedField['rule'], (expected: unknown, stored: unknown) => FieldStatus>
> = { address: addressVerdict, lines: linesVerdict, codes: codesVerdict };

function verdict(field: ExpectedField, expected: unknown, stored: unknown): FieldStatus {
	const structured = STRUCTURED[field.rule];
	if (structured) {
		const empty = (value: unknown) => normalise(value, 'text', field.path) === null;
		if (empty(expected)) return empty(stored) ? 'match' : 'mismatch';
		return empty(stored) ? 'missing' : structured(expected, stored);
	}
	const want = normalise(expected, field.fieldType, field.path);
	const have = normalise(stored, field.fieldType, field.path);
	if (field.rule === 'set-by-pipedrive') return 'match';
	if (field.rule === 'labelled-list') {
		if (want === null) return have === null ? 'match' : 'mismatch';
		if (have === null) return 'missing';
		return labelledItems(expected) === labelledItems(stored) ? 'match' : 'mismatch';
	}
	if (field.rule === 'pseudonymised') {
		if (have === null) return 'missing';
		return /^[0-9a-f]{64}$/.test(have) ? 'match' : 'mismatch';
	}
	if (field.rule === 'contains') {
		const parts = (Array.isArray(expected) ? expected : [expected]).map(part).filter(Boolean);
		if (parts.length === 0) return 'match';
		if (have === null) return 'missing';
		return parts.every((text) => hasWords(have, text)) ? 'match' : 'mismatch';
	}
	if (field.rule === 'labelled-text') {
		if (want === null) return 'match';
		if (have === null) return 'missing';
		const text = flat(normalise(expected, 'text', field.path));
		return withoutLabels(flat(have), field.labels ?? []) === text ? 'match' : 'mismatch';
	}
	if (want === have) return 'match';
	return have === null ? 'missing' : 'mismatch';
}

/**
 * Counts a verdict into the totals and the summary and keeps it, unless only problems are kept
 * and it matched; true when kept.
 */
function recordVerdict(
	report: DiffReport,
	rows: Map<string, Record<string, string | number>>,
	problemsOnly: boolean | undefined,
	diff: FieldDiff,
): boolean {
	report.totals[diff.status] += 1;
	tallyField(diff, VERDICTS, rows);
	if (problemsOnly && diff.status === 'match') return false;
	report.fields.push(diff);
	return true;
}

/**
 * How many of `keys` (records Pipedrive no longer holds) the journal says the practice deleted:
 * a delta met the record deleted (`deleted-in-pipedrive`) and nothing created, updated or
 * restored it since. One pass over the journal, a batch at a time.
 */
async function deletedInPipedrive(store: JournalStore, keys: ReadonlySet<string>): Promise<number> {
	if (keys.size === 0) return 0;
	const deleted = new Set<string>();
	for await (const batch of store.entryBatches())
		for (const entry of batch) {
			if (!keys.has(entry.sourceKey)) continue;
			if (entry.errorCode === DELETED_IN_PIPEDRIVE) deleted.add(entry.sourceKey);
			else if (['created', 'updated', 'restored'].includes(entry.action))
				deleted.delete(entry.sourceKey);
		}
	return deleted.size;
}

/** The bundles a report covers: its patients and the reference entities. */
function bundleKeysOf(input: Pick<VerifyInput, 'bundles' | 'references'>): Set<string> {
	return new Set([
		...input.bundles.map((b) => b.bundleKey),
		...input.references.map((e) => e.sourceKey),
	]);
}

/** What the search for unexpected records looks at: the run's entries of these bundles. */
interface UnexpectedScope {
	store: JournalStore;
	runId: string;
	bundles: ReadonlySet<string>;
	/** A record some rule of the spec asks for (in this report or an earlier part of it). */
	isExpected: (object: PipedriveObject, sourceKey: string) => boolean;
}

/**
 * Records the run wrote for these bundles that no rule of the spec asks for: one pass over the
 * run's entries, a batch at a time (a whole migration's entries are never held at once).
 */
async function reportUnexpected(
	scope: UnexpectedScope,
	report: DiffReport,
	push: (diff: FieldDiff) => void,
): Promise<void> {
	const seen = new Set<string>();
	for await (const batch of scope.store.entryBatches({ runIds: [scope.runId] }))
		for (const entry of batch) {
			if (!leftInPipedrive(entry)) continue;
			if (!scope.bundles.has(entry.bundleKey) || seen.has(entry.sourceKey)) continue;
			if (scope.isExpected(entry.object, entry.sourceKey)) continue;
			// Derived records with no rule of their own here (lab-case activities, prescription notes,
			// employer organizations) are not "unexpected": only the objects the rules above own are.
			if (!OWNED_BY_RULES[entry.object]?.test(entry.sourceKey)) continue;
			seen.add(entry.sourceKey);
			report.records.unexpected += 1;
			push({
				bundleKey: entry.bundleKey,
				sourceKey: entry.sourceKey,
				object: entry.object,
				pipedriveId: entry.pipedriveId,
				canonical: 'record',
				label: 'record',
				path: '',
				fieldType: 'text',
				rule: 'equal',
				source: [],
				origin: null,
				expected: null,
				stored: entry.pipedriveId,
				status: 'unexpected',
			});
		}
}

/**
 * The records the rules above own, by the keys they carry: leads and deals keyed by a plan
 * (`…:treatmentPlan:<id>` and its `:lead`), and notes keyed by a source note (`…:note:<id>`), so
 * a note the privacy rules keep out (a clinical category) that was written anyway is unexpected.
 */
const OWNED_BY_RULES: Partial<Record<PipedriveObject, RegExp>> = {
	lead: /:treatmentPlan:[^:]+(:lead)?$/,
	deal: /:treatmentPlan:[^:]+(:lead)?$/,
	note: /:note:[^:]+$/,
};

/** v1 objects (leads) answer custom fields at the top level, v2 inside `custom_fields`. */
export function storedAt(stored: Record<string, unknown>, path: string): unknown {
	const value = getAtPath(stored, path);
	if (value !== undefined || !path.startsWith('custom_fields.')) return value;
	return stored[path.slice('custom_fields.'.length)];
}

export type { SourceRef };

/**
 * The report of a streamed migration, verified part by part (`parts` yields each part's bundles,
 * e.g. a few pages of the spool), so memory holds one part, not the export. Totals, record counts,
 * read-back and summary are those of one report over every part; `fields` keeps only the fields
 * that did not match (a field per value of the export would grow with it).
 */
export async function verifyFromSourceInParts(
	input: Omit<VerifyInput, 'bundles' | 'verified'>,
	parts: Iterable<readonly PatientBundle[]>,
): Promise<DiffReport> {
	// Unexpected records are looked for once, after the last part: one pass over the run's entries.
	const { runId, ...perPart } = input;
	const verified = new Set<string>();
	const bundles = bundleKeysOf({ bundles: [], references: input.references });
	let merged: DiffReport | undefined;
	const summaryRows = new Map<string, Record<string, string | number>>();
	const missingKeys = new Set<string>();
	for (const part of parts) {
		const spent = merged?.readBack.tokens ?? 0;
		const budget = input.maxReadBackTokens;
		for (const bundle of part) bundles.add(bundle.bundleKey);
		const report = await verifyFromSource({
			...perPart,
			bundles: part,
			verified,
			problemsOnly: true,
			summaryRows,
			missingKeys,
			...(budget === undefined ? {} : { maxReadBackTokens: Math.max(budget - spent, 0) }),
		});
		if (!merged) {
			merged = report;
			continue;
		}
		for (const field of report.fields) merged.fields.push(field);
		for (const status of Object.keys(merged.totals) as FieldStatus[])
			merged.totals[status] += report.totals[status];
		for (const count of ['expected', 'verified', 'missing', 'unexpected'] as const)
			merged.records[count] += report.records[count];
		for (const count of ['records', 'requests', 'tokens', 'skippedForBudget'] as const)
			merged.readBack[count] += report.readBack[count];
	}
	if (!merged) throw new Error('verifyFromSourceInParts needs at least one part');
	merged.records.deletedInPipedrive = await deletedInPipedrive(input.store, missingKeys);
	if (runId) {
		const report = merged;
		merged.runId = runId;
		const scope = {
			store: input.store,
			runId,
			bundles,
			isExpected: (object: PipedriveObject, sourceKey: string) =>
				verified.has(`${object}:${sourceKey}`),
		};
		await reportUnexpected(scope, report, (diff) => recordVerdict(report, summaryRows, true, diff));
	}
	merged.summary = [...summaryRows.values()] as unknown as DiffSummaryRow[];
	return merged;
}
