import { parseReferenceTable, readBundledTable } from './referenceTable';

/** Belgian mutualities: 3-digit codes whose first digit names the national union. */
export interface MutualityUnion {
	code: string;
	nameNl: string;
	nameFr: string;
}

export const MUTUALITY_CODE_FORMAT = /^\d{3}$/;

const COLUMNS = ['code', 'name_nl', 'name_fr'];

export function parseMutualityUnions(
	csvText: string,
	name = 'mutuality-unions.csv',
): MutualityUnion[] {
	return parseReferenceTable(csvText, COLUMNS, name).map((row) => ({
		code: row.code,
		nameNl: row.name_nl,
		nameFr: row.name_fr,
	}));
}

let bundled: MutualityUnion[] | undefined;

/** The union table shipped in data/mutuality-unions.csv (read once). */
export function bundledMutualityUnions(): MutualityUnion[] {
	bundled ??= parseMutualityUnions(readBundledTable('mutuality-unions.csv'));
	return bundled;
}

/**
 * The national union of a mutuality code: the union whose code is the first digit × 100
 * (306 is listed separately in one public source but belongs to the socialist union 300).
 * Undefined when the code is not 3 digits or its first digit names no union.
 */
export function unionOfMutuality(
	code: string,
	unions: MutualityUnion[] = bundledMutualityUnions(),
): MutualityUnion | undefined {
	if (!MUTUALITY_CODE_FORMAT.test(code)) return undefined;
	return unions.find((union) => union.code === `${code[0]}00`);
}

/**
 * The form of an insurer name used to recognise the same insurer written differently:
 * accents, case, punctuation and runs of spaces do not count.
 */
export function normaliseInsurerName(name: string): string {
	return name
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}
