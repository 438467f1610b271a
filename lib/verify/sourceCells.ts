import { createReadStream } from 'node:fs';
import { join } from 'node:path';

import { readCsvRecords } from '../sources/common/csvRows';
import { decode, detectEncoding } from '../sources/common/encoding';
import { sniffDelimiter } from '../sources/common/delimiter';
import { normalizeHeader } from '../sources/common/headers';
import type { SourceProfile } from '../sources/common/profile';
import type { SourceRef } from './expected';

/** One cell of the export as it is written there: file, line, the file's own header, raw text. */
export interface SourceCell {
	file: string;
	line: number;
	column: string;
	raw: string;
}

/**
 * The export's own text for the cells the diff names, read with plain csv-parse (no type
 * conversion), so the report shows what the export holds next to what Pipedrive holds. Only the
 * lines asked for are kept: memory follows the records verified, not the export.
 */
export async function readSourceCells(
	exportDir: string,
	profile: SourceProfile,
	refs: Iterable<SourceRef>,
): Promise<(ref: SourceRef) => SourceCell[]> {
	const wanted = new Map<string, Set<number>>();
	for (const ref of refs) {
		if (ref.fields.length === 0) continue;
		const lines = wanted.get(ref.file) ?? new Set<number>();
		lines.add(ref.line);
		wanted.set(ref.file, lines);
	}
	const rows = new Map<string, { header: string[]; lines: Map<number, string[]> }>();
	for (const [file, lines] of wanted) rows.set(file, await readLines(join(exportDir, file), lines));
	return (ref) => {
		const table = rows.get(ref.file);
		const row = table?.lines.get(ref.line);
		if (!table || !row) return [];
		const spec = profile.files.find(
			(f) => sameFile(f.name, ref.file) || f.fileNames.some((name) => sameFile(name, ref.file)),
		);
		return ref.fields.flatMap((field) => {
			const column = spec?.columns.find((c) => c.field === field);
			const headers = new Set(
				Object.values(column?.headers ?? { any: [field] })
					.flat()
					.map((h) => normalizeHeader(h)),
			);
			const index = table.header.findIndex((h) => headers.has(normalizeHeader(h)));
			if (index < 0) return [];
			return [
				{ file: ref.file, line: ref.line, column: table.header[index], raw: row[index] ?? '' },
			];
		});
	};
}

const sameFile = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function readLines(
	path: string,
	lines: Set<number>,
): Promise<{ header: string[]; lines: Map<number, string[]> }> {
	const verdict = await detectEncoding(createReadStream(path));
	let header: string[] | undefined;
	const found = new Map<number, string[]>();
	const sniff = sniffDelimiter(await firstLine(decode(createReadStream(path), verdict)));
	const delimiter = sniff.kind === 'found' ? sniff.delimiter : ',';
	const text = decode(createReadStream(path), verdict);
	for await (const record of readCsvRecords(text, delimiter, () => undefined)) {
		if (header === undefined) header = record.fields.map((h) => h.replace(/^\ufeff/, ''));
		else if (lines.has(record.line)) found.set(record.line, record.fields);
	}
	return { header: header ?? [], lines: found };
}

/** The header line, for the delimiter sniff (the readers sniff the same line). */
async function firstLine(text: AsyncIterable<string>): Promise<string> {
	let seen = '';
	for await (const chunk of text) {
		seen += chunk;
		const end = seen.search(/\r?\n/);
		if (end >= 0) return seen.slice(0, end);
	}
	return seen;
}
