/**
 * The canonical fields a mapping spec can route. Each one names where its value comes from in the
 * canonical model, which Pipedrive objects may receive it, and what kind of value it carries (so a
 * spec can be checked against field types, and Propose can compare sniffed column values).
 */

export type CanonicalKind =
	| 'text'
	| 'longText'
	| 'date'
	| 'dateTime'
	| 'number'
	| 'percentage'
	| 'money'
	| 'flag'
	| 'flags'
	| 'pickList'
	| 'email'
	| 'phone'
	| 'address'
	| 'codes'
	| 'reference';

export interface CanonicalField {
	/** The Pipedrive object the value lands on (its custom fields, or a standard field). */
	object: 'person' | 'organization' | 'deal' | 'activity';
	kind: CanonicalKind;
	description: string;
}

export const CANONICAL_FIELDS = {
	'patient.name': {
		object: 'person',
		kind: 'text',
		description: 'first and last name',
	},
	'patient.emails': {
		object: 'person',
		kind: 'email',
		description: 'email addresses',
	},
	'patient.phones': {
		object: 'person',
		kind: 'phone',
		description: 'phone numbers',
	},
	'patient.address': {
		object: 'person',
		kind: 'address',
		description: 'postal address',
	},
	'patient.birthDate': {
		object: 'person',
		kind: 'date',
		description: 'date of birth',
	},
	'patient.gender': {
		object: 'person',
		kind: 'text',
		description: 'gender (M, F, X)',
	},
	'patient.preferredName': {
		object: 'person',
		kind: 'text',
		description: 'preferred name',
	},
	'patient.language': {
		object: 'person',
		kind: 'text',
		description: 'language',
	},
	'patient.status': {
		object: 'person',
		kind: 'pickList',
		description: 'patient status',
	},
	'patient.firstVisitDate': {
		object: 'person',
		kind: 'date',
		description: 'first visit date',
	},
	'patient.lastVisitDate': {
		object: 'person',
		kind: 'date',
		description: 'last visit date',
	},
	'patient.referralSource': {
		object: 'person',
		kind: 'pickList',
		description: 'referral source',
	},
	'patient.referringDentist': {
		object: 'person',
		kind: 'text',
		description: 'referring dentist',
	},
	'patient.employer': {
		object: 'person',
		kind: 'text',
		description: 'employer',
	},
	'patient.guarantor': {
		object: 'person',
		kind: 'text',
		description: 'guarantor patient id',
	},
	'patient.createdAt': {
		object: 'person',
		kind: 'dateTime',
		description: 'record creation time',
	},
	'patient.nationalNumber': {
		object: 'person',
		kind: 'text',
		description: 'Belgian national register number',
	},
	'patient.insurance.carrier': {
		object: 'person',
		kind: 'text',
		description: 'insurance carrier',
	},
	'patient.insurance.policyNumber': {
		object: 'person',
		kind: 'text',
		description: 'policy number',
	},
	'patient.insurance.groupNumber': {
		object: 'person',
		kind: 'text',
		description: 'group number',
	},
	'patient.insurance.subscriberId': {
		object: 'person',
		kind: 'text',
		description: 'subscriber id',
	},
	'patient.insurance.summary': {
		object: 'person',
		kind: 'text',
		description: 'insurer name and policy number in one field',
	},
	'patient.insurance.insurer': {
		object: 'person',
		kind: 'reference',
		description: 'the insurer organization',
	},
	'patient.billing.outstandingBalance': {
		object: 'person',
		kind: 'money',
		description: 'outstanding balance',
	},
	'patient.billing.lastPaymentAmount': {
		object: 'person',
		kind: 'money',
		description: 'last payment amount',
	},
	'patient.billing.lastPaymentDate': {
		object: 'person',
		kind: 'date',
		description: 'last payment date',
	},
	'patient.medicalAlerts': {
		object: 'person',
		kind: 'flags',
		description: 'medical alert flags',
	},
	'patient.coPayment.percentage': {
		object: 'person',
		kind: 'percentage',
		description: 'co-payment percentage',
	},
	'patient.coPayment.thirdPartyPayer': {
		object: 'person',
		kind: 'flag',
		description: 'third-party payer',
	},
	'patient.rizivCodes': {
		object: 'person',
		kind: 'codes',
		description: 'most frequent RIZIV codes',
	},
	'claims.latestStatus': {
		object: 'person',
		kind: 'text',
		description: 'latest claim status',
	},
	'claims.history': {
		object: 'person',
		kind: 'longText',
		description: 'claim history, a line per claim',
	},
	'latestPlan.procedureCodes': {
		object: 'person',
		kind: 'codes',
		description: 'procedure codes of the latest plan',
	},
	'latestPlan.status': {
		object: 'person',
		kind: 'pickList',
		description: 'status of the latest plan',
	},
	'latestPlan.notes': {
		object: 'person',
		kind: 'longText',
		description: 'notes of the latest plan',
	},
	'recall.intervalMonths': {
		object: 'person',
		kind: 'number',
		description: 'recall interval in months',
	},
	'recall.nextDate': {
		object: 'person',
		kind: 'date',
		description: 'next recall date',
	},
	'labCases.status': {
		object: 'person',
		kind: 'pickList',
		description: 'status of the latest lab case',
	},
	'documents.notUploaded': {
		object: 'person',
		kind: 'longText',
		description: 'documents over the size limit: name and location',
	},
	'treatmentPlan.procedureCodes': {
		object: 'deal',
		kind: 'codes',
		description: 'procedure codes',
	},
	'treatmentPlan.rizivCodes': {
		object: 'deal',
		kind: 'codes',
		description: 'RIZIV codes',
	},
	'treatmentPlan.teeth': { object: 'deal', kind: 'text', description: 'teeth' },
	'treatmentPlan.notes': {
		object: 'deal',
		kind: 'longText',
		description: 'plan notes',
	},
	'treatmentPlan.coPayment': {
		object: 'deal',
		kind: 'money',
		description: 'patient share of the plan',
	},
	'treatmentPlan.coPaymentPercentage': {
		object: 'deal',
		kind: 'percentage',
		description: 'co-payment percentage',
	},
	'treatmentPlan.paymentStatus': {
		object: 'deal',
		kind: 'pickList',
		description: 'payment status',
	},
	'treatmentPlan.practice': {
		object: 'deal',
		kind: 'reference',
		description: 'practice organization',
	},
	'treatmentPlan.insurer': {
		object: 'deal',
		kind: 'reference',
		description: 'insurer organization',
	},
	'practice.name': {
		object: 'organization',
		kind: 'text',
		description: 'practice name',
	},
	'practice.address': {
		object: 'organization',
		kind: 'address',
		description: 'practice address',
	},
	'practice.phone': {
		object: 'organization',
		kind: 'phone',
		description: 'practice phone',
	},
	'practice.email': {
		object: 'organization',
		kind: 'email',
		description: 'practice email',
	},
	'practice.website': {
		object: 'organization',
		kind: 'text',
		description: 'practice website',
	},
	'insurer.name': {
		object: 'organization',
		kind: 'text',
		description: 'insurer name',
	},
	'insurer.code': {
		object: 'organization',
		kind: 'text',
		description: 'insurer (mutuality) code',
	},
	'insurer.union': {
		object: 'organization',
		kind: 'text',
		description: 'national union',
	},
	'insurer.address': {
		object: 'organization',
		kind: 'address',
		description: 'insurer address',
	},
	'insurer.phone': {
		object: 'organization',
		kind: 'phone',
		description: 'insurer phone',
	},
	'insurer.email': {
		object: 'organization',
		kind: 'email',
		description: 'insurer email',
	},
	'insurer.website': {
		object: 'organization',
		kind: 'text',
		description: 'insurer website',
	},
	'insurer.policyPrefix': {
		object: 'organization',
		kind: 'text',
		description: 'policy-number prefix',
	},
	'insurer.reimbursementTier': {
		object: 'organization',
		kind: 'text',
		description: 'reimbursement tier',
	},
	'appointment.location': {
		object: 'activity',
		kind: 'text',
		description: 'appointment location',
	},
} as const satisfies Record<string, CanonicalField>;

export type CanonicalFieldName = keyof typeof CANONICAL_FIELDS;

export function isCanonicalFieldName(name: string): name is CanonicalFieldName {
	return Object.prototype.hasOwnProperty.call(CANONICAL_FIELDS, name);
}
