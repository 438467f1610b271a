import type { MappingSpec } from '../spec';
import {
	personBaseFields,
	practiceTargets,
	FIELD,
	PIPELINE,
	commonRules,
	commonValueMaps,
	dealCustom,
	personCustom,
	sourceKeyFields,
} from './common';

const appointment = (activityType: string, subject: string) => ({
	activityType,
	subject,
});

/**
 * The Dental-Exec default map: every row of the mapping brief (12 mappings, recall, medical
 * alerts). Each rule's test lives in test/mapping/rules/dental-exec-*.test.ts.
 */
export function dentalExecDefaultSpec(today: string): MappingSpec {
	return {
		specVersion: 1,
		source: 'dental-exec',
		fields: {
			// Row 1: patient → person.
			'patient.name': { object: 'person', standard: 'name' },
			'patient.emails': { object: 'person', standard: 'emails' },
			'patient.phones': { object: 'person', standard: 'phones' },
			'patient.createdAt': { object: 'person', standard: 'add_time' },
			'patient.address': personCustom(FIELD.postalAddress),
			// `birthday` is a contact-sync-only field that fails when sync is off: a date custom field.
			'patient.birthDate': personCustom(FIELD.dateOfBirth),
			'patient.gender': personCustom(FIELD.gender),
			'patient.preferredName': personCustom(FIELD.preferredName),
			'patient.language': personCustom(FIELD.language),
			'patient.status': personCustom(FIELD.patientStatus),
			'patient.firstVisitDate': personCustom(FIELD.firstVisit),
			'patient.lastVisitDate': personCustom(FIELD.lastVisit),
			'patient.referringDentist': personCustom(FIELD.referringDentist),
			'patient.employer': personCustom(FIELD.employer),
			'patient.guarantor': personCustom(FIELD.guarantor),
			// Row 10: referral pick-list → enum.
			'patient.referralSource': personCustom(FIELD.referralSource),
			// Row 7: insurance and claims.
			'patient.insurance.carrier': personCustom(FIELD.insuranceCarrier),
			'patient.insurance.policyNumber': personCustom(FIELD.policyNumber),
			'patient.insurance.groupNumber': personCustom(FIELD.groupNumber),
			'patient.insurance.subscriberId': personCustom(FIELD.subscriberId),
			'patient.insurance.summary': {
				exclude: true,
				reason: 'carrier and policy number have fields of their own',
			},
			'claims.latestStatus': personCustom(FIELD.latestClaimStatus),
			'claims.history': personCustom(FIELD.claimHistory),
			// Row 8: billing on the person (payment status on deals).
			'patient.billing.outstandingBalance': personCustom(FIELD.outstandingBalance),
			'patient.billing.lastPaymentAmount': personCustom(FIELD.lastPaymentAmount),
			'patient.billing.lastPaymentDate': personCustom(FIELD.lastPaymentDate),
			// Row 6: latest plan on the person.
			'latestPlan.procedureCodes': personCustom(FIELD.planCodes),
			'latestPlan.status': personCustom(FIELD.planStatus),
			'latestPlan.notes': personCustom(FIELD.planNotes),
			// Recall from task records; medical alerts as a set field.
			'recall.intervalMonths': personCustom(FIELD.recallInterval),
			'recall.nextDate': personCustom(FIELD.nextRecall),
			'patient.medicalAlerts': personCustom(FIELD.medicalAlerts),
			// Row 12: lab case status; row 11: documents over the size limit.
			'labCases.status': personCustom(FIELD.labCaseStatus),
			'documents.notUploaded': personCustom(FIELD.documentsNotUploaded),
			// Row 6: deals.
			'treatmentPlan.procedureCodes': dealCustom(FIELD.dealProcedureCodes),
			'treatmentPlan.teeth': dealCustom(FIELD.dealTeeth),
			'treatmentPlan.notes': dealCustom(FIELD.dealNotes),
			'treatmentPlan.paymentStatus': dealCustom(FIELD.dealPaymentStatus),
			'treatmentPlan.practice': { object: 'deal', standard: 'org_id' },
			// Row 3: practice → organization.
			...practiceTargets,
			'appointment.location': { object: 'activity', standard: 'location' },
		},
		schema: {
			customFields: [
				...sourceKeyFields,
				...personBaseFields,
				{ object: 'person', name: FIELD.preferredName, fieldType: 'varchar' },
				{ object: 'person', name: FIELD.language, fieldType: 'varchar' },
				{
					object: 'person',
					name: FIELD.patientStatus,
					fieldType: 'enum',
					options: ['Active', 'Inactive', 'Archived', 'Deceased'],
				},
				{ object: 'person', name: FIELD.firstVisit, fieldType: 'date' },
				{ object: 'person', name: FIELD.lastVisit, fieldType: 'date' },
				{
					object: 'person',
					name: FIELD.referringDentist,
					fieldType: 'varchar',
				},
				{ object: 'person', name: FIELD.employer, fieldType: 'varchar' },
				{ object: 'person', name: FIELD.guarantor, fieldType: 'varchar' },
				// Options come from the export's referral pick-list (Propose fills them in).
				{
					object: 'person',
					name: FIELD.referralSource,
					fieldType: 'enum',
					options: [],
				},
				{
					object: 'person',
					name: FIELD.insuranceCarrier,
					fieldType: 'varchar',
				},
				{ object: 'person', name: FIELD.policyNumber, fieldType: 'varchar' },
				{ object: 'person', name: FIELD.groupNumber, fieldType: 'varchar' },
				{ object: 'person', name: FIELD.subscriberId, fieldType: 'varchar' },
				{
					object: 'person',
					name: FIELD.latestClaimStatus,
					fieldType: 'varchar',
				},
				{ object: 'person', name: FIELD.claimHistory, fieldType: 'text' },
				{
					object: 'person',
					name: FIELD.outstandingBalance,
					fieldType: 'monetary',
				},
				{
					object: 'person',
					name: FIELD.lastPaymentAmount,
					fieldType: 'monetary',
				},
				{ object: 'person', name: FIELD.lastPaymentDate, fieldType: 'date' },
				{ object: 'person', name: FIELD.planCodes, fieldType: 'varchar' },
				{
					object: 'person',
					name: FIELD.planStatus,
					fieldType: 'enum',
					options: ['Proposed', 'Accepted', 'In progress', 'Completed', 'Declined'],
				},
				{ object: 'person', name: FIELD.planNotes, fieldType: 'text' },
				{ object: 'person', name: FIELD.recallInterval, fieldType: 'double' },
				{ object: 'person', name: FIELD.nextRecall, fieldType: 'date' },
				{
					object: 'person',
					name: FIELD.medicalAlerts,
					fieldType: 'set',
					options: ['Allergy', 'Drug interaction', 'Premedication'],
				},
				{
					object: 'person',
					name: FIELD.labCaseStatus,
					fieldType: 'enum',
					options: ['Sent', 'In progress', 'Returned', 'Seated'],
				},
				{
					object: 'person',
					name: FIELD.documentsNotUploaded,
					fieldType: 'text',
				},
				{
					object: 'deal',
					name: FIELD.dealProcedureCodes,
					fieldType: 'varchar',
				},
				{ object: 'deal', name: FIELD.dealTeeth, fieldType: 'varchar' },
				{ object: 'deal', name: FIELD.dealNotes, fieldType: 'text' },
				{
					object: 'deal',
					name: FIELD.dealPaymentStatus,
					fieldType: 'enum',
					options: ['Paid', 'Partially paid', 'Unpaid'],
				},
				{ object: 'organization', name: FIELD.orgPhone, fieldType: 'phone' },
				{ object: 'organization', name: FIELD.orgEmail, fieldType: 'varchar' },
			],
			pipeline: PIPELINE,
			activityTypes: [
				{ name: 'Hygiene', iconKey: 'meeting' },
				{ name: 'Restorative', iconKey: 'meeting' },
				{ name: 'Surgical', iconKey: 'meeting' },
				{ name: 'Consultation', iconKey: 'meeting' },
				{ name: 'Emergency', iconKey: 'meeting' },
				{ name: 'Recall', iconKey: 'meeting' },
				{ name: 'Appointment', iconKey: 'meeting' },
				{ name: 'Lab case', iconKey: 'task' },
			],
		},
		valueMaps: {
			appointmentTypes: {
				hygiene: appointment('Hygiene', 'Hygiene appointment'),
				restorative: appointment('Restorative', 'Restorative appointment'),
				surgical: appointment('Surgical', 'Surgical appointment'),
				consultation: appointment('Consultation', 'Consultation'),
				emergency: appointment('Emergency', 'Emergency appointment'),
				recall: appointment('Recall', 'Recall visit'),
			},
			appointmentTypeFallback: appointment('Appointment', 'Dental appointment'),
			labCase: appointment('Lab case', 'Lab case'),
			referralSources: {},
			...commonValueMaps,
			providerRoles: {
				DDS: 'dentist',
				DMD: 'dentist',
				RDH: 'hygienist',
				Specialist: 'specialist',
				Assistant: 'assistant',
			},
		},
		rules: {
			...commonRules,
			today,
			fallbackOwnerEmail: 'admin@example.com',
			currency: 'USD',
		},
		privacy: {
			clinicalNotes: 'migrate',
			clinicalNoteCategories: ['Clinical'],
			medicalAlerts: 'migrate',
		},
		unknownColumns: [],
		columnMap: {},
	};
}
