import type { Money, Procedure, TreatmentPlan } from '../../model';

/**
 * DentAdmin has no plan file: treatments sharing a plan number form one plan (one revenue event,
 * one Deal). The reader builds a one-procedure plan per treatment row; this merges them, in the
 * order the plans first appear, and derives the plan's status, dates and fees from its treatments.
 */
export function mergeTreatmentPlans(rows: readonly TreatmentPlan[]): TreatmentPlan[] {
	const byKey = new Map<string, TreatmentPlan[]>();
	for (const row of rows) {
		const group = byKey.get(row.sourceKey);
		if (group) group.push(row);
		else byKey.set(row.sourceKey, [row]);
	}
	return [...byKey.values()].map((group) =>
		summarise(
			group[0],
			group.flatMap((plan) => plan.procedures),
		),
	);
}

function summarise(first: TreatmentPlan, procedures: Procedure[]): TreatmentPlan {
	const active = procedures.filter((procedure) => procedure.status !== 'cancelled');
	const performed = active.filter((procedure) => procedure.status === 'performed');
	const status = planStatus(active.length, performed.length);
	const dates = procedures.flatMap((procedure) => (procedure.date ? [procedure.date] : [])).sort();
	const performedDates = performed
		.flatMap((procedure) => (procedure.date ? [procedure.date] : []))
		.sort();
	const modified = procedures
		.flatMap((procedure) => (procedure.modifiedAt ? [procedure.modifiedAt] : []))
		.sort();
	return {
		...first,
		modifiedAt: modified.at(-1),
		status,
		proposedDate: dates[0],
		completedDate: status === 'completed' ? performedDates.at(-1) : undefined,
		// A declined plan (every treatment cancelled) is still worth what was proposed: its lost deal's value.
		estimatedFee: sumFees(status === 'declined' ? procedures : active),
		finalFee: status === 'completed' ? sumFees(performed) : undefined,
		procedures,
	};
}

/**
 * All cancelled → declined; all remaining performed → completed; some performed → in progress;
 * none performed yet → proposed (DentAdmin does not record whether the patient accepted).
 */
function planStatus(active: number, performed: number): TreatmentPlan['status'] {
	if (active === 0) return 'declined';
	if (performed === active) return 'completed';
	return performed > 0 ? 'in-progress' : 'proposed';
}

/** Sum of the procedures' fees as an exact decimal; undefined when none has a fee. */
function sumFees(procedures: Procedure[]): Money | undefined {
	const fees = procedures.flatMap((procedure) => (procedure.fee ? [procedure.fee] : []));
	if (fees.length === 0) return undefined;
	return { amount: addDecimals(fees.map((fee) => fee.amount)), currency: fees[0].currency };
}

/** Adds decimal strings without floating point (`12.5` + `0.75` = `13.25`). */
export function addDecimals(values: readonly string[]): string {
	const scale = Math.max(2, ...values.map((value) => value.split('.')[1]?.length ?? 0));
	const toUnits = (value: string) => {
		const negative = value.startsWith('-');
		const [whole, fraction = ''] = value.replace('-', '').split('.');
		const units = BigInt(whole + fraction.padEnd(scale, '0'));
		return negative ? -units : units;
	};
	const total = values.reduce((sum, value) => sum + toUnits(value), 0n);
	const negative = total < 0n;
	const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
	return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
