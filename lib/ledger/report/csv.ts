import { stringify } from 'csv-stringify/sync';

import { cellText } from '../../report/html';

/**
 * CSV for people who open it in a spreadsheet: a cell starting with `=`, `+`, `-` or `@` would
 * run as a formula there, also after leading spaces or tabs (spreadsheets trim them), and a
 * leading tab or carriage return starts one in some of them, so such a cell gets a leading
 * apostrophe (shown as text, value unchanged).
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
	return [...toCsvChunks(header, rows)].join('');
}

/** Rows per chunk of `toCsvChunks`: a few hundred KB of text. */
const CSV_CHUNK_ROWS = 1000;

/**
 * The same CSV as `toCsv`, as text chunks of a thousand rows: a report of a whole migration is
 * written to its file chunk by chunk, never held as one string.
 */
export function* toCsvChunks(
	header: readonly string[],
	rows: Iterable<readonly unknown[]>,
): Generator<string> {
	yield csvHeader(header);
	yield* csvRowChunks(rows);
}

/** The same CSV again, from rows that arrive in batches (the journal read a batch at a time). */
export async function* toCsvStream(
	header: readonly string[],
	batches: AsyncIterable<Iterable<readonly unknown[]>>,
): AsyncGenerator<string> {
	yield csvHeader(header);
	for await (const rows of batches) yield* csvRowChunks(rows);
}

function csvHeader(header: readonly string[]): string {
	return stringify([header.map(neutralise)]);
}

function* csvRowChunks(rows: Iterable<readonly unknown[]>): Generator<string> {
	let chunk: string[][] = [];
	for (const row of rows) {
		chunk.push(row.map(cellText).map(neutralise));
		if (chunk.length === CSV_CHUNK_ROWS) {
			yield stringify(chunk);
			chunk = [];
		}
	}
	if (chunk.length > 0) yield stringify(chunk);
}

export function neutralise(text: string): string {
	return /^\s*[=+\-@]|^[\t\r]/.test(text) ? `'${text}` : text;
}
