import { ValidationReport } from '../model/validationReport';

/**
 * Match Users and Preflight take the reader's records through an expression. n8n resolves
 * `$('Reader').all()` along the path to the current node, so a node reached through the reader's
 * second output silently gets the validation report instead of the records (issue 12: every
 * record went to the fallback owner). These checks turn that, and other wrong inputs, into an
 * error that says what arrived and how to fix the expression. Messages hold counts and kinds only.
 */

const RECORD_KINDS = new Set([
	'practice',
	'provider',
	'insurer',
	'referralSource',
	'patientBundle',
]);

/** The expression both nodes expect, named in every message so the fix can be copied. */
export const READER_RECORDS_EXPRESSION =
	"{{ $('<reader node name>').all(0).map(item => item.json) }}";

const FIX = `set Reader Items to the reader's first output (Records), e.g. ${READER_RECORDS_EXPRESSION}`;

type Item = Record<string, unknown>;

/** What the items are when none is a reader record, in words for the message. */
function describeItems(items: Item[]): string {
	const reports = items.filter((item) => ValidationReport.safeParse(item).success).length;
	if (reports === items.length)
		return `the reader's validation report (its second output), not its records`;
	const kinds = [...new Set(items.map((item) => (typeof item?.kind === 'string' ? item.kind : '')))]
		.map((kind) => (kind === '' ? 'without a kind' : `of kind "${kind}"`))
		.join(', ');
	return `${items.length} item(s) (${kinds}) and none is a reader record (practice, provider, insurer, referralSource or patientBundle)`;
}

/**
 * Throws unless the items hold at least one reader record. In n8n `$('Reader').all()` without an
 * output index follows the path to the node, which may run through the report output: hence `all(0)`.
 */
export function requireReaderRecords(items: Item[], nodeAction: string): void {
	if (items.some((item) => RECORD_KINDS.has(String(item?.kind)))) return;
	const what = items.length === 0 ? 'no items' : describeItems(items);
	throw new Error(
		`Reader Items holds ${what}, so ${nodeAction} would see no records: ${FIX}. Without the output index (.all() instead of .all(0)) n8n takes the output on the path to this node, which may be the validation report.`,
	);
}

/** The provider keys a patient bundle's records name: owner, appointment, plan, procedure, note author, task, lab case. */
export function referencedProviderKeys(bundle: Item): Set<string> {
	const keys = new Set<string>();
	const add = (value: unknown) => {
		if (typeof value === 'string' && value !== '') keys.add(value);
	};
	const list = (value: unknown): Item[] => (Array.isArray(value) ? (value as Item[]) : []);
	add((bundle.patient as Item | undefined)?.primaryProviderKey);
	for (const appointment of list(bundle.appointments)) add(appointment?.providerKey);
	for (const plan of list(bundle.treatmentPlans)) {
		add(plan?.providerKey);
		for (const procedure of list(plan?.procedures)) add(procedure?.providerKey);
	}
	for (const note of list(bundle.notes)) add(note?.authorKey);
	for (const task of list(bundle.tasks)) add(task?.assignedProviderKey);
	for (const labCase of list(bundle.labCases)) add(labCase?.providerKey);
	return keys;
}

/**
 * Throws when patient bundles name providers but no provider record came with them: matching
 * would then give every record the fallback owner without listing anyone for review.
 */
export function requireProvidersForBundles(items: Item[]): void {
	if (items.some((item) => item?.kind === 'provider')) return;
	const bundles = items.filter((item) => item?.kind === 'patientBundle');
	const named = new Set(bundles.flatMap((bundle) => [...referencedProviderKeys(bundle)]));
	if (named.size === 0) return;
	throw new Error(
		`Reader Items holds ${bundles.length} patient bundle(s) whose records name ${named.size} provider(s), but no provider record: every record would get the fallback owner. ${FIX[0].toUpperCase()}${FIX.slice(1)} (the whole read, not a sample or a delta read); if the export lacks its provider file, add it and read again.`,
	);
}
