import type { ColumnSpec, ColumnType } from '../common';

/**
 * DentAdmin exports in Dutch or French depending on the installation's language; every column
 * is declared with its Dutch and French header (see shared/reference/exports/dentadmin.md).
 */
export function column(
	field: string,
	nl: string | readonly string[],
	fr: string | readonly string[],
	type: ColumnType,
	more: Omit<ColumnSpec, 'field' | 'headers' | 'type'> = {},
): ColumnSpec {
	const list = (h: string | readonly string[]) => (typeof h === 'string' ? [h] : h);
	return { field, headers: { nl: list(nl), fr: list(fr) }, type, ...more };
}

/** The export's languages, in the order of `FileSpec.fileNames` (Dutch name first, then French). */
export const LANGUAGES = ['nl', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Yes/no columns: `J`/`N` in Dutch, `O`/`N` in French. */
export const YES_NO: Record<string, string> = {
	J: 'true',
	Ja: 'true',
	O: 'true',
	Oui: 'true',
	N: 'false',
	Nee: 'false',
	Non: 'false',
};

/** The words the generator writes for yes and no in each language. */
export const YES_NO_WORDS: Record<Language, { yes: string; no: string }> = {
	nl: { yes: 'J', no: 'N' },
	fr: { yes: 'O', no: 'N' },
};
