import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import { applySettings, loadWorkflow } from '../runner/workflowFile';
import { folderSource, sourceReaders } from '../lib/sources';
import type { RunningSandbox } from '../sandbox';
import {
	executionError,
	freePort,
	nodeItems,
	waitForHealth,
	withCredentialIds,
} from './n8n-check/n8nApp';
import { run, start, StepFailed, trailingJson, type Background } from './n8n-check/processes';
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
const PATIENTS = Number(process.env.QUEUE_CHECK_PATIENTS ?? 2000);
const PAGE_SIZE = 100;
const COORDINATOR = 'dentalExecGroupCoordinator';
const PAGE = 'dentalExecGroupPage';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function pg<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/** Execution ids a worker's log says it started and finished. */
function workerExecutions(log: string): { started: string[]; finished: string[] } {
	const ids = (verb: string) =>
		[...log.matchAll(new RegExp(`Worker ${verb} execution (\\d+)`, 'g'))].map((m) => m[1]);
	return { started: ids('started'), finished: ids('finished') };
}

async function main(): Promise<void> {
	const began = performance.now();
	const work = mkdtempSync(join(tmpdir(), 'queue-check-'));
	const tag = randomBytes(4).toString('hex');
	const n8nDb = `queue_n8n_${tag}`;
	const journalDb = `queue_journal_${tag}`;
	const processes: Background[] = [];
	let sandbox: RunningSandbox | undefined;
	let ok = false;
	try {
		const { runtime } = await ensureRuntime();
		await run('npm', ['run', 'build'], { cwd: root });
		const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
		const tarball = join(
			work,
			(trailingJson(packed.stdout) as Array<{ filename: string }>)[0].filename,
		);
		const nodesDir = join(work, 'nodes');
		mkdirSync(nodesDir);
		writeFileSync(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }),
		);
		await run(
			'npm',
			['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', tarball],
			{ cwd: nodesDir },
		);
		say('ok  package built, packed and installed as a community package');

		const exportDir = join(work, 'export');
		await run(
			'npx',
			[
				'tsx',
				'scripts/sample-data.ts',
				'--source',
				'dental-exec',
				'--patients',
				String(PATIENTS),
				'--seed',
				'15',
				'--out',
				exportDir,
			],
			{ cwd: root },
		);
		for (const db of [n8nDb, journalDb])
			await pg('postgres', (c) => c.query(`create database ${db}`));

		const { startSandbox } = await import('../sandbox');
		sandbox = await startSandbox({ plan: 'ultimate', seats: 10, seed: 1515 });

		const mainPort = await freePort();
		const env = async (name: string, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> => {
			const userFolder = join(work, name);
			mkdirSync(join(userFolder, '.n8n'), { recursive: true });
			try {
				symlinkSync(nodesDir, join(userFolder, '.n8n', 'nodes'));
			} catch {
				// already linked
			}
			return {
				...process.env,
				PATH: `${join(runtime.node, '..')}:${process.env.PATH ?? ''}`,
				N8N_USER_FOLDER: userFolder,
				N8N_ENCRYPTION_KEY: `queue-check-${tag}`,
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
				N8N_TEMPLATES_ENABLED: 'false',
				N8N_PERSONALIZATION_ENABLED: 'false',
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_PORT: String(mainPort),
				N8N_SECURE_COOKIE: 'false',
				N8N_LOG_LEVEL: 'info',
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
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
		for (const [file, settings] of [
			['group-page.json', {}],
			[
				'group-coordinator.json',
				{
					exportDir,
					pageWebhookUrl: `http://127.0.0.1:${mainPort}/webhook/${pagePath(dentalExec)}`,
					pageSize: PAGE_SIZE,
					pagesAtOnce: 8,
					confirmUnattended: true,
				},
			],
		] as const) {
			const workflow = loadWorkflow(join(root, 'workflows', 'dental-exec', file));
			if (Object.keys(settings).length > 0) applySettings(workflow, settings);
			withCredentialIds(workflow, credentials);
			const out = join(work, file);
			writeFileSync(out, JSON.stringify(workflow));
			const result = await n8n(['import:workflow', `--input=${out}`]);
			if (result.code !== 0)
				throw new StepFailed(`import:workflow ${file} failed:\n${result.stderr.slice(-1500)}`);
		}
		const published = await n8n(['publish:workflow', `--id=${PAGE}`]);
		if (published.code !== 0)
			throw new StepFailed(`publish:workflow failed:\n${published.stderr.slice(-1500)}`);
		say('ok  credentials and the two group templates imported, the page workflow published');

		const mainProcess = start(runtime.node, [runtime.n8n, 'start'], await env('main'));
		processes.push(mainProcess);
		await waitForHealth(`http://127.0.0.1:${mainPort}/healthz/readiness`, mainProcess, 180_000);
		const workers: Background[] = [];
		for (const name of ['worker1', 'worker2']) {
			const worker = start(
				runtime.node,
				[runtime.n8n, 'worker', '--concurrency=4'],
				await env(name),
			);
			processes.push(worker);
			workers.push(worker);
		}
		await waitFor(
			() => workers.every((w) => /Worker ready|n8n worker is now ready/i.test(w.output())),
			180_000,
			'both workers ready',
		);
		say(`ok  main and two workers up (${((performance.now() - began) / 1000).toFixed(0)} s)`);

		// Kill worker 2 once it has finished a page and is in the middle of another.
		let killedAt: number | undefined;
		const killer = setInterval(() => {
			const seen = workerExecutions(workers[1].output());
			if (
				killedAt === undefined &&
				seen.finished.length >= 1 &&
				seen.started.length > seen.finished.length
			) {
				workers[1].child.kill('SIGKILL');
				killedAt = performance.now();
			}
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
				pagesToRunAgain: number[];
				created: number;
			};
			const seconds = (performance.now() - t0) / 1000;
			say(
				`ok  coordinator ${label}: ${report.pagesCompleted}/${report.pages} pages completed, to run again: [${report.pagesToRunAgain.join(', ')}], ${report.created} records created (${seconds.toFixed(0)} s)`,
			);
			return { report, seconds };
		};
		const first = await coordinator('run 1');
		clearInterval(killer);
		if (killedAt === undefined)
			throw new StepFailed('worker 2 was never killed mid-page: the run ended first');
		say('ok  worker 2 was SIGKILLed while it ran a page');
		const second = await coordinator('run 2 (after the kill)');
		if (second.report.pagesCompleted !== second.report.pages)
			throw new StepFailed(
				`the re-run left pages undone: ${second.report.pagesToRunAgain.join(', ')}`,
			);

		// Against the export: every accepted patient once in Pipedrive.
		const read = await sourceReaders['dental-exec'](folderSource(exportDir));
		const expected = read.bundles.map((b) => b.patient.sourceKey).sort();
		const snapshot = sandbox.admin.snapshot({ live: true });
		const keyField = (snapshot.fields.person as Array<Record<string, unknown>>).find(
			(f) => f.field_name === 'Migration source key',
		);
		if (!keyField) throw new StepFailed('The sandbox has no person field "Migration source key"');
		const keys = snapshot.persons
			.map((p) => (p.custom_fields as Record<string, unknown>)[String(keyField.field_code)])
			.filter((k): k is string => typeof k === 'string' && k.startsWith('dental-exec:patient:'));
		const duplicates = keys.length - new Set(keys).size;
		const lost = expected.filter((k) => !new Set(keys).has(k)).length;
		say(
			`    patients: ${expected.length} accepted in the export, ${new Set(keys).size} in the sandbox, ${duplicates} duplicates, ${lost} lost`,
		);

		// n8n's execution records: page executions that succeeded, by the worker that ran them.
		const succeeded = await pg(n8nDb, async (c) =>
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
			`    page executions succeeded: ${succeeded.length}; finished by worker 1: ${byWorker[0]}, by worker 2: ${byWorker[1]}`,
		);

		const counters = sandbox.admin.counters();
		const requests = Object.values(counters.requests).reduce((sum, n) => sum + n, 0);
		const share = requests === 0 ? 0 : counters.status429 / requests;
		say(
			`    sandbox: ${requests} requests, ${counters.status429} answered 429 (${(share * 100).toFixed(2)} %)`,
		);
		say(
			`    throughput, run 1 (2 workers until the kill): ${(first.report.created / first.seconds).toFixed(1)} records created/s`,
		);

		const problems = [
			duplicates !== 0 && `${duplicates} duplicate persons`,
			lost !== 0 && `${lost} patients lost`,
			byWorker.some((n) => n === 0) && 'pages did not run on both workers',
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
			await pg('postgres', (c) => c.query(`drop database if exists ${db} with (force)`)).catch(
				() => undefined,
			);
		if (ok) rmSync(work, { recursive: true, force: true });
		else {
			for (const [i, p] of processes.entries())
				writeFileSync(join(work, `process-${i}.log`), p.output());
			say(`work folder kept for diagnosis: ${work}`);
		}
	}
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

main().catch((error: Error) => {
	const [reason, ...details] = (
		error instanceof StepFailed ? error.message : String(error.stack)
	).split('\n');
	if (details.length > 0) process.stderr.write(`${details.join('\n')}\n`);
	process.stderr.write(`test:queue failed: ${reason}\n`);
	process.exitCode = 1;
});
