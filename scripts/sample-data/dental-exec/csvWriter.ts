import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

export type Row = Record<string, string | number | undefined>;

/**
 * Writes one CSV file row by row, batching for speed, and knows the physical line each row
 * starts on (a quoted newline makes a row span lines), so defects can be documented by line.
 */
export class CsvWriter {
	private readonly fd: number;
	private batch: string[][] = [];
	private nextLine = 2;
	rows = 0;

	constructor(
		path: string,
		private readonly headers: readonly string[],
	) {
		this.fd = openSync(path, 'w');
		writeSync(this.fd, stringify([headers as string[]]));
	}

	/** Adds a row and returns the line it starts on. */
	write(row: Row): number {
		const cells = this.headers.map((header) => {
			const value = row[header];
			return value === undefined ? '' : String(value);
		});
		const line = this.nextLine;
		this.nextLine +=
			1 + cells.reduce((breaks, cell) => breaks + (cell.match(/\n/g)?.length ?? 0), 0);
		this.batch.push(cells);
		this.rows += 1;
		if (this.batch.length >= 2000) this.flush();
		return line;
	}

	private flush(): void {
		if (this.batch.length === 0) return;
		writeSync(this.fd, stringify(this.batch, { quoted_match: /[\r\n]/ }));
		this.batch = [];
	}

	close(): void {
		this.flush();
		closeSync(this.fd);
	}
}
