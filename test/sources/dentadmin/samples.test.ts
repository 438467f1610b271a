import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { folderSource } from '../../../lib/sources/common';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';
import { dentAdminDefects, generateDentAdminExport } from '../../../scripts/sample-data/dentadmin';

const SAMPLES = join(__dirname, '../../../samples/dentadmin');

function filesUnder(folder: string): Map<string, Buffer> {
	const files = new Map<string, Buffer>();
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else files.set(relative(folder, path), readFileSync(path));
		}
	};
	walk(folder);
	return files;
}

const SAMPLE_OPTIONS = {
	nl: { patients: 60, seed: 42, language: 'nl', encoding: 'cp1252' },
	fr: { patients: 20, seed: 7, language: 'fr', encoding: 'utf8bom' },
} as const;

describe('committed DentAdmin samples', () => {
	it.each(['nl', 'fr'] as const)('%s is exactly what the generator writes', async (name) => {
		const out = mkdtempSync(join(tmpdir(), 'dentadmin-sample-'));
		await generateDentAdminExport({ ...SAMPLE_OPTIONS[name], out });
		expect(filesUnder(join(SAMPLES, name))).toEqual(filesUnder(out));
	});

	it('starts the Dutch sample with Windows-1252 accents and the French one with a BOM', () => {
		const dutch = readFileSync(join(SAMPLES, 'nl/patienten.csv'));
		expect(dutch.subarray(0, 9).toString('latin1')).toBe('Pati\u00ebntNr');
		const french = readFileSync(join(SAMPLES, 'fr/patients.csv'));
		expect([...french.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	});

	it('gives the reader exactly the defects the README lists', async () => {
		const result = await readDentAdminExport(folderSource(join(SAMPLES, 'nl')), {});
		expect(
			result.report.issues
				.filter((issue) => issue.severity !== 'info' || issue.code === 'mutuality-not-in-file')
				.map((issue) => `${issue.file} ${issue.line} ${issue.code}`),
		).toEqual([
			'patienten.csv 12 national-number-invalid',
			'patienten.csv 62 duplicate-id',
			'behandelingen.csv 2 invalid-date',
			'behandelingen.csv 3 invalid-money',
			'behandelingen.csv 4 riziv-invalid-format',
			'behandelingen.csv 5 riziv-out-of-period',
			'afspraken.csv 2 recurrence-missing-count',
			'mutualiteiten.csv 0 mutuality-not-in-file',
		]);
		expect(result.report.possibleDuplicates).toEqual([
			{
				sourceKeys: ['dentadmin:patient:1006', 'dentadmin:patient:1009'],
				reason: 'same name and date of birth',
			},
			{
				sourceKeys: ['dentadmin:patient:1036', 'dentadmin:patient:1048'],
				reason: 'same name and email',
			},
		]);
		expect(result.report.totals).toEqual({
			files: 7,
			rowsRead: 438,
			rowsAccepted: 437,
			rowsQuarantined: 1,
			patients: 60,
			possibleDuplicates: 2,
		});
		expect(dentAdminDefects(SAMPLE_OPTIONS.nl)).toEqual([
			'patienten.csv line 62: duplicate patient ID (row quarantined)',
			'patienten.csv line 10: possible duplicate of the patient on line 7 (same name and birth date)',
			'patienten.csv line 12: national register number with a bad checksum (warning)',
			'behandelingen.csv line 2: impossible date 31/02/2024',
			'behandelingen.csv line 3: amount 1.234.56 (two thousands dots, no decimal comma)',
			'behandelingen.csv line 4: RIZIV code of 5 digits (warning, the treatment still migrates)',
			'behandelingen.csv line 5: RIZIV code 371593 used before its validity (from 01/09/2023) (warning)',
			'afspraken.csv line 2: recurrence without a count (warning, one appointment kept)',
			'documenten.csv line 21: document of 150 MB by its metadata (over the file size limit; the file itself is small)',
		]);
	});

	it('reads the French sample with its own file names in the report', async () => {
		const result = await readDentAdminExport(folderSource(join(SAMPLES, 'fr')), {});
		expect(
			result.report.issues
				.filter((issue) => issue.severity !== 'info')
				.map((issue) => `${issue.file} ${issue.line} ${issue.column} ${issue.code}`),
		).toEqual([
			'patients.csv 12 NumeroNational national-number-invalid',
			'patients.csv 22 NoPatient duplicate-id',
			'traitements.csv 4 Date invalid-date',
			'traitements.csv 5 Montant invalid-money',
			'traitements.csv 6 CodeInami riziv-invalid-format',
			'traitements.csv 8 CodeInami riziv-out-of-period',
			'rendezvous.csv 2 Repetition recurrence-missing-count',
		]);
		expect(result.bundles.length).toBe(20);
	});
});
