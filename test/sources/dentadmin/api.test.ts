import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderSource } from '../../../lib/sources/common';
import { DentAdminApiError, readDentAdminApi } from '../../../lib/sources/dentadmin/api';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';
import { FetchTransport } from '../../../lib/transport/fetchTransport';
import { generateDentAdminExport } from '../../../scripts/sample-data/dentadmin';
import { generatePractice } from '../../../scripts/sample-data/dentadmin/practice';
import { renderPractice } from '../../../scripts/sample-data/dentadmin/render';
import { startDentAdminApiDouble, type DentAdminApiDouble } from '../../helpers/dentAdminApiServer';
import { comparable } from './comparable';

const PRACTICE = { patients: 18, seed: 5 };
// FetchTransport sends its token as `x-api-token`; the node test covers the credential's own header.
const HEADER = 'x-api-token';
const KEY = 'test-key-1';

type ApiDoubleRecords = Record<string, Record<string, unknown>[]>;

/** The generated practice as French API records, with a few values as JSON numbers, lists and booleans. */
function apiRecords(paths: Record<string, string>): ApiDoubleRecords {
	const rendered = renderPractice(generatePractice(PRACTICE.patients, PRACTICE.seed), 'fr');
	const records: ApiDoubleRecords = {};
	for (const [entity, path] of Object.entries(paths)) {
		records[path] = rendered[entity as keyof typeof rendered].records.map((record) => {
			const json: Record<string, unknown> = { ...record };
			if (json.TicketModerateur !== undefined && entity === 'patients')
				json.TicketModerateur = Number(json.TicketModerateur);
			if (typeof json.Etiquettes === 'string') json.Etiquettes = json.Etiquettes.split(';');
			// Yes/no flags as JSON booleans (the CSV export spells them O/N).
			for (const flag of ['TiersPayant', 'Actif'])
				if (json[flag] === 'O' || json[flag] === 'N') json[flag] = json[flag] === 'O';
			return json;
		});
	}
	return records;
}

const DEFAULT_PATHS = {
	patients: '/patients',
	mutualities: '/insurers',
	users: '/users',
	treatments: '/treatments',
	appointments: '/appointments',
	notes: '/notes',
	documents: '/documents',
};

let csvFolder: string;
let servers: DentAdminApiDouble[] = [];

beforeAll(async () => {
	csvFolder = mkdtempSync(join(tmpdir(), 'dentadmin-api-csv-'));
	await generateDentAdminExport({
		...PRACTICE,
		out: csvFolder,
		language: 'nl',
		encoding: 'cp1252',
	});
});

afterEach(async () => {
	await Promise.all(servers.map((server) => server.close()));
	servers = [];
});

async function serve(
	paging: 'page' | 'cursor',
	paths = DEFAULT_PATHS,
	double: {
		maxPageSize?: number;
		modifiedColumn?: string;
		modifiedZone?: string;
		records?: ApiDoubleRecords;
	} = {},
) {
	const server = await startDentAdminApiDouble({
		records: double.records ?? apiRecords(paths),
		paging,
		headerName: HEADER,
		apiKey: KEY,
		maxPageSize: double.maxPageSize,
		modifiedColumn: double.modifiedColumn,
		modifiedZone: double.modifiedZone,
	});
	servers.push(server);
	return { server, transport: new FetchTransport({ baseUrl: server.url, apiToken: KEY }) };
}

describe('DentAdmin API mode', () => {
	it('returns the same bundles as the CSV export of the same data (page paging)', async () => {
		const { server, transport } = await serve('page');
		const api = await readDentAdminApi(transport, { paging: { mode: 'page', pageSize: 7 } });
		const csv = await readDentAdminExport(folderSource(csvFolder), {});
		// Documents come from the API without their files, so resolved paths are left out.
		expect(comparable(api, csvFolder, ['resolvedPath'])).toEqual(
			comparable(csv, csvFolder, ['resolvedPath']),
		);
		expect(api.bundles.length).toBe(18);
		expect(server.calls().slice(0, 4)).toEqual([
			'GET /patients?pageSize=7&page=1',
			'GET /patients?pageSize=7&page=2',
			'GET /patients?pageSize=7&page=3',
			'GET /insurers?pageSize=7&page=1',
		]);
	});

	it('reads every page when the API serves fewer records per page than asked for', async () => {
		// 18 patients, 5 per page whatever is asked: a reader that stops at the first page shorter
		// than the 50 it asked for would keep 5 patients and lose 13.
		const { server, transport } = await serve('page', DEFAULT_PATHS, { maxPageSize: 5 });
		const api = await readDentAdminApi(transport, { paging: { mode: 'page', pageSize: 50 } });
		const csv = await readDentAdminExport(folderSource(csvFolder), {});
		expect(comparable(api, csvFolder, ['resolvedPath'])).toEqual(
			comparable(csv, csvFolder, ['resolvedPath']),
		);
		expect(api.bundles.length).toBe(18);
		expect(server.calls().filter((call) => call.startsWith('GET /patients'))).toEqual([
			'GET /patients?pageSize=50&page=1',
			'GET /patients?pageSize=50&page=2',
			'GET /patients?pageSize=50&page=3',
			'GET /patients?pageSize=50&page=4',
		]);
	});

	it('follows an opaque cursor on configured paths', async () => {
		const paths = { ...DEFAULT_PATHS, patients: '/v2/patienten', treatments: '/v2/behandelingen' };
		const { server, transport } = await serve('cursor', paths);
		const api = await readDentAdminApi(transport, {
			paths: { patients: '/v2/patienten', treatments: '/v2/behandelingen' },
			paging: { mode: 'cursor', pageSize: 10, itemsPath: 'data', nextCursorPath: 'next_cursor' },
		});
		const csv = await readDentAdminExport(folderSource(csvFolder), {});
		expect(comparable(api, csvFolder, ['resolvedPath'])).toEqual(
			comparable(csv, csvFolder, ['resolvedPath']),
		);
		expect(server.calls().filter((call) => call.startsWith('GET /v2/patienten'))).toEqual([
			'GET /v2/patienten?pageSize=10',
			'GET /v2/patienten?pageSize=10&cursor=MTA%3D',
		]);
	});

	it('reports issues by API path and record number, never by CSV line', async () => {
		const { transport } = await serve('page');
		const api = await readDentAdminApi(transport, { paging: { mode: 'page', pageSize: 50 } });
		const csv = await readDentAdminExport(folderSource(csvFolder), {});
		const found = (issues: typeof api.report.issues) =>
			issues
				.filter((issue) => issue.severity !== 'info')
				.map((issue) => `${issue.file} ${issue.line} ${issue.column} ${issue.code}`);
		expect(found(csv.report.issues)).toEqual([
			'patienten.csv 12 Rijksregisternummer national-number-invalid',
			'patienten.csv 20 PatiëntNr duplicate-id',
			'behandelingen.csv 2 Datum invalid-date',
			'behandelingen.csv 3 Bedrag invalid-money',
			'behandelingen.csv 5 RizivCode riziv-invalid-format',
			'behandelingen.csv 13 RizivCode riziv-out-of-period',
			'afspraken.csv 2 Herhaling recurrence-missing-count',
		]);
		expect(found(api.report.issues)).toEqual([
			'GET /patients 11 NumeroNational national-number-invalid',
			'GET /patients 19 NoPatient duplicate-id',
			'GET /treatments 1 Date invalid-date',
			'GET /treatments 2 Montant invalid-money',
			'GET /treatments 4 CodeInami riziv-invalid-format',
			'GET /treatments 12 CodeInami riziv-out-of-period',
			'GET /appointments 1 Repetition recurrence-missing-count',
		]);
		expect(api.report.issues.at(-1)).toMatchObject({
			file: 'GET /documents',
			line: 0,
			code: 'document-files-not-fetched',
		});
		expect(api.bundles[0].patient.origin).toEqual({ file: 'GET /patients', line: 1 });
		expect(api.report.files.map((file) => [file.file, file.rowsRead, file.encoding])).toEqual([
			['GET /insurers', 8, 'json'],
			['GET /users', 5, 'json'],
			['GET /patients', 19, 'json'],
			['GET /treatments', csv.report.files[3].rowsRead, 'json'],
			['GET /appointments', csv.report.files[4].rowsRead, 'json'],
			['GET /notes', csv.report.files[5].rowsRead, 'json'],
			['GET /documents', csv.report.files[6].rowsRead, 'json'],
		]);
	});

	it('asks only appointments, notes and documents for changes since a time', async () => {
		const { server, transport } = await serve('page');
		await readDentAdminApi(transport, {
			paging: { mode: 'page', pageSize: 100 },
			modifiedSince: '2026-01-01T00:00:00Z',
		});
		// Each entity fits one page of 100, so the second page, empty, ends it.
		expect(server.calls()).toEqual([
			'GET /patients?pageSize=100&page=1',
			'GET /patients?pageSize=100&page=2',
			'GET /insurers?pageSize=100&page=1',
			'GET /insurers?pageSize=100&page=2',
			'GET /users?pageSize=100&page=1',
			'GET /users?pageSize=100&page=2',
			'GET /treatments?pageSize=100&page=1',
			'GET /treatments?pageSize=100&page=2',
			// Two hours before the watermark (the fold margin; see the repeated-hour test below).
			'GET /appointments?pageSize=100&modifiedSince=2025-12-31T22%3A00%3A00Z&page=1',
			'GET /appointments?pageSize=100&modifiedSince=2025-12-31T22%3A00%3A00Z&page=2',
			'GET /notes?pageSize=100&modifiedSince=2025-12-31T22%3A00%3A00Z&page=1',
			'GET /notes?pageSize=100&modifiedSince=2025-12-31T22%3A00%3A00Z&page=2',
			'GET /documents?pageSize=100&modifiedSince=2025-12-31T22%3A00%3A00Z&page=1',
			'GET /documents?pageSize=100&modifiedSince=2025-12-31T22%3A00%3A00Z&page=2',
		]);
	});

	it('an appointment edited in the second occurrence of the repeated autumn hour is served and kept', async () => {
		// Brussels falls back at 2026-10-25T01:00Z: 02:00–02:59 happens at UTC+2, then again at UTC+1.
		// The edit at 02:10 was made at 01:10Z, after the watermark 00:45Z; a server reading 02:10 as
		// its first occurrence (00:10Z) would not serve it for that watermark. Another appointment,
		// edited at 01:30 (23:30Z the day before, in the two hours before the watermark), is served
		// because of the margin and dropped by the reader: only the 02:10 edit is a change.
		const records = apiRecords(DEFAULT_PATHS);
		for (const path of Object.values(DEFAULT_PATHS))
			for (const record of records[path]) record.ModifieLe = '01/01/2020 10:00';
		const [edited, earlier] = records['/appointments'].filter(
			(appointment, index, all) =>
				all.findIndex((other) => other.NoPatient === appointment.NoPatient) === index,
		);
		edited.ModifieLe = '25/10/2026 02:10';
		earlier.ModifieLe = '25/10/2026 01:30';
		const { server, transport } = await serve('page', DEFAULT_PATHS, {
			records,
			modifiedColumn: 'ModifieLe',
			modifiedZone: 'Europe/Brussels',
		});
		const api = await readDentAdminApi(transport, {
			paging: { mode: 'page', pageSize: 100 },
			modifiedSince: '2026-10-25T00:45:00Z',
		});
		expect(api.bundles.map((bundle) => bundle.patient.sourceId)).toEqual([
			String(edited.NoPatient),
		]);
		expect(api.bundles[0].appointments.map((appointment) => appointment.sourceId)).toContain(
			String(edited.NoRendezVous),
		);
		expect(server.calls()).toContain(
			'GET /appointments?pageSize=100&modifiedSince=2026-10-24T22%3A45%3A00Z&page=1',
		);
	});

	it('a delta reads every row of a treatment plan, not only its changed rows', async () => {
		// Every treatment stamped in 2020 but one row of a plan with several rows, stamped after the
		// watermark: a plan built from that row alone would send its deal one row's fee.
		const records = apiRecords(DEFAULT_PATHS);
		const treatments = records['/treatments'];
		const rowsOf = (plan: unknown) => treatments.filter((row) => row.PlanTraitement === plan);
		const edited = treatments.find(
			(row) => row.PlanTraitement && rowsOf(row.PlanTraitement).length > 1,
		);
		if (!edited) throw new Error('the generated practice has no plan of several treatments');
		for (const row of treatments)
			row.ModifieLe = row === edited ? '01/12/2026 10:00' : '01/01/2020 10:00';
		const { server, transport } = await serve('page', DEFAULT_PATHS, {
			records,
			modifiedColumn: 'ModifieLe',
		});
		const api = await readDentAdminApi(transport, {
			paging: { mode: 'page', pageSize: 100 },
			modifiedSince: '2026-11-30T00:00:00Z',
		});
		expect(server.calls()).toContain('GET /treatments?pageSize=100&page=1');
		const plan = api.bundles
			.flatMap((bundle) => bundle.treatmentPlans)
			.find((candidate) => candidate.sourceId === edited.PlanTraitement);
		const whole = (await readDentAdminExport(folderSource(csvFolder), {})).bundles
			.flatMap((bundle) => bundle.treatmentPlans)
			.find((candidate) => candidate.sourceId === edited.PlanTraitement);
		expect(plan?.procedures.map((procedure) => procedure.sourceId)).toEqual(
			rowsOf(edited.PlanTraitement).map((row) => String(row.NoTraitement)),
		);
		expect(plan?.estimatedFee).toEqual(whole?.estimatedFee);
		expect(plan?.status).toBe(whole?.status);
	});

	it('treats a missing entity path as an absent file, and a refused key as a clear error', async () => {
		const { documents: _documents, ...withoutDocuments } = DEFAULT_PATHS;
		const { transport } = await serve('page', withoutDocuments as typeof DEFAULT_PATHS);
		const api = await readDentAdminApi(transport, { paging: { mode: 'page', pageSize: 100 } });
		expect(
			api.report.issues.filter((issue) => issue.code === 'file-absent').map((issue) => issue.file),
		).toEqual(['documenten.csv']);
		expect(api.bundles.flatMap((bundle) => bundle.documents)).toEqual([]);

		const server = servers[0];
		const wrongKey = new FetchTransport({ baseUrl: server.url, apiToken: 'wrong' });
		await expect(
			readDentAdminApi(wrongKey, { paging: { mode: 'page', pageSize: 100 } }),
		).rejects.toThrow(
			new DentAdminApiError(
				'GET /patients answered HTTP 401; check the API key and header name in the DentAdmin API credential.',
			),
		);
	});
});
