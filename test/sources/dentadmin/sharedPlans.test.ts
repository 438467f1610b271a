import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PatientBundle } from '../../../lib/model';
import { folderSource, linesNamed, readSpoolPage } from '../../../lib/sources/common';
import { readDentAdminApi } from '../../../lib/sources/dentadmin/api';
import {
	readDentAdminExport,
	type DentAdminReadOptions,
} from '../../../lib/sources/dentadmin/read';
import { FetchTransport } from '../../../lib/transport/fetchTransport';
import { startDentAdminApiDouble } from '../../helpers/dentAdminApiServer';
import { exportFolder } from './exportFolder';

// Patient 1 and patient 2 both have treatments under plan number 1 (lines 2, 3 and 5); patient 1
// also has plan 2 (line 4), patient 2 a treatment without a plan (line 6).
const PATIENTS = ['PatiëntNr;Naam;Voornaam', '1;Peeters;An', '2;Janssens;Luc'];
const TREATMENT_HEADER = 'BehandelingNr;PatiëntNr;Datum;RizivCode;Bedrag;Status;Behandelplan';
const TREATMENTS = [
	TREATMENT_HEADER,
	'10;1;05/03/2024;301011;26,00;Uitgevoerd;1',
	'11;2;06/03/2024;301011;26,00;Uitgevoerd;1',
	'12;1;07/03/2024;301011;26,00;Gepland;2',
	'13;1;08/03/2024;301011;26,00;Uitgevoerd;1',
	'14;2;09/03/2024;301011;26,00;Uitgevoerd;',
];

const OPTIONS: DentAdminReadOptions = { exportDate: '2026-11-01' };

const MESSAGE = (rows: string) =>
	`This plan number is used by treatments of 2 patients (${rows}): a plan belongs to one patient, so these treatments were quarantined rather than merged into one deal for all of them. Give each patient's plan its own number in DentAdmin, then read the export again.`;

const FINDING = {
	severity: 'error',
	file: 'behandelingen.csv',
	line: 2,
	column: 'Behandelplan',
	code: 'plan-shared-by-patients',
	message: MESSAGE('lines 2, 3 and 5'),
};

function sharedPlanExport(): string {
	return exportFolder({ 'patienten.csv': PATIENTS, 'behandelingen.csv': TREATMENTS });
}

/** Each bundle's patient with its plans' keys and their treatments. */
const plansOf = (bundles: PatientBundle[]) =>
	bundles.map((bundle) => [
		bundle.patient.sourceId,
		bundle.treatmentPlans.map((plan) => [
			plan.sourceKey,
			plan.procedures.map((procedure) => procedure.sourceId),
		]),
	]);

const UNSHARED_PLANS = [
	['1', [['dentadmin:treatmentPlan:2', ['12']]]],
	['2', [['dentadmin:treatmentPlan:treatment-14', ['14']]]],
];

describe('DentAdmin plan numbers used by more than one patient', () => {
	it('quarantines every row of the shared plan with one error, and keeps the patients and their other plans', async () => {
		const { report, bundles } = await readDentAdminExport(
			folderSource(sharedPlanExport()),
			OPTIONS,
		);
		expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([FINDING]);
		expect(plansOf(bundles)).toEqual(UNSHARED_PLANS);
		expect(
			bundles.flatMap((bundle) => bundle.treatmentPlans.map((plan) => plan.sourceKey)),
		).not.toContain('dentadmin:treatmentPlan:1');
		const treatments = report.files.find((file) => file.file === 'behandelingen.csv');
		expect(treatments).toMatchObject({ rowsRead: 5, rowsAccepted: 2, rowsQuarantined: 3 });
		expect(report.totals.patients).toBe(2);
	});

	it('sees across the pages of a streamed read, with the unpaged read report', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'dentadmin-shared-plan-spool-'));
		const { report, spool } = await readDentAdminExport(folderSource(sharedPlanExport()), {
			...OPTIONS,
			spool: { dir, pageSize: 1 },
		});
		expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([FINDING]);
		expect(spool?.bundles).toEqual([1, 1]);
		expect(plansOf([...readSpoolPage(dir, 0), ...readSpoolPage(dir, 1)])).toEqual(UNSHARED_PLANS);
	});

	it('a page checks its own patients only, and its notice says plan numbers are among those checks', async () => {
		const { report, bundles } = await readDentAdminExport(folderSource(sharedPlanExport()), {
			...OPTIONS,
			page: { offset: 0, limit: 1 },
		});
		// Patient 2 is on another page: this page cannot see that plan 1 is shared.
		expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
		expect(plansOf(bundles)).toEqual([
			[
				'1',
				[
					['dentadmin:treatmentPlan:1', ['10', '13']],
					['dentadmin:treatmentPlan:2', ['12']],
				],
			],
		]);
		expect(report.issues.find((issue) => issue.code === 'page-scoped-checks')?.message).toBe(
			"This report is for one page of patients: repeated IDs in the files of patients' records (appointments, notes, …), plan numbers used by more than one patient (behandelingen.csv) and possible duplicate patients were checked among this page's patients only. Read the export without a page (step 1) to check the whole export.",
		);
	});

	it('a page holding both patients finds the shared plan', async () => {
		const { report, bundles } = await readDentAdminExport(folderSource(sharedPlanExport()), {
			...OPTIONS,
			page: { offset: 0, limit: 2 },
		});
		expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([FINDING]);
		expect(plansOf(bundles)).toEqual(UNSHARED_PLANS);
	});

	it('the API reader names the shared plan by API path and record numbers', async () => {
		const [header, ...rows] = TREATMENTS.map((line) => line.split(';'));
		const records = (lines: string[][]) =>
			lines.map((cells) => Object.fromEntries(header.map((name, at) => [name, cells[at]])));
		const patientHeader = PATIENTS[0].split(';');
		const server = await startDentAdminApiDouble({
			records: {
				'/patients': PATIENTS.slice(1).map((line) =>
					Object.fromEntries(line.split(';').map((cell, at) => [patientHeader[at], cell])),
				),
				'/treatments': records(rows),
			},
			paging: 'page',
			headerName: 'x-api-token',
			apiKey: 'test-key-1',
		});
		try {
			const transport = new FetchTransport({ baseUrl: server.url, apiToken: 'test-key-1' });
			const { report, bundles } = await readDentAdminApi(
				transport,
				{ paging: { mode: 'page', pageSize: 50 } },
				OPTIONS,
			);
			expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([
				{ ...FINDING, file: 'GET /treatments', line: 1, message: MESSAGE('records 1, 2 and 4') },
			]);
			expect(plansOf(bundles)).toEqual(UNSHARED_PLANS);
		} finally {
			await server.close();
		}
	});

	it('lists at most ten rows in a message, and counts the rest', () => {
		expect(linesNamed([7])).toBe('line 7');
		expect(linesNamed([2, 3])).toBe('lines 2 and 3');
		expect(linesNamed([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])).toBe(
			'lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 2 more',
		);
	});
});
