import { stringify } from 'csv-stringify/sync';

import { cellText } from '../../report/html';

/**
 * CSV for people who open it in a spreadsheet: a cell starting with `=`, `+`, `-` or `@`, also
 * after leading spaces, tabs or line breaks (spreadsheets skip them), would run as a formula
 * there, so it gets a leading apostrophe (shown as text, value unchanged).
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
	return stringify([
		header.map(neutralise),
		...rows.map((row) => row.map(cellText).map(neutralise)),
	]);
}

export function neutralise(text: string): string {
	return /^[ \t\r\n]*[=+\-@]/.test(text) ? `'${text}` : text;
}
