import * as iconv from 'iconv-lite';
import type { ValidationReport } from '../../../lib/model';
import { ExportReadError, memorySource } from '../../../lib/sources/common';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';
import { issuesOf, PATIENT_VALUES, PATIENTS, readFiles } from '../dental-exec/readHelpers';

/**
 * Defects that used to pass silently (issue 18): an export without patients, a cell in the other
 * encoding of its file, things that happened dated after the export, control characters in a cell.
 */

const EXPORT_DATE = '2026-11-01';

const APPOINTMENTS =
	[
		'AppointmentID,PatientID,StartDateTime',
		'A1,1001,10/01/2026 09:00',
		'A2,1002,10/02/2026 09:00',
	].join('\n') + '\n';

const messagesOf = (report: ValidationReport) => report.issues.map((issue) => issue.message);

describe('an export whose patients file has no rows', () => {
	it.each([
		['holds only its header', 'PatientID,LastName,FirstName\n', 1, 'only a header'],
		['is empty', '', 0, 'the file is empty'],
	])(
		'is an error for the run when the patients file %s; child rows are still orphans',
		async (_, patients, line, why) => {
			const { report, bundles } = await readFiles(
				{ 'patients.csv': patients, 'appointments.csv': APPOINTMENTS },
				{ exportDate: EXPORT_DATE },
			);
			const noPatients = report.issues.filter((issue) => issue.code === 'no-patients');
			expect(noPatients).toEqual([
				{
					severity: 'error',
					file: 'patients.csv',
					line,
					code: 'no-patients',
					message: `patients.csv holds no patient rows (${why}), so no patient can be migrated and the rows of the other files are reported as belonging to unknown patients. Export the patients again (check the export's filters) and replace the file.`,
				},
			]);
			expect(issuesOf(report, 'appointments.csv')).toEqual([
				{
					severity: 'error',
					file: 'appointments.csv',
					line: 2,
					column: 'PatientID',
					code: 'unknown-patient',
				},
				{
					severity: 'error',
					file: 'appointments.csv',
					line: 3,
					column: 'PatientID',
					code: 'unknown-patient',
				},
			]);
			expect(bundles).toEqual([]);
		},
	);

	it('is an error in a DentAdmin export too', async () => {
		const header = iconv.encode('PatiëntNr;Naam;Voornaam\r\n', 'win1252');
		const { report } = await readDentAdminExport(
			memorySource('test export', [{ name: 'patienten.csv', content: header }]),
			{ exportDate: EXPORT_DATE },
		);
		expect(
			report.issues
				.filter((issue) => issue.severity === 'error')
				.map((i) => [i.file, i.line, i.code]),
		).toEqual([['patienten.csv', 1, 'no-patients']]);
	});
});

describe('a cell in the other encoding of its file', () => {
	const header = 'PatientID,LastName,FirstName\n';

	it('a UTF-8 name inside a Windows-1252 file is a warning with file, line and column, and is read as UTF-8', async () => {
		const bytes = Buffer.concat([
			iconv.encode(`${header}1001,Müller,Zoë\n1002,Lefèvre,René\n`, 'win1252'),
			Buffer.from('1003,Gaëlle,Ágota\n', 'utf8'),
			iconv.encode('1004,Dubois,Hélène\n', 'win1252'),
		]);
		const { report, bundles } = await readFiles({ 'patients.csv': bytes });
		expect(report.files.find((f) => f.file === 'patients.csv')?.encoding).toBe('windows-1252');
		expect(
			issuesOf(report, 'patients.csv').filter((i) => i.code === 'cell-encoding-mixed'),
		).toEqual([
			{
				severity: 'warning',
				file: 'patients.csv',
				line: 4,
				column: 'LastName',
				code: 'cell-encoding-mixed',
			},
			{
				severity: 'warning',
				file: 'patients.csv',
				line: 4,
				column: 'FirstName',
				code: 'cell-encoding-mixed',
			},
		]);
		expect(bundles.map((b) => [b.patient.lastName, b.patient.firstName])).toEqual([
			['Müller', 'Zoë'],
			['Lefèvre', 'René'],
			['Gaëlle', 'Ágota'],
			['Dubois', 'Hélène'],
		]);
		expect(messagesOf(report)).toContain(
			'The cell is written in UTF-8 while the rest of the file is Windows-1252 (typically a row edited in another program); it was read as UTF-8. Check the value and export the file again in one encoding.',
		);
	});

	it('a Windows-1252 name inside a UTF-8 file is a warning and is read as Windows-1252', async () => {
		const bytes = Buffer.concat([
			Buffer.from(`${header}1001,Müller,Zoë\n1002,Lefèvre,René\n`, 'utf8'),
			iconv.encode('1003,Gaëlle,Noël\n', 'win1252'),
		]);
		const { report, bundles } = await readFiles({ 'patients.csv': bytes });
		expect(report.files.find((f) => f.file === 'patients.csv')?.encoding).toBe('utf-8');
		expect(
			issuesOf(report, 'patients.csv')
				.filter((i) => i.code === 'cell-encoding-mixed')
				.map((i) => [i.line, i.column, i.severity]),
		).toEqual([
			[4, 'LastName', 'warning'],
			[4, 'FirstName', 'warning'],
		]);
		expect(bundles.map((b) => b.patient.lastName)).toEqual(['Müller', 'Lefèvre', 'Gaëlle']);
	});

	it('a DentAdmin export edited in a UTF-8 editor keeps its accents (Windows-1252 file, one UTF-8 row)', async () => {
		const bytes = Buffer.concat([
			iconv.encode(
				'PatiëntNr;Naam;Voornaam\r\n1;Peeters;Anaïs\r\n2;Dubois;François\r\n',
				'win1252',
			),
			Buffer.from('3;Lefèvre;Noël\r\n', 'utf8'),
		]);
		const result = await readDentAdminExport(
			memorySource('test export', [{ name: 'patienten.csv', content: bytes }]),
		);
		expect(result.bundles.map((b) => b.patient.firstName)).toEqual(['Anaïs', 'François', 'Noël']);
		expect(
			result.report.issues
				.filter((i) => i.code === 'cell-encoding-mixed')
				.map((i) => [i.file, i.line, i.column]),
		).toEqual([
			['patienten.csv', 4, 'Naam'],
			['patienten.csv', 4, 'Voornaam'],
		]);
	});
});

describe('things that happened, dated after the export date', () => {
	const files = {
		'patients.csv': PATIENTS,
		'appointments.csv':
			[
				'AppointmentID,PatientID,StartDateTime,Status',
				'A1,1001,10/01/2026 09:00,Completed',
				'A2,1001,03/01/2099 09:00,Completed',
				'A3,1002,03/01/2027 09:00,Scheduled',
				'A4,1002,11/01/2026 23:30,Completed',
			].join('\n') + '\n',
		'payments.csv': [
			'PaymentID,PatientID,Amount,Date',
			'P1,1001,10.00,10/15/2026',
			'P2,1002,20.00,01/05/2099',
		]
			.join('\n')
			.concat('\n'),
		'notes.csv':
			[
				'NoteID,PatientID,Text,CreatedAt',
				'N1,1001,Called,10/15/2026 10:00',
				'N2,1003,Called,11/02/2026 00:30',
			].join('\n') + '\n',
	};

	it('are warnings naming file, line and column; the rows are kept and planned visits are not flagged', async () => {
		const { report, bundles } = await readFiles(files, { exportDate: EXPORT_DATE });
		expect(
			report.issues
				.filter((i) => i.code === 'date-after-export')
				.map((i) => [i.severity, i.file, i.line, i.column]),
		).toEqual([
			['warning', 'appointments.csv', 3, 'StartDateTime'],
			['warning', 'payments.csv', 3, 'Date'],
			['warning', 'notes.csv', 3, 'CreatedAt'],
		]);
		// 23:30 New York time on the export day is the next day in UTC, and still not after it.
		expect(bundles.flatMap((b) => b.appointments.map((a) => a.sourceId))).toEqual([
			'A1',
			'A2',
			'A3',
			'A4',
		]);
		expect(bundles.flatMap((b) => b.payments.map((p) => p.date))).toEqual([
			'2026-10-15',
			'2099-01-05',
		]);
		expect(messagesOf(report)).toContain(
			"The date is after the export date (2026-11-01, the Export Date option), but it records something that had already happened; it was kept as written. Correct the date in the source system, or set the reader's Export Date option if the export was made later.",
		);
	});

	it('without the option, the run date is the export date and the message says so', async () => {
		const { report } = await readFiles(files);
		const flagged = report.issues.filter((i) => i.code === 'date-after-export');
		// Run in 2026 or later: 2099 is after the run date; the 2026 dates are not.
		expect(flagged.map((i) => [i.file, i.line])).toEqual([
			['appointments.csv', 3],
			['payments.csv', 3],
		]);
		expect(flagged[0].message).toMatch(
			/^The date is after the export date \(\d{4}-\d{2}-\d{2}, the run date\)/,
		);
	});

	it('a performed DentAdmin treatment in the future is a warning; a planned one is not', async () => {
		const content = Buffer.from(
			[
				'BehandelingNr;PatiëntNr;Datum;Status',
				'10;1;05/03/2024;Uitgevoerd',
				'11;1;05/03/2099;Uitgevoerd',
				'12;1;05/03/2099;Gepland',
			].join('\r\n') + '\r\n',
			'utf8',
		);
		const { report } = await readDentAdminExport(
			memorySource('test export', [
				{ name: 'patienten.csv', content: Buffer.from('PatiëntNr;Naam\r\n1;Peeters\r\n', 'utf8') },
				{ name: 'behandelingen.csv', content },
			]),
			{ exportDate: EXPORT_DATE },
		);
		expect(
			report.issues
				.filter((i) => i.code === 'date-after-export')
				.map((i) => [i.file, i.line, i.column]),
		).toEqual([['behandelingen.csv', 3, 'Datum']]);
	});

	it('an export date that is not a date is a clear error', async () => {
		await expect(
			readFiles({ 'patients.csv': PATIENTS }, { exportDate: '01/11/2026' }),
		).rejects.toThrow(
			new ExportReadError(
				'The export date is not a calendar date; write it as YYYY-MM-DD, like 2026-11-01, or leave it empty for the run date.',
			),
		);
	});
});

describe('control characters in a cell', () => {
	it('are a warning naming the cell and are removed; the row is kept', async () => {
		const patients = PATIENTS.replace('Chen', 'Ch\u0000en\u001b');
		const { report, bundles } = await readFiles({ 'patients.csv': patients });
		expect(issuesOf(report, 'patients.csv')).toContainEqual({
			severity: 'warning',
			file: 'patients.csv',
			line: 3,
			column: 'LastName',
			code: 'control-characters',
		});
		expect(bundles.map((b) => b.patient.lastName)).toEqual(['Rivera', 'Chen', 'Okafor']);
	});
});

describe('the new messages', () => {
	it('never hold a patient value', async () => {
		const bytes = Buffer.concat([
			Buffer.from(PATIENTS.replace('Chen', 'Ch\u0000en'), 'utf8'),
			Buffer.from('1005,Zoë Müller,Hélène Noël,,\n', 'utf8'),
			iconv.encode('1004,Gaëlle,Noël,,\n', 'win1252'),
		]);
		const { report } = await readFiles(
			{
				'patients.csv': bytes,
				'payments.csv': 'PaymentID,PatientID,Amount,Date\nP1,1001,10.00,01/05/2099\n',
			},
			{ exportDate: EXPORT_DATE },
		);
		const text = JSON.stringify(report.issues);
		expect(report.issues.map((i) => i.code)).toEqual(
			expect.arrayContaining(['control-characters', 'cell-encoding-mixed', 'date-after-export']),
		);
		for (const value of [
			...PATIENT_VALUES,
			'Gaëlle',
			'Noël',
			'Zoë',
			'Hélène',
			'2099',
			'01/05/2099',
		])
			expect(text).not.toContain(value);
	});
});

describe('a quote opened in a row and closed only in the last row of a CR-ended file', () => {
	// Found by `npm run fuzz` (seed 879360194): the swallowed lines were reported only as "the last
	// line was cut off" on the row that opened the quote, so lines 3 and 4 vanished without a word.
	it('reports the opening row and every line read into the quote', async () => {
		const appointments = [
			'AppointmentID\tPatientID\tStartDateTime',
			'"A1\t1001\t10/01/2026 09:00',
			'A2\t1001\t10/02/2026 09:00',
			'A3\t1001"x\t10/03/2026 09:00',
		].join('\r');
		const { report } = await readFiles(
			{
				'patients.csv': 'PatientID\tLastName\tFirstName\r1001\tZq\tZr\r',
				'appointments.csv': appointments + '\r',
			},
			{ exportDate: EXPORT_DATE },
		);
		expect(
			issuesOf(report, 'appointments.csv')
				.map(({ line, code, severity }) => [line, code, severity])
				.sort((a, b) => Number(a[0]) - Number(b[0])),
		).toEqual([
			[2, 'quote-spans-rows', 'error'],
			[3, 'read-into-quoted-field', 'error'],
			[4, 'read-into-quoted-field', 'error'],
		]);
	});
});
