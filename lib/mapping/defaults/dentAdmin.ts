import type { MappingSpec } from '../spec';
import {
	personBaseFields,
	practiceTargets,
	FIELD,
	PIPELINE,
	commonRules,
	commonValueMaps,
	dealCustom,
	orgCustom,
	personCustom,
	sourceKeyFields,
} from './common';

const appointment = (activityType: string, subject: string) => ({
	activityType,
	subject,
});

/**
 * The DentAdmin default map: every row of the mapping brief (10 mappings). Each rule's test lives
 * in test/mapping/rules/dentadmin-*.test.ts.
 */
export function dentAdminDefaultSpec(today: string): MappingSpec {
	const checkup = appointment('Check-up', 'Check-up');
	const treatment = appointment('Treatment', 'Treatment appointment');
	const consultation = appointment('Consultation', 'Consultation');
	return {
		specVersion: 1,
		source: 'dentadmin',
		fields: {
			// Row 1: patient → person.
			'patient.name': { object: 'person', standard: 'name' },
			'patient.emails': { object: 'person', standard: 'emails' },
			'patient.phones': { object: 'person', standard: 'phones' },
			'patient.createdAt': { object: 'person', standard: 'add_time' },
			'patient.address': personCustom(FIELD.postalAddress),
			'patient.birthDate': personCustom(FIELD.dateOfBirth),
			'patient.gender': personCustom(FIELD.gender),
			'patient.language': personCustom(FIELD.language),
			// A legally protected identifier: validated by the reader, never migrated by default.
			'patient.nationalNumber': {
				exclude: true,
				reason: 'Belgian national register number: protected identifier, excluded by default',
			},
			// Row 8: RIZIV codes; row 9: insurer and policy number in one field, plus the insurer link.
			'patient.rizivCodes': personCustom(FIELD.rizivCodes),
			'patient.insurance.summary': personCustom(FIELD.insuranceProvider),
			'patient.insurance.carrier': {
				exclude: true,
				reason: 'merged into "Insurance provider" (row 9)',
			},
			'patient.insurance.policyNumber': {
				exclude: true,
				reason: 'merged into "Insurance provider" (row 9)',
			},
			'patient.insurance.insurer': personCustom(FIELD.insurerOrganization),
			// Row 10: co-payment on the person (and on deals below).
			'patient.coPayment.percentage': personCustom(FIELD.coPaymentPercentage),
			'patient.coPayment.thirdPartyPayer': personCustom(FIELD.thirdPartyPayer),
			// Row 6: documents over the size limit.
			'documents.notUploaded': personCustom(FIELD.documentsNotUploaded),
			// Row 3: treatments of one plan → one deal.
			'treatmentPlan.rizivCodes': dealCustom(FIELD.rizivCodes),
			'treatmentPlan.coPayment': dealCustom(FIELD.dealCoPayment),
			'treatmentPlan.coPaymentPercentage': dealCustom(FIELD.coPaymentPercentage),
			'treatmentPlan.insurer': { object: 'deal', standard: 'org_id' },
			// One org_id per deal: the insurer; codes sit in the RIZIV field; DentAdmin has no payments.
			'treatmentPlan.practice': {
				exclude: true,
				reason: 'the deal is linked to the insurer (row 3)',
			},
			'treatmentPlan.procedureCodes': { exclude: true, reason: 'the RIZIV codes field holds them' },
			'treatmentPlan.paymentStatus': { exclude: true, reason: 'DentAdmin exports no payments' },
			'latestPlan.status': { exclude: true, reason: 'plan status is on the deal (row 3)' },
			'latestPlan.procedureCodes': {
				exclude: true,
				reason: 'the person RIZIV codes field (row 8)',
			},
			// Row 2: insurer → organization.
			'insurer.name': { object: 'organization', standard: 'name' },
			'insurer.address': { object: 'organization', standard: 'address' },
			'insurer.website': { object: 'organization', standard: 'website' },
			'insurer.phone': orgCustom(FIELD.orgPhone),
			'insurer.email': orgCustom(FIELD.orgEmail),
			'insurer.code': orgCustom(FIELD.insurerCode),
			'insurer.union': orgCustom(FIELD.nationalUnion),
			'insurer.policyPrefix': orgCustom(FIELD.policyPrefix),
			'insurer.reimbursementTier': orgCustom(FIELD.reimbursementTier),
			...practiceTargets,
			// Row 4: location kept.
			'appointment.location': { object: 'activity', standard: 'location' },
		},
		schema: {
			customFields: [
				...sourceKeyFields,
				...personBaseFields,
				{ object: 'person', name: FIELD.language, fieldType: 'varchar' },
				{ object: 'person', name: FIELD.rizivCodes, fieldType: 'varchar' },
				{
					object: 'person',
					name: FIELD.insuranceProvider,
					fieldType: 'varchar',
				},
				{ object: 'person', name: FIELD.insurerOrganization, fieldType: 'org' },
				{
					object: 'person',
					name: FIELD.coPaymentPercentage,
					fieldType: 'double',
				},
				{
					object: 'person',
					name: FIELD.thirdPartyPayer,
					fieldType: 'enum',
					options: ['Yes', 'No'],
				},
				{
					object: 'person',
					name: FIELD.documentsNotUploaded,
					fieldType: 'text',
				},
				{ object: 'deal', name: FIELD.rizivCodes, fieldType: 'varchar' },
				{ object: 'deal', name: FIELD.dealCoPayment, fieldType: 'monetary' },
				{
					object: 'deal',
					name: FIELD.coPaymentPercentage,
					fieldType: 'double',
				},
				{ object: 'organization', name: FIELD.orgPhone, fieldType: 'phone' },
				{ object: 'organization', name: FIELD.orgEmail, fieldType: 'varchar' },
				{
					object: 'organization',
					name: FIELD.insurerCode,
					fieldType: 'varchar',
				},
				{
					object: 'organization',
					name: FIELD.nationalUnion,
					fieldType: 'varchar',
				},
				{
					object: 'organization',
					name: FIELD.policyPrefix,
					fieldType: 'varchar',
				},
				{
					object: 'organization',
					name: FIELD.reimbursementTier,
					fieldType: 'varchar',
				},
			],
			pipeline: PIPELINE,
			activityTypes: [
				{ name: 'Check-up', iconKey: 'meeting' },
				{ name: 'Treatment', iconKey: 'meeting' },
				{ name: 'Consultation', iconKey: 'meeting' },
				{ name: 'Appointment', iconKey: 'meeting' },
				{ name: 'Lab case', iconKey: 'task' },
			],
		},
		valueMaps: {
			// Normalised types first, then DentAdmin's own words in Dutch and French.
			appointmentTypes: {
				checkup: checkup,
				controle: checkup,
				contrôle: checkup,
				treatment: treatment,
				behandeling: treatment,
				traitement: treatment,
				consultation: consultation,
				consultatie: consultation,
			},
			appointmentTypeFallback: appointment('Appointment', 'Dental appointment'),
			labCase: appointment('Lab case', 'Lab case'),
			referralSources: {},
			...commonValueMaps,
			providerRoles: {
				Tandarts: 'dentist',
				Dentiste: 'dentist',
				Assistente: 'assistant',
				Assistante: 'assistant',
				Secretariaat: 'secretary',
				Secrétariat: 'secretary',
			},
		},
		rules: {
			...commonRules,
			today,
			fallbackOwnerEmail: 'admin@example.com',
			currency: 'EUR',
		},
		privacy: {
			clinicalNotes: 'migrate',
			clinicalNoteCategories: ['Medisch', 'Médical', 'Medische notitie', 'Clinical'],
			medicalAlerts: 'migrate',
		},
		unknownColumns: [],
		columnMap: {},
	};
}
