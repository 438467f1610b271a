import type { PatientBundle, TreatmentPlan } from '../../model';
import type { PlanOperation } from '../../plan/plan';
import { compareAmounts, sumMoney } from './amounts';
import type { TransformContext } from './context';
import { OperationBuilder } from './operationBuilder';
import { withUnknownColumns } from './organizations';
import {
	becomesDeal,
	planCodes,
	planCoPayment,
	planProvider,
	planTitle,
	planValue,
} from './treatmentPlans';
import { amountNumber, list, money, num, options, ref, text } from './values';
import type { Value } from './values';

/**
 * Brief Dental-Exec row 6 / DentAdmin row 3: plans with procedures and a fee become deals in the
 * treatment-plan pipeline. Open plans → open deals valued at the estimated fee; completed → won
 * with the final fee and the completion date as won time; declined → lost. DentAdmin treatments
 * of one plan are one deal valued at their sum, with RIZIV codes and co-payment as deal fields.
 */
export function dealOperations(ctx: TransformContext, bundle: PatientBundle): PlanOperation[] {
	const operations: PlanOperation[] = [];
	for (const plan of bundle.treatmentPlans) {
		if (!becomesDeal(plan)) {
			ctx.report(
				'info',
				plan.sourceKey,
				'plan-not-a-deal',
				'The treatment plan has no procedures or no fee, so it does not become a deal.',
			);
			continue;
		}
		operations.push(dealOperation(ctx, bundle, plan));
	}
	return operations;
}

function dealOperation(
	ctx: TransformContext,
	bundle: PatientBundle,
	plan: TreatmentPlan,
): PlanOperation {
	const outcome = ctx.spec.valueMaps.planStatuses[plan.status];
	const value = planValue(plan);
	const closedAt =
		outcome.status === 'won' && plan.completedDate ? `${plan.completedDate}T00:00:00Z` : undefined;
	const stageId = ctx.registry.pipeline.stages[outcome.stage];
	if (stageId === undefined)
		throw new Error(`Stage "${outcome.stage}" is not in the field registry`);
	if (value !== undefined && value.currency !== ctx.spec.rules.currency)
		ctx.report(
			'warning',
			plan.sourceKey,
			'currency-differs',
			`The plan is in ${value.currency}, not the spec currency ${ctx.spec.rules.currency}: the deal keeps ${value.currency}.`,
		);
	const builder = new OperationBuilder(ctx, 'deal', plan.sourceKey, bundle.bundleKey)
		.fixed('treatmentPlan.id', 'title', 'text', planTitle(plan))
		.fixed('treatmentPlan.fee', 'value', 'monetary', value && amountNumber(value.amount))
		.fixed('treatmentPlan.fee', 'currency', 'currency', value?.currency ?? ctx.spec.rules.currency)
		.fixed('treatmentPlan.status', 'status', 'status', outcome.status)
		.fixed('treatmentPlan.completedDate', 'won_time', 'date-time', closedAt)
		.fixed('treatmentPlan.completedDate', 'close_time', 'date-time', closedAt)
		.fixed('rules.pipeline', 'pipeline_id', 'pipeline', ctx.registry.pipeline.id)
		.fixed('treatmentPlan.status', 'stage_id', 'stage', stageId)
		.fixed(
			'treatmentPlan.provider',
			'owner_id',
			'user',
			ctx.owner(planProvider(plan), plan.sourceKey),
		)
		.fixed('rules.visibleTo', 'visible_to', 'visible_to', ctx.spec.rules.visibleTo)
		.reference('treatmentPlan.patient', 'person_id', bundle.bundleKey)
		.sourceKey()
		.mapped('treatmentPlan.procedureCodes', list(planCodes(plan)))
		.mapped('treatmentPlan.rizivCodes', list(planCodes(plan, 'RIZIV')))
		.mapped('treatmentPlan.teeth', text(plan.teeth))
		.mapped('treatmentPlan.notes', text(plan.notes))
		.mapped('treatmentPlan.coPayment', money(planCoPayment(plan)))
		.mapped('treatmentPlan.coPaymentPercentage', num(bundle.patient.coPayment?.percentage))
		.mapped('treatmentPlan.paymentStatus', paymentStatus(ctx, bundle, plan))
		.mapped('treatmentPlan.practice', ref(bundle.patient.practiceKey))
		.mapped('treatmentPlan.insurer', ref(bundle.patient.insurance?.insurerKey));
	return withUnknownColumns(ctx, builder, 'treatmentPlan', plan.extra).build();
}

/**
 * Brief Dental-Exec row 8: for plans that became deals, whether the payments booked on the plan
 * cover its value (reference only: Pipedrive has no ledger).
 */
function paymentStatus(
	ctx: TransformContext,
	bundle: PatientBundle,
	plan: TreatmentPlan,
): Value | undefined {
	// No payments at all in the bundle says nothing about this plan (the export may have none).
	if (bundle.payments.length === 0) return undefined;
	const labels = ctx.spec.valueMaps.paymentStatuses;
	const paid = sumMoney(
		bundle.payments.filter((p) => p.planKey === plan.sourceKey).map((p) => p.amount),
	);
	const value = planValue(plan);
	if (paid === undefined || compareAmounts(paid, { amount: '0', currency: paid.currency }) <= 0)
		return options([labels.unpaid]);
	if (value !== undefined && paid.currency === value.currency && compareAmounts(paid, value) >= 0)
		return options([labels.paid]);
	return options([labels.partial]);
}
