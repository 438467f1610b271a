import type { Claim, LabCase, PatientBundle, Task, TreatmentPlan } from '../model/bundle';
import type { Address, Money } from '../model/primitives';
import type { MappingSpec } from '../mapping/spec';

/**
 * The person and deal fields that summarise several source records (brief rows 6–8 and 12,
 * DentAdmin rows 3 and 8–10, Dental-Exec recall), restated from the brief for the verifier: the
 * latest plan, the latest lab case and claim, the next recall, a plan's codes and payment status.
 * Written apart from lib/mapping/transform on purpose, so the two can disagree.
 */

/** A canonical value in the verifier's own vocabulary (see expected.ts). */
export type Canonical =
	| { kind: 'text'; value: string }
	| { kind: 'list'; values: string[] }
	| { kind: 'date'; value: string }
	| { kind: 'dateTime'; value: string }
	| { kind: 'money'; value: Money }
	| { kind: 'number'; value: number }
	| { kind: 'labels'; labels: string[] }
	| { kind: 'ref'; key: string }
	| { kind: 'address'; value: Address }
	/** Phone numbers with their kind (home, mobile, work, other). */
	| { kind: 'phones'; values: PatientBundle['patient']['phones'] }
	/** A text of lines, one per source record: each line holds its record's words, in any form. */
	| { kind: 'lines'; lines: string[][] }
	/** Codes chosen from these, as many as fit a text field: all of them when they fit. */
	| { kind: 'codes'; codes: string[] };

const text = (value: string | undefined): Canonical | undefined =>
	value === undefined || value.trim() === '' ? undefined : { kind: 'text', value: value.trim() };
const list = (values: string[]): Canonical | undefined =>
	values.length === 0 ? undefined : { kind: 'list', values };
const ref = (key: string | undefined): Canonical | undefined =>
	key === undefined ? undefined : { kind: 'ref', key };

/** The day a plan last moved: its latest completion, acceptance, proposal or treatment date. */
function lastMoved(plan: TreatmentPlan): string {
	const dates = [plan.completedDate, plan.acceptedDate, plan.proposedDate];
	for (const procedure of plan.procedures) dates.push(procedure.date);
	return dates.filter((d): d is string => d !== undefined).reduce((a, b) => (b > a ? b : a), '');
}

const byKey = (a: { sourceKey: string }, b: { sourceKey: string }) =>
	a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0;

function latestPlan(plans: readonly TreatmentPlan[]): TreatmentPlan | undefined {
	return [...plans].sort((a, b) => lastMoved(b).localeCompare(lastMoved(a)) || byKey(a, b))[0];
}

/** Newest first by `date` (undated last), equal dates in source-key order. */
function newestFirst<T extends { sourceKey: string }>(
	records: readonly T[],
	date: (record: T) => string | undefined,
): T[] {
	return [...records].sort((a, b) => (date(b) ?? '').localeCompare(date(a) ?? '') || byKey(a, b));
}

function latestBy<T extends { sourceKey: string }>(
	records: readonly T[],
	date: (record: T) => string | undefined,
): T | undefined {
	return newestFirst(records, date)[0];
}

/** Codes listed on the plan, then its treatments', once each in order of appearance. */
function planCodes(plan: TreatmentPlan, system?: 'RIZIV'): string[] {
	const codes = [
		...plan.procedureCodes,
		...plan.procedures.flatMap((p) => (p.code ? [p.code] : [])),
	];
	return [...new Set(codes.filter((c) => !system || c.system === system).map((c) => c.code))];
}

const cents = (money: Money) => Math.round(Number(money.amount) * 100);
function sum(amounts: Money[]): Money | undefined {
	if (amounts.length === 0) return undefined;
	const total = amounts.reduce((t, m) => t + cents(m), 0);
	return { amount: (total / 100).toFixed(2), currency: amounts[0].currency };
}

/** Brief row 6: completed → final fee; else estimated; DentAdmin: the treatments' sum. */
export function planValue(plan: TreatmentPlan): Money | undefined {
	const lines = sum(
		plan.procedures.filter((p) => p.status !== 'cancelled' && p.fee).map((p) => p.fee as Money),
	);
	if (plan.status === 'completed') return plan.finalFee ?? plan.estimatedFee ?? lines;
	return plan.estimatedFee ?? lines;
}

/** Dental-Exec recall: the earliest open recall or hygiene task, with its (or the last) interval. */
function recall(tasks: readonly Task[]) {
	const recalls = tasks
		.filter((t) => t.type === 'recall' || t.type === 'hygiene')
		.sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? '') || byKey(a, b));
	const next = recalls.find((t) => t.status !== 'done' && t.dueDate !== undefined);
	const interval =
		next?.intervalMonths ?? [...recalls].reverse().find((t) => t.intervalMonths)?.intervalMonths;
	return { next: next?.dueDate, interval };
}

const label = (value: string) => {
	const words = value.replace(/[-_]+/g, ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Person fields that summarise the bundle, by canonical name. */
export function personAggregates(
	bundle: PatientBundle,
	spec: MappingSpec,
): Record<string, { value: Canonical | undefined; file?: string; fields: string[] }> {
	const plan = latestPlan(bundle.treatmentPlans);
	const lab: LabCase | undefined = latestBy(bundle.labCases, (c) => c.submittedDate);
	const claim: Claim | undefined = latestBy(bundle.claims, (c) => c.submittedDate);
	const next = recall(bundle.tasks);
	const insurance = bundle.patient.insurance;
	const summary = [insurance?.carrier, insurance?.policyNumber].filter((p) => p?.trim());
	return {
		'latestPlan.status': {
			value: plan && { kind: 'labels', labels: [spec.valueMaps.planStatusLabels[plan.status]] },
			fields: ['Status', 'status'],
		},
		'latestPlan.notes': { value: text(plan?.notes), fields: ['Notes'] },
		'latestPlan.procedureCodes': {
			value: plan && list(planCodes(plan)),
			fields: ['ProcedureCodes'],
		},
		'labCases.status': {
			value: lab?.status && {
				kind: 'labels',
				labels: [spec.valueMaps.labCaseStatuses[lab.status] ?? lab.status],
			},
			fields: ['Status'],
		},
		'claims.latestStatus': {
			value: claim?.status && text(label(claim.status)),
			fields: ['Status'],
		},
		'recall.nextDate': {
			value: next.next === undefined ? undefined : { kind: 'date', value: next.next },
			fields: ['DueDate'],
		},
		'recall.intervalMonths': {
			value: next.interval === undefined ? undefined : { kind: 'number', value: next.interval },
			fields: ['IntervalMonths'],
		},
		'patient.insurance.summary': {
			value: summary.length === 0 ? undefined : text(summary.join(' / ')),
			fields: ['mutuality', 'affiliationNumber'],
		},
		'patient.insurance.insurer': { value: ref(insurance?.insurerKey), fields: ['mutuality'] },
		'claims.history': { value: claimLines(bundle.claims, spec), fields: [] },
		'documents.notUploaded': { value: documentsNotUploaded(bundle, spec), fields: [] },
		'patient.rizivCodes': { value: rizivCodes(bundle.treatmentPlans), fields: [] },
	};
}

const money = (value: Money | undefined) => (value ? value.amount : '-');

/**
 * Brief Dental-Exec row 7: a line per claim, newest first, each naming its date, status, billed
 * and paid amounts and codes; past the spec's line limit, one more line says how many are left out.
 */
function claimLines(claims: readonly Claim[], spec: MappingSpec): Canonical | undefined {
	if (claims.length === 0) return undefined;
	const newest = newestFirst(claims, (claim) => claim.submittedDate);
	const { maxLines } = spec.rules.claimHistory;
	const lines = newest
		.slice(0, maxLines)
		.map((claim) => [
			...(claim.submittedDate ? [claim.submittedDate] : []),
			...(claim.status ? [label(claim.status)] : []),
			money(claim.billed),
			money(claim.paid),
			...claim.procedureCodes.map((code) => code.code),
		]);
	if (newest.length > maxLines) lines.push([String(newest.length - maxLines)]);
	return { kind: 'lines', lines };
}

/** Brief row 11: a document over the size limit is named on the person, with where it lies. */
function documentsNotUploaded(bundle: PatientBundle, spec: MappingSpec): Canonical | undefined {
	const limit = spec.rules.fileSizeLimitBytes;
	const over = bundle.documents
		.filter((doc) => doc.sizeBytes !== undefined && doc.sizeBytes > limit)
		.sort(byKey);
	if (over.length === 0) return undefined;
	return {
		kind: 'lines',
		lines: over.map((doc) => [doc.fileName, ...(doc.relativePath ? [doc.relativePath] : [])]),
	};
}

/** Brief DentAdmin row 8: the patient's RIZIV codes of treatments not cancelled. */
function rizivCodes(plans: readonly TreatmentPlan[]): Canonical | undefined {
	const codes = new Set<string>();
	for (const plan of plans)
		for (const procedure of plan.procedures)
			if (procedure.code?.system === 'RIZIV' && procedure.status !== 'cancelled')
				codes.add(procedure.code.code);
	return codes.size === 0 ? undefined : { kind: 'codes', codes: [...codes] };
}

/** Deal fields of a plan, by canonical name (brief row 6, DentAdmin row 3 and 10). */
export function dealAggregates(
	bundle: PatientBundle,
	plan: TreatmentPlan,
	spec: MappingSpec,
): Record<string, { value: Canonical | undefined; fields: string[] }> {
	const active = plan.procedures.filter((p) => p.status !== 'cancelled');
	const percentage = bundle.patient.coPayment?.percentage;
	const coPayment = sum(active.flatMap((p) => (p.coPayment ? [p.coPayment] : [])));
	return {
		'treatmentPlan.procedureCodes': {
			value: list(planCodes(plan)),
			fields: ['ProcedureCodes', 'code'],
		},
		'treatmentPlan.rizivCodes': { value: list(planCodes(plan, 'RIZIV')), fields: ['code'] },
		'treatmentPlan.teeth': { value: text(plan.teeth), fields: ['Teeth', 'tooth'] },
		'treatmentPlan.notes': { value: text(plan.notes), fields: ['Notes'] },
		'treatmentPlan.coPayment': {
			value: coPayment && { kind: 'money', value: coPayment },
			fields: ['coPayment'],
		},
		'treatmentPlan.coPaymentPercentage': {
			value: percentage === undefined ? undefined : { kind: 'number', value: percentage },
			fields: [],
		},
		'treatmentPlan.practice': { value: ref(bundle.patient.practiceKey), fields: [] },
		'treatmentPlan.insurer': { value: ref(bundle.patient.insurance?.insurerKey), fields: [] },
		'treatmentPlan.paymentStatus': { value: paymentStatus(bundle, plan, spec), fields: [] },
	};
}

/** Brief Dental-Exec row 8: whether the payments booked on the plan cover its value. */
function paymentStatus(
	bundle: PatientBundle,
	plan: TreatmentPlan,
	spec: MappingSpec,
): Canonical | undefined {
	if (bundle.payments.length === 0) return undefined;
	const names = spec.valueMaps.paymentStatuses;
	const paid = sum(
		bundle.payments.filter((p) => p.planKey === plan.sourceKey).map((p) => p.amount),
	);
	const value = planValue(plan);
	const pick = (name: string): Canonical => ({ kind: 'labels', labels: [name] });
	if (paid === undefined || cents(paid) <= 0) return pick(names.unpaid);
	if (value && paid.currency === value.currency && cents(paid) >= cents(value))
		return pick(names.paid);
	return pick(names.partial);
}
