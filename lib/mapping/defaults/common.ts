import { SOURCE_KEY_FIELD_NAME } from '../../pipedrive/schemaRequirements';
import type { CustomFieldDefinition } from '../../pipedrive/schemaRequirements';
import type { FieldTarget, MappingSpec } from '../spec';

/** Names of the custom fields both default specs define, so rules and tests share one spelling. */
export const FIELD = {
	dateOfBirth: 'Date of birth',
	postalAddress: 'Postal address',
	gender: 'Gender',
	preferredName: 'Preferred name',
	language: 'Language',
	patientStatus: 'Patient status',
	firstVisit: 'First visit date',
	lastVisit: 'Last visit date',
	referralSource: 'Referral source',
	referringDentist: 'Referring dentist',
	employer: 'Employer',
	guarantor: 'Guarantor',
	insuranceCarrier: 'Insurance carrier',
	policyNumber: 'Policy number',
	groupNumber: 'Group number',
	subscriberId: 'Subscriber ID',
	insuranceProvider: 'Insurance provider',
	insurerOrganization: 'Insurer',
	latestClaimStatus: 'Latest claim status',
	claimHistory: 'Claim history',
	outstandingBalance: 'Outstanding balance',
	lastPaymentAmount: 'Last payment amount',
	lastPaymentDate: 'Last payment date',
	planCodes: 'Treatment plan procedure codes',
	planStatus: 'Treatment plan status',
	planNotes: 'Treatment plan notes',
	recallInterval: 'Recall interval (months)',
	nextRecall: 'Next recall date',
	medicalAlerts: 'Medical alerts',
	labCaseStatus: 'Lab case status',
	documentsNotUploaded: 'Documents not uploaded',
	rizivCodes: 'RIZIV codes',
	coPaymentPercentage: 'Co-payment percentage',
	thirdPartyPayer: 'Third-party payer',
	dealProcedureCodes: 'Procedure codes',
	dealTeeth: 'Teeth',
	dealNotes: 'Plan notes',
	dealPaymentStatus: 'Payment status',
	dealCoPayment: 'Co-payment',
	orgPhone: 'Phone',
	orgEmail: 'Email',
	insurerCode: 'Insurer code',
	nationalUnion: 'National union',
	policyPrefix: 'Policy number prefix',
	reimbursementTier: 'Reimbursement tier',
} as const;

export const PIPELINE = {
	name: 'Treatment plans',
	stages: ['Proposed', 'Accepted', 'In progress', 'Completed'],
};

export const sourceKeyFields: CustomFieldDefinition[] = [
	{ object: 'person', name: SOURCE_KEY_FIELD_NAME, fieldType: 'varchar' },
	{ object: 'organization', name: SOURCE_KEY_FIELD_NAME, fieldType: 'varchar' },
	{ object: 'deal', name: SOURCE_KEY_FIELD_NAME, fieldType: 'varchar' },
];

export const personCustom = (custom: string): FieldTarget => ({
	object: 'person',
	custom,
});
export const dealCustom = (custom: string): FieldTarget => ({
	object: 'deal',
	custom,
});
export const orgCustom = (custom: string): FieldTarget => ({
	object: 'organization',
	custom,
});

/** Value maps and rules that read the same for both sources. */
/** Brief rows 3 (Dental-Exec) and 2 (DentAdmin): a practice or location becomes an organization. */
export const practiceTargets: Record<string, FieldTarget> = {
	'practice.name': { object: 'organization', standard: 'name' },
	'practice.address': { object: 'organization', standard: 'address' },
	'practice.website': { object: 'organization', standard: 'website' },
	'practice.phone': orgCustom(FIELD.orgPhone),
	'practice.email': orgCustom(FIELD.orgEmail),
};

/** Person fields both sources fill the same way (address, date of birth, gender). */
export const personBaseFields: CustomFieldDefinition[] = [
	{ object: 'person', name: FIELD.postalAddress, fieldType: 'address' },
	{ object: 'person', name: FIELD.dateOfBirth, fieldType: 'date' },
	{ object: 'person', name: FIELD.gender, fieldType: 'varchar' },
];

export const commonValueMaps = {
	planStatuses: {
		proposed: { status: 'open', stage: 'Proposed' },
		accepted: { status: 'open', stage: 'Accepted' },
		'in-progress': { status: 'open', stage: 'In progress' },
		completed: { status: 'won', stage: 'Completed' },
		declined: { status: 'lost', stage: 'Proposed' },
	},
	patientStatuses: {
		active: 'Active',
		inactive: 'Inactive',
		archived: 'Archived',
		deceased: 'Deceased',
	},
	planStatusLabels: {
		proposed: 'Proposed',
		accepted: 'Accepted',
		'in-progress': 'In progress',
		completed: 'Completed',
		declined: 'Declined',
	},
	labCaseStatuses: {
		sent: 'Sent',
		'in-progress': 'In progress',
		returned: 'Returned',
		seated: 'Seated',
	},
	medicalAlerts: {
		allergy: 'Allergy',
		drugInteraction: 'Drug interaction',
		premedication: 'Premedication',
	},
	paymentStatuses: {
		paid: 'Paid',
		partial: 'Partially paid',
		unpaid: 'Unpaid',
	},
	yesNo: { yes: 'Yes', no: 'No' },
} satisfies Partial<MappingSpec['valueMaps']>;

export const commonRules = {
	leadRecencyMonths: 12,
	visibleTo: 3,
	/** Pipedrive publishes no per-file limit (api-facts §3.6): a conservative client-side cap. */
	fileSizeLimitBytes: 25 * 1024 * 1024,
	overFileSizeLimit: 'link-field',
	claimHistory: { format: 'line-per-claim', maxLines: 50 },
	longPrescriptionChars: 500,
} as const;
