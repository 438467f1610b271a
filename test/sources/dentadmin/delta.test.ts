import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderSource } from '../../../lib/sources/common';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';
import { exportFolder } from './exportFolder';

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

	it('a patient edited in the second occurrence of the repeated autumn hour is not skipped', async () => {
		// Brussels falls back at 2026-10-25T01:00Z: 02:00–02:59 happens in CEST (UTC+2), then again
		// in CET (UTC+1). Patient 2's 02:10 may be 00:10Z or 01:10Z; the watermark 00:45Z lies
		// between, so only the later reading keeps an edit made at 01:10Z. Patient 1's 01:10 is
		// CEST only (2026-10-24T23:10Z), an hour before the first occurrence.
		const folder = exportFolder({
			'patienten.csv': [
				'PatiëntNr;Naam;Voornaam;Gewijzigd',
				'1;Peeters;An;25/10/2026 01:10',
				'2;Janssens;Luc;25/10/2026 02:10',
			],
		});
		const read = await readDentAdminExport(folderSource(folder), {
			modifiedSince: '2026-10-25T00:45:00Z',
		});
		expect(read.bundles.map((bundle) => bundle.patient.sourceId)).toEqual(['2']);
		// The record and the newest change keep the first occurrence, never later than the real
		// edit: the watermark cannot move past an edit made in the repeated hour.
		expect(read.bundles[0].patient.modifiedAt).toBe('2026-10-25T00:10:00Z');
		expect(read.report.newestChange).toBe('2026-10-25T00:10:00.000Z');
	});
});
