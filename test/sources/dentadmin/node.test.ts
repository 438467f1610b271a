import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { folderSource, type ReadResult } from '../../../lib/sources/common';
import { DEFAULT_API_PATHS } from '../../../lib/sources/dentadmin/api';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';
import { loadRizivNomenclature } from '../../../lib/sources/dentadmin/riziv';
import { DentAdminReader } from '../../../nodes/DentAdminReader/DentAdminReader.node';
import { runWorkflow } from '../../../runner/engine';
import { typeRegistry } from '../../../runner/typeRegistry';
import { generatePractice } from '../../../scripts/sample-data/dentadmin/practice';
import { renderPractice } from '../../../scripts/sample-data/dentadmin/render';
import { startDentAdminApiDouble } from '../../helpers/dentAdminApiServer';
import { ExportFilesFixture, issueSummary } from '../../helpers/readerNodes';
import { comparable } from './comparable';

const ROOT = join(__dirname, '..', '..', '..');
const TEMPLATE = join(ROOT, 'workflows', 'dentadmin', '1-extract-validate.json');
const SAMPLES = join(ROOT, 'samples', 'dentadmin');
const READER = 'DentAdmin Reader';

function template() {
	return JSON.parse(readFileSync(TEMPLATE, 'utf8')) as {
		nodes: { name: string; parameters: Record<string, unknown>; credentials?: unknown }[];
	};
}

/** The reader's records as a ReadResult-like object, for comparing with a direct read. */
function asResult(items: Record<string, unknown>[]): ReadResult {
	const isBundle = (json: Record<string, unknown>) => json.kind === 'patientBundle';
	return {
		references: items.filter((json) => !isBundle(json)),
		bundles: items.filter(isBundle),
	} as unknown as ReadResult;
}

describe('DentAdmin Reader description', () => {
	it('offers the API paths the engine uses by default, and the API as a third input', () => {
		const { properties } = new DentAdminReader().description;
		const paths = properties.find((property) => property.name === 'apiPaths');
		expect(
			Object.fromEntries(
				(paths?.options ?? []).map((option) => [
					option.name,
					'default' in option ? option.default : undefined,
				]),
			),
		).toEqual(DEFAULT_API_PATHS);
		const input = properties.find((property) => property.name === 'inputMode');
		expect(
			(input?.options ?? []).map((option) => ('value' in option ? option.value : undefined)),
		).toEqual(['folder', 'binary', 'api']);
		expect(properties.find((property) => property.name === 'includeNationalNumber')?.default).toBe(
			false,
		);
	});
});

describe('DentAdmin Reader in the n8n engine (template 1-extract-validate)', () => {
	it('reads the bundled Dutch sample and ends with its report', async () => {
		const result = await runWorkflow(TEMPLATE);
		expect(result.status).toBe('success');
		const [report] = result.output(READER, 1);
		expect(report.totals).toEqual({
			files: 7,
			rowsRead: 438,
			rowsAccepted: 437,
			rowsQuarantined: 1,
			patients: 60,
			possibleDuplicates: 2,
		});
		expect(issueSummary(report, { skipCodes: ['header-language'] })).toEqual([
			'warning patienten.csv:12 Rijksregisternummer national-number-invalid',
			'error patienten.csv:62 PatiëntNr duplicate-id',
			'warning behandelingen.csv:2 Datum invalid-date',
			'warning behandelingen.csv:3 Bedrag invalid-money',
			'warning behandelingen.csv:4 RizivCode riziv-invalid-format',
			'warning behandelingen.csv:5 RizivCode riziv-out-of-period',
			'warning afspraken.csv:2 Herhaling recurrence-missing-count',
			'info mutualiteiten.csv:0 Code mutuality-not-in-file',
		]);
		expect(result.output('Validation report')).toEqual([report]);
		expect(result.lastNodeExecuted).toBe('Validation report');

		const records = result.items(READER, 0);
		expect(
			records.map((item) => item.json.kind).filter((kind) => kind !== 'patientBundle'),
		).toEqual([
			'practice',
			'provider',
			'provider',
			'provider',
			'provider',
			'provider',
			'insurer',
			'insurer',
			'insurer',
			'insurer',
			'insurer',
			'insurer',
			'insurer',
			'insurer',
			'insurer',
		]);
		expect(records.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		const direct = await readDentAdminExport(folderSource(join(SAMPLES, 'nl')), {
			practiceName: 'Practice',
		});
		expect(comparable(asResult(result.output(READER, 0)), join(SAMPLES, 'nl'))).toEqual(
			comparable(direct, join(SAMPLES, 'nl')),
		);
		expect(records.some((item) => JSON.stringify(item.json).includes('nationalNumber'))).toBe(
			false,
		);
	});

	it('reads the French sample the same way with --set exportDir', async () => {
		const result = await runWorkflow(TEMPLATE, { settings: { exportDir: 'samples/dentadmin/fr' } });
		expect(result.status).toBe('success');
		const [report] = result.output('Validation report');
		expect(report.totals).toEqual({
			files: 7,
			rowsRead: 142,
			rowsAccepted: 141,
			rowsQuarantined: 1,
			patients: 20,
			possibleDuplicates: 1,
		});
		expect(issueSummary(report, { skipCodes: ['header-language'] }).slice(0, 2)).toEqual([
			'warning patients.csv:12 NumeroNational national-number-invalid',
			'error patients.csv:22 NoPatient duplicate-id',
		]);
	});

	it('includes the national register number only when the option is on', async () => {
		const workflow = template();
		const reader = workflow.nodes.find((node) => node.name === READER) as {
			parameters: Record<string, unknown>;
		};
		reader.parameters.includeNationalNumber = true;
		reader.parameters.practiceName = 'Tandartsenpraktijk Zuid';
		const result = await runWorkflow(workflow);
		const bundles = result.output(READER, 0).filter((json) => json.kind === 'patientBundle');
		const numbers = bundles.map(
			(json) => (json.patient as { nationalNumber?: string }).nationalNumber,
		);
		const direct = await readDentAdminExport(folderSource(join(SAMPLES, 'nl')), {
			includeNationalNumber: true,
		});
		expect(numbers).toEqual(direct.bundles.map((bundle) => bundle.patient.nationalNumber));
		expect(numbers.filter((number) => number !== undefined)).toHaveLength(49);
		expect(result.output(READER, 0)[0]).toMatchObject({
			kind: 'practice',
			name: 'Tandartsenpraktijk Zuid',
		});
	});

	it('checks codes against a replacement nomenclature file, and names a file it cannot read', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'riziv-'));
		const table = join(folder, 'nomenclature.csv');
		writeFileSync(
			table,
			'code,pair_code,description_nl,description_fr,valid_from,valid_to,source\n' +
				'301011,,Raadpleging,Consultation,2000-01-01,2022-12-31,test\n',
		);
		const workflow = template();
		const reader = workflow.nodes.find((node) => node.name === READER) as {
			parameters: Record<string, unknown>;
		};
		reader.parameters.rizivNomenclaturePath = table;
		const [report] = (await runWorkflow(workflow)).output('Validation report');
		const codes = (report.issues as { code: string }[]).map((issue) => issue.code);
		const direct = await readDentAdminExport(folderSource(join(SAMPLES, 'nl')), {
			nomenclature: loadRizivNomenclature(table),
		});
		expect(codes).toEqual(direct.report.issues.map((issue) => issue.code));
		expect(codes.filter((code) => code === 'riziv-out-of-period').length).toBeGreaterThan(0);
		expect(codes.filter((code) => code === 'riziv-unknown').length).toBeGreaterThan(50);

		reader.parameters.rizivNomenclaturePath = join(folder, 'missing.csv');
		const failed = await runWorkflow(workflow);
		expect(failed.error).toEqual({
			node: READER,
			message: `The RIZIV nomenclature file ${join(folder, 'missing.csv')} could not be read; check the path and that n8n may read it.`,
		});
	});

	it('reads binary files from a previous node', async () => {
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
					parameters: { folder: join(SAMPLES, 'fr'), layout: 'propertyPerFile' },
				},
				{
					id: '3',
					name: READER,
					type: 'n8n-nodes-dental-pipedrive.dentAdminReader',
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
		expect([report.exportPath, (report.totals as { patients: number }).patients]).toEqual([
			'binary input',
			20,
		]);
		expect(result.output(READER, 0).filter((json) => json.kind === 'patientBundle')).toHaveLength(
			20,
		);
	});

	it('reads the API through the DentAdmin API credential, with the same result as the CSV export', async () => {
		const rendered = renderPractice(generatePractice(20, 7), 'nl');
		const records = Object.fromEntries(
			(['patients', 'users', 'treatments', 'appointments', 'notes', 'documents'] as const).map(
				(entity) => [`/api/v1/${entity}`, rendered[entity].records],
			),
		);
		records['/api/v1/insurers'] = rendered.mutualities.records;
		const server = await startDentAdminApiDouble({
			records,
			paging: 'cursor',
			headerName: 'X-Api-Key',
			apiKey: 'da-key-7',
		});
		try {
			const workflow = template();
			const reader = workflow.nodes.find((node) => node.name === READER) as {
				parameters: Record<string, unknown>;
				credentials?: unknown;
			};
			reader.parameters = {
				...reader.parameters,
				inputMode: 'api',
				pagingMode: 'cursor',
				apiPageSize: 8,
			};
			reader.credentials = { dentAdminApi: { id: 'da', name: 'DentAdmin API' } };
			const result = await runWorkflow(workflow, {
				credentials: {
					dentAdminApi: {
						baseUrl: `${server.url}/api/v1/`,
						apiKey: 'da-key-7',
						headerName: 'X-Api-Key',
					},
				},
			});
			expect(result.status).toBe('success');
			const direct = await readDentAdminExport(folderSource(join(SAMPLES, 'fr')), {
				practiceName: 'Practice',
			});
			expect(
				comparable(asResult(result.output(READER, 0)), join(SAMPLES, 'fr'), ['resolvedPath']),
			).toEqual(comparable(direct, join(SAMPLES, 'fr'), ['resolvedPath']));
			const [report] = result.output(READER, 1);
			expect(report.exportPath).toBe('DentAdmin API');
			expect(server.calls()[0]).toBe('GET /api/v1/patients?pageSize=8');
			expect(server.requests.every((request) => request.headers['x-api-key'] === 'da-key-7')).toBe(
				true,
			);
		} finally {
			await server.close();
		}
	});
});
