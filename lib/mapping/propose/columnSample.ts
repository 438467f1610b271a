import { readCsvRecords } from '../../sources/common/csvRows';
import { sniffDelimiter } from '../../sources/common/delimiter';
import { EncodingDetector, decode } from '../../sources/common/encoding';
import type { ExportSource } from '../../sources/common/exportSource';

/** A file's header and its first rows, for Propose. Held in memory only; never reported. */
export interface ColumnSample {
	file: string;
	headers: string[];
	/** Cells per column, in header order (missing cells as ''). */
	columns: string[][];
}

const ENCODING_PROBE_BYTES = 64 * 1024;

async function* limited(bytes: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
	let seen = 0;
	for await (const chunk of bytes) {
		yield chunk;
		seen += chunk.length;
		if (seen >= max) return;
	}
}

/**
 * Reads the header and up to `maxRows` rows of every CSV file of an export with the readers' own
 * machinery (lib/sources/common: EncodingDetector + decode, sniffDelimiter, readCsvRecords), so
 * Propose sees the cells exactly as the reader would. Only the first bytes are read.
 */
export async function sampleExportColumns(
	source: ExportSource,
	maxRows = 50,
): Promise<ColumnSample[]> {
	const names = (await source.list()).filter((name) => name.toLowerCase().endsWith('.csv')).sort();
	const samples: ColumnSample[] = [];
	for (const file of names) {
		const detector = new EncodingDetector();
		for await (const chunk of limited(source.open(file), ENCODING_PROBE_BYTES))
			detector.push(chunk);
		const text = decode(limited(source.open(file), 4 * 1024 * 1024), detector.verdict());
		let firstLine: string | undefined;
		let buffered = '';
		async function* headerFirst(): AsyncGenerator<string> {
			for await (const chunk of text) {
				if (firstLine === undefined) {
					buffered += chunk;
					const end = buffered.search(/\r|\n/);
					if (end < 0) continue;
					firstLine = buffered.slice(0, end).replace(/^\ufeff/, '');
					yield buffered.replace(/^\ufeff/, '');
					continue;
				}
				yield chunk;
			}
			if (firstLine === undefined && buffered !== '') {
				firstLine = buffered.replace(/^\ufeff/, '');
				yield firstLine;
			}
		}
		const parts = headerFirst();
		const first = await parts.next();
		if (first.done || firstLine === undefined) continue;
		const sniff = sniffDelimiter(firstLine);
		const delimiter = sniff.kind === 'found' ? sniff.delimiter : ',';
		async function* rest(): AsyncGenerator<string> {
			yield first.value as string;
			for await (const chunk of parts) yield chunk;
		}
		let headers: string[] | undefined;
		const columns: string[][] = [];
		let rows = 0;
		for await (const record of readCsvRecords(rest(), delimiter, () => {})) {
			if (headers === undefined) {
				headers = record.fields.map((h) => h.trim());
				headers.forEach(() => columns.push([]));
				continue;
			}
			headers.forEach((_, index) => columns[index].push(record.fields[index] ?? ''));
			rows += 1;
			if (rows >= maxRows) break;
		}
		if (headers !== undefined) samples.push({ file, headers, columns });
	}
	return samples;
}
