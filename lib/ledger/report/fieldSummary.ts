/** A diff report's summary row: one object's field and how many of its values got each verdict. */
export interface FieldSummaryBase {
	object: string;
	label: string;
	canonical: string;
	notChecked: number;
}

interface JudgedField<Status extends string> {
	object: string;
	path: string;
	label: string;
	canonical: string;
	status: Status;
}

/**
 * Per object and field, in the order fields first appear, how many values got each verdict
 * (`not-checked` counts as `notChecked`). One summariser for the plan-fidelity diff
 * (lib/ledger/diff.ts) and the diff verified from the source (lib/verify/verify.ts), which differ
 * only in their verdicts. `rows` carries the counts on from earlier parts of one report.
 */
export function summariseByField<Row extends FieldSummaryBase, Status extends string>(
	fields: readonly JudgedField<Status>[],
	verdicts: readonly Exclude<Status, 'not-checked'>[],
	rows = new Map<string, Record<string, string | number>>(),
): Row[] {
	for (const field of fields) tallyField(field, verdicts, rows);
	return [...rows.values()] as unknown as Row[];
}

/** Counts one field's verdict into `rows` (summariseByField's step, for a report that keeps no diff of a match). */
export function tallyField<Status extends string>(
	field: JudgedField<Status>,
	verdicts: readonly Exclude<Status, 'not-checked'>[],
	rows: Map<string, Record<string, string | number>>,
): void {
	const id = `${field.object}\u0000${field.path}`;
	let row = rows.get(id);
	if (!row) {
		row = { object: field.object, label: field.label, canonical: field.canonical };
		for (const verdict of verdicts) row[verdict] = 0;
		row.notChecked = 0;
		rows.set(id, row);
	}
	const key = field.status === 'not-checked' ? 'notChecked' : field.status;
	row[key] = (row[key] as number) + 1;
}
