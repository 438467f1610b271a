import { join } from 'node:path';
import { proposeMapping, sampleExportColumns } from '../../lib/mapping/propose';
import { profileOf } from '../../lib/mapping/propose/fromExport';
import type { Proposal } from '../../lib/mapping/propose';
import { validateSpec } from '../../lib/mapping/validate';
import { folderSource, memorySource, readExport, sourceReaders } from '../../lib/sources';
import { dentalExecProfile } from '../../lib/sources/dental-exec';
import { TODAY } from './helpers';

const root = join(__dirname, '..', '..');
const fixture = (name: string) => join(root, 'test', 'fixtures', 'mapping', name);

async function proposeFor(folder: string, source: 'dental-exec' | 'dentadmin'): Promise<Proposal> {
	const read = await sourceReaders[source](folderSource(folder), { failOnUnreadableFile: false });
	return proposeMapping({
		source,
		profile: profileOf(source),
		samples: await sampleExportColumns(folderSource(folder)),
		report: read.report,
		references: read.references,
		today: TODAY,
	});
}

const row = (proposal: Proposal, file: string, column: string) => {
	const found = proposal.columns.find((c) => c.file === file && c.column === column);
	if (!found) throw new Error(`no proposal for ${file} ${column}`);
	return [found.field, found.target, found.confidence, found.needsReview];
};

describe('Propose mapping', () => {
	test.each(['nl', 'fr'])(
		'the bundled DentAdmin %s sample: every column to its default target with high confidence',
		async (language) => {
			const proposal = await proposeFor(join(root, 'samples', 'dentadmin', language), 'dentadmin');
			expect(proposal.columns.length).toBeGreaterThan(40);
			expect(
				proposal.columns.filter((c) => c.confidence < 0.95 || c.needsReview || !c.field),
			).toEqual([]);
			expect(proposal.spec.unknownColumns).toEqual([]);
			expect(proposal.spec.columnMap).toEqual({});
			expect(validateSpec(proposal.spec).problems).toEqual([]);
		},
	);

	test('the bundled Dental-Exec sample: every layout column to its default target; its extra column as an option field', async () => {
		const proposal = await proposeFor(join(root, 'samples', 'dental-exec'), 'dental-exec');
		expect(
			proposal.columns.filter((c) => c.confidence < 0.95 || c.needsReview || !c.field),
		).toEqual([
			{
				file: 'patients.csv',
				column: 'PreferredContact',
				target: 'new person custom field "Preferred contact" (enum)',
				confidence: 0.8,
				reason:
					'not a patients.csv column of the reference layout; 100% of 30 sampled values are a pick-list of 3 values, so an option field',
				needsReview: false,
			},
		]);
		expect(proposal.spec.unknownColumns).toEqual([
			{
				entity: 'patient',
				header: 'PreferredContact',
				target: { object: 'person', custom: 'Preferred contact' },
			},
		]);
		expect(proposal.spec.schema.customFields.find((f) => f.name === 'Preferred contact')).toEqual({
			object: 'person',
			name: 'Preferred contact',
			fieldType: 'enum',
			options: ['Email', 'Phone', 'Text'],
		});
		expect(proposal.spec.columnMap).toEqual({});
		expect(validateSpec(proposal.spec).problems).toEqual([]);
	});

	test('renamed columns in English: known synonyms, a dictionary match for review, an extra column as a custom field', async () => {
		const proposal = await proposeFor(fixture('renamed-en'), 'dental-exec');
		expect(proposal.columns.map((c) => [c.column, c.field, c.confidence, c.needsReview])).toEqual([
			['Patient No', 'PatientID', 0.95, false],
			['Surname', 'LastName', 0.95, false],
			['Given Name', 'FirstName', 0.95, false],
			['Date of Birth', 'DOB', 0.95, false],
			['E-mail Address', 'Email', 0.95, false],
			['Cell Phone', 'MobilePhone', 0.95, false],
			['Postal Code', 'Zip', 0.95, false],
			['Balance Owed', 'OutstandingBalance', 0.76, true],
			['Loyalty Tier', undefined, 0.8, false],
		]);
		expect(proposal.columns.find((c) => c.column === 'Balance Owed')?.reason).toBe(
			'header "Balance Owed" contains "balance"; 100% of 5 sampled values are money values',
		);
		expect(row(proposal, 'patients.csv', 'Loyalty Tier')).toEqual([
			undefined,
			'new person custom field "Loyalty tier" (varchar)',
			0.8,
			false,
		]);
		expect(proposal.spec.unknownColumns).toEqual([
			{
				entity: 'patient',
				header: 'Loyalty Tier',
				target: { object: 'person', custom: 'Loyalty tier' },
			},
		]);
		expect(proposal.spec.columnMap).toEqual({
			'patients.csv': { 'Balance Owed': 'OutstandingBalance' },
		});
	});

	test('renamed columns in Dutch and French: header words of both languages, values confirming', async () => {
		const nl = await proposeFor(fixture('renamed-nl'), 'dental-exec');
		expect(nl.spec.columnMap).toEqual({
			'patients.csv': {
				PatiëntNummer: 'PatientID',
				Achternaam: 'LastName',
				Voornaam: 'FirstName',
				Geboortedatum: 'DOB',
				'E-mailadres': 'Email',
				GSM: 'MobilePhone',
				'Openstaand saldo': 'OutstandingBalance',
			},
		});
		expect(row(nl, 'patients.csv', 'Geboortedatum')).toEqual([
			'DOB',
			'patient.birthDate → person field "Date of birth"',
			0.9,
			false,
		]);
		const fr = await proposeFor(fixture('renamed-fr'), 'dental-exec');
		expect(fr.spec.columnMap).toEqual({
			'patients.csv': {
				'Numéro patient': 'PatientID',
				'Nom de famille': 'LastName',
				Prénom: 'FirstName',
				'Date de naissance': 'DOB',
				Courriel: 'Email',
				Portable: 'MobilePhone',
				'Code postal': 'Zip',
				'Solde dû': 'OutstandingBalance',
			},
		});
		expect(fr.columns.find((c) => c.column === 'Courriel')?.reason).toBe(
			'header "Courriel" is a known name for it; 100% of 5 sampled values are email values',
		);
		expect(fr.spec.unknownColumns.map((c) => c.header)).toEqual(['Niveau fidélité']);
	});

	test('another practice system: the reader reports missing columns, Propose names the column for each field', async () => {
		const folder = fixture('other-system');
		const read = await readExport(dentalExecProfile, folderSource(folder), {
			failOnUnreadableFile: false,
		});
		const patients = read.report.files.find((f) => f.file === 'patients.csv');
		expect(patients?.missingColumns.slice(0, 2)).toEqual(['PatientID', 'LastName']);
		expect(read.bundles).toEqual([]);

		const proposal = await proposeFor(folder, 'dental-exec');
		const filled = (file: string) =>
			proposal.fields
				.filter((f) => f.file === file && f.column)
				.map((f) => [f.field, f.required, f.column, f.confidence]);
		expect(filled('patients.csv')).toEqual([
			['PatientID', true, 'PT_NO', 0.9],
			['LastName', true, 'SURNM', 0.9],
			['FirstName', false, 'GIVEN_NM', 0.9],
			['DOB', false, 'BDAY', 0.9],
			['Email', false, 'EMAIL_ADDR', 0.9],
			['HomePhone', false, 'HOME_TEL', 0.9],
			['Address1', false, 'STREET_ADDR', 0.9],
			['City', false, 'CITY_NM', 0.9],
			['State', false, 'ST_CD', 0.9],
			['Zip', false, 'ZIPCD', 0.9],
			['ReferralSource', false, 'REF_SRC', 0.9],
			['InsuranceCarrier', false, 'INS_CO', 0.9],
			['OutstandingBalance', false, 'BAL_DUE', 0.9],
			['AllergyFlag', false, 'ALLERGY_YN', 0.9],
			['CreatedAt', false, 'CREATED_TS', 0.9],
		]);
		expect(filled('appointments.csv').map((f) => `${f[0]}=${f[2]}`)).toEqual([
			'AppointmentID=APPT_NO',
			'PatientID=PT_NO',
			'StartDateTime=APPT_DT',
			'ProviderID=PROV_CD',
			'DurationMinutes=DUR_MIN',
			'AppointmentType=APPT_TYP',
			'ProcedureCodes=PROC_CDS',
			'Notes=CMT',
		]);
		expect(proposal.fields.find((f) => f.field === 'WorkPhone')).toEqual({
			file: 'patients.csv',
			field: 'WorkPhone',
			required: false,
			confidence: 0,
			reason:
				'no present column looks like it (the reader reports it missing); optional: leave it out or map a column by hand',
			needsReview: false,
		});
		expect(row(proposal, 'patients.csv', 'CHART_COLOR')).toEqual([
			undefined,
			'new person custom field "Chart color" (enum)',
			0.8,
			false,
		]);
		expect(proposal.table).toContain(
			'| patients.csv | PatientID | yes | PT_NO | 90% |  | header "PT_NO" is a known name for it; 100% of 6 sampled values are text values |',
		);

		// The proposed column map makes the reader read the export as the reference layout.
		const again = await readExport(dentalExecProfile, folderSource(folder), {
			failOnUnreadableFile: false,
			columnMap: proposal.spec.columnMap,
		});
		expect(again.bundles.map((b) => b.bundleKey)).toEqual([
			'dental-exec:patient:P-0001',
			'dental-exec:patient:P-0002',
			'dental-exec:patient:P-0003',
			'dental-exec:patient:P-0004',
			'dental-exec:patient:P-0005',
			'dental-exec:patient:P-0006',
		]);
		expect(again.bundles[0].appointments).toHaveLength(1);
	});

	test('headers no dictionary knows: values decide, marked for review; a partial header word helps', async () => {
		const csv = [
			'PAT_ID,FAMILY_NAME_TXT,X1,PATIENT_MOBILE_NUMBER,KODES',
			...['1', '2', '3', '4', '5'].map(
				(n) => `${n},Doe${n},p${n}@example.com,+1 555 010${n},D1110;D0120`,
			),
		].join('\n');
		const samples = await sampleExportColumns(
			memorySource('memory', [{ name: 'patients.csv', content: Buffer.from(csv) }]),
		);
		const proposal = proposeMapping({
			source: 'dental-exec',
			profile: dentalExecProfile,
			samples,
			today: TODAY,
		});
		expect(
			proposal.columns.map((c) => [
				c.column,
				c.field ?? c.target,
				c.confidence,
				c.needsReview,
				c.reason,
			]),
		).toEqual([
			[
				'PAT_ID',
				'PatientID',
				0.9,
				false,
				'header "PAT_ID" is a known name for it; 100% of 5 sampled values are integer values',
			],
			[
				'FAMILY_NAME_TXT',
				'LastName',
				0.76,
				true,
				'header "FAMILY_NAME_TXT" contains "familyname"; 100% of 5 sampled values are text values',
			],
			['X1', 'Email', 0.5, true, 'header unknown, but 100% of 5 sampled values are email values'],
			[
				'PATIENT_MOBILE_NUMBER',
				'MobilePhone',
				0.76,
				true,
				'header "PATIENT_MOBILE_NUMBER" contains "mobile"; 100% of 5 sampled values are phone values',
			],
			[
				'KODES',
				'new person custom field "Kodes" (varchar)',
				0.8,
				false,
				'not a patients.csv column of the reference layout; 100% of 5 sampled values are CDT codes, kept as text',
			],
		]);
	});

	test('the referral pick-list from the reader becomes the enum options and value map', () => {
		const proposal = proposeMapping({
			source: 'dental-exec',
			profile: dentalExecProfile,
			samples: [],
			references: [
				{
					kind: 'referralSource',
					sourceSystem: 'dental-exec',
					sourceId: 'WEB',
					sourceKey: 'dental-exec:referralSource:WEB',
					code: 'WEB',
					label: 'Website',
					extra: {},
				},
				{
					kind: 'referralSource',
					sourceSystem: 'dental-exec',
					sourceId: 'FR',
					sourceKey: 'dental-exec:referralSource:FR',
					code: 'FR',
					label: 'Friend',
					extra: {},
				},
			],
			today: TODAY,
		});
		expect(proposal.spec.valueMaps.referralSources).toEqual({ FR: 'Friend', WEB: 'Website' });
		expect(
			proposal.spec.schema.customFields.find((f) => f.name === 'Referral source')?.options,
		).toEqual(['Friend', 'Website']);
		expect(validateSpec(proposal.spec).problems).toEqual([]);
	});
});
