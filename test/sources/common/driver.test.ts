import * as iconv from 'iconv-lite';
import {
	ExportReadError,
	memorySource,
	readExport,
	recordBase,
	keyOf,
	money,
	type SourceProfile,
} from '../../../lib/sources/common';

/** A tiny bilingual profile, like DentAdmin's: Dutch or French headers, DD/MM dates, decimal comma. */
const profile: SourceProfile = {
	system: 'dentadmin',
	languages: ['nl', 'fr'],
	forbidMixedLanguages: true,
	defaultDateOrder: 'DMY',
	moneyStyle: 'comma',
	defaultCurrency: 'EUR',
	defaultTimeZone: 'Europe/Brussels',
	files: [
		{
			role: 'patient',
			name: 'patienten.csv',
			fileNames: ['patienten.csv', 'patients.csv'],
			entity: 'patient',
			mandatory: true,
			idField: 'id',
			columns: [
				{
					field: 'id',
					type: 'text',
					required: true,
					headers: { nl: ['PatiëntNr'], fr: ['NoPatient'] },
				},
				{ field: 'name', type: 'text', required: true, headers: { nl: ['Naam'], fr: ['Nom'] } },
				{ field: 'birth', type: 'date', headers: { nl: ['Geboortedatum'], fr: ['DateNaissance'] } },
				{ field: 'balance', type: 'money', headers: { nl: ['Saldo'], fr: ['Solde'] } },
			],
			build(row, ctx) {
				return {
					...recordBase(ctx, 'patient', row, row.text('id') as string),
					lastName: row.text('name') as string,
					birthDate: row.date('birth'),
					emails: [],
					phones: [],
					billing: { outstandingBalance: money(ctx, row.amount('balance')) },
				};
			},
		},
		{
			role: 'child',
			name: 'documenten.csv',
			fileNames: ['documenten.csv', 'documents.csv'],
			entity: 'document',
			collection: 'documents',
			idField: 'id',
			patientField: 'patient',
			columns: [
				{
					field: 'id',
					type: 'text',
					required: true,
					headers: { nl: ['DocNr'], fr: ['NoDocument'] },
				},
				{
					field: 'patient',
					type: 'text',
					required: true,
					headers: { nl: ['PatiëntNr'], fr: ['NoPatient'] },
				},
				{ field: 'path', type: 'text', required: true, headers: { nl: ['Pad'], fr: ['Chemin'] } },
			],
			build(row, ctx) {
				const resolved = ctx.resolvePath(row.text('path') as string);
				if (resolved.kind !== 'inside') {
					ctx.issue('error', ctx.header('path'), 'outside', 'refused');
					return null;
				}
				return {
					...recordBase(ctx, 'document', row, row.text('id') as string),
					patientKey: keyOf(ctx, 'patient', row.text('patient')) as string,
					fileName: row.text('path') as string,
					relativePath: row.text('path'),
				};
			},
		},
	],
};

describe('readExport with a bilingual profile', () => {
	it('reads a Windows-1252 Dutch export with ; delimiters, DD/MM dates and decimal commas', async () => {
		const patients = iconv.encode(
			'PatiëntNr;Naam;Geboortedatum;Saldo\r\n1;Peeters;03.04.1980;1.234,50\r\n2;Dubois-Lefèvre;25-12-1975;-12,00\r\n',
			'win1252',
		);
		const documents = Buffer.from(
			'DocNr;PatiëntNr;Pad\r\nD1;1;docs/verslag.pdf\r\nD2;1;../geheim.pdf\r\n',
			'utf8',
		);
		const { bundles, report } = await readExport(
			profile,
			memorySource('upload', [
				{ name: 'PATIENTEN.CSV', content: patients },
				{ name: 'documenten.csv', content: documents },
				{ name: 'docs/verslag.pdf', content: Buffer.from('%PDF') },
			]),
		);
		expect(
			report.files.map(
				({ file, encoding, delimiter, dateFormat, rowsAccepted, rowsQuarantined }) => ({
					file,
					encoding,
					delimiter,
					dateFormat,
					rowsAccepted,
					rowsQuarantined,
				}),
			),
		).toEqual([
			{
				file: 'patienten.csv',
				encoding: 'windows-1252',
				delimiter: ';',
				dateFormat: 'DD.MM.YYYY',
				rowsAccepted: 2,
				rowsQuarantined: 0,
			},
			{
				file: 'documenten.csv',
				encoding: 'utf-8',
				delimiter: ';',
				dateFormat: 'none',
				rowsAccepted: 1,
				rowsQuarantined: 1,
			},
		]);
		expect(
			report.issues.map(({ severity, file, line, column, code }) => ({
				severity,
				file,
				line,
				column,
				code,
			})),
		).toEqual([
			{
				severity: 'info',
				file: 'patienten.csv',
				line: 1,
				column: undefined,
				code: 'header-language',
			},
			{
				severity: 'info',
				file: 'documenten.csv',
				line: 1,
				column: undefined,
				code: 'header-language',
			},
			{ severity: 'error', file: 'documenten.csv', line: 3, column: 'Pad', code: 'outside' },
		]);
		expect(report.issues[0].message).toBe('The headers are in the "nl" header set.');
		expect(
			bundles.map((bundle) => [
				bundle.patient.lastName,
				bundle.patient.birthDate,
				bundle.patient.billing?.outstandingBalance,
				bundle.documents.length,
			]),
		).toEqual([
			['Peeters', '1980-04-03', { amount: '1234.50', currency: 'EUR' }, 1],
			['Dubois-Lefèvre', '1975-12-25', { amount: '-12.00', currency: 'EUR' }, 0],
		]);
	});

	it('rejects a file that mixes Dutch and French headers', async () => {
		const { report, bundles } = await readExport(
			profile,
			memorySource('upload', [
				{ name: 'patients.csv', content: Buffer.from('NoPatient;Naam\n1;Peeters\n') },
			]),
		);
		expect(report.issues.map(({ severity, line, code }) => ({ severity, line, code }))).toEqual([
			{ severity: 'info', line: 1, code: 'header-language' },
			{ severity: 'error', line: 1, code: 'mixed-header-languages' },
			{ severity: 'warning', line: 1, code: 'missing-optional-column' },
			{ severity: 'warning', line: 1, code: 'missing-optional-column' },
			{ severity: 'info', line: 0, code: 'file-absent' },
		]);
		expect(report.files[0]).toMatchObject({ rowsRead: 1, rowsAccepted: 0, rowsQuarantined: 1 });
		expect(bundles).toEqual([]);
	});

	it('refuses an entity that is in the export under two of its names', async () => {
		// A Dutch and a French export dropped into one folder: reading either one would lose the
		// other's patients without a word, reading both could migrate a patient twice.
		const files = [
			{ name: 'patienten.csv', content: Buffer.from('PatiëntNr;Naam\n1;Peeters\n') },
			{ name: 'Patients.csv', content: Buffer.from('NoPatient;Nom\n2;Dubois\n') },
		];
		const refused = readExport(profile, memorySource('upload', files));
		await expect(refused).rejects.toThrow(ExportReadError);
		await expect(refused).rejects.toThrow(
			'patienten.csv is in the export twice, as patienten.csv and Patients.csv; move the one that is not the export to migrate out of the folder.',
		);
		const { report, bundles } = await readExport(profile, memorySource('upload', files), {
			failOnUnreadableFile: false,
		});
		expect(
			report.issues
				.filter((issue) => issue.severity === 'error')
				.map(({ file, line, code }) => ({ file, line, code })),
		).toEqual([{ file: 'patienten.csv', line: 0, code: 'file-ambiguous' }]);
		expect(bundles).toEqual([]);
	});
});
