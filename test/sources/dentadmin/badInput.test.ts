import { folderSource } from '../../../lib/sources/common';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';
import { exportFolder } from './exportFolder';

const PATIENTS = [
	'PatiëntNr;Naam;Voornaam;Geboortedatum;Rijksregisternummer;Mutualiteit',
	'1;Peeters;Anaïs;12/07/1985;85071200217;134',
	'2;Dubois;François;18/05/1993;93051822362;319',
	'2;Maes;Jan;;;',
	'3;;Zoë;;;',
	'4;Lefèvre;Noël;03/02/2001;01020300170;526',
];

const TREATMENTS = [
	'BehandelingNr;PatiëntNr;Datum;RizivCode;Bedrag;Status;Behandelplan',
	'10;1;31/02/2024;301011;26,00;Uitgevoerd;',
	'11;1;05/03/2024;301011;1.234.56;Uitgevoerd;',
	'12;1;05/03/2024;30101;26,00;Uitgevoerd;',
	'13;9;05/03/2024;301011;26,00;Uitgevoerd;',
	'14;1;05/03/2024;999999;1.234,56;Gepland;P1',
	'15;1;10/03/2024;301593;29,50;Uitgevoerd;P1',
];

const APPOINTMENTS = [
	'AfspraakNr;PatiëntNr;Begin;Einde;Type;Herhaling',
	'20;1;24/03/2024 09:00;24/03/2024 09:30;Controle;"wekelijks;3"',
	'21;1;05/04/2024 10:00;;Implantologie;wekelijks',
];

const DOCUMENTS = [
	'DocNr;PatiëntNr;Bestandsnaam;Pad;Grootte',
	'40;1;scan.pdf;../geheim/scan.pdf;100',
	'41;1;rx.png;bestanden/rx.png;3',
	'42;1;weg.pdf;bestanden/weg.pdf;5',
];

const USERS_MIXED = ['GebruikerNr;Nom;Email;Rol', '1;Peeters, Katrien;k@tandarts.example;Tandarts'];

async function readBadExport() {
	const folder = exportFolder({
		'patienten.csv': PATIENTS,
		'behandelingen.csv': TREATMENTS,
		'afspraken.csv': APPOINTMENTS,
		'documenten.csv': DOCUMENTS,
		'gebruikers.csv': USERS_MIXED,
		'bestanden/rx.png': Buffer.from('png'),
	});
	return { folder, result: await readDentAdminExport(folderSource(folder), {}) };
}

describe('DentAdmin bad input', () => {
	it('reports each bad cell with file, line, column and code, and keeps the good rows', async () => {
		const { result } = await readBadExport();
		// Optional columns these small files leave out are reported too (one warning per column).
		const issues = result.report.issues.filter(
			(issue) => issue.severity !== 'info' && issue.code !== 'missing-optional-column',
		);
		expect(
			issues.map(({ severity, file, line, column, code }) => ({
				severity,
				file,
				line,
				column,
				code,
			})),
		).toEqual([
			{
				severity: 'error',
				file: 'gebruikers.csv',
				line: 1,
				column: undefined,
				code: 'mixed-header-languages',
			},
			{
				severity: 'warning',
				file: 'patienten.csv',
				line: 3,
				column: 'Rijksregisternummer',
				code: 'national-number-invalid',
			},
			{
				severity: 'error',
				file: 'patienten.csv',
				line: 4,
				column: 'PatiëntNr',
				code: 'duplicate-id',
			},
			{ severity: 'error', file: 'patienten.csv', line: 5, column: 'Naam', code: 'missing-value' },
			{
				severity: 'warning',
				file: 'behandelingen.csv',
				line: 2,
				column: 'Datum',
				code: 'invalid-date',
			},
			{
				severity: 'warning',
				file: 'behandelingen.csv',
				line: 3,
				column: 'Bedrag',
				code: 'invalid-money',
			},
			{
				severity: 'warning',
				file: 'behandelingen.csv',
				line: 4,
				column: 'RizivCode',
				code: 'riziv-invalid-format',
			},
			{
				severity: 'error',
				file: 'behandelingen.csv',
				line: 5,
				column: 'PatiëntNr',
				code: 'unknown-patient',
			},
			{
				severity: 'warning',
				file: 'behandelingen.csv',
				line: 6,
				column: 'RizivCode',
				code: 'riziv-unknown',
			},
			{
				severity: 'warning',
				file: 'afspraken.csv',
				line: 3,
				column: 'Herhaling',
				code: 'recurrence-missing-count',
			},
			{
				severity: 'warning',
				file: 'documenten.csv',
				line: 2,
				column: 'Pad',
				code: 'document-path-refused',
			},
			{
				severity: 'warning',
				file: 'documenten.csv',
				line: 4,
				column: 'Pad',
				code: 'document-file-missing',
			},
		]);
		const patients = result.report.files.find((file) => file.file === 'patienten.csv');
		expect(patients).toMatchObject({ rowsRead: 5, rowsAccepted: 3, rowsQuarantined: 2 });
		const treatments = result.report.files.find((file) => file.file === 'behandelingen.csv');
		expect(treatments).toMatchObject({ rowsRead: 6, rowsAccepted: 5, rowsQuarantined: 1 });
		expect(result.bundles.map((bundle) => bundle.patient.sourceId)).toEqual(['1', '2', '4']);
	});

	it('never puts a patient value into a report message', async () => {
		const { result } = await readBadExport();
		const messages = result.report.issues.map((issue) => issue.message).join('\n');
		for (const value of [
			'93051822362',
			'85071200217',
			'Dubois',
			'François',
			'30101',
			'1.234.56',
			'31/02/2024',
			'../geheim',
		]) {
			expect(messages).not.toContain(value);
		}
	});

	it('keeps flagged rows with their flags, and empties only the cell that was wrong', async () => {
		const { result } = await readBadExport();
		const bundle = result.bundles[0];
		const procedures = bundle.treatmentPlans.flatMap((plan) => plan.procedures);
		expect(
			procedures.map((p) => [p.sourceId, p.date, p.fee?.amount, p.code?.code, p.code?.flags]),
		).toEqual([
			['10', undefined, '26.00', '301011', []],
			['11', '2024-03-05', undefined, '301011', []],
			['12', '2024-03-05', '26.00', '30101', ['riziv-invalid-format']],
			['14', '2024-03-05', '1234.56', '999999', ['riziv-unknown']],
			['15', '2024-03-10', '29.50', '301593', []],
		]);
	});

	it('groups the treatments of one plan into one plan and gives a plan-less treatment its own', async () => {
		const { result } = await readBadExport();
		const plans = result.bundles[0].treatmentPlans;
		expect(
			plans.map((plan) => [
				plan.sourceKey,
				plan.status,
				plan.proposedDate,
				plan.estimatedFee,
				plan.finalFee,
			]),
		).toEqual([
			[
				'dentadmin:treatmentPlan:treatment-10',
				'completed',
				undefined,
				{ amount: '26.00', currency: 'EUR' },
				{ amount: '26.00', currency: 'EUR' },
			],
			['dentadmin:treatmentPlan:treatment-11', 'completed', '2024-03-05', undefined, undefined],
			[
				'dentadmin:treatmentPlan:treatment-12',
				'completed',
				'2024-03-05',
				{ amount: '26.00', currency: 'EUR' },
				{ amount: '26.00', currency: 'EUR' },
			],
			[
				'dentadmin:treatmentPlan:P1',
				'in-progress',
				'2024-03-05',
				{ amount: '1264.06', currency: 'EUR' },
				undefined,
			],
		]);
	});

	it('expands a recurrence into stable occurrences across daylight saving, and keeps one without a count', async () => {
		const { result } = await readBadExport();
		expect(
			result.bundles[0].appointments.map((a) => [
				a.sourceKey,
				a.start,
				a.end,
				a.type,
				a.typeLabel,
				a.recurrence,
			]),
		).toEqual([
			[
				'dentadmin:appointment:20#1',
				'2024-03-24T08:00:00Z',
				'2024-03-24T08:30:00Z',
				'checkup',
				undefined,
				{ frequency: 'weekly', count: 3, occurrence: 1 },
			],
			[
				'dentadmin:appointment:20#2',
				'2024-03-31T07:00:00Z',
				'2024-03-31T07:30:00Z',
				'checkup',
				undefined,
				{ frequency: 'weekly', count: 3, occurrence: 2 },
			],
			[
				'dentadmin:appointment:20#3',
				'2024-04-07T07:00:00Z',
				'2024-04-07T07:30:00Z',
				'checkup',
				undefined,
				{ frequency: 'weekly', count: 3, occurrence: 3 },
			],
			[
				'dentadmin:appointment:21',
				'2024-04-05T08:00:00Z',
				undefined,
				'other',
				'Implantologie',
				undefined,
			],
		]);
	});

	it('resolves documents inside the export folder only', async () => {
		const { folder, result } = await readBadExport();
		expect(
			result.bundles[0].documents.map((d) => [d.sourceId, d.relativePath, d.resolvedPath]),
		).toEqual([
			['40', '../geheim/scan.pdf', undefined],
			['41', 'bestanden/rx.png', `${folder}/bestanden/rx.png`],
			['42', 'bestanden/weg.pdf', undefined],
		]);
	});

	it('validates the national number but leaves it out unless asked, and adds unknown mutualities', async () => {
		const { folder, result } = await readBadExport();
		expect(result.bundles.map((b) => b.patient.nationalNumber)).toEqual([
			undefined,
			undefined,
			undefined,
		]);
		const included = await readDentAdminExport(folderSource(folder), {
			includeNationalNumber: true,
		});
		// The invalid number (patient 2) is never copied, even when included.
		expect(included.bundles.map((b) => b.patient.nationalNumber)).toEqual([
			'85071200217',
			undefined,
			'01020300170',
		]);
		const insurers = result.references.filter((entity) => entity.kind === 'insurer');
		expect(
			insurers.map((insurer) => [
				insurer.sourceKey,
				insurer.kind === 'insurer' && insurer.union?.code,
			]),
		).toEqual([
			['dentadmin:insurer:134', '100'],
			['dentadmin:insurer:319', '300'],
			['dentadmin:insurer:526', '500'],
		]);
	});

	it('reads accented names right from UTF-8 without a BOM and from Windows-1252', async () => {
		for (const encoding of ['utf8', 'cp1252', 'utf8bom'] as const) {
			const folder = exportFolder({ 'patienten.csv': PATIENTS.slice(0, 2) }, encoding);
			const { bundles, report } = await readDentAdminExport(folderSource(folder), {});
			expect([bundles[0].patient.firstName, report.files[0].encoding]).toEqual([
				'Anaïs',
				{ utf8: 'utf-8', cp1252: 'windows-1252', utf8bom: 'utf-8-bom' }[encoding],
			]);
		}
	});
});

describe('DentAdmin unreadable exports', () => {
	it('stops with a clear error when the patient file is missing', async () => {
		const folder = exportFolder({ 'gebruikers.csv': ['GebruikerNr;Naam', '1;Peeters'] });
		await expect(readDentAdminExport(folderSource(folder), {})).rejects.toThrow(
			'patienten.csv is not in the export; it is required. Export it from the source system into the folder.',
		);
	});

	it('reports a missing required column and a broken quote, keeping the rows before it', async () => {
		const folder = exportFolder({
			'patienten.csv': PATIENTS.slice(0, 2),
			'afspraken.csv': ['AfspraakNr;PatiëntNr;Type', '20;1;Controle'],
			'notities.csv': [
				'NotaNr;PatiëntNr;Tekst',
				'1;1;Eerste nota',
				'2;1;"Tweede nota zonder einde',
				'3;1;Derde',
			],
		});
		const { report, bundles } = await readDentAdminExport(folderSource(folder), {});
		expect(
			report.issues
				.filter((issue) => issue.severity === 'error')
				.map(({ file, line, column, code }) => ({ file, line, column, code })),
		).toEqual([
			{ file: 'afspraken.csv', line: 1, column: 'Begin', code: 'missing-required-column' },
			{ file: 'notities.csv', line: 3, column: undefined, code: 'unterminated-quote' },
		]);
		expect(bundles[0].appointments).toEqual([]);
		expect(bundles[0].notes.map((note) => note.text)).toEqual(['Eerste nota']);
	});
});
