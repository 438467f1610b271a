import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

import type { SourceSystem } from '../../../lib/model';

/**
 * The sample's patient values, taken from the raw patient file of the export (csv-parse and
 * iconv here, not the project's readers), and a scanner for them. A finding names the kind of
 * value, the patient's row and where it was found, never the value itself, so a failing test
 * prints no patient data either.
 */
export interface Secret {
	kind: 'name' | 'email' | 'phone' | 'birth date' | 'national number' | 'API token';
	/** Where it comes from, e.g. `patients.csv line 12`. */
	origin: string;
	pattern: RegExp;
}

const LAYOUTS: Record<
	SourceSystem,
	{
		file: string;
		encoding: 'utf8' | 'cp1252';
		delimiter: string;
		first: string;
		last: string;
		emails: string[];
		phones: string[];
		birthDate: { column: string; order: 'mdy' | 'dmy' };
		nationalNumber?: string;
	}
> = {
	'dental-exec': {
		file: 'patients.csv',
		encoding: 'utf8',
		delimiter: ',',
		first: 'FirstName',
		last: 'LastName',
		emails: ['Email'],
		phones: ['HomePhone', 'MobilePhone', 'WorkPhone'],
		birthDate: { column: 'DOB', order: 'mdy' },
	},
	dentadmin: {
		file: 'patienten.csv',
		encoding: 'cp1252',
		delimiter: ';',
		first: 'Voornaam',
		last: 'Naam',
		emails: ['Email'],
		phones: ['Telefoon', 'GSM'],
		birthDate: { column: 'Geboortedatum', order: 'dmy' },
		nationalNumber: 'Rijksregisternummer',
	},
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The value as a whole word: not part of a longer word, number or hex string. */
const whole = (text: string, flags = '') =>
	new RegExp(`(?<![\\p{L}\\p{N}])${escape(text)}(?![\\p{L}\\p{N}])`, `u${flags}`);

/**
 * Full names (first last, last first, "last, first"), emails, phones as exported and as their
 * digits, birth dates as exported and as ISO dates, national register numbers. Placeholder
 * dates (00/00/0000, 01/01/1900) are not patient values.
 */
export function patientSecrets(source: SourceSystem, exportDir: string): Secret[] {
	const layout = LAYOUTS[source];
	const bytes = fs.readFileSync(path.join(exportDir, layout.file));
	const text = iconv.decode(bytes, layout.encoding).replace(/^\uFEFF/, '');
	const rows = parse(text, {
		columns: true,
		delimiter: layout.delimiter,
		relax_column_count: true,
		skip_empty_lines: true,
	}) as Array<Record<string, string>>;
	const secrets: Secret[] = [];
	rows.forEach((row, index) => {
		const origin = `${layout.file} row ${index + 1}`;
		const add = (kind: Secret['kind'], pattern: RegExp) => secrets.push({ kind, origin, pattern });
		const first = (row[layout.first] ?? '').trim();
		const last = (row[layout.last] ?? '').trim();
		if (first && last)
			for (const name of [`${first} ${last}`, `${last} ${first}`, `${last}, ${first}`])
				add('name', whole(name, 'i'));
		for (const column of layout.emails)
			if (row[column]?.includes('@')) add('email', whole(row[column].trim(), 'i'));
		for (const column of layout.phones) {
			const phone = (row[column] ?? '').trim();
			if (phone.length < 7) continue;
			add('phone', whole(phone));
			const digits = phone.replace(/\D/g, '');
			if (digits.length >= 9) add('phone', whole(digits));
		}
		const date = (row[layout.birthDate.column] ?? '').trim();
		const parts = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date);
		if (parts && !['00/00/0000', '01/01/1900'].includes(date)) {
			const [month, day] =
				layout.birthDate.order === 'mdy' ? [parts[1], parts[2]] : [parts[2], parts[1]];
			add('birth date', whole(date));
			add('birth date', whole(`${parts[3]}-${month}-${day}`));
		}
		const national = layout.nationalNumber ? (row[layout.nationalNumber] ?? '').trim() : '';
		if (/^\d{11}$/.test(national)) add('national number', whole(national));
	});
	return secrets;
}

export function tokenSecret(token: string, origin = 'the API token'): Secret {
	return { kind: 'API token', origin, pattern: new RegExp(escape(token)) };
}

/** `kind of origin in where` for every secret found in `text`. */
export function findLeaks(where: string, text: string, secrets: readonly Secret[]): string[] {
	return secrets
		.filter((secret) => secret.pattern.test(text))
		.map((secret) => `${secret.kind} of ${secret.origin} in ${where}`);
}

interface JournalPath {
	file: string;
	directory: boolean;
	mode: number;
	text: string;
}

/** Every folder and file under the journal folder, with its mode; JSON lines without before-images. */
export function journalFiles(dir: string): JournalPath[] {
	const found: JournalPath[] = [];
	const walk = (at: string) => {
		found.push({ file: at, directory: true, mode: fs.statSync(at).mode & 0o777, text: '' });
		for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
			const full = path.join(at, entry.name);
			if (entry.isDirectory()) walk(full);
			else
				found.push({
					file: full,
					directory: false,
					mode: fs.statSync(full).mode & 0o777,
					text: withoutBeforeImages(fs.readFileSync(full, 'utf8')),
				});
		}
	};
	walk(dir);
	return found;
}

/** The before-images are the one part of the journal meant to hold values (rollback restores them). */
function withoutBeforeImages(text: string): string {
	return text
		.split('\n')
		.map((line) => {
			try {
				return JSON.stringify(JSON.parse(line), (key, value: unknown) =>
					key === 'beforeImage' ? undefined : value,
				);
			} catch {
				return line; // not JSON (a torn line, the lock file): scanned as it is
			}
		})
		.join('\n');
}

/** Journal folders and files that are not owner-only (folders 0700, files 0600), with their mode. */
export function notOwnerOnly(dir: string): string[] {
	return journalFiles(dir)
		.filter((entry) => entry.mode !== (entry.directory ? 0o700 : 0o600))
		.map((entry) => `${path.relative(dir, entry.file) || '.'} ${entry.mode.toString(8)}`);
}
