import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

/**
 * "Records changed during cutover", made the way a practice makes them: in the patient file of
 * an export, some patients get a new email address and a modification time, and a new patient
 * may arrive. The demo and the delta tests use it; the delta pickup must update exactly the
 * edited persons and create the new one.
 */
export type Source = 'dental-exec' | 'dentadmin';

interface PatientFileLayout {
	file: string;
	encoding: 'utf8' | 'cp1252';
	delimiter: string;
	idColumn: string;
	lastNameColumn: string;
	emailColumn: string;
	modifiedColumn: string;
	/** The export's own date-time format (local practice time). */
	formatDateTime(date: Date): string;
	newPatientId: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

const PATIENT_FILES: Record<Source, PatientFileLayout> = {
	'dental-exec': {
		file: 'patients.csv',
		encoding: 'utf8',
		delimiter: ',',
		idColumn: 'PatientID',
		lastNameColumn: 'LastName',
		emailColumn: 'Email',
		modifiedColumn: 'ModifiedAt',
		formatDateTime: (d) =>
			`${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} 12:00`,
		newPatientId: '009001',
	},
	dentadmin: {
		file: 'patienten.csv',
		encoding: 'cp1252',
		delimiter: ';',
		idColumn: 'PatiëntNr',
		lastNameColumn: 'Naam',
		emailColumn: 'Email',
		modifiedColumn: 'Gewijzigd',
		formatDateTime: (d) =>
			`${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} 12:00`,
		newPatientId: '9001',
	},
};

/** The prefix an edited email address gets, so tests can find the edited persons. */
export const MOVED_EMAIL_PREFIX = 'moved.';

/**
 * Edits the patient file of the export in `exportDir` in place, in its own encoding and
 * delimiter: the first `changed` patients that have an email get `moved.<email>` and
 * `modifiedAt`; with `newPatient`, a copy of the last row arrives with a new ID and name.
 */
export function editPatients(
	exportDir: string,
	source: Source,
	options: { changed: number; modifiedAt: Date; newPatient?: boolean },
): { changedIds: string[]; newId?: string } {
	const layout = PATIENT_FILES[source];
	const path = join(exportDir, layout.file);
	const raw = readFileSync(path);
	const text = layout.encoding === 'cp1252' ? iconv.decode(raw, 'win1252') : raw.toString('utf8');
	const rows = parse(text.replace(/^\uFEFF/, ''), {
		columns: true,
		delimiter: layout.delimiter,
		skip_empty_lines: true,
	}) as Array<Record<string, string>>;
	const stamp = layout.formatDateTime(options.modifiedAt);
	const changedIds: string[] = [];
	for (const row of rows) {
		if (changedIds.length === options.changed) break;
		// Patients without an email are left alone: the edit must change a mapped value.
		if (!row[layout.emailColumn]?.includes('@')) continue;
		row[layout.emailColumn] = `${MOVED_EMAIL_PREFIX}${row[layout.emailColumn]}`;
		row[layout.modifiedColumn] = stamp;
		changedIds.push(row[layout.idColumn]);
	}
	let newId: string | undefined;
	if (options.newPatient) {
		const newcomer = { ...rows[rows.length - 1] };
		newId = layout.newPatientId;
		newcomer[layout.idColumn] = newId;
		newcomer[layout.lastNameColumn] = 'Cutover-Newcomer';
		newcomer[layout.emailColumn] = 'newcomer@example.com';
		newcomer[layout.modifiedColumn] = stamp;
		rows.push(newcomer);
	}
	const out = stringify(rows, {
		header: true,
		delimiter: layout.delimiter,
		record_delimiter: '\r\n',
	});
	writeFileSync(path, layout.encoding === 'cp1252' ? iconv.encode(out, 'win1252') : out);
	return { changedIds, newId };
}
