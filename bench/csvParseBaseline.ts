import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';

/** The baseline the reader is measured against: bare csv-parse over every CSV file of a folder. */
export async function bareCsvParse(folder: string): Promise<number> {
	let rows = 0;
	for (const name of readdirSync(folder).filter((file) => file.endsWith('.csv'))) {
		const parser = createReadStream(join(folder, name)).pipe(parse({ relax_column_count: true }));
		for await (const _record of parser) rows += 1;
	}
	return rows;
}
