import { DateTime } from 'luxon';
import type { PatientBundle } from '../../model';
import type { PlanOperation } from '../../plan/plan';
import type { Rules } from '../spec';
import type { TransformContext } from './context';
import { leadKey } from './derivedKeys';
import { OperationBuilder } from './operationBuilder';
import { isOutstanding, planProvider, planTitle, planValue } from './treatmentPlans';
import { amountNumber } from './values';

/**
 * Brief Dental-Exec row 2: a patient with an outstanding plan (not completed, not declined) and no
 * appointment within `leadRecencyMonths` before the spec's `today` also gets a lead per outstanding
 * plan, linked to the person, titled from the plan and valued at its estimated fee. Appointments
 * that were cancelled or missed do not count as contact; future ones do. Deceased patients get no
 * lead.
 *
 * Leads are API v1 (no v2 create exists): `visible_to` is a string and custom values are deal-field
 * hashes at the top level of the body (api-facts §3.7: leads share deal fields, v1 format). Only
 * the source-key field is written, so no v1 enum/set formatting is involved.
 */
export function leadOperations(ctx: TransformContext, bundle: PatientBundle): PlanOperation[] {
	if (!getsLeads(bundle, ctx.spec.rules)) return [];
	return bundle.treatmentPlans.filter(isOutstanding).map((plan) => {
		const value = planValue(plan);
		return new OperationBuilder(ctx, 'lead', leadKey(plan.sourceKey), bundle.bundleKey)
			.fixed('treatmentPlan.id', 'title', 'text', planTitle(plan))
			.fixed(
				'treatmentPlan.provider',
				'owner_id',
				'user',
				ctx.owner(planProvider(plan), plan.sourceKey),
			)
			.fixed(
				'treatmentPlan.estimatedFee',
				'value',
				'monetary',
				value && {
					amount: amountNumber(value.amount),
					currency: value.currency,
				},
			)
			.fixed('rules.visibleTo', 'visible_to', 'visible_to', String(ctx.spec.rules.visibleTo))
			.reference('treatmentPlan.patient', 'person_id', bundle.bundleKey)
			.sourceKey()
			.build();
	});
}

/** Whether the lead rule applies to a patient (also used by sample selection to cover both kinds). */
export function getsLeads(
	bundle: PatientBundle,
	rules: Pick<Rules, 'today' | 'leadRecencyMonths'>,
): boolean {
	// A deceased patient is never a prospect, whatever their open plans say.
	if (bundle.patient.status === 'deceased') return false;
	if (!bundle.treatmentPlans.some(isOutstanding)) return false;
	const cutoff = DateTime.fromISO(rules.today, { zone: 'utc' })
		.minus({ months: rules.leadRecencyMonths })
		.toISODate() as string;
	return !bundle.appointments.some(
		(a) => a.status !== 'cancelled' && a.status !== 'no-show' && a.start.slice(0, 10) >= cutoff,
	);
}
