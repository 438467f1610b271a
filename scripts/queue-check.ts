import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { parseOptions, UsageError } from '../cli/options';
import { applySettings, loadWorkflow } from '../runner/workflowFile';
import { folderSource, sourceReaders } from '../lib/sources';
import type { PatientBundle } from '../lib/model';
import { DEFAULT_FILE_SIZE_LIMIT_BYTES, type RunningSandbox } from '../sandbox';
import {
	executionError,
	freePort,
	nodeItems,
	waitForHealth,
	withCredentialIds,
} from './n8n-check/n8nApp';
import { localPostgres } from './n8n-check/localPostgres';
import { run, start, StepFailed, trailingJson, type Background } from './n8n-check/processes';
import { n8nEnvironment } from './n8n-check/environment';
import { installPackedNodes } from './n8n-check/packedNodes';
import { ensureRuntime } from './n8n-check/runtime';
import { pagePath } from './templates/group';
import { dentalExec } from './templates/sources';

/**
 * `npm run test:queue`: the group templates in the real n8n (the version test:n8n uses) in queue
 * mode. PostgreSQL (127.0.0.1:5432) is n8n's database and the migration journal and holds the
 * shared rate budget; Redis (127.0.0.1:6379) is the queue. One main and two workers migrate a
 * generated Dental-Exec group export (2 practices) into the sandbox; one worker is SIGKILLed
 * while it runs a page; the coordinator is run again; then the sandbox snapshot is checked
 * against the export (no duplicates, nothing lost), n8n's execution records and the workers'
 * logs show pages ran on both workers, and the 429 counts are checked. Prints the figures.
 */

const root = join(__dirname, '..');
/** Pages a worker runs at once (`n8n worker --concurrency`). */
const WORKER_CONCURRENCY = 4;
/**
 * Pages per run, whatever the size: more than two workers take at once, so the first worker to
 * finish a page runs another, and is killed in it. They are all posted at once and wait in the
 * queue: the workers, not the coordinator's batches, set the pace (a batch would wait for its
 * slowest page), and the shared window, not a worker slot, is what bounds the pages phase.
 */
const PAGES = 2 * WORKER_CONCURRENCY + 3;
const STARTUP_MS = 600_000;
const COORDINATOR = 'dentalExecGroupCoordinator';
const PAGE = 'dentalExecGroupPage';

const say = (line: string) => process.stdout.write(`${line}\n`);

interface QueueCheckOptions {
	patients: number;
	workers: number;
	/** The sandbox's answer latency (ms); 0 answers at once. */
	latencyMs: number;
	/** SIGKILL a worker mid-page (the first with a page done) and run the coordinator again (needs 2 workers or more). */
	kill: boolean;
	/** Writes the figures as JSON here (bench:queue reads them). */
	figuresFile?: string;
	/**
	 * "FROM-TO": every port this check opens (n8n's main, each process's task broker and health
	 * port, the sandbox) comes from this range; any free port when unset.
	 */
	ports?: string;
}

const USAGE =
	'Usage: npm run test:queue -- [--patients N] [--workers N] [--latency MS] [--no-kill] ' +
	'[--figures FILE] [--ports FROM-TO]';

/**
 * `--patients N` (or QUEUE_CHECK_PATIENTS; default 2000), `--workers N` (default 2),
 * `--latency MS` (default 0), `--no-kill` (one coordinator run, no worker killed: a throughput
 * measurement), `--figures FILE`, `--ports FROM-TO` (or QUEUE_CHECK_PORTS).
 */
function queueCheckOptions(args: string[], env: NodeJS.ProcessEnv): QueueCheckOptions {
	const { values } = parseOptions(args, {
		patients: { type: 'string' },
		workers: { type: 'string' },
		latency: { type: 'string' },
		'no-kill': { type: 'boolean' },
		figures: { type: 'string' },
		ports: { type: 'string' },
	});
	const whole = (name: string, text: string, least: number) => {
		const n = Number(text);
		if (!Number.isInteger(n) || n < least)
			throw new UsageError(`${name} must be a whole number of at least ${least}, not "${text}"`);
		return n;
	};
	const options: QueueCheckOptions = {
		patients: values.patients
			? whole('--patients', values.patients, 1)
			: whole('QUEUE_CHECK_PATIENTS', env.QUEUE_CHECK_PATIENTS ?? '2000', 1),
		workers: whole('--workers', values.workers ?? '2', 1),
		latencyMs: whole('--latency', values.latency ?? '0', 0),
		kill: !values['no-kill'],
		figuresFile: values.figures,
		ports: values.ports ?? env.QUEUE_CHECK_PORTS,
	};
	if (options.kill && options.workers < 2)
		throw new UsageError('killing a worker mid-run needs --workers 2 or more (or --no-kill)');
	return options;
}

/** Execution ids a worker's log says it started and finished. */
function workerExecutions(log: string): { started: string[]; finished: string[] } {
	const ids = (verb: string) =>
		[...log.matchAll(new RegExp(`Worker ${verb} execution (\\d+)`, 'g'))].map((m) => m[1]);
	return { started: ids('started'), finished: ids('finished') };
}

async function main(options: QueueCheckOptions): Promise<void> {
	const began = performance.now();
	const work = mkdtempSync(join(tmpdir(), 'queue-check-'));
	const tag = randomBytes(4).toString('hex');
	// QUEUE_CHECK_DB_PREFIX: checks side by side on one server keep to their own database names.
	const dbPrefix = process.env.QUEUE_CHECK_DB_PREFIX ?? 'queue_';
	const n8nDb = `${dbPrefix}n8n_${tag}`;
	const journalDb = `${dbPrefix}journal_${tag}`;
	const processes: Background[] = [];
	let sandbox: RunningSandbox | undefined;
	let ok = false;
	try {
		// Setup, timed step by step: the parts that do not depend on each other run side by side.
		let lapFrom = began;
		const lap = (what: string) => {
			const now = performance.now();
			say(
				`ok  ${what} (${((now - lapFrom) / 1000).toFixed(0)} s, ${((now - began) / 1000).toFixed(0)} s in)`,
			);
			lapFrom = now;
		};
		const { runtime } = await ensureRuntime();
		const nodesDir = join(work, 'nodes');
		const exportDir = join(work, 'export');
		const installed = installPackedNodes(work, nodesDir);
		const generated = run(
			'npx',
			[
				'tsx',
				'scripts/sample-data.ts',
				'--source',
				'dental-exec',
				'--patients',
				String(options.patients),
				'--seed',
				'15',
				'--out',
				exportDir,
			],
			{ cwd: root },
		);
		const databases = Promise.all(
			[n8nDb, journalDb].map((db) =>
				localPostgres('postgres', (c) => c.query(`create database ${db}`)),
			),
		);
		await Promise.all([installed, generated, databases]);
		lap(
			`package built, packed and installed as a community package; export of ${options.patients} patients generated (side by side)`,
		);

		const { startSandbox } = await import('../sandbox');
		sandbox = await startSandbox({
			port: options.ports ? await freePort(options.ports) : 0,
			plan: 'ultimate',
			seats: 10,
			seed: 1515,
			latencyMs: options.latencyMs,
		});

		const mainPort = await freePort(options.ports);
		const env = async (name: string, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> => {
			const userFolder = join(work, name);
			mkdirSync(join(userFolder, '.n8n'), { recursive: true });
			try {
				symlinkSync(nodesDir, join(userFolder, '.n8n', 'nodes'));
			} catch {
				// already linked
			}
			return {
				...n8nEnvironment({
					node: runtime.node,
					userFolder,
					// One key for the main instance and its workers: they share the database.
					encryptionKey: `queue-check-${tag}`,
					port: mainPort,
					brokerPort: await freePort(options.ports),
				}),
				N8N_LOG_LEVEL: 'info',
				QUEUE_HEALTH_CHECK_PORT: String(await freePort(options.ports)),
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: '5432',
				DB_POSTGRESDB_DATABASE: n8nDb,
				DB_POSTGRESDB_USER: 'postgres',
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: '6379',
				QUEUE_BULL_REDIS_DB: '9',
				QUEUE_BULL_PREFIX: `bull-${tag}`,
				// n8n caches in the queue's Redis too: a prefix of this run's own, removed at the end.
				N8N_CACHE_REDIS_KEY_PREFIX: `n8n-cache-${tag}`,
				...extra,
			};
		};
		const n8n = async (
			args: string[],
			name = 'cli',
			extra: NodeJS.ProcessEnv = {},
			stdoutFile?: string,
		) =>
			run(runtime.node, [runtime.n8n, ...args], {
				env: await env(name, extra),
				allowFailure: true,
				stdoutFile,
			});

		const credentials = [
			{
				id: 'queuePipedrive1',
				name: 'Pipedrive sandbox',
				type: 'pipedriveMigrationApi',
				data: {
					apiToken: sandbox.apiToken,
					baseUrl: sandbox.baseUrl,
					plan: 'ultimate',
					seats: 10,
					sharedBudgetUrl: `postgres://postgres@127.0.0.1:5432/${journalDb}`,
				},
			},
			{
				id: 'queueJournal1',
				name: 'Migration journal',
				type: 'migrationJournalPostgres',
				data: {
					host: '127.0.0.1',
					port: 5432,
					database: journalDb,
					user: 'postgres',
					password: '',
					ssl: 'disable',
					schema: 'migration_journal',
				},
			},
		];
		writeFileSync(join(work, 'credentials.json'), JSON.stringify(credentials));
		const imported = await n8n(['import:credentials', `--input=${join(work, 'credentials.json')}`]);
		if (imported.code !== 0)
			throw new StepFailed(`import:credentials failed:\n${imported.stderr.slice(-1500)}`);
		lap('credentials imported');
		// Both templates in one n8n process (each n8n CLI start costs seconds, a minute under load).
		// \`--activeState=fromJson\` would save the publish step's start, but n8n 2.41's import logs
		// "Failed to activate workflow" there and leaves the webhook unregistered: publish instead.
		const templatesDir = join(work, 'templates');
		mkdirSync(templatesDir);
		for (const [file, settings] of [
			['group-page.json', {}],
			[
				'group-coordinator.json',
				{
					settings: {
						exportDir,
						pageWebhookUrl: `http://127.0.0.1:${mainPort}/webhook/${pagePath(dentalExec)}`,
						pageSize: Math.ceil(options.patients / PAGES),
						pagesAtOnce: PAGES + 1,
						confirmUnattended: true,
						// Pinned as the group note asks: run 2 may start after midnight UTC (CI once
						// crossed it, and run 2 then skipped none of run 1's pages: another map).
						today: new Date().toISOString().slice(0, 10),
					},
				},
			],
		] as const) {
			const workflow = loadWorkflow(join(root, 'workflows', 'dental-exec', file));
			if ('settings' in settings) applySettings(workflow, settings.settings);
			withCredentialIds(workflow, credentials);
			writeFileSync(join(templatesDir, file), JSON.stringify(workflow));
		}
		const result = await n8n(['import:workflow', '--separate', `--input=${templatesDir}`]);
		if (result.code !== 0)
			throw new StepFailed(`import:workflow failed:\n${result.stderr.slice(-1500)}`);
		const published = await n8n(['publish:workflow', `--id=${PAGE}`]);
		if (published.code !== 0)
			throw new StepFailed(`publish:workflow failed:\n${published.stderr.slice(-1500)}`);
		lap('the two group templates imported (one n8n process), the page workflow published');

		// Main and workers start side by side: the database is migrated already (by the imports) and
		// a worker needs only Redis and the database, not the main.
		const mainProcess = start(runtime.node, [runtime.n8n, 'start'], await env('main'));
		processes.push(mainProcess);
		const workers: Background[] = [];
		for (let n = 1; n <= options.workers; n++) {
			const name = `worker${n}`;
			const worker = start(
				runtime.node,
				[runtime.n8n, 'worker', `--concurrency=${WORKER_CONCURRENCY}`],
				// n8n fails a page whose worker does not renew its queue lock within 60 s (Bull's
				// stall check, no retry); a CPU-starved machine (a busy CI host) can miss that while a
				// page reads the whole export. A killed worker's page is still failed, 2 minutes on.
				// n8n's own database pool is 2 connections with a 20 s wait: a worker running 4 pages
				// on a loaded host waited longer and failed pages' Commit with "timeout exceeded when
				// trying to connect" (seen in run 1 with the journal's connections fixed).
				await env(name, {
					QUEUE_WORKER_LOCK_DURATION: '90000',
					// n8n 2.41 (scaling-mode.config.js): a killed worker's page is failed (maxStalledCount
					// 0) at the first stall check after its lock expires: lock + stall interval. The
					// defaults (60 s lock, 10 s renew, 30 s checks) with this lock at 120 s idled ~146 s.
					QUEUE_WORKER_LOCK_RENEW_TIME: '10000',
					QUEUE_WORKER_STALLED_INTERVAL: '10000',
					DB_POSTGRESDB_POOL_SIZE: String(WORKER_CONCURRENCY + 2),
					DB_POSTGRESDB_CONNECTION_TIMEOUT: '120000',
				}),
			);
			processes.push(worker);
			workers.push(worker);
		}
		// n8n's start takes ~10 s alone and minutes on a shared, CPU-starved host.
		await Promise.all([
			waitForHealth(`http://127.0.0.1:${mainPort}/healthz/readiness`, mainProcess, STARTUP_MS),
			waitFor(
				() => workers.every((w) => /Worker ready|n8n worker is now ready/i.test(w.output())),
				STARTUP_MS,
				'the workers ready',
			),
		]);
		lap(`main and ${options.workers} worker(s) up`);

		// The pages phase starts when a worker starts the first page (the sandbox's count then is
		// the coordinator's own requests). With --kill, the first worker that has finished a page and
		// is in the middle of another is SIGKILLed. Which worker that is, the queue decides: a fixed
		// victim could finish its first pages after the other worker had taken the rest, and then
		// never be mid-page after a finished one (CI once failed so: "the run ended first"). With
		// more pages than the workers' slots, the first worker to finish a page takes the next one.
		let victim: number | undefined;
		let pagesBegan: Mark | undefined;
		let pagesEnded: Mark | undefined;
		let finishedSoFar = 0;
		let confirming = false;
		const midPage = (seen: { started: string[]; finished: string[] }) =>
			seen.finished.length >= 1 && seen.started.length > seen.finished.length;
		const watcher = setInterval(() => {
			if (!sandbox) return;
			const mark = { at: performance.now(), requests: requestCount(sandbox) };
			const seenAll = workers.map((w) => workerExecutions(w.output()));
			if (!pagesBegan && seenAll.some((seen) => seen.started.length > 0)) pagesBegan = mark;
			const finished = seenAll.reduce((sum, seen) => sum + seen.finished.length, 0);
			if (finished > finishedSoFar) {
				finishedSoFar = finished;
				pagesEnded = mark;
			}
			const candidate = seenAll.findIndex(midPage);
			if (!options.kill || victim !== undefined || confirming || candidate < 0) return;
			// The worker logs "finished" before n8n records the execution's status: killed in
			// between, its one finished page never counts as a success. Kill only once n8n's own
			// records hold a page this worker finished as a success.
			confirming = true;
			void localPostgres(n8nDb, (c) =>
				c.query<{ n: number }>(
					`select count(*)::int as n from execution_entity where id::text = any($1) and status = 'success'`,
					[seenAll[candidate].finished],
				),
			)
				.then((result) => {
					if (result.rows[0].n >= 1 && midPage(workerExecutions(workers[candidate].output()))) {
						workers[candidate].child.kill('SIGKILL');
						victim = candidate + 1;
					}
				})
				.catch(() => undefined)
				.finally(() => (confirming = false));
		}, 200);

		const coordinator = async (label: string) => {
			const t0 = performance.now();
			const result = await n8n(
				['execute', `--id=${COORDINATOR}`, '--rawOutput'],
				'cli',
				{ EXECUTIONS_MODE: 'regular' },
				join(work, `${label}.out`),
			);
			const runJson = trailingJson(result.stdout, `coordinator ${label}`);
			const failure = executionError(runJson);
			if (failure)
				throw new StepFailed(
					`coordinator ${label} failed in node "${failure.node}": ${failure.message}`,
				);
			const report = nodeItems(runJson, 'Group report')[0] as {
				pages: number;
				pagesCompleted: number;
				pagesSkipped: number;
				pagesPosted: number;
				pagesToRunAgain: number[];
				created: number;
				failed: number;
			};
			const seconds = (performance.now() - t0) / 1000;
			say(
				`ok  coordinator ${label}: ${report.pagesCompleted}/${report.pages} pages completed (${report.pagesPosted} posted, ${report.pagesSkipped} skipped as done in the journal), to run again: [${report.pagesToRunAgain.join(', ')}], ${report.created} records created (${seconds.toFixed(0)} s)`,
			);
			// A page that answered but left records behind says why (object and error code counts).
			// A re-run that finds every page done in the journal posts none: Run page does not run.
			const pages = report.pagesPosted > 0 ? nodeItems(runJson, 'Run page') : [];
			for (const page of pages as Array<{
				page?: number;
				problems?: Record<string, number>;
			}>)
				if (page.problems && Object.keys(page.problems).length > 0)
					say(`    ${label}, page ${page.page}: ${JSON.stringify(page.problems)}`);
			return { report, seconds };
		};
		// PostgreSQL's connections while run 1 runs (n8n's pools, journals, rate budgets, and other
		// users of the server): the peak against max_connections.
		let connectionsPeak = 0;
		const connectionWatch = setInterval(() => {
			void localPostgres('postgres', (c) =>
				c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity'),
			)
				.then((r) => (connectionsPeak = Math.max(connectionsPeak, r.rows[0].n)))
				.catch(() => undefined);
		}, 1000);
		const first = await coordinator('run 1');
		clearInterval(watcher);
		clearInterval(connectionWatch);
		const maxConnections = await localPostgres('postgres', async (c) =>
			Number(
				(await c.query<{ max_connections: string }>('show max_connections')).rows[0]
					.max_connections,
			),
		);
		say(
			`    PostgreSQL connections during run 1: peak ${connectionsPeak} of max_connections ${maxConnections}`,
		);
		// Why a page of run 1 did not complete, from n8n's own records: status, the worker that ran
		// it and n8n's error message (n8n's and this package's messages carry no record values).
		const unfinished = await pageFailures(n8nDb, runtime.dir, workers);
		for (const page of unfinished)
			say(
				`    run 1, page execution ${page.id} ${page.status} on ${page.worker}${page.id && victim !== undefined && page.worker === `worker ${victim}` ? ' (the killed worker)' : ''}: ${page.message}`,
			);
		const phase = pagesPhase(sandbox, pagesBegan, pagesEnded);
		let second = first;
		if (options.kill) {
			if (victim === undefined)
				throw new StepFailed('no worker was killed mid-page: the run ended first');
			say(`ok  worker ${victim} was SIGKILLed while it ran a page (after a page it finished)`);
			second = await coordinator('run 2 (after the kill)');
			// The re-run must know run 1's finished pages from the journal and leave them alone
			// (issue 15: a spliced ternary once gave every page one run id, so it skipped none).
			// More is fine: a page whose call timed out in run 1 may still have finished on its worker.
			if (second.report.pagesSkipped < first.report.pagesCompleted)
				throw new StepFailed(
					`the re-run skipped only ${second.report.pagesSkipped} pages as done in the journal, but run 1 completed ${first.report.pagesCompleted}`,
				);
			say(
				`ok  the re-run skipped the ${second.report.pagesSkipped} pages run 1 completed and posted ${second.report.pagesPosted}`,
			);
		}
		if (second.report.pagesCompleted !== second.report.pages)
			throw new StepFailed(
				`${options.kill ? 'the re-run' : 'the run'} left pages undone: ${second.report.pagesToRunAgain.join(', ')}`,
			);

		// Against the export: every accepted patient once in Pipedrive.
		const read = await sourceReaders['dental-exec'](folderSource(exportDir));
		const expected = read.bundles.map((b) => b.patient.sourceKey).sort();
		const keys = patientKeys(sandbox);
		const migrated = new Set(keys);
		const duplicates = keys.length - migrated.size;
		const lost = expected.filter((k) => !migrated.has(k)).length;
		say(
			`    patients: ${expected.length} accepted in the export, ${migrated.size} in the sandbox, ${duplicates} duplicates, ${lost} lost`,
		);

		// Documents: read by the workers from the shared export folder at commit time; every one
		// within the upload limit lands once, byte for byte.
		const documents = documentCheck(read.bundles, sandbox);
		say(
			`    documents: ${documents.expected} in the export within the upload limit, ${documents.uploaded} files in the sandbox, ${documents.missing} missing, ${documents.extra} extra or altered`,
		);

		// n8n's execution records: page executions that succeeded, by the worker that ran them.
		const succeeded = await localPostgres(n8nDb, async (c) =>
			(
				await c.query<{ id: string }>(
					`select id::text from execution_entity where "workflowId" = $1 and status = 'success'`,
					[PAGE],
				)
			).rows.map((r) => r.id),
		);
		const byWorker = workers.map(
			(w) => workerExecutions(w.output()).finished.filter((id) => succeeded.includes(id)).length,
		);
		say(
			`    page executions succeeded: ${succeeded.length}; ${byWorker.map((n, i) => `worker ${i + 1}: ${n}`).join(', ')}`,
		);

		// A 429 that got past the limiter fails its operation: Commit counts it as failed.
		const failed = first.report.failed + (second === first ? 0 : second.report.failed);
		const counters = sandbox.admin.counters();
		const requests = requestCount(sandbox);
		const share = requests === 0 ? 0 : counters.status429 / requests;
		say(
			`    sandbox: ${requests} requests (${(requests / expected.length).toFixed(2)} per patient), ${counters.status429} answered 429 (${(share * 100).toFixed(2)} %); operations failed in the page results: ${failed}`,
		);
		const figures = {
			workers: options.workers,
			latencyMs: options.latencyMs,
			patients: phase.patients,
			pagesSeconds: phase.seconds,
			patientsPerMinute: (phase.patients / phase.seconds) * 60,
			requestsPerSecond: phase.requests / phase.seconds,
			status429: counters.status429,
			load: loadavg()[0],
		};
		say(
			`    pages phase of run 1 (${options.workers} worker(s)${options.kill ? ' until the kill' : ''}, latency ${options.latencyMs} ms): ${phase.patients} patients, ${phase.requests} requests in ${phase.seconds.toFixed(1)} s: ${figures.patientsPerMinute.toFixed(0)} patients/min, ${figures.requestsPerSecond.toFixed(1)} requests/s (load average ${figures.load.toFixed(1)})`,
		);
		if (options.figuresFile) writeFileSync(options.figuresFile, JSON.stringify(figures));

		const problems = [
			duplicates !== 0 && `${duplicates} duplicate persons`,
			lost !== 0 && `${lost} patients lost`,
			(documents.missing !== 0 || documents.extra !== 0) &&
				`documents: ${documents.missing} missing, ${documents.extra} extra or altered`,
			byWorker.some((n) => n === 0) && 'pages did not run on every worker',
			failed !== 0 && `${failed} operations failed in the pages (a surfaced 429 is one)`,
			share >= 0.01 && `the sandbox answered ${counters.status429} × 429 (≥ 1 % of requests)`,
		].filter(Boolean);
		if (problems.length > 0) throw new StepFailed(`test:queue failed: ${problems.join('; ')}`);
		ok = true;
		say(`test:queue passed (${((performance.now() - began) / 1000).toFixed(0)} s)`);
	} finally {
		for (const p of processes.reverse()) await p.stop(10_000);
		await sandbox?.close();
		await forgetRedisKeys([`bull-${tag}`, `n8n-cache-${tag}`]).catch(() => undefined);
		for (const db of [n8nDb, journalDb])
			await localPostgres('postgres', (c) =>
				c.query(`drop database if exists ${db} with (force)`),
			).catch(() => undefined);
		if (ok && !process.env.QUEUE_CHECK_KEEP) rmSync(work, { recursive: true, force: true });
		else {
			for (const [i, p] of [...processes].reverse().entries())
				writeFileSync(join(work, i === 0 ? 'main.log' : `worker${i}.log`), p.output());
			say(`work folder kept for diagnosis: ${work}`);
		}
	}
}

/** Page executions that did not succeed: status, the worker whose log started it, n8n's error. */
async function pageFailures(n8nDb: string, runtimeDir: string, workers: Background[]) {
	// n8n stores execution data in flatted's format; parse it with n8n's own copy.
	const { parse } = createRequire(join(runtimeDir, 'node_modules', 'n8n', 'package.json'))(
		'flatted',
	) as { parse: (text: string) => unknown };
	const rows = await localPostgres(
		n8nDb,
		async (c) =>
			(
				await c.query<{ id: string; status: string; data: string | null }>(
					`select e.id::text, e.status, d.data from execution_entity e
				left join execution_data d on d."executionId" = e.id
				where e."workflowId" = $1 and e.status <> 'success' order by e.id`,
					[PAGE],
				)
			).rows,
	);
	return rows.map((row) => {
		const at = workers.findIndex((w) => workerExecutions(w.output()).started.includes(row.id));
		let message = '(no execution data)';
		try {
			const error = (row.data ? parse(row.data) : undefined) as
				| { resultData?: { error?: { message?: string; node?: { name?: string } } } }
				| undefined;
			const e = error?.resultData?.error;
			if (e)
				message = `${e.node?.name ? `node "${e.node.name}": ` : ''}${String(e.message).slice(0, 240)}`;
			else if (row.data) message = '(no error recorded)';
		} catch {
			message = '(execution data not readable)';
		}
		return {
			id: row.id,
			status: row.status,
			worker: at < 0 ? 'no worker' : `worker ${at + 1}`,
			message,
		};
	});
}

interface Mark {
	at: number;
	requests: number;
}

function requestCount(sandbox: RunningSandbox): number {
	return Object.values(sandbox.admin.counters().requests).reduce((sum, n) => sum + n, 0);
}

/** The Dental-Exec patient source keys of the sandbox's persons (one per person, duplicates kept). */
function patientKeys(sandbox: RunningSandbox): string[] {
	const snapshot = sandbox.admin.snapshot({ live: true });
	const keyField = (snapshot.fields.person as Array<Record<string, unknown>>).find(
		(f) => f.field_name === 'Migration source key',
	);
	if (!keyField) throw new StepFailed('The sandbox has no person field "Migration source key"');
	return snapshot.persons
		.map((p) => (p.custom_fields as Record<string, unknown>)[String(keyField.field_code)])
		.filter((k): k is string => typeof k === 'string' && k.startsWith('dental-exec:patient:'));
}

/** The sandbox's files against the export's documents (declared size within the upload limit), by SHA-256. */
function documentCheck(bundles: PatientBundle[], sandbox: RunningSandbox) {
	const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
	const expected = bundles
		.flatMap((b) => b.documents)
		.filter((d) => d.resolvedPath && (d.sizeBytes ?? 0) <= DEFAULT_FILE_SIZE_LIMIT_BYTES)
		.map((d) => sha256(String(d.resolvedPath)));
	const uploaded = sandbox.admin.snapshot({ live: true }).files.map((f) => String(f.sha256));
	const unmatched = [...uploaded];
	let missing = 0;
	for (const hash of expected) {
		const at = unmatched.indexOf(hash);
		if (at < 0) missing++;
		else unmatched.splice(at, 1);
	}
	return { expected: expected.length, uploaded: uploaded.length, missing, extra: unmatched.length };
}

/** Run 1's pages: from a worker starting the first page to the last page a worker finished. */
function pagesPhase(sandbox: RunningSandbox, began?: Mark, ended?: Mark) {
	if (!began || !ended || ended.at <= began.at)
		throw new StepFailed('no page ran on a worker in the first coordinator run');
	return {
		seconds: (ended.at - began.at) / 1000,
		requests: ended.requests - began.requests,
		patients: new Set(patientKeys(sandbox)).size,
	};
}

/** Deletes this run's keys from the Redis database the check uses (DB 9), by prefix. */
async function forgetRedisKeys(prefixes: string[]): Promise<void> {
	for (const prefix of prefixes) {
		const { stdout } = await run('redis-cli', ['-n', '9', '--scan', '--pattern', `${prefix}*`]);
		const keys = stdout.split('\n').filter(Boolean);
		if (keys.length > 0) await run('redis-cli', ['-n', '9', 'del', ...keys]);
	}
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new StepFailed(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

Promise.resolve()
	.then(() => main(queueCheckOptions(process.argv.slice(2), process.env)))
	.catch((error: Error) => {
		if (error instanceof UsageError) {
			process.stderr.write(`test:queue: ${error.message}\n${USAGE}\n`);
			process.exitCode = 2;
			return;
		}
		const [reason, ...details] = (
			error instanceof StepFailed ? error.message : String(error.stack)
		).split('\n');
		if (details.length > 0) process.stderr.write(`${details.join('\n')}\n`);
		process.stderr.write(`test:queue failed: ${reason}\n`);
		process.exitCode = 1;
	});
