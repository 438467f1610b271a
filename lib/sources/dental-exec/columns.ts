import { compact, type ColumnSpec, type ColumnType, type SourceRow } from '../common';

/**
 * A Dental-Exec column: its field is the header the reference layout uses, and `synonyms` are
 * headers seen in other versions and installations of the product.
 */
export function column(
	field: string,
	type: ColumnType,
	options: Omit<ColumnSpec, 'field' | 'type' | 'headers'> & { synonyms?: readonly string[] } = {},
): ColumnSpec {
	const { synonyms = [], ...rest } = options;
	return { field, type, headers: { en: [field, ...synonyms] }, ...rest };
}

export const required = { required: true } as const;

/** Columns several files share, declared once so their synonyms agree. */
export const PATIENT_ID = column('PatientID', 'text', {
	required: true,
	synonyms: ['PatientNumber', 'PatNum', 'ChartNumber', 'PatientNo'],
});
export const PROVIDER_ID = column('ProviderID', 'text', {
	synonyms: ['ProviderNumber', 'ProvNum', 'DentistID'],
});
export const PRACTICE_ID = column('PracticeID', 'text', {
	synonyms: ['LocationID', 'OfficeID', 'ClinicID'],
});
export const MODIFIED_AT = column('ModifiedAt', 'dateTime', {
	synonyms: ['LastModified', 'DateModified', 'UpdatedAt'],
	happened: true,
});
export const CREATED_AT = column('CreatedAt', 'dateTime', {
	synonyms: ['DateCreated', 'Created', 'EntryDate'],
});
/**
 * Creation time of a record that exists once created (a patient, a note, a document). Not used for
 * appointments: the sample generator dates a booked visit's creation relative to the visit.
 */
export const CREATED_AT_HAPPENED: ColumnSpec = { ...CREATED_AT, happened: true };
export const PROCEDURE_CODES = column('ProcedureCodes', 'list', {
	synonyms: ['CDTCodes', 'Codes', 'Procedures'],
});

export const ADDRESS_COLUMNS = [
	column('Address1', 'text', { synonyms: ['Address', 'Street', 'AddressLine1'] }),
	column('Address2', 'text', { synonyms: ['AddressLine2', 'Suite'] }),
	column('City', 'text', { synonyms: ['Town'] }),
	column('State', 'text', { synonyms: ['Province', 'Region', 'ST'] }),
	column('Zip', 'text', { synonyms: ['ZipCode', 'PostalCode', 'Postcode'] }),
	column('Country', 'text'),
];

/** The address of a row with ADDRESS_COLUMNS; US addresses keep their first line whole as the street. */
export function addressOf(row: SourceRow) {
	return compact({
		street: row.text('Address1'),
		line2: row.text('Address2'),
		city: row.text('City'),
		region: row.text('State'),
		postalCode: row.text('Zip'),
		country: row.text('Country'),
	});
}
