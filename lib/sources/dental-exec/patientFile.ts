import type { Patient } from '../../model';
import {
	compact,
	keyOf,
	money,
	recordBase,
	type BuildContext,
	type PatientFileSpec,
	type SourceRow,
} from '../common';
import {
	ADDRESS_COLUMNS,
	addressOf,
	column,
	CREATED_AT_HAPPENED,
	MODIFIED_AT,
	PATIENT_ID,
	PRACTICE_ID,
} from './columns';

const FLAG_SYNONYMS = {
	allergy: ['Allergy', 'Allergies'],
	drug: ['DrugInteraction', 'DrugAlert'],
	premed: ['Premedication', 'PremedRequired'],
};

function phones(row: SourceRow): Patient['phones'] {
	const labelled = [
		['HomePhone', 'home'],
		['MobilePhone', 'mobile'],
		['WorkPhone', 'work'],
	] as const;
	return labelled.flatMap(([field, label]) => {
		const value = row.text(field);
		return value === undefined ? [] : [{ value, label }];
	});
}

/** The yes/no alert columns as one object; an empty flag is "not flagged", like in the source UI. */
function medicalAlerts(row: SourceRow): Patient['medicalAlerts'] {
	const flags = [
		row.boolean('AllergyFlag'),
		row.boolean('DrugInteractionFlag'),
		row.boolean('PremedFlag'),
	];
	if (flags.every((flag) => flag === undefined)) return undefined;
	const [allergy, drugInteraction, premedication] = flags.map((flag) => flag === true);
	return { allergy, drugInteraction, premedication };
}

/** Referral codes by lower-cased code, then by lower-cased label (the first entry wins, as in the list). */
interface ReferralIndex {
	size: number;
	byCode: Map<string, string>;
	byLabel: Map<string, string>;
}
/**
 * Built once per read (the reference files are read before patients), not once per patient row:
 * scanning every reference entity per row was a large share of the reader's time.
 */
const referralIndexes = new WeakMap<BuildContext['references'], ReferralIndex>();

function referralIndex(references: BuildContext['references']): ReferralIndex {
	let index = referralIndexes.get(references);
	if (index && index.size === references.length) return index;
	index = { size: references.length, byCode: new Map(), byLabel: new Map() };
	for (const entity of references) {
		if (entity.kind !== 'referralSource') continue;
		const code = entity.code.toLowerCase();
		const label = entity.label.toLowerCase();
		if (!index.byCode.has(code)) index.byCode.set(code, entity.code);
		if (!index.byLabel.has(label)) index.byLabel.set(label, entity.code);
	}
	referralIndexes.set(references, index);
	return index;
}

/**
 * The referral column holds a pick-list code, or sometimes the label; both resolve to the code.
 * A value outside a pick-list that exists is kept as written and reported for the mapping step.
 */
function referral(row: SourceRow, ctx: BuildContext): string | undefined {
	const value = row.text('ReferralSource');
	if (value === undefined) return undefined;
	const index = referralIndex(ctx.references);
	if (index.byCode.size === 0) return value;
	const wanted = value.toLowerCase();
	const match = index.byCode.get(wanted) ?? index.byLabel.get(wanted);
	if (match !== undefined) return match;
	ctx.issue(
		'warning',
		ctx.header('ReferralSource'),
		'unknown-referral-source',
		'The referral source is neither a code nor a label of referral_sources.csv; it is kept as free text. Add it to the pick-list or correct it.',
	);
	return value;
}

export const patientsFile: PatientFileSpec = {
	role: 'patient',
	name: 'patients.csv',
	fileNames: ['patients.csv'],
	entity: 'patient',
	mandatory: true,
	idField: 'PatientID',
	modifiedField: 'ModifiedAt',
	createdField: 'CreatedAt',
	dateOrder: [
		['DOB', 'FirstVisitDate', 'LastVisitDate'],
		['CreatedAt', 'ModifiedAt'],
	],
	columns: [
		PATIENT_ID,
		column('LastName', 'text', { required: true, synonyms: ['Surname', 'FamilyName'] }),
		column('FirstName', 'text', { synonyms: ['GivenName'] }),
		column('PreferredName', 'text', { synonyms: ['Nickname'] }),
		column('DOB', 'date', { synonyms: ['DateOfBirth', 'BirthDate', 'Birthday'], happened: true }),
		column('Gender', 'choice', {
			synonyms: ['Sex'],
			values: {
				M: 'M',
				Male: 'M',
				F: 'F',
				Female: 'F',
				X: 'X',
				O: 'X',
				Other: 'X',
				U: 'X',
				Unknown: 'X',
			},
		}),
		column('Email', 'email', { separator: ';', synonyms: ['EmailAddress', 'Emails'] }),
		column('HomePhone', 'phone', { synonyms: ['Phone', 'HomeTelephone'] }),
		column('MobilePhone', 'phone', { synonyms: ['Cell', 'CellPhone', 'Mobile'] }),
		column('WorkPhone', 'phone', { synonyms: ['BusinessPhone', 'OfficePhone'] }),
		...ADDRESS_COLUMNS,
		PRACTICE_ID,
		column('PrimaryProviderID', 'text', {
			synonyms: ['PrimaryProvider', 'ProviderID', 'DentistID'],
		}),
		column('Status', 'choice', {
			synonyms: ['PatientStatus'],
			values: {
				Active: 'active',
				Inactive: 'inactive',
				Archived: 'archived',
				Deceased: 'deceased',
			},
		}),
		column('FirstVisitDate', 'date', { synonyms: ['FirstVisit'], happened: true }),
		column('LastVisitDate', 'date', { synonyms: ['LastVisit'], happened: true }),
		column('ReferralSource', 'text', { synonyms: ['ReferredBy', 'Referral'] }),
		column('ReferringDentist', 'text', { synonyms: ['ReferringDoctor'] }),
		column('Employer', 'text'),
		column('GuarantorID', 'text', { synonyms: ['Guarantor', 'ResponsibleParty'] }),
		column('InsuranceCarrier', 'text', { synonyms: ['Carrier', 'Insurance'] }),
		column('PolicyNumber', 'text'),
		column('GroupNumber', 'text'),
		column('SubscriberID', 'text'),
		column('OutstandingBalance', 'money', { synonyms: ['Balance'] }),
		column('LastPaymentAmount', 'money', { negativeMayBe: 'a refund' }),
		column('LastPaymentDate', 'date', { happened: true }),
		column('AllergyFlag', 'boolean', { synonyms: FLAG_SYNONYMS.allergy }),
		column('DrugInteractionFlag', 'boolean', { synonyms: FLAG_SYNONYMS.drug }),
		column('PremedFlag', 'boolean', { synonyms: FLAG_SYNONYMS.premed }),
		CREATED_AT_HAPPENED,
		MODIFIED_AT,
	],
	build(row, ctx) {
		const carrier = row.text('InsuranceCarrier');
		// Object.assign, not a spread: see child() in childFiles.ts.
		return Object.assign(
			recordBase(ctx, 'patient', row, row.text('PatientID') as string, row.dateTime('ModifiedAt')),
			{
				firstName: row.text('FirstName'),
				lastName: row.text('LastName') as string,
				preferredName: row.text('PreferredName'),
				birthDate: row.date('DOB'),
				gender: row.choice('Gender') as Patient['gender'],
				emails: row.list('Email'),
				phones: phones(row),
				address: addressOf(row),
				practiceKey: keyOf(ctx, 'practice', row.text('PracticeID')),
				primaryProviderKey: keyOf(ctx, 'provider', row.text('PrimaryProviderID')),
				status: row.choice('Status') as Patient['status'],
				firstVisitDate: row.date('FirstVisitDate'),
				lastVisitDate: row.date('LastVisitDate'),
				referralSource: referral(row, ctx),
				referringDentist: row.text('ReferringDentist'),
				employer: row.text('Employer'),
				guarantorKey: keyOf(ctx, 'patient', row.text('GuarantorID')),
				insurance: compact({
					carrier,
					policyNumber: row.text('PolicyNumber'),
					groupNumber: row.text('GroupNumber'),
					subscriberId: row.text('SubscriberID'),
				}),
				billing: compact({
					outstandingBalance: money(ctx, row.amount('OutstandingBalance')),
					lastPaymentAmount: money(ctx, row.amount('LastPaymentAmount')),
					lastPaymentDate: row.date('LastPaymentDate'),
				}),
				medicalAlerts: medicalAlerts(row),
				createdAt: row.dateTime('CreatedAt'),
			},
		);
	},
};
