import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareCsvParse } from './csvParseBaseline';

import { folderSource, readExport } from '../lib/sources/common';
import { dentalExecProfile } from '../lib/sources/dental-exec';
import {
	burstLimit,
	BURST_WINDOW_MS,
	dailyTokenBudget,
	type PipedrivePlan,
} from '../lib/pipedrive/plans';
import type { PreflightEstimate } from '../lib/pipedrive/preflight';
import { runWorkflow } from '../runner/engine';
import { startSandbox } from '../sandbox';
import { generateDentalExecExport } from '../scripts/sample-data/dental-exec';

/**
 * `npm run bench:scale [-- --sizes 1000,10000,100000]`: per generated Dental-Exec export, in
 * separate processes: the reader's rows/s against bare csv-parse over the same files, measured
 * side by side in one process (best of three each, CPU time: the machine may be shared), the
 * reader's CPU seconds per 1,000 patients and peak RSS of a paged read; then template 2 against an
 * in-process sandbox and its Preflight priced from the plans: tokens and days per plan (3 seats,
 * API token), the figures of the README's "how long will it take" table. Preflight ÷ the tokens
 * the sandbox charges is checked exactly by test/pipedrive/preflightBill.sandbox.test.ts.
 * A benchmark prints figures; it asserts nothing.
 */

const PLANS: PipedrivePlan[] = ['lite', 'growth', 'premium', 'ultimate'];
const SEATS = 3;

async function cpuSeconds(work: () => Promise<unknown>): Promise<number> {
	const before = process.cpuUsage();
	await work();
	const used = process.cpuUsage(before);
	return (used.user + used.system) / 1e6;
}

/** Child: reader against csv-parse, interleaved, best of three; then a paged read for its RSS. */
async function readChild(folder: string): Promise<void> {
	let csv = Infinity;
	let reader = Infinity;
	let rows = 0;
	for (let round = 0; round < 3; round += 1) {
		csv = Math.min(csv, await cpuSeconds(async () => (rows = await bareCsvParse(folder))));
		reader = Math.min(
			reader,
			await cpuSeconds(() =>
				readExport(dentalExecProfile, folderSource(folder), { page: { offset: 0, limit: 500 } }),
			),
		);
	}
	const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
	process.stdout.write(JSON.stringify({ rows, csv, reader, peakRssMb }));
}

/** Child: template 2 against a fresh in-process sandbox; prints its Preflight item. */
async function preflightChild(folder: string): Promise<void> {
	const sandbox = await startSandbox({ plan: 'premium', seats: SEATS });
	const work = mkdtempSync(join(tmpdir(), 'bench-scale-'));
	try {
		const result = await runWorkflow(
			join(__dirname, '..', 'workflows', 'dental-exec', '2-provision-pipedrive.json'),
			{
				credentials: {
					pipedriveMigrationApi: {
						baseUrl: sandbox.baseUrl,
						apiToken: sandbox.apiToken,
						plan: 'premium',
						seats: SEATS,
					},
				},
				settings: {
					exportDir: folder,
					journalDir: join(work, 'journal'),
					fallbackOwnerEmail: 'admin@sandbox.test',
				},
			},
		);
		if (result.status !== 'success') throw new Error(`template 2 failed: ${result.error?.message}`);
		process.stdout.write(JSON.stringify(result.output('Preflight')[0]));
	} finally {
		await sandbox.close();
		rmSync(work, { recursive: true, force: true });
	}
}

function child<T>(mode: string, folder: string): T {
	const args = [...process.execArgv, __filename, '--child', mode, folder];
	return JSON.parse(
		execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
	) as T;
}

function days(estimate: PreflightEstimate, plan: PipedrivePlan): string {
	const total = estimate.tokens.total;
	const count = Math.ceil(total / dailyTokenBudget(plan, SEATS));
	const minutes = Math.ceil(
		(Math.ceil(estimate.requests / burstLimit(plan, 'apiToken')) * BURST_WINDOW_MS) / 60_000,
	);
	return `${count} day${count === 1 ? '' : 's'}, ≥ ${minutes} min`;
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args[0] === '--child')
		return args[1] === 'read' ? await readChild(args[2]) : await preflightChild(args[2]);
	const { values } = parseArgs({
		args,
		options: { sizes: { type: 'string', default: '1000,10000,100000' } },
	});
	const sizes = values.sizes.split(',').map(Number);
	const root = mkdtempSync(join(tmpdir(), 'bench-scale-'));
	const table: string[] = [];
	try {
		for (const patients of sizes) {
			const folder = join(root, `p${patients}`);
			generateDentalExecExport({ patients, seed: 1, out: folder });
			const read = child<{ rows: number; csv: number; reader: number; peakRssMb: number }>(
				'read',
				folder,
			);
			console.log(
				`${patients.toLocaleString('en-US')} patients: ${read.rows.toLocaleString('en-US')} rows; reader ÷ csv-parse rows/s ${(read.csv / read.reader).toFixed(3)} (csv-parse ${read.csv.toFixed(2)} s CPU, reader ${read.reader.toFixed(2)} s CPU); reader CPU s per 1k patients ${((read.reader / patients) * 1000).toFixed(3)}; peak RSS of the read process ${read.peakRssMb} MB`,
			);
			const estimate = child<PreflightEstimate>('preflight', folder);
			console.log(
				`  preflight from the plans: ${estimate.tokens.total.toLocaleString('en-US')} tokens (${JSON.stringify(estimate.tokens.perObject)}), ${estimate.requests.toLocaleString('en-US')} requests`,
			);
			table.push(
				`| ${patients.toLocaleString('en-US')} | ${estimate.tokens.total.toLocaleString('en-US')} | ${PLANS.map((plan) => days(estimate, plan)).join(' | ')} |`,
			);
		}
		console.log(
			`\n| patients | tokens | ${PLANS.map((p) => p[0].toUpperCase() + p.slice(1)).join(' | ')} |`,
		);
		console.log(`|---|---|${PLANS.map(() => '---').join('|')}|`);
		for (const row of table) console.log(row);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
