import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { folderSource, readExport } from '../../../lib/sources/common';
import { dentalExecProfile } from '../../../lib/sources/dental-exec';
import { runWorkflow } from '../../../runner/engine';
import { typeRegistry } from '../../../runner/typeRegistry';
import { generateDentalExecExport } from '../../../scripts/sample-data/dental-exec';
import { ExportFilesFixture, issueSummary } from '../../helpers/readerNodes';

const TEMPLATE = join(
	__dirname,
	'..',
	'..',
	'..',
	'workflows',
	'dental-exec',
	'1-extract-validate.json',
);
const SAMPLE = join(__dirname, '..', '..', '..', 'samples', 'dental-exec');
const CHILD_KEYS = [
	'appointments',
	'treatmentPlans',
	'claims',
	'payments',
	'notes',
	'tasks',
	'labCases',
	'documents',
] as const;
type Stamped = { modifiedAt?: string; createdAt?: string };
const READER = 'Dental-Exec Reader';

describe('Dental-Exec Reader in the n8n engine (template 1-extract-validate)', () => {
	it('reads the bundled sample: the deliberate defects are reported and every other row is accepted', async () => {
		const result = await runWorkflow(TEMPLATE);
		expect(result.status).toBe('success');
		const [report] = result.output(READER, 1);
		expect(report.totals).toEqual({
			files: 12,
			rowsRead: 1691,
			rowsAccepted: 1690,
			rowsQuarantined: 1,
			patients: 201,
			possibleDuplicates: 1,
		});
		expect(issueSummary(report)).toEqual([
			// Patients 001023 and 001197: first visit (04/27/2021, 12/08/2020) before birth (06/11/2021, 11/27/2022).
			'warning patients.csv:24 FirstVisitDate dates-out-of-order',
			'warning patients.csv:92 DOB invalid-date',
			'warning patients.csv:198 FirstVisitDate dates-out-of-order',
			'info patients.csv:0 LastPaymentDate placeholder-date',
			'info patients.csv:0 DOB placeholder-date',
			// The same two children's visits and claims before their birth (checked in the CSVs by hand:
			// 001023's visit of 04/27/2021; 001197's visits of 12/08/2020 to 08/11/2022, claims 12/09/2020
			// and 01/12/2022).
			'warning appointments.csv:71 StartDateTime dates-out-of-order',
			'error appointments.csv:213 AppointmentID duplicate-id',
			'warning appointments.csv:691 StartDateTime dates-out-of-order',
			'warning appointments.csv:692 StartDateTime dates-out-of-order',
			'warning appointments.csv:693 StartDateTime dates-out-of-order',
			'warning appointments.csv:694 StartDateTime dates-out-of-order',
			'warning claims.csv:169 SubmittedDate dates-out-of-order',
			'warning claims.csv:170 SubmittedDate dates-out-of-order',
			'warning lab_cases.csv:1 ReceivedDate missing-optional-column',
		]);
		expect(report.possibleDuplicates).toEqual([
			{
				sourceKeys: ['dental-exec:patient:001006', 'dental-exec:patient:001122'],
				reason: 'same name and date of birth',
			},
		]);
		// The report node at the end of the template shows the same report.
		expect(result.output('Validation report')).toEqual([report]);
		// ... and the same as a page for the practice manager (escaped, self-contained).
		const page = result.items('Validation report')[0].binary?.html;
		expect(page && { fileName: page.fileName, mimeType: page.mimeType }).toEqual({
			fileName: 'validation-report.html',
			mimeType: 'text/html',
		});
		const html = Buffer.from(page!.data, 'base64').toString('utf8');
		expect(html).toContain('<div class="tile"><b>201</b>patients</div>');
		expect(html).toContain(
			'<td>warning</td><td>patients.csv</td><td class="num">92</td><td>DOB</td><td>invalid-date</td>',
		);

		const records = result.items(READER, 0);
		expect(
			records.map((item) => item.json.kind).filter((kind) => kind !== 'patientBundle'),
		).toEqual([
			'practice',
			'practice',
			'provider',
			'provider',
			'provider',
			'provider',
			'provider',
			'provider',
			'referralSource',
			'referralSource',
			'referralSource',
			'referralSource',
			'referralSource',
		]);
		expect(records.filter((item) => item.json.kind === 'patientBundle')).toHaveLength(201);
		expect(records.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		const bundles = records
			.map((item) => item.json)
			.filter((json) => json.kind === 'patientBundle');
		const counted = (key: string) =>
			bundles.reduce((sum, bundle) => sum + (bundle[key] as unknown[]).length, 0);
		expect([
			counted('appointments'),
			counted('treatmentPlans'),
			counted('claims'),
			counted('payments'),
			counted('notes'),
			counted('tasks'),
			counted('labCases'),
			counted('documents'),
		]).toEqual([713, 87, 174, 13, 233, 221, 28, 7]);
	});

	it('reads another folder given with --set exportDir', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'dental-exec-30-'));
		generateDentalExecExport({ patients: 30, seed: 9, out: folder });
		const result = await runWorkflow(TEMPLATE, { settings: { exportDir: folder } });
		expect(result.status).toBe('success');
		const [report] = result.output(READER, 1);
		expect(report.exportPath).toBe(folder);
		expect((report.totals as { patients: number }).patients).toBe(31);
	});

	it('pages through patients and picks up only what changed since a time', async () => {
		const workflow = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
		const reader = workflow.nodes.find((node: { name: string }) => node.name === READER);
		reader.parameters.options = { ...reader.parameters.options, pageOffset: 10, pageLimit: 5 };
		const paged = await runWorkflow(workflow);
		const pageIds = paged
			.output(READER, 0)
			.map((json) => (json.patient as { sourceId: string }).sourceId);
		expect(pageIds).toEqual(['001011', '001012', '001013', '001014', '001015']);

		const since = '2026-10-25T00:00:00Z';
		reader.parameters.options = {
			...reader.parameters.options,
			pageOffset: 0,
			pageLimit: 0,
			modifiedSince: since,
		};
		const delta = await runWorkflow(workflow);
		const changedIds = delta
			.output(READER, 0)
			.filter((json) => json.kind === 'patientBundle')
			.map((json) => (json.patient as { sourceId: string }).sourceId);
		// Expected: exactly the bundles in which the patient or any child record has a later stamp.
		const { bundles } = await readExport(dentalExecProfile, folderSource(SAMPLE));
		const expected = bundles
			.filter((bundle) =>
				[bundle.patient, ...CHILD_KEYS.flatMap((key) => bundle[key] as Stamped[])].some(
					(record: Stamped) => (record.modifiedAt ?? record.createdAt ?? '') > since,
				),
			)
			.map((bundle) => bundle.patient.sourceId);
		expect(changedIds).toEqual(expected);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(201);
	});

	it('stops with an error naming the folder when it cannot be read', async () => {
		const result = await runWorkflow(TEMPLATE, { settings: { exportDir: '/no/such/export' } });
		expect(result.status).toBe('error');
		expect(result.error).toEqual({
			node: READER,
			message:
				'The export folder /no/such/export could not be listed (it does not exist); check the path and that n8n may read it.',
		});
	});

	it('with "continue on fail" outputs the error as an item paired with its input', async () => {
		const workflow = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
		workflow.nodes.find((node: { name: string }) => node.name === READER).onError =
			'continueRegularOutput';
		const result = await runWorkflow(workflow, { settings: { exportDir: '/no/such/export' } });
		expect(result.status).toBe('success');
		expect(result.items(READER, 0)).toEqual([
			{
				json: {
					error:
						'The export folder /no/such/export could not be listed (it does not exist); check the path and that n8n may read it.',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(result.items(READER, 1)).toEqual([]);
	});

	it('reads binary files from a previous node, one item per file, matching names case-insensitively', async () => {
		typeRegistry().register('test.exportFilesFixture', new ExportFilesFixture());
		const workflow = {
			nodes: [
				{
					id: '1',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: '2',
					name: 'Export files',
					type: 'test.exportFilesFixture',
					typeVersion: 1,
					position: [200, 0],
					parameters: { folder: SAMPLE },
				},
				{
					id: '3',
					name: READER,
					type: 'n8n-nodes-dental-pipedrive.dentalExecReader',
					typeVersion: 1,
					position: [400, 0],
					parameters: { inputMode: 'binary', options: {} },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Export files', type: 'main', index: 0 }]] },
				'Export files': { main: [[{ node: READER, type: 'main', index: 0 }]] },
			},
		};
		const result = await runWorkflow(workflow);
		expect(result.status).toBe('success');
		const [report] = result.output(READER, 1);
		expect(report.exportPath).toBe('binary input');
		expect((report.totals as { patients: number; rowsAccepted: number }).patients).toBe(201);
		// Document files were not handed over, so each document is kept without a file and reported.
		expect(
			issueSummary(report).filter((issue) => issue.includes('document-file-missing')),
		).toHaveLength(7);
		const [first] = result.items(READER, 0);
		expect(first.pairedItem).toEqual(Array.from({ length: 12 }, (_, item) => ({ item })));
	});
});
