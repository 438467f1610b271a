import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import * as iconv from 'iconv-lite';
import { generatePractice } from './dentadmin/practice';
import { renderPractice } from './dentadmin/render';

/**
 * Writes a deterministic DentAdmin export (same seed → same bytes): one `;`-separated CSV per
 * entity with Dutch or French headers and words, in Windows-1252 or UTF-8 with BOM, CRLF line
 * ends, plus the document files. Called by scripts/sample-data.ts (`--source dentadmin`).
 */
export async function generateDentAdminExport(opts: {
	patients: number;
	seed: number;
	out: string;
	language: 'nl' | 'fr';
	encoding: 'cp1252' | 'utf8bom';
}): Promise<void> {
	const practice = generatePractice(opts.patients, opts.seed);
	const rendered = renderPractice(practice, opts.language);
	await mkdir(opts.out, { recursive: true });
	for (const file of Object.values(rendered)) {
		const text = stringify(
			file.records.map((record) => file.headers.map((header) => record[header] ?? '')),
			{
				header: true,
				columns: file.headers,
				delimiter: ';',
				record_delimiter: '\r\n',
				// Note texts hold line breaks: quote them so the CSV stays one record per row.
				quoted_match: /[\r\n]/,
			},
		);
		const bytes =
			opts.encoding === 'cp1252'
				? iconv.encode(text, 'win1252')
				: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
		await writeFile(join(opts.out, file.fileName), bytes);
	}
	for (const [path, bytes] of practice.files) {
		await mkdir(dirname(join(opts.out, path)), { recursive: true });
		await writeFile(join(opts.out, path), bytes);
	}
}

/**
 * The deliberate defects of an export with these options, as `file line N: what` (listed in
 * samples/dentadmin/README.md). Every generated cell is on one physical line except note texts,
 * and no defect is in the notes file, so a row's line is its index + 2.
 */
export function dentAdminDefects(opts: {
	patients: number;
	seed: number;
	language: 'nl' | 'fr';
}): string[] {
	const practice = generatePractice(opts.patients, opts.seed);
	const rendered = renderPractice(practice, opts.language);
	return practice.defects.map(
		(defect) => `${rendered[defect.file].fileName} line ${defect.index + 2}: ${defect.what}`,
	);
}
