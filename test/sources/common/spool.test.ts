import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceSystem } from '../../../lib/model';
import { folderSource, sourceReaders, type ReadOptions } from '../../../lib/sources';
import { readSpoolPage } from '../../../lib/sources';
import { readFiles } from '../dental-exec/readHelpers';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples');

let work: string;
beforeEach(() => {
	work = mkdtempSync(join(tmpdir(), 'spool-test-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** The unpaged read and the streamed read of one export, with the same options. */
async function bothReads(system: SourceSystem, folder: string, options: ReadOptions = {}) {
	const read = sourceReaders[system];
	const unpaged = await read(folderSource(folder), options);
	const dir = join(work, 'spool');
	const streamed = await read(folderSource(folder), { ...options, spool: { dir, pageSize: 7 } });
	const spool = streamed.spool;
	if (!spool) throw new Error('the streamed read returned no spool');
	const pages = spool.bundles.map((_, page) => readSpoolPage(dir, page));
	return { unpaged, streamed, spool, pages, dir };
}

const CASES: Array<[string, SourceSystem, string]> = [
	['Dental-Exec sample', 'dental-exec', join(SAMPLES, 'dental-exec')],
	['DentAdmin sample (nl)', 'dentadmin', join(SAMPLES, 'dentadmin', 'nl')],
	['DentAdmin sample (fr)', 'dentadmin', join(SAMPLES, 'dentadmin', 'fr')],
];

describe('streamed read: one pass into a spool of pages on disk', () => {
	it.each(CASES)(
		'%s: the concatenated pages are the unpaged read, byte for byte as JSON',
		async (_label, system, folder) => {
			const { unpaged, streamed, spool, pages } = await bothReads(system, folder, {
				exportDate: '2026-11-01',
			});
			expect(unpaged.bundles.length).toBeGreaterThan(7);
			expect(JSON.stringify(pages.flat())).toBe(JSON.stringify(unpaged.bundles));
			// Every page but the last holds 7 patients; the pages together hold every accepted one.
			expect(spool.bundles.length).toBe(Math.ceil(unpaged.page.patients / 7));
			expect(spool.bundles.slice(0, -1).every((count) => count === 7)).toBe(true);
			expect(pages.map((page) => page.length)).toEqual(spool.bundles);
			expect(streamed.bundles).toEqual([]);
			expect(JSON.stringify(streamed.references)).toBe(JSON.stringify(unpaged.references));
			// Whole-export checks: the report is the unpaged read's report.
			expect(JSON.stringify(streamed.report)).toBe(JSON.stringify(unpaged.report));
		},
	);

	it('a modified-since read spools only the changed bundles, as the unpaged read yields them', async () => {
		const folder = join(SAMPLES, 'dental-exec');
		const options = { exportDate: '2026-11-01', modifiedSince: '2026-06-01T00:00:00Z' };
		const { unpaged, spool, pages } = await bothReads('dental-exec', folder, options);
		expect(unpaged.bundles.length).toBeGreaterThan(0);
		expect(unpaged.bundles.length).toBeLessThan(unpaged.page.patients);
		expect(JSON.stringify(pages.flat())).toBe(JSON.stringify(unpaged.bundles));
		expect(spool.bundles.reduce((sum, count) => sum + count, 0)).toBe(unpaged.bundles.length);
	});

	it('the spool folder and its pages are owner-only, and no raw partition is left behind', async () => {
		const { dir } = await bothReads('dental-exec', join(SAMPLES, 'dental-exec'));
		expect(statSync(dir).mode & 0o777).toBe(0o700);
		const names = readdirSync(dir);
		expect(names.length).toBeGreaterThan(0);
		expect(names.every((name) => /^page-\d{6}\.ndjson$/.test(name))).toBe(true);
		for (const name of names) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
	});

	it('repeated IDs, orphans and possible duplicates are checked over the whole export, across pages', async () => {
		// 1001 and 1004 are possible duplicates on different pages of 2; A1 repeats across pages.
		const files = {
			'patients.csv': [
				'PatientID,LastName,FirstName,DOB,Email',
				'1001,Rivera,Ana,03/25/1980,ana@example.test',
				'1002,Chen,Wei,11/02/1975,',
				'1003,Okafor,Ngozi,,ngozi@example.test',
				'1004,Rivera,Ana,03/25/1980,',
			].join('\n'),
			'appointments.csv': [
				'AppointmentID,PatientID,StartDateTime',
				'A1,1001,03/10/2026 09:00',
				'A1,1003,03/12/2026 09:00',
				'A3,9999,03/13/2026 09:00',
			].join('\n'),
		};
		const dir = join(work, 'small');
		const streamed = await readFiles(files, { spool: { dir, pageSize: 2 } });
		const issues = streamed.report.issues
			.filter((issue) => !['missing-optional-column', 'file-absent'].includes(issue.code))
			.map((issue) => `${issue.file}:${issue.line} ${issue.code}`);
		expect(issues).toEqual([
			'appointments.csv:3 duplicate-id',
			'appointments.csv:4 unknown-patient',
		]);
		expect(streamed.report.possibleDuplicates.map((pair) => pair.sourceKeys)).toEqual([
			['dental-exec:patient:1001', 'dental-exec:patient:1004'],
		]);
		const pages = [0, 1].map((page) =>
			readSpoolPage(dir, page).map((bundle) => [
				bundle.patient.sourceId,
				bundle.appointments.map((appointment) => appointment.sourceId),
			]),
		);
		expect(pages).toEqual([
			[
				['1001', ['A1']],
				['1002', []],
			],
			[
				['1003', []],
				['1004', []],
			],
		]);
	});

	it('a read is a page or a spool, not both', async () => {
		await expect(
			readFiles(
				{ 'patients.csv': 'PatientID\n1\n' },
				{
					page: { offset: 0, limit: 1 },
					spool: { dir: join(work, 'x'), pageSize: 1 },
				},
			),
		).rejects.toThrow('A read is either one page or a spool of every page, not both.');
	});
});
