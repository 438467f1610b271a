/**
 * Regenerates `sandbox/tokenCosts.json` from `token-costs.csv` (the `x-token-cost` extension of every
 * operation in the official OpenAPI files). The sandbox must run without the spec files on a
 * consultant's machine, so the table is committed and this script is run only when the specs change:
 *
 *   npx tsx sandbox/scripts/build-token-costs.ts [path/to/token-costs.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';

export type TokenCostTable = Record<string, number>;

/** `METHOD /api/vN/path/{param}` → token cost, keys sorted so the file diffs cleanly. */
export function tokenCostsFromCsv(csv: string): TokenCostTable {
	const rows = parse(csv, { columns: true, skip_empty_lines: true }) as Array<
		Record<string, string>
	>;
	const entries = rows.map((row): [string, number] => {
		const cost = Number(row.x_token_cost);
		if (!Number.isInteger(cost) || cost < 0) {
			throw new Error(
				`token-costs.csv: operation ${row.operationId} has a non-integer x_token_cost`,
			);
		}
		return [`${row.method} ${row.path}`, cost];
	});
	entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return Object.fromEntries(entries);
}

/** The CSV beside the official specs: `$PIPEDRIVE_OPENAPI_DIR` or `../shared/reference/pipedrive`. */
export function specDirectory(): string {
	return (
		process.env.PIPEDRIVE_OPENAPI_DIR ?? resolve(__dirname, '../../../shared/reference/pipedrive')
	);
}

export const TABLE_FILE = join(__dirname, '..', 'tokenCosts.json');

if (require.main === module) {
	const csvPath = process.argv[2] ?? join(specDirectory(), 'token-costs.csv');
	const table = tokenCostsFromCsv(readFileSync(csvPath, 'utf8'));
	writeFileSync(TABLE_FILE, `${JSON.stringify(table, null, '\t')}\n`);
	console.log(`wrote ${Object.keys(table).length} operations to ${TABLE_FILE}`);
}
