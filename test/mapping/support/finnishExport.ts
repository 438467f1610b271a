import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CANONICAL_FIELDS } from '../../../lib/mapping/canonicalFields';
import { defaultSpec } from '../../../lib/mapping/defaults';
import type { PatientBundle } from '../../../lib/model';
import { folderSource, readExport } from '../../../lib/sources';
import { dentalExecProfile } from '../../../lib/sources/dental-exec';
import { repositoryRoot } from './samplePlans';

export const SAMPLE = join(repositoryRoot, 'samples', 'dental-exec');

/**
 * The bundled Dental-Exec sample with patients.csv headers in Finnish, a language the synonyms
 * (English, Dutch, French, vendor abbreviations) do not cover, and its columns in another order.
 */
export const FINNISH: Record<string, string> = {
	LastName: 'Sukunimi',
	FirstName: 'Etunimi',
	DOB: 'Syntymäaika',
	Gender: 'Sukupuoli',
	Email: 'Sähköposti',
	MobilePhone: 'Matkapuhelin',
	City: 'Kaupunki',
	Zip: 'Postinumero',
	OutstandingBalance: 'Maksamatta',
	PreferredContact: 'Yhteydenottotapa',
};

/**
 * A copy of the sample in a new temporary folder, patients.csv with the Finnish headers and its
 * columns ordered by `order` (a permutation of the header indexes; default: reversed).
 */
export function finnishExport(order?: (headers: string[]) => number[]): string {
	const folder = mkdtempSync(join(tmpdir(), 'finnish-export-'));
	cpSync(SAMPLE, folder, { recursive: true });
	const rows = parse(readFileSync(join(SAMPLE, 'patients.csv')), { bom: true }) as string[][];
	const headers = rows[0].map((header) => FINNISH[header] ?? header);
	const indexes = order ? order(headers) : headers.map((_, i) => headers.length - 1 - i);
	const reordered = [headers, ...rows.slice(1)].map((row) => indexes.map((i) => row[i]));
	writeFileSync(join(folder, 'patients.csv'), stringify(reordered));
	return folder;
}

/** Every distinct cell (trimmed, non-empty) of every CSV file of the sample export. */
export function sampleCellValues(): string[] {
	const values = new Set<string>();
	for (const name of readdirSync(SAMPLE).filter((n) => n.endsWith('.csv'))) {
		const rows = parse(readFileSync(join(SAMPLE, name)), {
			bom: true,
			relax_column_count: true,
		}) as string[][];
		for (const row of rows.slice(1))
			for (const cell of row) if (cell.trim() !== '') values.add(cell.trim());
	}
	return [...values].sort();
}

/**
 * The sample's cell values found in `text`, as whole words and in their own case. Left out, as
 * they cannot be told apart from the text's own words: one character (`M`, `Y`), numbers below
 * 1000 (the counts, lengths and percentages a shape is made of) and values that are words of
 * `vocabulary` (the package's own field names, option labels and descriptions).
 */
export function valuesFoundIn(text: string, vocabulary: string): string[] {
	const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const inText = (value: string, where: string) =>
		new RegExp(`(^|[^\\p{L}\\p{N}])${escape(value)}($|[^\\p{L}\\p{N}])`, 'u').test(where);
	return sampleCellValues().filter(
		(value) =>
			value.length > 1 &&
			!/^\d{1,3}$/.test(value) &&
			text.includes(value) &&
			inText(value, text) &&
			!inText(value, vocabulary),
	);
}

/** The package's own words a prompt or profile may name: fields, headers, default spec labels. */
export function packageVocabulary(): string {
	return JSON.stringify([
		dentalExecProfile.files.map((f) => [f.name, f.columns]),
		defaultSpec('dental-exec', '2026-11-01'),
		CANONICAL_FIELDS,
	]);
}

/** The sample's PreferredContact pick-list as the enum field Propose declares for it. */
export const PREFERRED_CONTACT_FIELD = {
	object: 'person',
	name: 'Preferred contact',
	fieldType: 'enum',
	options: ['Email', 'Phone', 'Text'],
};

/** The first patient the reader reads from `folder` with a proposed column map. */
export async function firstPatient(
	folder: string,
	columnMap: Record<string, Record<string, string>>,
): Promise<PatientBundle['patient']> {
	const read = await readExport(dentalExecProfile, folderSource(folder), {
		failOnUnreadableFile: false,
		columnMap,
	});
	return read.bundles[0].patient;
}
