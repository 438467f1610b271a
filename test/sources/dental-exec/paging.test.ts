import type { ValidationReport } from '../../../lib/model';
import { fileReport, PATIENT_VALUES, expectNoValuesInMessages, readFiles } from './readHelpers';

/**
 * Accepted patients in order: 1001, 1002, 1003, 1004, 1005 (line 6 repeats 1002 and is
 * quarantined). 1004 looks like 1001 (same name and date of birth).
 */
const PATIENTS = [
	'PatientID,LastName,FirstName,DOB,Email',
	'1001,Rivera,Ana,03/25/1980,ana@example.test',
	'1002,Chen,Wei,11/02/1975,',
	'1003,Okafor,Ngozi,,ngozi@example.test',
	'1004,Rivera,Ana,03/25/1980,',
	'1002,Chen,Wei,11/02/1975,',
	'1005,Smith,Jo,,',
].join('\n');

/**
 * Line 4 repeats A1 of patient 1001 (another page than 1003's); line 5 is an orphan; line 7
 * repeats A4 within patient 1003.
 */
const APPOINTMENTS = [
	'AppointmentID,PatientID,StartDateTime',
	'A1,1001,03/10/2026 09:00',
	'A2,1003,03/11/2026 09:00',
	'A1,1003,03/12/2026 09:00',
	'A3,9999,03/13/2026 09:00',
	'A4,1003,03/14/2026 09:00',
	'A4,1003,03/15/2026 09:00',
].join('\n');

const FILES = { 'patients.csv': PATIENTS, 'appointments.csv': APPOINTMENTS };

const PAGE_SCOPED_MESSAGE =
	"This report is for one page of patients: repeated IDs in the files of patients' records (appointments, notes, …) and possible duplicate patients were checked among this page's patients only. Read the export without a page (step 1) to check the whole export.";

function summary(report: ValidationReport): string[] {
	return report.issues
		.filter((issue) => issue.code !== 'missing-optional-column' && issue.code !== 'file-absent')
		.map(
			(issue) =>
				`${issue.severity} ${issue.file}:${issue.line} ${issue.column ?? '-'} ${issue.code}`,
		);
}

function appointmentsByPatient(bundles: Awaited<ReturnType<typeof readFiles>>['bundles']) {
	return bundles.map((bundle) => [
		bundle.patient.sourceId,
		bundle.appointments.map((appointment) => appointment.sourceId),
	]);
}

describe('Dental-Exec paged read: memory-bounded checks are scoped to the page', () => {
	it('the unpaged read checks duplicate IDs, orphans and possible duplicates over the whole export', async () => {
		const { report, bundles } = await readFiles(FILES);
		expect(summary(report)).toEqual([
			'error patients.csv:6 PatientID duplicate-id',
			'error appointments.csv:4 AppointmentID duplicate-id',
			'error appointments.csv:5 PatientID unknown-patient',
			'error appointments.csv:7 AppointmentID duplicate-id',
		]);
		expect(report.possibleDuplicates).toEqual([
			{
				sourceKeys: ['dental-exec:patient:1001', 'dental-exec:patient:1004'],
				reason: 'same name and date of birth',
			},
		]);
		expect(report.totals).toEqual({
			files: 2,
			rowsRead: 12,
			rowsAccepted: 8,
			rowsQuarantined: 4,
			patients: 5,
			possibleDuplicates: 1,
		});
		expect(appointmentsByPatient(bundles)).toEqual([
			['1001', ['A1']],
			['1002', []],
			['1003', ['A2', 'A4']],
			['1004', []],
			['1005', []],
		]);
	});

	it('a page reports duplicate child IDs and possible duplicates among its own patients only, and says so', async () => {
		const { report, bundles, page } = await readFiles(FILES, { page: { offset: 2, limit: 2 } });
		expect(page).toEqual({ offset: 2, limit: 2, patients: 5 });
		// Line 4 repeats an ID of patient 1001, who is not in this page: not checked here.
		// The orphan (line 5) and the repeated patient ID still cover the whole export.
		expect(summary(report)).toEqual([
			'error patients.csv:6 PatientID duplicate-id',
			'error appointments.csv:5 PatientID unknown-patient',
			'error appointments.csv:7 AppointmentID duplicate-id',
			'info patients.csv:0 - page-scoped-checks',
		]);
		expect(report.issues.filter((issue) => issue.code === 'page-scoped-checks')).toEqual([
			{
				severity: 'info',
				file: 'patients.csv',
				line: 0,
				code: 'page-scoped-checks',
				message: PAGE_SCOPED_MESSAGE,
			},
		]);
		// 1001 and 1004 look alike, but 1001 is in another page.
		expect(report.possibleDuplicates).toEqual([]);
		expect(report.totals).toEqual({
			files: 2,
			rowsRead: 12,
			rowsAccepted: 9,
			rowsQuarantined: 3,
			patients: 5,
			possibleDuplicates: 0,
		});
		expect(fileReport(report, 'appointments.csv')).toMatchObject({
			rowsRead: 6,
			rowsAccepted: 4,
			rowsQuarantined: 2,
		});
		expect(appointmentsByPatient(bundles)).toEqual([
			['1003', ['A2', 'A1', 'A4']],
			['1004', []],
		]);
		expectNoValuesInMessages(report, PATIENT_VALUES);
	});

	it('a page that holds both patients of a possible duplicate reports the pair', async () => {
		const { report, bundles } = await readFiles(FILES, { page: { offset: 0, limit: 4 } });
		expect(report.possibleDuplicates).toEqual([
			{
				sourceKeys: ['dental-exec:patient:1001', 'dental-exec:patient:1004'],
				reason: 'same name and date of birth',
			},
		]);
		// Both A1 rows belong to this page's patients, so the repeat is caught as in the unpaged read.
		expect(summary(report)).toEqual([
			'error patients.csv:6 PatientID duplicate-id',
			'error appointments.csv:4 AppointmentID duplicate-id',
			'error appointments.csv:5 PatientID unknown-patient',
			'error appointments.csv:7 AppointmentID duplicate-id',
			'info patients.csv:0 - page-scoped-checks',
		]);
		expect(appointmentsByPatient(bundles)).toEqual([
			['1001', ['A1']],
			['1002', []],
			['1003', ['A2', 'A4']],
			['1004', []],
		]);
	});

	it('a page of reference entities only has no page-scoped checks to report', async () => {
		const { report } = await readFiles(
			{ ...FILES, 'providers.csv': 'ProviderID,LastName,Email\n10,Mitchell,s@x.test\n' },
			{ entities: ['provider'], page: { offset: 0, limit: 2 } },
		);
		expect(summary(report)).toEqual([]);
	});
});
