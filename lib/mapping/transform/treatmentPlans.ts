import { compareText } from '../order';
import type { ProcedureCode, TreatmentPlan } from '../../model';
import { sumMoney } from './amounts';
import type { Money } from '../../model';

/** The date a plan last moved, for "latest plan" decisions. */
export function planDate(plan: TreatmentPlan): string {
	return (
		[
			plan.completedDate,
			plan.acceptedDate,
			plan.proposedDate,
			...plan.procedures.map((p) => p.date),
		]
			.filter((d): d is string => d !== undefined)
			.sort()
			.at(-1) ?? ''
	);
}

export function latestPlan(plans: TreatmentPlan[]): TreatmentPlan | undefined {
	return [...plans].sort(
		(a, b) => compareText(planDate(b), planDate(a)) || compareText(a.sourceKey, b.sourceKey),
	)[0];
}

/** The plan's codes (its own list, then its procedures'), each once, in order of appearance. */
export function planCodes(plan: TreatmentPlan, system?: ProcedureCode['system']): string[] {
	const codes = [
		...plan.procedureCodes,
		...plan.procedures.flatMap((p) => (p.code ? [p.code] : [])),
	]
		.filter((code) => system === undefined || code.system === system)
		.map((code) => code.code);
	return [...new Set(codes)];
}

/**
 * What a plan is worth: the final fee of a completed plan, else the estimated fee, else the sum
 * of its (not cancelled) treatment lines (DentAdmin: a plan's treatments form one revenue event).
 */
export function planValue(plan: TreatmentPlan): Money | undefined {
	const lines = sumMoney(
		plan.procedures.filter((p) => p.status !== 'cancelled').flatMap((p) => (p.fee ? [p.fee] : [])),
	);
	if (plan.status === 'completed') return plan.finalFee ?? plan.estimatedFee ?? lines;
	return plan.estimatedFee ?? lines;
}

export function planCoPayment(plan: TreatmentPlan): Money | undefined {
	return sumMoney(
		plan.procedures
			.filter((p) => p.status !== 'cancelled')
			.flatMap((p) => (p.coPayment ? [p.coPayment] : [])),
	);
}

/** Brief row 6: plans with procedures and a fee become deals. */
export function becomesDeal(plan: TreatmentPlan): boolean {
	return planCodes(plan).length + plan.procedures.length > 0 && planValue(plan) !== undefined;
}

/** Outstanding = not completed and not declined (brief Dental-Exec row 2). */
export function isOutstanding(plan: TreatmentPlan): boolean {
	return plan.status !== 'completed' && plan.status !== 'declined';
}

export function planTitle(plan: TreatmentPlan): string {
	return `Treatment plan ${plan.sourceId}`;
}

/** The provider responsible for a plan: its own, else the first treatment line's. */
export function planProvider(plan: TreatmentPlan): string | undefined {
	return plan.providerKey ?? plan.procedures.find((p) => p.providerKey !== undefined)?.providerKey;
}
