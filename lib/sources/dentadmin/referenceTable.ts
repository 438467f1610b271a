import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** Folder of the bundled reference tables (see data/README.md for their sources). */
export const REFERENCE_DATA_DIR = join(__dirname, 'data');

/**
 * Parses a reference table (UTF-8, comma-separated, header row) into records keyed by header.
 * The tables are plain CSV so a newer official list can replace a file without code changes.
 */
export function parseReferenceTable(csvText: string, requiredColumns: string[], name: string) {
	const records = parse(csvText, {
		columns: true,
		skip_empty_lines: true,
		bom: true,
		trim: true,
	}) as Record<string, string>[];
	const headers = records.length > 0 ? Object.keys(records[0]) : [];
	const missing = requiredColumns.filter((column) => !headers.includes(column));
	if (missing.length > 0) {
		throw new Error(
			`Reference table ${name} lacks the column(s) ${missing.join(', ')}: give it the header row ${requiredColumns.join(',')}.`,
		);
	}
	return records;
}

export function readBundledTable(fileName: string): string {
	return readFileSync(join(REFERENCE_DATA_DIR, fileName), 'utf8');
}
