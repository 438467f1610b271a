import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderSource } from '../../../lib/sources/common';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';

const SAMPLE = join(__dirname, '..', '..', '..', 'samples', 'dentadmin', 'nl');

/**
 * The sample export with one treatment row of patient 1003 (row 50004, the third data line of
 * behandelingen.csv) edited on 1 December 2026; every other stamp in the sample is before
 * 15 November 2026 (read off the files).
 */
function exportWithEditedTreatment(): string {
	const folder = mkdtempSync(join(tmpdir(), 'dentadmin-delta-'));
	cpSync(SAMPLE, folder, { recursive: true });
	const file = join(folder, 'behandelingen.csv');
	const before = readFileSync(file, 'latin1');
	const after = before.replace(
		'50004;1003;15/05/2023;371593;Jaarlijks mondonderzoek;;29,50;0,00;1;Uitgevoerd;;12/12/2022 18:05',
		'50004;1003;15/05/2023;371593;Jaarlijks mondonderzoek;;29,50;0,00;1;Uitgevoerd;;01/12/2026 10:00',
	);
	expect(after).not.toBe(before);
	writeFileSync(file, after, 'latin1');
	return folder;
}

describe('DentAdmin delta pickup', () => {
	it('a treatment edited after the watermark brings its patient into the delta, and is the newest change', async () => {
		const folder = exportWithEditedTreatment();
		const read = await readDentAdminExport(folderSource(folder), {
			modifiedSince: '2026-11-30T00:00:00Z',
		});
		expect(read.bundles.map((bundle) => bundle.patient.sourceId)).toEqual(['1003']);
		// 10:00 in Brussels in December is 09:00 UTC.
		expect(read.report.newestChange).toBe('2026-12-01T09:00:00.000Z');
	});
});
