import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { DateTime } from 'luxon';

/**
 * The acceptance suite's own reading of an export: plain csv-parse, iconv-lite and luxon, never
 * the project's readers, so a reader bug cannot hide itself. Each reader here follows the export
 * layout pages (../shared/reference/exports/*.md) and nothing else.
 */

export type RawRow = Record<string, string> & { $line: number };

export interface CsvOptions {
	encoding: 'utf8' | 'cp1252';
	delimiter: ',' | ';';
}

/** Every data row with its 1-based line number in the file (line 1 is the header). */
export function readCsv(dir: string, file: string, options: CsvOptions): RawRow[] {
	const bytes = readFileSync(join(dir, file));
	const text = options.encoding === 'utf8' ? bytes.toString('utf8') : iconv.decode(bytes, 'cp1252');
	const records = parse(text, {
		bom: true,
		columns: true,
		delimiter: options.delimiter,
		info: true,
		skip_empty_lines: true,
	}) as Array<{ record: Record<string, string>; info: { lines: number } }>;
	// info.lines is the line a record ends on; a record with quoted newlines starts earlier.
	let nextLine = 2;
	return records.map(({ record, info }) => {
		const row = { ...record, $line: nextLine } as RawRow;
		nextLine = info.lines + 1;
		return row;
	});
}

/** The first row of each ID: a repeated ID is quarantined by the layout's rules. */
export function firstById(rows: RawRow[], idColumn: string): Map<string, RawRow> {
	const byId = new Map<string, RawRow>();
	for (const row of rows) if (!byId.has(row[idColumn])) byId.set(row[idColumn], row);
	return byId;
}

/** Rows grouped by a column, in file order. */
export function groupBy(rows: RawRow[], column: string): Map<string, RawRow[]> {
	const groups = new Map<string, RawRow[]>();
	for (const row of rows) {
		const group = groups.get(row[column]);
		if (group) group.push(row);
		else groups.set(row[column], [row]);
	}
	return groups;
}

export function blank(text: string | undefined): boolean {
	return text === undefined || text.trim() === '';
}

/** Dental-Exec: `MM/DD/YYYY`; `00/00/0000` and `01/01/1900` mean missing, as do impossible dates. */
export function usDate(text: string | undefined): string | undefined {
	if (blank(text) || text === '00/00/0000' || text === '01/01/1900') return undefined;
	const date = DateTime.fromFormat(text!.trim(), 'MM/dd/yyyy', { zone: 'utc' });
	return date.isValid ? (date.toISODate() ?? undefined) : undefined;
}

/** Dental-Exec date-time (` HH:MM` 24 h or ` hh:mm AM/PM`) in the practice's zone, as UTC. */
export function usDateTime(text: string | undefined, zone: string): DateTime | undefined {
	if (blank(text)) return undefined;
	for (const format of ['MM/dd/yyyy hh:mm a', 'MM/dd/yyyy HH:mm']) {
		const time = DateTime.fromFormat(text!.trim(), format, { zone, locale: 'en-US' });
		if (time.isValid) return time.toUTC();
	}
	return undefined;
}

/** DentAdmin: `dd/mm/yyyy` (also `-` or `.`); impossible dates mean missing. */
export function beDate(text: string | undefined): string | undefined {
	if (blank(text)) return undefined;
	const date = DateTime.fromFormat(text!.trim().replace(/[-.]/g, '/'), 'dd/MM/yyyy', {
		zone: 'utc',
	});
	return date.isValid ? (date.toISODate() ?? undefined) : undefined;
}

/** DentAdmin date-time ` HH:MM` in the practice's zone (Europe/Brussels), as UTC. */
export function beDateTime(text: string | undefined, zone: string): DateTime | undefined {
	if (blank(text)) return undefined;
	const time = DateTime.fromFormat(text!.trim().replace(/[-.](?=\d)/g, '/'), 'dd/MM/yyyy HH:mm', {
		zone,
	});
	return time.isValid ? time.toUTC() : undefined;
}

/** Dental-Exec money: `1234.56`, optionally `$` and thousands commas. Cents, exact. */
export function usMoneyCents(text: string | undefined): number | undefined {
	if (blank(text)) return undefined;
	const plain = text!.trim().replace(/^\$/, '').replace(/,/g, '');
	if (!/^-?\d+(\.\d{1,2})?$/.test(plain)) return undefined;
	return Math.round(Number(plain) * 100);
}

/** DentAdmin money: decimal comma, optional thousands dots (`1.234,56`); `1.234.56` is invalid. */
export function beMoneyCents(text: string | undefined): number | undefined {
	if (blank(text)) return undefined;
	const value = text!.trim();
	if (!/^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$/.test(value)) return undefined;
	return Math.round(Number(value.replace(/\./g, '').replace(',', '.')) * 100);
}

/** Pipedrive v2 time (`2025-04-22T16:00:00Z`) and v1 time (`2025-04-22 16:00:00`) as one form. */
export function utcText(time: DateTime): string {
	return time.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

export function pipedriveTime(value: unknown): string | null {
	if (typeof value !== 'string' || value === '') return null;
	const iso = value.includes('T') ? value : `${value.replace(' ', 'T')}Z`;
	return utcText(DateTime.fromISO(iso, { zone: 'utc' }));
}

/** An activity's due date and time (UTC) as Pipedrive holds them. */
export function dueOf(start: DateTime): { date: string; time: string } {
	const utc = start.toUTC();
	return { date: utc.toISODate()!, time: utc.toFormat('HH:mm') };
}

/** Pipedrive's activity duration `HH:MM` in minutes. */
export function minutes(duration: unknown): number {
	const [h, m] = String(duration).split(':').map(Number);
	return h * 60 + m;
}

export function money(cents: number): string {
	return (cents / 100).toFixed(2);
}
