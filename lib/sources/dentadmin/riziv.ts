import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseReferenceTable, readBundledTable } from './referenceTable';

/**
 * RIZIV/INAMI nomenclature checks. Codes and their validity change over the years, so a code is
 * judged as of the treatment date; any finding is a warning and a flag, never a rejected row.
 */
export interface RizivCodeEntry {
	code: string;
	pairCode?: string;
	descriptionNl: string;
	descriptionFr: string;
	/** Inclusive `YYYY-MM-DD`; absent when open-ended. */
	validFrom?: string;
	validTo?: string;
}

export type RizivNomenclature = ReadonlyMap<string, RizivCodeEntry>;

export type RizivCheck = 'ok' | 'invalid-format' | 'unknown' | 'out-of-period';

/** The flag put on a ProcedureCode for each finding (the model documents these names). */
export const RIZIV_FLAGS: Record<Exclude<RizivCheck, 'ok'>, string> = {
	'invalid-format': 'riziv-invalid-format',
	unknown: 'riziv-unknown',
	'out-of-period': 'riziv-out-of-period',
};

const COLUMNS = [
	'code',
	'pair_code',
	'description_nl',
	'description_fr',
	'valid_from',
	'valid_to',
	'source',
];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const RIZIV_CODE_FORMAT = /^\d{6}$/;

/** Builds a nomenclature from CSV text in the bundled table's format (a full NomenSoft list fits). */
export function parseRizivNomenclature(
	csvText: string,
	name = 'riziv-nomenclature.csv',
): RizivNomenclature {
	const table = new Map<string, RizivCodeEntry>();
	parseReferenceTable(csvText, COLUMNS, name).forEach((row, index) => {
		const line = index + 2;
		if (!RIZIV_CODE_FORMAT.test(row.code)) {
			throw new Error(`Reference table ${name} line ${line}: column code must be 6 digits.`);
		}
		for (const column of ['valid_from', 'valid_to']) {
			if (row[column] !== '' && !ISO_DATE.test(row[column])) {
				throw new Error(
					`Reference table ${name} line ${line}: column ${column} must be YYYY-MM-DD or empty.`,
				);
			}
		}
		table.set(row.code, {
			code: row.code,
			pairCode: row.pair_code || undefined,
			descriptionNl: row.description_nl,
			descriptionFr: row.description_fr,
			validFrom: row.valid_from || undefined,
			validTo: row.valid_to || undefined,
		});
	});
	return table;
}

/** Reads a replacement nomenclature (same columns as the bundled table) from a file on the host. */
export function loadRizivNomenclature(path: string): RizivNomenclature {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		// No system error code in the message: n8n rewrites messages that carry one.
		throw new Error(
			`The RIZIV nomenclature file ${path} could not be read; check the path and that n8n may read it.`,
		);
	}
	return parseRizivNomenclature(text, basename(path));
}

let bundled: RizivNomenclature | undefined;

/** The nomenclature shipped in data/riziv-nomenclature.csv (read once). */
export function bundledRizivNomenclature(): RizivNomenclature {
	bundled ??= parseRizivNomenclature(readBundledTable('riziv-nomenclature.csv'));
	return bundled;
}

/**
 * Checks a code as of a date (`YYYY-MM-DD`). Without a date only format and existence are checked,
 * because a validity period cannot be judged without one.
 */
export function checkRizivCode(
	code: string,
	date: string | undefined,
	nomenclature: RizivNomenclature = bundledRizivNomenclature(),
): RizivCheck {
	if (!RIZIV_CODE_FORMAT.test(code)) return 'invalid-format';
	const entry = nomenclature.get(code);
	if (!entry) return 'unknown';
	if (date === undefined) return 'ok';
	// ISO dates compare correctly as strings.
	if (entry.validFrom !== undefined && date < entry.validFrom) return 'out-of-period';
	if (entry.validTo !== undefined && date > entry.validTo) return 'out-of-period';
	return 'ok';
}
