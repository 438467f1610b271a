import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as iconv from 'iconv-lite';
import {
	ExportReadError,
	folderSource,
	memorySource,
	readExport,
} from '../../../lib/sources/common';
import { dentalExecProfile } from '../../../lib/sources/dental-exec';
import {
	PATIENTS,
	PATIENT_VALUES,
	expectNoValuesInMessages,
	failingFile,
	fileReport,
	issuesOf,
	readFiles,
} from './readHelpers';

const APPOINTMENTS_HEADER = 'AppointmentID,PatientID,StartDateTime,AppointmentType';

describe('Dental-Exec bad input: each case is a report entry, the good rows go on', () => {
	it('a missing required column quarantines the file and names the column', async () => {
		const { report, bundles } = await readFiles({
			'patients.csv': PATIENTS,
			'appointments.csv':
				'AppointmentID,PatientID,AppointmentType\n1,1001,Hygiene\n2,1002,Recall\n',
		});
		expect(issuesOf(report, 'appointments.csv')).toEqual([
			{
				severity: 'error',
				file: 'appointments.csv',
				line: 1,
				column: 'StartDateTime',
				code: 'missing-required-column',
			},
		]);
		expect(fileReport(report, 'appointments.csv')).toMatchObject({
			rowsRead: 2,
			rowsAccepted: 0,
			rowsQuarantined: 2,
			missingColumns: expect.arrayContaining(['StartDateTime']),
		});
		expect(fileReport(report, 'patients.csv')).toMatchObject({
			rowsRead: 3,
			rowsAccepted: 3,
			rowsQuarantined: 0,
		});
		expect(bundles.map((bundle) => bundle.appointments.length)).toEqual([0, 0, 0]);
	});

	it('bytes that are not valid in the encoding quarantine their row only', async () => {
		const bytes = iconv.encode(
			'PatientID,LastName,FirstName\n1001,Müller,Zoë\n1002,Dubois,René\n1003,X,Y\n',
			'win1252',
		);
		// 0x81 has no character in Windows-1252: put it in the last name of line 3.
		const broken = Buffer.from(bytes);
		broken[broken.indexOf(Buffer.from('Dubois'))] = 0x81;
		const { report, bundles } = await readFiles({ 'patients.csv': broken });
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{
				severity: 'error',
				file: 'patients.csv',
				line: 3,
				column: 'LastName',
				code: 'undecodable-bytes',
			},
		]);
		expect(fileReport(report, 'patients.csv')).toMatchObject({
			encoding: 'windows-1252',
			rowsRead: 3,
			rowsAccepted: 2,
			rowsQuarantined: 1,
		});
		expect(bundles.map((bundle) => [bundle.patient.lastName, bundle.patient.firstName])).toEqual([
			['Müller', 'Zoë'],
			['X', 'Y'],
		]);
	});

	it('a delimiter the reader does not accept is one clear file error', async () => {
		const { report } = await readFiles({
			'patients.csv': PATIENTS,
			'appointments.csv': 'AppointmentID|PatientID|StartDateTime\n1|1001|03/01/2026 09:00\n',
		});
		expect(issuesOf(report, 'appointments.csv')).toEqual([
			{ severity: 'error', file: 'appointments.csv', line: 1, code: 'unsupported-delimiter' },
		]);
		expect(fileReport(report, 'appointments.csv')).toMatchObject({
			delimiter: '|',
			rowsRead: 1,
			rowsAccepted: 0,
			rowsQuarantined: 1,
		});
	});

	it('a semicolon or tab export is sniffed and read like a comma one', async () => {
		const { report, bundles } = await readFiles({
			'patients.csv': PATIENTS.replace(/,/g, ';'),
			'appointments.csv': `${APPOINTMENTS_HEADER}\n1,1001,03/01/2026 09:00,Hygiene\n`.replace(
				/,/g,
				'\t',
			),
		});
		expect(fileReport(report, 'patients.csv')).toMatchObject({ delimiter: ';', rowsAccepted: 3 });
		expect(fileReport(report, 'appointments.csv')).toMatchObject({
			delimiter: 'tab',
			rowsAccepted: 1,
		});
		expect(bundles[0].appointments[0].start).toBe('2026-03-01T14:00:00Z');
	});

	it('a row with the wrong number of fields is quarantined', async () => {
		const { report } = await readFiles({
			'patients.csv': `${PATIENTS}1004,Lee;Kim,x,extra,fields,here\n`,
		});
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{ severity: 'error', file: 'patients.csv', line: 5, code: 'field-count-mismatch' },
		]);
	});

	it('a truncated last line is quarantined and named', async () => {
		const { report } = await readFiles({ 'patients.csv': `${PATIENTS}1004,Lee` });
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{ severity: 'error', file: 'patients.csv', line: 5, code: 'truncated-last-line' },
		]);
		expect(fileReport(report, 'patients.csv')).toMatchObject({
			rowsRead: 4,
			rowsAccepted: 3,
			rowsQuarantined: 1,
		});
	});

	it('an unterminated quote is reported at its line and the rows before it are kept', async () => {
		const { report, bundles } = await readFiles({
			'patients.csv': `${PATIENTS}1004,"Lee,Kim,,\n1005,Park,Min,,\n`,
		});
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{ severity: 'error', file: 'patients.csv', line: 5, code: 'unterminated-quote' },
		]);
		expect(fileReport(report, 'patients.csv')).toMatchObject({
			rowsRead: 4,
			rowsAccepted: 3,
			rowsQuarantined: 1,
		});
		expect(bundles.map((bundle) => bundle.patient.sourceId)).toEqual(['1001', '1002', '1003']);
	});

	it('a repeated ID quarantines the later row, not the first', async () => {
		const { report, bundles } = await readFiles({
			'patients.csv': `${PATIENTS}1002,Chen,Wei2,,\n`,
		});
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{
				severity: 'error',
				file: 'patients.csv',
				line: 5,
				column: 'PatientID',
				code: 'duplicate-id',
			},
		]);
		expect(bundles.find((bundle) => bundle.patient.sourceId === '1002')?.patient.firstName).toBe(
			'Wei',
		);
	});

	it('dates in two orders in one file are a finding, and each contradicting row is reported', async () => {
		const { report, bundles } = await readFiles({
			'patients.csv': PATIENTS,
			'appointments.csv': `${APPOINTMENTS_HEADER}\n1,1001,03/25/2026 09:00,Hygiene\n2,1002,04/13/2026 10:00,Recall\n3,1003,25/03/2026 11:00,Recall\n4,1003,05/06/2026 11:00,Recall\n`,
		});
		expect(issuesOf(report, 'appointments.csv')).toEqual([
			{ severity: 'warning', file: 'appointments.csv', line: 4, code: 'date-order-mixed' },
			{
				severity: 'error',
				file: 'appointments.csv',
				line: 4,
				column: 'StartDateTime',
				code: 'date-order-mismatch',
			},
		]);
		expect(fileReport(report, 'appointments.csv')).toMatchObject({
			dateFormat: 'MM/DD/YYYY',
			rowsAccepted: 3,
			rowsQuarantined: 1,
		});
		expect(bundles[2].appointments.map((appointment) => appointment.start)).toEqual([
			'2026-05-06T15:00:00Z',
		]);
	});

	it('an impossible date in an optional column empties the field with a warning; placeholders are missing', async () => {
		const { report, bundles } = await readFiles({
			'patients.csv':
				'PatientID,LastName,DOB,LastVisitDate\n1,A,02/31/1980,00/00/0000\n2,B,01/01/1900,03/01/2026\n',
		});
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{ severity: 'warning', file: 'patients.csv', line: 2, column: 'DOB', code: 'invalid-date' },
			{
				severity: 'info',
				file: 'patients.csv',
				line: 0,
				column: 'LastVisitDate',
				code: 'placeholder-date',
			},
			{ severity: 'info', file: 'patients.csv', line: 0, column: 'DOB', code: 'placeholder-date' },
		]);
		expect(
			bundles.map((bundle) => [bundle.patient.birthDate, bundle.patient.lastVisitDate]),
		).toEqual([
			[undefined, undefined],
			[undefined, '2026-03-01'],
		]);
	});

	it('non-numeric money is a warning on an optional column and quarantines a required one', async () => {
		const { report, bundles } = await readFiles({
			'patients.csv':
				'PatientID,LastName,OutstandingBalance\n1001,A,"$1,234.50"\n1002,B,1.234.56\n',
			'payments.csv': 'PaymentID,PatientID,Amount\nP1,1001,$80.00\nP2,1002,eighty\n',
		});
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{
				severity: 'warning',
				file: 'patients.csv',
				line: 3,
				column: 'OutstandingBalance',
				code: 'invalid-money',
			},
		]);
		expect(issuesOf(report, 'payments.csv')).toEqual([
			{ severity: 'error', file: 'payments.csv', line: 3, column: 'Amount', code: 'invalid-money' },
		]);
		expect(bundles[0].patient.billing).toEqual({
			outstandingBalance: { amount: '1234.50', currency: 'USD' },
		});
		expect(bundles[0].payments.map((payment) => payment.amount)).toEqual([
			{ amount: '80.00', currency: 'USD' },
		]);
		expect(bundles[1].patient.billing).toBeUndefined();
	});

	it('a 1 MB note is read whole and flagged for the Pipedrive note limit', async () => {
		const long = 'Periodontal charting. '.repeat(48_000);
		const { report, bundles } = await readFiles({
			'patients.csv': PATIENTS,
			'notes.csv': `NoteID,PatientID,Text\nN1,1001,"${long}"\nN2,1002,"short\nwith a newline"\n`,
		});
		expect(long.length).toBe(1_056_000);
		expect(issuesOf(report, 'notes.csv')).toEqual([
			{
				severity: 'warning',
				file: 'notes.csv',
				line: 2,
				column: 'Text',
				code: 'note-over-pipedrive-limit',
			},
		]);
		expect(bundles[0].notes[0].text).toBe(long.trim());
		expect(bundles[1].notes[0]).toMatchObject({ text: 'short\nwith a newline', format: 'plain' });
	});

	it('an orphan appointment is quarantined and reported, never attached or dropped silently', async () => {
		const { report, bundles } = await readFiles({
			'patients.csv': PATIENTS,
			'appointments.csv': `${APPOINTMENTS_HEADER}\n1,1001,03/01/2026 09:00,Hygiene\n2,9999,03/02/2026 09:00,Hygiene\n`,
		});
		expect(issuesOf(report, 'appointments.csv')).toEqual([
			{
				severity: 'error',
				file: 'appointments.csv',
				line: 3,
				column: 'PatientID',
				code: 'unknown-patient',
			},
		]);
		expect(fileReport(report, 'appointments.csv')).toMatchObject({
			rowsRead: 2,
			rowsAccepted: 1,
			rowsQuarantined: 1,
		});
		expect(
			bundles.flatMap((bundle) => bundle.appointments.map((appointment) => appointment.sourceId)),
		).toEqual(['1']);
	});

	it('children of a quarantined patient are quarantined with it', async () => {
		const { report } = await readFiles({
			'patients.csv': 'PatientID,LastName\n1001,A\n1002,\n',
			'appointments.csv': `${APPOINTMENTS_HEADER}\n1,1002,03/01/2026 09:00,Hygiene\n`,
		});
		expect(issuesOf(report, 'patients.csv')).toEqual([
			{
				severity: 'error',
				file: 'patients.csv',
				line: 3,
				column: 'LastName',
				code: 'missing-value',
			},
		]);
		expect(issuesOf(report, 'appointments.csv')).toEqual([
			{
				severity: 'error',
				file: 'appointments.csv',
				line: 2,
				column: 'PatientID',
				code: 'patient-quarantined',
			},
		]);
	});

	describe('document paths', () => {
		const folder = mkdtempSync(join(tmpdir(), 'dental-exec-docs-'));
		const exportDir = join(folder, 'export');
		mkdirSync(join(exportDir, 'documents'), { recursive: true });
		writeFileSync(join(folder, 'secret.txt'), 'outside');
		writeFileSync(join(exportDir, 'patients.csv'), PATIENTS);
		writeFileSync(join(exportDir, 'documents', 'consent.pdf'), '%PDF-1.4 test');
		symlinkSync(join(folder, 'secret.txt'), join(exportDir, 'documents', 'link.pdf'));
		writeFileSync(
			join(exportDir, 'documents.csv'),
			[
				'DocumentID,PatientID,FileName,RelativePath',
				'D1,1001,consent.pdf,documents/consent.pdf',
				'D2,1001,secret.txt,../secret.txt',
				'D3,1002,passwd,/etc/passwd',
				'D4,1002,link.pdf,documents/link.pdf',
				'D5,1003,gone.pdf,documents/gone.pdf',
			].join('\n') + '\n',
		);

		it('resolves a path inside the folder and refuses paths that leave it, also through a link', async () => {
			const { report, bundles } = await readExport(dentalExecProfile, folderSource(exportDir));
			expect(issuesOf(report, 'documents.csv')).toEqual([
				{
					severity: 'error',
					file: 'documents.csv',
					line: 3,
					column: 'RelativePath',
					code: 'document-path-outside-export',
				},
				{
					severity: 'error',
					file: 'documents.csv',
					line: 4,
					column: 'RelativePath',
					code: 'document-path-outside-export',
				},
				{
					severity: 'error',
					file: 'documents.csv',
					line: 5,
					column: 'RelativePath',
					code: 'document-path-outside-export',
				},
				{
					severity: 'warning',
					file: 'documents.csv',
					line: 6,
					column: 'RelativePath',
					code: 'document-file-missing',
				},
			]);
			expect(bundles[0].documents.map((document) => document.resolvedPath)).toEqual([
				join(exportDir, 'documents', 'consent.pdf'),
			]);
			expect(
				bundles[2].documents.map((document) => [document.sourceId, document.resolvedPath]),
			).toEqual([['D5', undefined]]);
		});
	});

	it('an empty file is a warning and reads no rows', async () => {
		const { report, bundles } = await readFiles({ 'patients.csv': PATIENTS, 'notes.csv': '' });
		expect(issuesOf(report, 'notes.csv')).toEqual([
			{ severity: 'warning', file: 'notes.csv', line: 0, code: 'empty-file' },
		]);
		expect(fileReport(report, 'notes.csv')).toMatchObject({
			rowsRead: 0,
			rowsAccepted: 0,
			rowsQuarantined: 0,
		});
		expect(bundles).toHaveLength(3);
	});

	it('a file with only a header is an info entry', async () => {
		const { report } = await readFiles({
			'patients.csv': PATIENTS,
			'tasks.csv': 'TaskID,PatientID,Type\n',
		});
		expect(issuesOf(report, 'tasks.csv')).toEqual([
			{ severity: 'info', file: 'tasks.csv', line: 1, code: 'no-rows' },
		]);
	});

	it('an unreadable file stops the read with an error naming the file, or is reported when asked', async () => {
		const source = () =>
			memorySource('test export', [
				{ name: 'patients.csv', content: Buffer.from(PATIENTS) },
				failingFile('claims.csv'),
			]);
		await expect(readExport(dentalExecProfile, source())).rejects.toThrow(
			new ExportReadError(
				'claims.csv could not be read (the disk reported a read failure); check that it exists, is a file and is readable by n8n.',
				'claims.csv',
			),
		);
		const { report, bundles } = await readExport(dentalExecProfile, source(), {
			failOnUnreadableFile: false,
		});
		expect(issuesOf(report, 'claims.csv')).toEqual([
			{ severity: 'error', file: 'claims.csv', line: 0, code: 'file-unreadable' },
		]);
		expect(bundles).toHaveLength(3);
	});

	it('a missing patients.csv is an error naming it', async () => {
		await expect(readFiles({ 'notes.csv': 'NoteID,PatientID,Text\n' })).rejects.toThrow(
			'patients.csv is not in the export; it is required. Export it from the source system into the folder.',
		);
	});

	it('never puts a patient value into a message', async () => {
		const { report } = await readFiles({
			'patients.csv': `${PATIENTS}1002,Rivera,Ana,31/02/1980,ana@example.test\n`,
			'appointments.csv': `${APPOINTMENTS_HEADER}\n1,Rivera,03/25/2026 09:00,Ana\n`,
		});
		expect(report.issues.length).toBeGreaterThan(1);
		expectNoValuesInMessages(report, PATIENT_VALUES);
	});
});
