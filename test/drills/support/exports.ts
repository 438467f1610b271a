import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateDentAdminExport } from '../../../scripts/sample-data/dentadmin';
import { generateDentalExecExport } from '../../../scripts/sample-data/dental-exec';

/**
 * The exports the drills migrate: the sample generator's own, small enough that twenty restarts
 * fit in the test budget, with every kind of record the bundled samples have (documents, notes,
 * plans, leads; DentAdmin in Windows-1252 with national register numbers).
 */
export const DRILL_SEED = 18;

export function dentalExecExport(patients = 30): string {
	const out = mkdtempSync(join(tmpdir(), 'drill-dental-exec-'));
	generateDentalExecExport({ patients, seed: DRILL_SEED, out });
	return out;
}

export async function dentAdminExport(patients = 16): Promise<string> {
	const out = mkdtempSync(join(tmpdir(), 'drill-dentadmin-'));
	await generateDentAdminExport({
		patients,
		seed: DRILL_SEED,
		out,
		language: 'nl',
		encoding: 'cp1252',
	});
	return out;
}
