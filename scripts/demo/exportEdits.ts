import {
	copyFileSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

/**
 * The demo's "records changed during cutover": a copy of the export in which a few patients
 * changed their email and one new patient arrived, each stamped with a modification time after
 * the full migration. The delta pickup must update exactly those persons and create the new one.
 */
export interface CutoverEdit {
	/** The patient file of this source, its encoding and delimiter (as the reader sniffs them). */
	file: string;
	encoding: 'utf8' | 'cp1252';
	bom: boolean;
	delimiter: string;
	idColumn: string;
	lastNameColumn: string;
	emailColumn: string;
	modifiedColumn: string;
	/** The modification time written into edited rows, in the export's own format. */
	modifiedValue: string;
	newPatientId: string;
}

export const CUTOVER_EDITS: Record<'dental-exec' | 'dentadmin', CutoverEdit> = {
	'dental-exec': {
		file: 'patients.csv',
		encoding: 'utf8',
		bom: false,
		delimiter: ',',
		idColumn: 'PatientID',
		lastNameColumn: 'LastName',
		emailColumn: 'Email',
		modifiedColumn: 'ModifiedAt',
		modifiedValue: '11/20/2026 09:15',
		newPatientId: '009001',
	},
	dentadmin: {
		file: 'patienten.csv',
		encoding: 'cp1252',
		bom: false,
		delimiter: ';',
		idColumn: 'PatiëntNr',
		lastNameColumn: 'Naam',
		emailColumn: 'Email',
		modifiedColumn: 'Gewijzigd',
		modifiedValue: '20/11/2026 09:15',
		newPatientId: '9001',
	},
};

function copyFolder(from: string, to: string): void {
	mkdirSync(to, { recursive: true });
	for (const name of readdirSync(from)) {
		const source = join(from, name);
		const target = join(to, name);
		if (statSync(source).isDirectory()) copyFolder(source, target);
		else copyFileSync(source, target);
	}
}

/**
 * Copies the export to `target`, changes the email of the first `changed` patients that have one,
 * and appends one new patient (a copy of the last row with a new ID and name). Returns the IDs.
 */
export function writeCutoverExport(
	exportDir: string,
	target: string,
	edit: CutoverEdit,
	changed: number,
): { changedIds: string[]; newId: string } {
	copyFolder(exportDir, target);
	const path = join(target, edit.file);
	const raw = readFileSync(path);
	const text = edit.encoding === 'cp1252' ? iconv.decode(raw, 'win1252') : raw.toString('utf8');
	const rows = parse(text.replace(/^\uFEFF/, ''), {
		columns: true,
		delimiter: edit.delimiter,
		skip_empty_lines: true,
	}) as Array<Record<string, string>>;
	const changedIds: string[] = [];
	for (const row of rows) {
		if (changedIds.length === changed) break;
		if (!row[edit.emailColumn]) continue;
		row[edit.emailColumn] = `moved.${row[edit.emailColumn]}`;
		row[edit.modifiedColumn] = edit.modifiedValue;
		changedIds.push(row[edit.idColumn]);
	}
	const newcomer = { ...rows[rows.length - 1] };
	newcomer[edit.idColumn] = edit.newPatientId;
	newcomer[edit.lastNameColumn] = 'Cutover-Newcomer';
	newcomer[edit.emailColumn] = 'newcomer@example.com';
	newcomer[edit.modifiedColumn] = edit.modifiedValue;
	rows.push(newcomer);
	const out = stringify(rows, {
		header: true,
		delimiter: edit.delimiter,
		record_delimiter: '\r\n',
	});
	const encoded = edit.encoding === 'cp1252' ? iconv.encode(out, 'win1252') : Buffer.from(out);
	writeFileSync(
		path,
		edit.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encoded]) : encoded,
	);
	return { changedIds, newId: edit.newPatientId };
}
