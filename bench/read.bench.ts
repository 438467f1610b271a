import { parseOptions } from '../cli/options';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareCsvParse } from './csvParseBaseline';

import { folderSource, readExport } from '../lib/sources/common';
import { dentalExecProfile } from '../lib/sources/dental-exec';
import { generateDentalExecExport } from '../scripts/sample-data/dental-exec';

/**
 * `npm run bench:read [-- --patients 100000]`: generates Dental-Exec exports with the sample
 * generator, then reads them in separate processes (so each peak RSS is its own) and prints rows
 * per second and peak RSS for: bare csv-parse over the same files, the reader without paging, and
 * the reader with a page of patients on a small and a large export (paged memory must not grow
 * with the export). A benchmark prints figures; it asserts nothing.
 */

const PAGE = { offset: 0, limit: 500 };
/** The paged reads must finish inside this heap, whatever the export size. */
const HEAP_CAP_MB = 256;

interface Measure {
	rows: number;
	seconds: number;
	/** CPU time of the process: the machine may be shared, so wall time alone misleads. */
	cpuSeconds: number;
	peakRssMb: number;
	bundles?: number;
}

/** Runs in a child process: one measurement, printed as JSON. */
async function child(mode: string, folder: string): Promise<void> {
	const started = process.hrtime.bigint();
	const cpu = process.cpuUsage();
	let rows: number;
	let bundles: number | undefined;
	if (mode === 'csv-parse') {
		rows = await bareCsvParse(folder);
	} else {
		const result = await readExport(
			dentalExecProfile,
			folderSource(folder),
			mode === 'paged' ? { page: PAGE } : {},
		);
		rows = result.report.totals.rowsRead;
		bundles = result.bundles.length;
	}
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const used = process.cpuUsage(cpu);
	const cpuSeconds = (used.user + used.system) / 1e6;
	const measure: Measure = {
		rows,
		seconds,
		cpuSeconds,
		peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
		bundles,
	};
	process.stdout.write(JSON.stringify(measure));
}

/** Runs one measurement in its own process, optionally with V8's old-generation heap capped (MB). */
function measure(mode: string, folder: string, heapCapMb?: number): Measure {
	const cap = heapCapMb === undefined ? [] : [`--max-old-space-size=${heapCapMb}`];
	const args = [...cap, ...process.execArgv, __filename, '--child', mode, folder];
	const output = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 });
	return JSON.parse(output) as Measure;
}

function folderMb(folder: string): number {
	const bytes = readdirSync(folder).reduce(
		(sum, name) => sum + statSync(join(folder, name)).size,
		0,
	);
	return Math.round(bytes / 1024 / 102.4) / 10;
}

function line(label: string, m: Measure): string {
	const rate = (seconds: number) =>
		Math.round(m.rows / seconds)
			.toLocaleString('en-US')
			.padStart(9);
	const bundles =
		m.bundles === undefined ? '' : `, ${m.bundles.toLocaleString('en-US')} bundles out`;
	return (
		`  ${label.padEnd(28)} ${m.rows.toLocaleString('en-US').padStart(9)} rows  ${m.seconds.toFixed(1).padStart(6)} s wall ${rate(m.seconds)} rows/s` +
		`  ${m.cpuSeconds.toFixed(1).padStart(6)} s CPU ${rate(m.cpuSeconds)} rows/s  peak RSS ${String(m.peakRssMb).padStart(5)} MB${bundles}`
	);
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args[0] === '--child') return await child(args[1], args[2]);
	const { values } = parseOptions(args, { patients: { type: 'string' } });
	const patients = Number(values.patients ?? 0) || 100_000;
	const small = Math.max(1000, Math.round(patients / 10));
	const root = mkdtempSync(join(tmpdir(), 'dental-exec-bench-'));
	try {
		const exports: [number, string][] = [
			[small, join(root, `p${small}`)],
			[patients, join(root, `p${patients}`)],
		];
		for (const [count, folder] of exports) {
			const started = Date.now();
			generateDentalExecExport({ patients: count, seed: 1, out: folder });
			console.log(
				`Generated ${count.toLocaleString('en-US')} patients (${folderMb(folder)} MB of CSV) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
			);
		}
		const largeFolder = exports[1][1];
		console.log(
			`\nReading ${patients.toLocaleString('en-US')} patients (Node ${process.version}, each line its own process):`,
		);
		console.log(line('bare csv-parse, same files', measure('csv-parse', largeFolder)));
		console.log(line('reader, no paging', measure('unpaged', largeFolder)));
		console.log(line(`reader, page of ${PAGE.limit}`, measure('paged', largeFolder)));
		// Peak RSS counts garbage V8 has not collected yet; a capped heap shows what is really live.
		console.log(
			`\nPaged memory against export size (page of ${PAGE.limit}, V8 heap capped at ${HEAP_CAP_MB} MB):`,
		);
		for (const [count, folder] of exports) {
			const label = `${count.toLocaleString('en-US')} patients`;
			console.log(line(label, measure('paged', folder, HEAP_CAP_MB)));
		}
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
