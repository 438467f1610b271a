import { stringify } from 'csv-stringify/sync';

import { cellText } from '../../report/html';

/**
 * CSV for people who open it in a spreadsheet: a cell starting with `=`, `+`, `-` or `@` would
 * run as a formula there, also after leading spaces or tabs (spreadsheets trim them), and a
 * leading tab or carriage return starts one in some of them, so such a cell gets a leading
 * apostrophe (shown as text, value unchanged).
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
	return stringify([
		header.map(neutralise),
		...rows.map((row) => row.map(cellText).map(neutralise)),
	]);
}

export function neutralise(text: string): string {
	return /^\s*[=+\-@]|^[\t\r]/.test(text) ? `'${text}` : text;
}
