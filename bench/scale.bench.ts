import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions } from '../cli/options';
import { bareCsvParse } from './csvParseBaseline';

import { folderSource, readExport } from '../lib/sources/common';
import { dentalExecProfile } from '../lib/sources/dental-exec';
import { readSpoolPage, sourceReaders } from '../lib/sources';
import { proposeFromExport } from '../lib/mapping/propose/fromExport';
import { specHash } from '../lib/mapping/spec';
import { createTransformer } from '../lib/mapping/transform';
import { commitPlans } from '../lib/ledger/commit';
import { FileJournalStore } from '../lib/ledger/store/fileJournalStore';
import { PipedriveClient } from '../lib/pipedrive/client';
import { provisionSchema } from '../lib/pipedrive/provision';
import { RateLimiter } from '../lib/pipedrive/rateLimiter';
import { matchProvidersToUsers, providersFromReaderItems } from '../lib/pipedrive/users';
import { FetchTransport } from '../lib/transport/fetchTransport';
import type { HttpTransport } from '../lib/transport/transport';
import {
	burstLimit,
	BURST_WINDOW_MS,
	dailyTokenBudget,
	type PipedrivePlan,
} from '../lib/pipedrive/plans';
import type { PreflightEstimate } from '../lib/pipedrive/preflight';
import { PIPEDRIVE_OBJECTS, type PipedriveObject } from '../lib/plan/plan';
import { planBill } from '../lib/preflight/bill';
import type { PatientBundle } from '../lib/model/bundle';
import type { ReferenceEntity } from '../lib/model/reference';
import { runWorkflow } from '../runner/engine';
import { tokensSpent, type TokenTally } from '../lib/preflight/spent';
import { startSandbox } from '../sandbox';
import { generateDentalExecExport } from '../scripts/sample-data/dental-exec';

/**
 * `npm run bench:scale [-- --sizes 1000,10000,100000] [--parts read,migrate,preflight]`: per
 * generated Dental-Exec export, in separate processes: the reader's rows/s against bare
 * csv-parse over the same files, measured side by side in one process (best of three each, CPU
 * time: the machine may be shared), the reader's CPU seconds per 1,000 patients and peak RSS of a
 * paged read; the streamed migration path (migrateChild: peak RSS, CPU s per 1k patients of the
 * streamed read and of setup + transform + commit); then template 2 against an
 * in-process sandbox and its Preflight priced from the plans: tokens and days per plan (3 seats,
 * API token), the figures of the README's "how long will it take" table. The migration path also
 * prices its committed items with the preflight bill (lib/preflight) against the tokens its
 * sandbox charged for them, per object; test/pipedrive/preflightBill.sandbox.test.ts checks the
 * whole step 5 exactly. Last, one row per size of the issue's four Done-when figures.
 * A benchmark prints figures; it asserts nothing.
 */

/** This bench's sandboxes listen on fixed ports of its range (one at a time each). */

const execFileAsync = promisify(execFile);

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

/** Step 5's page of 50 items; 1,000 patients (and the references) committed at every size. */
const PAGE_SIZE = 50;
const COMMIT_PATIENTS = 1000;
/**
 * V8 grows its heap lazily far past what is live (uncapped, a streamed read of 10k patients peaks
 * near 230 MB RSS with ~20 MB live after a full GC, 100k near 600 MB); the cap makes the figure
 * the path's own: a path whose live memory outgrew it would fail here (160 MB did at 100k).
 */
const MIGRATE_HEAP_MB = 256;

/**
 * Child: the streamed migration path into a sandbox the parent runs (so its memory is not
 * counted here): one streamed read of the whole export into a spool, setup (proposal, schema,
 * owners), then page by page read back, transformed and committed, up to COMMIT_PAGES pages.
 */
async function migrateChild(
	folder: string,
	baseUrl: string,
	apiToken: string,
	companyId: number,
	adminToken: string,
): Promise<void> {
	const work = mkdtempSync(join(tmpdir(), 'bench-migrate-'));
	try {
		const spoolDir = join(work, 'spool');
		let read: Awaited<ReturnType<(typeof sourceReaders)['dental-exec']>> | undefined;
		const readCpu = await cpuSeconds(async () => {
			read = await sourceReaders['dental-exec'](folderSource(folder), {
				spool: { dir: spoolDir, pageSize: PAGE_SIZE },
			});
		});
		const { references, report, spool } = read as NonNullable<typeof read>;
		const lost: Record<string, number> = {};
		const limiter = new RateLimiter({
			plan: 'premium',
			seats: SEATS,
			burstLimit: 100_000,
			dailyBudget: 1e12,
		});
		const client = new PipedriveClient(
			// An answer slow on a loaded machine is not lost: no recovery reads billed to the load.
			noAnswerCounter(new FetchTransport({ baseUrl, apiToken, timeoutMs: 600_000 }), lost),
			{ limiter },
		);
		const store = FileJournalStore.open(join(work, 'journal'), companyId);
		let committed = 0;
		let written = 0;
		try {
			const setupStart = process.cpuUsage();
			const { spec } = await proposeFromExport('dental-exec', folderSource(folder), {
				today: '2026-11-01',
				report,
			});
			const hash = specHash(spec);
			const { registry } = await provisionSchema(client, spec.schema, { plan: 'premium' });
			const providers = providersFromReaderItems(
				references.filter((entity) => entity.kind === 'provider') as never,
			);
			const { ownerMap } = await matchProvidersToUsers(client, providers);
			const setup = process.cpuUsage(setupStart);
			const setupCpu = (setup.user + setup.system) / 1e6;
			const transformer = createTransformer({
				spec,
				confirmedSpecHash: hash,
				registry,
				owners: ownerMap,
			});
			const options = {
				store,
				client,
				registry,
				confirmedSpecHash: hash,
				kind: 'full' as const,
				runId: 'bench',
			};
			// The full-migration template's items: references, then bundles, in pages of PAGE_SIZE
			// items (Commit runs once per page), up to COMMIT_PATIENTS bundles.
			const committedItems: Array<PatientBundle | ReferenceEntity> = [...references];
			const spoolPages = spool?.bundles.length ?? 0;
			for (let page = 0; page < spoolPages && committed < COMMIT_PATIENTS; page += 1) {
				const bundles = readSpoolPage(spoolDir, page).slice(0, COMMIT_PATIENTS - committed);
				committed += bundles.length;
				committedItems.push(...bundles);
			}
			const tokensBefore = await sandboxTokens(baseUrl, adminToken);
			const commitCpu = await cpuSeconds(async () => {
				for (let start = 0; start < committedItems.length; start += PAGE_SIZE) {
					const page = committedItems.slice(start, start + PAGE_SIZE);
					const plans = [
						...transformer.referenceEntities(
							page.filter((item): item is ReferenceEntity => item.kind !== 'patientBundle'),
						),
						...page
							.filter((item): item is PatientBundle => item.kind === 'patientBundle')
							.map((bundle) => transformer.bundle(bundle)),
					];
					const result = await commitPlans(plans, options);
					if (result.status !== 'completed') throw new Error(`commit ${result.status}`);
					written += result.totals.created;
				}
			});
			const actual = tokensSpent(tokensBefore, await sandboxTokens(baseUrl, adminToken));
			// The preflight bill of the same items: their writes per object (this path verifies
			// nothing, so no read-back is billed). The template's per-run users/me reads are not
			// billed: these Commit runs share one client, which read it during setup.
			const bill = planBill({
				items: committedItems,
				transform: { spec, registry, owners: ownerMap },
				pageSize: PAGE_SIZE,
			});
			const perObject = Object.fromEntries(
				PIPEDRIVE_OBJECTS.map((object) => [object, bill.writes[object].tokens]),
			) as Record<PipedriveObject, number>;
			const billed: TokenTally = {
				perObject,
				setup: 0,
				total: PIPEDRIVE_OBJECTS.reduce((sum, object) => sum + perObject[object], 0),
			};
			const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
			process.stdout.write(
				JSON.stringify({
					readCpu,
					setupCpu,
					commitCpu,
					committed,
					written,
					peakRssMb,
					billed,
					actual,
					lost,
				}),
			);
		} finally {
			await store.close();
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

/** Counts the requests that got no answer (Commit looks such a write up before sending it again). */
function noAnswerCounter(inner: HttpTransport, lost: Record<string, number>): HttpTransport {
	return {
		request: (req) =>
			inner.request(req).catch((error: unknown) => {
				const code = (error as { code?: string }).code ?? 'unknown';
				lost[code] = (lost[code] ?? 0) + 1;
				throw error;
			}),
	};
}

/** The sandbox's tokens charged so far, by operation (`GET /api/v2/persons`, …). */
async function sandboxTokens(baseUrl: string, adminToken: string): Promise<Record<string, number>> {
	const response = await fetch(new URL('/__sandbox/counters', baseUrl), {
		headers: { 'x-sandbox-admin-token': adminToken },
	});
	return ((await response.json()) as { tokens: Record<string, number> }).tokens;
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

function child<T>(mode: string, folder: string, ...more: string[]): T {
	const args = [...process.execArgv, __filename, '--child', mode, folder, ...more];
	return JSON.parse(
		execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
	) as T;
}

/** The migrate child against a fresh sandbox in this process (an async child: the sandbox serves it). */
async function migrate(folder: string) {
	const sandbox = await startSandbox({
		plan: 'premium',
		seats: SEATS,
		burstLimit: 100_000,
		dailyBudget: 1e12,
	});
	try {
		const args = [
			...process.execArgv,
			`--max-old-space-size=${MIGRATE_HEAP_MB}`,
			__filename,
			'--child',
			'migrate',
			folder,
			sandbox.baseUrl,
			sandbox.apiToken,
			String(sandbox.companyId),
			sandbox.adminToken,
		];
		const { stdout } = await execFileAsync(process.execPath, args, {
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		});
		return JSON.parse(stdout) as {
			readCpu: number;
			setupCpu: number;
			commitCpu: number;
			committed: number;
			written: number;
			peakRssMb: number;
			billed: TokenTally;
			actual: TokenTally;
			lost: Record<string, number>;
		};
	} finally {
		await sandbox.close();
	}
}

interface ReadFigures {
	rows: number;
	csv: number;
	reader: number;
	peakRssMb: number;
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
	if (args[0] === '--child') {
		if (args[1] === 'migrate')
			return await migrateChild(args[2], args[3], args[4], Number(args[5]), args[6]);
		return args[1] === 'read' ? await readChild(args[2]) : await preflightChild(args[2]);
	}
	const { values } = parseOptions(args, {
		sizes: { type: 'string', default: '1000,10000,100000' },
		parts: { type: 'string', default: 'read,migrate,preflight' },
	});
	const sizes = values.sizes.split(',').map(Number);
	const parts = new Set(values.parts.split(','));
	const root = mkdtempSync(join(tmpdir(), 'bench-scale-'));
	const table: string[] = [];
	// The issue's Done-when figures, one row per size (the columns of the parts that ran).
	const summary: string[] = [];
	try {
		for (const patients of sizes) {
			const folder = join(root, `p${patients}`);
			generateDentalExecExport({ patients, seed: 1, out: folder });
			console.log(`${patients.toLocaleString('en-US')} patients:`);
			let read: ReadFigures = { rows: 0, csv: 0, reader: 1, peakRssMb: 0 };
			if (parts.has('read')) {
				read = child<ReadFigures>('read', folder);
				console.log(
					`  ${read.rows.toLocaleString('en-US')} rows; reader ÷ csv-parse rows/s ${(read.csv / read.reader).toFixed(3)} (csv-parse ${read.csv.toFixed(2)} s CPU, reader ${read.reader.toFixed(2)} s CPU); reader CPU s per 1k patients ${((read.reader / patients) * 1000).toFixed(3)}; peak RSS of the read process ${read.peakRssMb} MB`,
				);
			}
			const figures: string[] = [];
			if (parts.has('read')) figures.push((read.csv / read.reader).toFixed(2));
			if (parts.has('migrate')) {
				const path = await migrate(folder);
				const readPer1k = (path.readCpu / patients) * 1000;
				const commitPer1k = (path.commitCpu / path.committed) * 1000;
				const ratios = [
					['total', path.billed.total, path.actual.total] as const,
					...PIPEDRIVE_OBJECTS.map(
						(object) =>
							[object, path.billed.perObject[object], path.actual.perObject[object]] as const,
					),
				];
				const ratio = (billed: number, actual: number) =>
					actual === 0 ? (billed === 0 ? 1 : Infinity) : billed / actual;
				const worst = ratios.reduce(
					(far, [, billed, actual]) =>
						Math.abs(ratio(billed, actual) - 1) > Math.abs(far - 1) ? ratio(billed, actual) : far,
					1,
				);
				console.log(
					`  migration path (streamed read of the whole export, setup, then ${path.committed.toLocaleString('en-US')} patients and the references in pages of ${PAGE_SIZE} items transformed and committed into the sandbox, ${path.written.toLocaleString('en-US')} records created): peak RSS ${path.peakRssMb} MB (heap capped at ${MIGRATE_HEAP_MB} MB: live memory stays under it or the child fails); CPU s per 1k patients: read ${readPer1k.toFixed(3)} + transform and commit ${commitPer1k.toFixed(3)} = ${(readPer1k + commitPer1k).toFixed(3)}; setup once ${path.setupCpu.toFixed(2)} s`,
				);
				console.log(
					`  requests without an answer: ${JSON.stringify(path.lost)}; preflight ÷ sandbox tokens for the committed items: ${ratios.map(([name, billed, actual]) => `${name} ${billed}/${actual} = ${ratio(billed, actual).toFixed(4)}`).join(', ')}`,
				);
				figures.push(
					`${path.peakRssMb} MB`,
					(readPer1k + commitPer1k).toFixed(2),
					`${ratio(path.billed.total, path.actual.total).toFixed(4)} (furthest ${worst.toFixed(4)})`,
				);
			}
			summary.push(`| ${patients.toLocaleString('en-US')} | ${figures.join(' | ')} |`);
			if (!parts.has('preflight')) continue;
			const estimate = child<PreflightEstimate>('preflight', folder);
			console.log(
				`  preflight from the plans: ${estimate.tokens.total.toLocaleString('en-US')} tokens (${JSON.stringify(estimate.tokens.perObject)}), ${estimate.requests.toLocaleString('en-US')} requests`,
			);
			table.push(
				`| ${patients.toLocaleString('en-US')} | ${estimate.tokens.total.toLocaleString('en-US')} | ${PLANS.map((plan) => days(estimate, plan)).join(' | ')} |`,
			);
		}
		const columns = [
			...(parts.has('read') ? ['reader ÷ csv-parse'] : []),
			...(parts.has('migrate')
				? [
						'migration-path peak RSS',
						'CPU s per 1k patients',
						'preflight ÷ sandbox tokens (total; furthest object)',
					]
				: []),
		];
		console.log(`\n| patients | ${columns.join(' | ')} |`);
		console.log(`|---|${columns.map(() => '---').join('|')}|`);
		for (const row of summary) console.log(row);
		if (table.length === 0) return;
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
	console.error(error.stack ?? error.message);
	process.exit(1);
});
