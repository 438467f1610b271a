/**
 * Builds `lib/pipedrive/tokenCosts.json` from the token-cost table extracted from Pipedrive's
 * OpenAPI files (`x-token-cost`). Run after the reference specs change:
 *   npx tsx scripts/build-token-costs.ts [path/to/token-costs.csv]
 * The committed JSON is the one table: the rate limiter and preflight price requests by it and the
 * sandbox charges by it. A test checks it still matches the CSV whenever the reference folder is
 * present.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseOptions } from '../cli/options';
import { parse } from 'csv-parse/sync';

/** The CSV beside the official specs: `$PIPEDRIVE_OPENAPI_DIR` or `../shared/reference/pipedrive`. */
export const DEFAULT_TOKEN_COST_CSV = join(
	process.env.PIPEDRIVE_OPENAPI_DIR ?? resolve(__dirname, '../../shared/reference/pipedrive'),
	'token-costs.csv',
);
export const TOKEN_COSTS_JSON = join(__dirname, '..', 'lib', 'pipedrive', 'tokenCosts.json');

export interface TokenCostTable {
	source: string;
	/** `METHOD /api/vN/path/{param}` → tokens charged per request. */
	costs: Record<string, number>;
}

export function tokenCostsFromCsv(csv: string): TokenCostTable {
	const rows = parse(csv, { columns: true, skip_empty_lines: true }) as Array<
		Record<string, string>
	>;
	const costs: Record<string, number> = {};
	rows.forEach((row, index) => {
		const cost = Number(row.x_token_cost);
		if (!row.method || !row.path || !Number.isInteger(cost) || cost < 0) {
			// Line = header + 1-based row index.
			throw new Error(
				`token-costs.csv line ${index + 2}: expected method, path and an integer x_token_cost; fix the row and run again`,
			);
		}
		costs[`${row.method.toUpperCase()} ${row.path}`] = cost;
	});
	const sorted = Object.fromEntries(Object.entries(costs).sort(([a], [b]) => a.localeCompare(b)));
	return {
		source: 'reference/pipedrive/token-costs.csv (x-token-cost of the v1 and v2 OpenAPI files)',
		costs: sorted,
	};
}

if (require.main === module) {
	const [csvPath = DEFAULT_TOKEN_COST_CSV] = parseOptions(
		process.argv.slice(2),
		{},
		{ positionals: true },
	).positionals;
	const table = tokenCostsFromCsv(readFileSync(csvPath, 'utf8'));
	writeFileSync(TOKEN_COSTS_JSON, `${JSON.stringify(table, null, '\t')}\n`);
	process.stdout.write(
		`${Object.keys(table.costs).length} endpoint costs written to ${TOKEN_COSTS_JSON}\n`,
	);
}
