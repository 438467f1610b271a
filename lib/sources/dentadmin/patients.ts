import type { Patient } from '../../model';
import type { BuildContext, PatientFileSpec, SourceRow } from '../common';
import { column, YES_NO } from './columns';
import { key, PRACTICE_KEY } from './keys';
import { MUTUALITY_CODE_FORMAT } from './mutuality';
import { validateNationalNumber } from './nationalNumber';

export const PATIENT_COLUMNS = [
	column('patientId', ['PatiëntNr', 'PatientNr'], 'NoPatient', 'text', { required: true }),
	column('lastName', 'Naam', 'Nom', 'text', { required: true }),
	column('firstName', 'Voornaam', 'Prénom', 'text'),
	column('birthDate', 'Geboortedatum', 'DateNaissance', 'date', { happened: true }),
	column('gender', 'Geslacht', 'Sexe', 'choice', { values: { M: 'M', V: 'F', F: 'F', X: 'X' } }),
	column('email', 'Email', 'Email', 'email', { separator: ';' }),
	column('phone', 'Telefoon', 'Téléphone', 'phone'),
	column('mobile', 'GSM', 'GSM', 'phone'),
	column('street', 'Straat', 'Rue', 'text'),
	column('houseNumber', 'Huisnummer', 'Numéro', 'text'),
	column('box', 'Bus', 'Boîte', 'text'),
	column('postalCode', 'Postcode', 'CodePostal', 'text'),
	column('city', 'Gemeente', 'Commune', 'text'),
	column('country', 'Land', 'Pays', 'text'),
	column('nationalNumber', 'Rijksregisternummer', 'NumeroNational', 'text'),
	column('mutuality', 'Mutualiteit', 'Mutualité', 'text'),
	column('affiliationNumber', 'Aansluitingsnummer', 'NumeroAffiliation', 'text'),
	column('coPaymentPercentage', 'Remgeld', 'TicketModerateur', 'decimal'),
	column('thirdPartyPayer', 'Derdebetaler', 'TiersPayant', 'boolean', { values: YES_NO }),
	column('dentist', 'Tandarts', 'Dentiste', 'text'),
	column('language', 'Taal', 'Langue', 'text'),
	column('createdAt', 'Aangemaakt', 'CreeLe', 'dateTime', { happened: true }),
	column('modifiedAt', 'Gewijzigd', 'ModifieLe', 'dateTime', { happened: true }),
];

/** Country words a Belgian export writes for Belgium, in either language (compared lower-case). */
const BELGIUM = new Set(['be', 'bel', 'belgië', 'belgie', 'belgique', 'belgium', 'belgien']);

export interface PatientOptions {
	/** The national register number is a protected identifier: copied only when asked for. */
	includeNationalNumber: boolean;
	/** Collects the mutuality codes patients use, so insurers missing from their file can be added. */
	mutualityCodes?: Set<string>;
}

export function patientsFile(options: PatientOptions): PatientFileSpec {
	return {
		role: 'patient',
		name: 'patienten.csv',
		fileNames: ['patienten.csv', 'patients.csv'],
		entity: 'patient',
		columns: PATIENT_COLUMNS,
		idField: 'patientId',
		modifiedField: 'modifiedAt',
		createdField: 'createdAt',
		dateOrder: [['createdAt', 'modifiedAt']],
		mandatory: true,
		build: (row, ctx) => buildPatient(row, ctx, options),
	};
}

function buildPatient(row: SourceRow, ctx: BuildContext, options: PatientOptions): Patient {
	const id = row.text('patientId') as string;
	const country = row.text('country');
	const address = {
		street: row.text('street'),
		houseNumber: row.text('houseNumber'),
		box: row.text('box'),
		postalCode: row.text('postalCode'),
		city: row.text('city'),
		country: country !== undefined && BELGIUM.has(country.toLowerCase()) ? 'BE' : country,
	};
	const phones = [
		...optional(row.text('phone'), (value) => ({ value, label: 'home' as const })),
		...optional(row.text('mobile'), (value) => ({ value, label: 'mobile' as const })),
	];
	const dentist = row.text('dentist');
	return {
		sourceSystem: 'dentadmin',
		sourceId: id,
		sourceKey: key('patient', id),
		origin: { file: row.file, line: row.line },
		extra: row.extra,
		modifiedAt: row.dateTime('modifiedAt'),
		lastName: row.text('lastName') as string,
		firstName: row.text('firstName'),
		birthDate: row.date('birthDate'),
		gender: row.choice('gender') as Patient['gender'],
		emails: row.list('email'),
		phones,
		address: Object.values(address).some((part) => part !== undefined) ? address : undefined,
		language: row.text('language')?.toLowerCase(),
		practiceKey: PRACTICE_KEY,
		primaryProviderKey: dentist === undefined ? undefined : key('provider', dentist),
		insurance: insurance(row, ctx, options),
		coPayment: coPayment(row, ctx),
		nationalNumber: nationalNumber(row, ctx, options),
		createdAt: row.dateTime('createdAt'),
	};
}

function optional<T>(value: string | undefined, make: (value: string) => T): T[] {
	return value === undefined ? [] : [make(value)];
}

function insurance(
	row: SourceRow,
	ctx: BuildContext,
	options: PatientOptions,
): Patient['insurance'] {
	const code = row.text('mutuality');
	const policyNumber = row.text('affiliationNumber');
	if (code === undefined && policyNumber === undefined) return undefined;
	if (code !== undefined && !MUTUALITY_CODE_FORMAT.test(code)) {
		ctx.issue(
			'warning',
			ctx.header('mutuality'),
			'mutuality-code-invalid',
			'Mutuality code is not 3 digits: the patient is kept without an insurer link; correct the code in DentAdmin (e.g. 134) and export again.',
		);
		// Kept as written so the mapping step can still show it; no insurer link is guessed.
		return { carrier: code, policyNumber };
	}
	if (code !== undefined) options.mutualityCodes?.add(code);
	return { insurerKey: code === undefined ? undefined : key('insurer', code), policyNumber };
}

function coPayment(row: SourceRow, ctx: BuildContext): Patient['coPayment'] {
	const percentage = row.decimal('coPaymentPercentage');
	const thirdPartyPayer = row.boolean('thirdPartyPayer');
	if (percentage !== undefined && (percentage < 0 || percentage > 100)) {
		ctx.issue(
			'warning',
			ctx.header('coPaymentPercentage'),
			'co-payment-out-of-range',
			'Co-payment percentage is outside 0-100: it is kept as written; check the patient record in DentAdmin.',
		);
	}
	if (percentage === undefined && thirdPartyPayer === undefined) return undefined;
	return { percentage, thirdPartyPayer };
}

function nationalNumber(
	row: SourceRow,
	ctx: BuildContext,
	options: PatientOptions,
): string | undefined {
	const raw = row.text('nationalNumber');
	if (raw === undefined) return undefined;
	const result = validateNationalNumber(raw);
	if (!result.valid) {
		const why = {
			format: 'is not 11 digits',
			month: 'has an impossible month',
			day: 'has an impossible day',
			checksum: 'fails the mod-97 check (19xx and 20xx rules)',
		}[result.reason];
		ctx.issue(
			'warning',
			ctx.header('nationalNumber'),
			'national-number-invalid',
			`National register number ${why}: it is not migrated; correct it in DentAdmin and export again.`,
		);
		return undefined;
	}
	return options.includeNationalNumber ? result.digits : undefined;
}
