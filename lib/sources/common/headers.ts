import type { ColumnSpec } from './profile';

/** `Patiënt Nr`, `patient_nr` and `PATIENT-NR` are one header: no case, accents, spaces or `_ - .`. */
export function normalizeHeader(header: string): string {
	return header
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[\s_.-]+/g, '');
}

export interface HeaderMatch {
	/** Field per column index; undefined for a column the profile does not know. */
	fields: (string | undefined)[];
	/** Original headers of unknown columns (carried as `extra`). */
	extraColumns: string[];
	/** Fields without a column, by the header the report names. */
	missing: { field: string; header: string; required: boolean }[];
	/** The header set's language; undefined when no header is language-specific. */
	language: string | undefined;
	/** Set when headers from two languages appear in one file. */
	mixedLanguages: string[] | undefined;
	/** A header that named a field already taken by an earlier column (kept as extra). */
	repeated: string[];
}

/**
 * Matches a file's header row to the profile's columns. `overrides` (user column map: source
 * header → field name or any header of that field) win over the profile's synonyms.
 */
export function matchHeaders(
	headers: readonly string[],
	columns: readonly ColumnSpec[],
	languages: readonly string[],
	overrides: Readonly<Record<string, string>> = {},
): HeaderMatch {
	const byHeader = new Map<string, { field: string; languages: Set<string> }>();
	for (const column of columns) {
		byHeader.set(
			normalizeHeader(column.field),
			byHeader.get(normalizeHeader(column.field)) ?? { field: column.field, languages: new Set() },
		);
		for (const [language, names] of Object.entries(column.headers)) {
			for (const name of names) {
				const key = normalizeHeader(name);
				const entry = byHeader.get(key) ?? { field: column.field, languages: new Set<string>() };
				entry.languages.add(language);
				byHeader.set(key, entry);
			}
		}
	}
	const overrideFields = new Map<string, string>();
	for (const [header, target] of Object.entries(overrides)) {
		const field = byHeader.get(normalizeHeader(target))?.field;
		if (field !== undefined) overrideFields.set(normalizeHeader(header), field);
	}

	const fields: (string | undefined)[] = [];
	const extraColumns: string[] = [];
	const repeated: string[] = [];
	const taken = new Set<string>();
	const votes = new Map<string, number>();
	const specific = new Set<string>();
	headers.forEach((header) => {
		const key = normalizeHeader(header);
		const overridden = overrideFields.get(key);
		const entry = byHeader.get(key);
		const field = overridden ?? entry?.field;
		if (field === undefined || taken.has(field)) {
			if (field !== undefined) repeated.push(header);
			fields.push(undefined);
			extraColumns.push(header);
			return;
		}
		taken.add(field);
		fields.push(field);
		// A header shared by every language (`Email`, `Code`) says nothing about the language.
		if (
			overridden === undefined &&
			entry &&
			entry.languages.size > 0 &&
			entry.languages.size < languages.length
		) {
			for (const language of entry.languages) {
				votes.set(language, (votes.get(language) ?? 0) + 1);
				specific.add(language);
			}
		}
	});
	const ranked = [...votes.entries()].sort(
		(a, b) => b[1] - a[1] || languages.indexOf(a[0]) - languages.indexOf(b[0]),
	);
	const language = languages.length === 1 ? languages[0] : ranked[0]?.[0];
	const mixedLanguages = ranked.length > 1 ? ranked.map(([l]) => l) : undefined;

	const missing = columns
		.filter((column) => !taken.has(column.field))
		.map((column) => ({
			field: column.field,
			header:
				(language !== undefined ? column.headers[language]?.[0] : undefined) ??
				Object.values(column.headers)[0]?.[0] ??
				column.field,
			required: column.required === true,
		}));
	return { fields, extraColumns, missing, language, mixedLanguages, repeated };
}
