import type { PatientBundle } from '../../model';
import type { PlanOperation } from '../../plan/plan';
import { claimHistory, latestClaimStatus } from './claims';
import type { TransformContext } from './context';
import { notUploadedList } from './documents';
import { labCaseStatus } from './labCases';
import { OperationBuilder } from './operationBuilder';
import { withUnknownColumns } from './organizations';
import { recall } from './recall';
import { patientRizivCodes } from './rizivCodes';
import { latestPlan, planCodes } from './treatmentPlans';
import { date, list, money, num, options, ref, text } from './values';
import type { Value } from './values';

/**
 * Brief Dental-Exec row 1 / DentAdmin row 1: the patient becomes a person, with the person-level
 * fields of rows 6–8, 10–12 (Dental-Exec), 8–10 (DentAdmin), recall and medical alerts.
 */
export function personOperation(
	ctx: TransformContext,
	bundle: PatientBundle,
	organizationKey: string | undefined,
): PlanOperation {
	const patient = bundle.patient;
	const maps = ctx.spec.valueMaps;
	const plan = latestPlan(bundle.treatmentPlans);
	const recalled = recall(bundle.tasks);
	const name = [patient.firstName, patient.lastName]
		.filter((part) => text(part) !== undefined)
		.join(' ');
	const builder = new OperationBuilder(ctx, 'person', bundle.bundleKey, bundle.bundleKey)
		.fixed(
			'patient.primaryProvider',
			'owner_id',
			'user',
			ctx.owner(patient.primaryProviderKey, bundle.bundleKey),
		)
		.fixed('rules.visibleTo', 'visible_to', 'visible_to', ctx.spec.rules.visibleTo)
		.reference('patient.organization', 'org_id', organizationKey)
		.sourceKey()
		.mapped('patient.name', text(name))
		.mapped('patient.emails', list(patient.emails))
		.mapped(
			'patient.phones',
			patient.phones.length > 0 ? { type: 'phones', values: patient.phones } : undefined,
		)
		.mapped(
			'patient.createdAt',
			patient.createdAt ? { type: 'dateTime', value: patient.createdAt } : undefined,
		)
		.mapped('patient.address', patient.address && { type: 'address', value: patient.address })
		.mapped('patient.birthDate', date(patient.birthDate))
		.mapped('patient.gender', text(patient.gender))
		.mapped('patient.preferredName', text(patient.preferredName))
		.mapped('patient.language', text(patient.language))
		.mapped(
			'patient.status',
			patient.status && options([maps.patientStatuses[patient.status] ?? patient.status]),
		)
		.mapped('patient.firstVisitDate', date(patient.firstVisitDate))
		.mapped('patient.lastVisitDate', date(patient.lastVisitDate))
		.mapped('patient.referralSource', referral(ctx, patient.referralSource))
		.mapped('patient.referringDentist', text(patient.referringDentist))
		.mapped('patient.employer', text(patient.employer))
		.mapped('patient.guarantor', text(patient.guarantorKey))
		.mapped('patient.nationalNumber', text(patient.nationalNumber))
		.mapped('patient.insurance.carrier', text(patient.insurance?.carrier))
		.mapped('patient.insurance.policyNumber', text(patient.insurance?.policyNumber))
		.mapped('patient.insurance.groupNumber', text(patient.insurance?.groupNumber))
		.mapped('patient.insurance.subscriberId', text(patient.insurance?.subscriberId))
		.mapped('patient.insurance.summary', insuranceSummary(patient.insurance))
		.mapped('patient.insurance.insurer', ref(patient.insurance?.insurerKey))
		.mapped('claims.latestStatus', latestClaimStatus(bundle.claims))
		.mapped('claims.history', claimHistory(bundle.claims, ctx.spec.rules.claimHistory))
		.mapped('patient.billing.outstandingBalance', money(patient.billing?.outstandingBalance))
		.mapped('patient.billing.lastPaymentAmount', money(patient.billing?.lastPaymentAmount))
		.mapped('patient.billing.lastPaymentDate', date(patient.billing?.lastPaymentDate))
		.mapped('patient.coPayment.percentage', num(patient.coPayment?.percentage))
		.mapped(
			'patient.coPayment.thirdPartyPayer',
			patient.coPayment?.thirdPartyPayer === undefined
				? undefined
				: { type: 'flag', value: patient.coPayment.thirdPartyPayer },
		)
		.mapped('patient.rizivCodes', patientRizivCodes(bundle.treatmentPlans))
		.mapped('patient.medicalAlerts', medicalAlerts(ctx, bundle))
		.mapped('latestPlan.procedureCodes', plan && list(planCodes(plan)))
		.mapped('latestPlan.status', plan && options([maps.planStatusLabels[plan.status]]))
		.mapped('latestPlan.notes', text(plan?.notes))
		.mapped('recall.intervalMonths', recalled.intervalMonths)
		.mapped('recall.nextDate', recalled.nextDate)
		.mapped('labCases.status', labCaseStatus(ctx, bundle.labCases))
		.mapped('documents.notUploaded', notUploadedList(ctx, bundle.documents));
	return withUnknownColumns(ctx, builder, 'patient', patient.extra).build();
}

/** Brief Dental-Exec row 10: pick-list code → option label of the referral enum field. */
function referral(ctx: TransformContext, code: string | undefined): Value | undefined {
	if (text(code) === undefined) return undefined;
	return options([ctx.spec.valueMaps.referralSources[code as string] ?? (code as string)]);
}

/** Brief DentAdmin row 9: insurer name and policy number merged into one field. */
function insuranceSummary(insurance: PatientBundle['patient']['insurance']): Value | undefined {
	const parts = [insurance?.carrier, insurance?.policyNumber].filter((p) => text(p) !== undefined);
	return parts.length === 0 ? undefined : { type: 'text', value: parts.join(' / ') };
}

/**
 * Brief Dental-Exec "medical alerts": the yes/no flags that are set, as a set field. Clinical data:
 * left out when the spec's privacy setting excludes it (and reported, so it is not silent).
 */
function medicalAlerts(ctx: TransformContext, bundle: PatientBundle): Value | undefined {
	const alerts = bundle.patient.medicalAlerts;
	if (alerts === undefined) return undefined;
	const labels = ctx.spec.valueMaps.medicalAlerts;
	const set = (['allergy', 'drugInteraction', 'premedication'] as const)
		.filter((flag) => alerts[flag])
		.map((flag) => labels[flag]);
	if (set.length > 0 && ctx.spec.privacy.medicalAlerts === 'exclude') {
		ctx.report(
			'info',
			bundle.bundleKey,
			'medical-alerts-excluded',
			'Medical alert flags were not migrated: the spec privacy setting excludes them.',
		);
		return undefined;
	}
	return options(set);
}
