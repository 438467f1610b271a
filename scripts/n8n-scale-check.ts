import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';

import { parseOptions } from '../cli/options';
import { applySettings, loadWorkflow } from '../runner/workflowFile';
import { startSandbox } from '../sandbox';
import { n8nEnvironment } from './n8n-check/environment';
import { executionError, freePort, nodeItems, withCredentialIds } from './n8n-check/n8nApp';
import { installPackedNodes } from './n8n-check/packedNodes';
import { localPostgres } from './n8n-check/localPostgres';
import { run, StepFailed, trailingJson } from './n8n-check/processes';
import { ensureRuntime } from './n8n-check/runtime';
import { onPostgresJournal } from './templates/group';
import { generateDentalExecExport } from './sample-data/dental-exec';

/**
 * `npm run test:n8n:scale -- --patients 20000`: template 5 (full migration) of a generated
 * Dental-Exec export inside the real n8n (`n8n execute`), against the local sandbox. The sandbox
 * runs with limits that never bind (burst 100,000, a budget of 1e12 tokens), as in
 * bench/scale.bench.ts: this check measures memory and counts, not rate limiting (the nodes' own
 * client still paces requests at the plan's burst limit). Samples the resident memory of the n8n
 * process and its children every 200 ms, first while the same n8n executes a workflow of only a
 * Manual Trigger (n8n's own baseline), then during template 5, and prints the wall time, baseline,
 * peak and peak − baseline (what the migration adds); then checks the sandbox holds exactly one
 * person per patient of the export (read with csv-parse) and one record per created journal entry,
 * that Reconcile passed and that the migration added no more than `--max-growth-mb` to the process
 * tree's peak RSS. `--heap-mb` gives n8n a V8 heap limit (as the README advises for large
 * practices); `--journal postgres` puts the Ledger nodes on a fresh PostgreSQL database.
 * Exits 1 with a one-line reason on any failure. The real n8n runtime must be installed
 * (`npm run test:n8n` installs it once into the cache).
 */

const root = join(__dirname, '..');
const { values: args } = parseOptions(process.argv.slice(2), {
	patients: { type: 'string', default: '20000' },
	seed: { type: 'string', default: '13' },
	/** Ports for the sandbox, n8n and its task broker, on a machine shared with other checks. */
	ports: { type: 'string', default: process.env.N8N_CHECK_PORTS ?? '' },
	/** n8n's V8 heap limit in MB (`--max-old-space-size`); n8n's own default when unset. */
	'heap-mb': { type: 'string', default: '' },
	/** Where the Ledger nodes keep the journal: the template's folder, or a PostgreSQL database. */
	journal: { type: 'string', default: 'embedded' },
	/** The most the migration may add to the n8n process tree's peak RSS (issue 13: 300 MB). */
	'max-growth-mb': { type: 'string', default: '300' },
});
const patients = Number(args.patients);
const heapMb = args['heap-mb'] ? Number(args['heap-mb']) : undefined;
const heapFlag = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`];
const maxGrowthMb = Number(args['max-growth-mb']);

/** The process and all its descendants, from /proc (Linux). */
function processTree(pid: number): number[] {
	const children = new Map<number, number[]>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
		} catch {
			// exited meanwhile
		}
	}
	const tree = [pid];
	for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
	return tree;
}

/** kB of a /proc/<pid>/status field (VmRSS, VmHWM), 0 once the process is gone. */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
			readFileSync(`/proc/${pid}/status`, 'utf8'),
		);
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

/**
 * Peak memory of a process tree while `work` runs: the largest sum of the tree's VmRSS seen, and
 * the largest VmHWM (the kernel's own peak) of any one process in it.
 */
async function sampleMemory<T>(
	pid: () => number | undefined,
	work: Promise<T>,
): Promise<{ result: T; treeRssKb: number; processHwmKb: number }> {
	let treeRssKb = 0;
	let processHwmKb = 0;
	const sample = () => {
		const root = pid();
		if (root === undefined) return;
		let sum = 0;
		for (const p of processTree(root)) {
			sum += statusKb(p, 'VmRSS');
			processHwmKb = Math.max(processHwmKb, statusKb(p, 'VmHWM'));
		}
		treeRssKb = Math.max(treeRssKb, sum);
	};
	const timer = setInterval(sample, 200);
	try {
		const result = await work;
		return { result, treeRssKb, processHwmKb };
	} finally {
		clearInterval(timer);
	}
}

/**
 * KB of JSON each node's run data holds at the end of the execution (every run of a node in the
 * page loop counts): n8n keeps it all in memory until the execution ends, so a node whose share
 * grows with the export is where the memory goes.
 */
function runDataSizes(runJson: unknown): Record<string, number> {
	const runData =
		(runJson as { data?: { resultData?: { runData?: Record<string, unknown> } } })?.data?.resultData
			?.runData ?? {};
	return Object.fromEntries(
		Object.entries(runData).map(([node, runs]) => [
			node,
			Math.round(JSON.stringify(runs).length / 1024),
		]),
	);
}

async function main(): Promise<void> {
	if (!Number.isInteger(patients) || patients < 1)
		throw new StepFailed('--patients must be a whole number of 1 or more');
	if (heapMb !== undefined && !(Number.isInteger(heapMb) && heapMb >= 64))
		throw new StepFailed('--heap-mb must be a whole number of MB, 64 or more');
	if (!(maxGrowthMb > 0)) throw new StepFailed('--max-growth-mb must be a number of MB above 0');
	if (args.journal !== 'embedded' && args.journal !== 'postgres')
		throw new StepFailed('--journal must be embedded or postgres');
	const onPostgres = args.journal === 'postgres';
	const journalDb = `n8n_scale_${randomBytes(4).toString('hex')}`;
	if (onPostgres) await localPostgres('postgres', (c) => c.query(`create database ${journalDb}`));
	const work = mkdtempSync(join(tmpdir(), 'n8n-scale-'));
	const userFolder = join(work, 'user');
	const exportDir = join(work, 'export');
	generateDentalExecExport({ patients, seed: Number(args.seed), out: exportDir });
	const sandbox = await startSandbox({
		seed: 2041,
		port: args.ports ? await freePort(args.ports) : 0,
		plan: 'ultimate',
		seats: 10,
		burstLimit: 100_000,
		dailyBudget: 1e12,
	});
	let succeeded = false;
	try {
		const { runtime } = await ensureRuntime();
		await installPackedNodes(work, join(userFolder, '.n8n', 'nodes'));
		const env = n8nEnvironment({
			node: runtime.node,
			userFolder,
			encryptionKey: randomBytes(24).toString('hex'),
			port: await freePort(args.ports || undefined),
			brokerPort: await freePort(args.ports || undefined),
		});
		/** `n8n execute` of an imported workflow, with the memory of its process tree sampled. */
		const executeSampled = (id: string, outFile: string) => {
			let child: number | undefined;
			const execution = run(
				runtime.node,
				[...heapFlag, runtime.n8n, 'execute', `--id=${id}`, '--rawOutput'],
				{
					env,
					allowFailure: true,
					stdoutFile: join(work, outFile),
					onSpawn: (pid) => (child = pid),
				},
			);
			return sampleMemory(() => child, execution);
		};
		const credentials = [
			{
				id: 'dentalPipedriveScale1',
				name: 'Pipedrive sandbox',
				type: 'pipedriveMigrationApi',
				data: { apiToken: sandbox.apiToken, baseUrl: sandbox.baseUrl, plan: 'ultimate', seats: 10 },
			},
			...(onPostgres
				? [
						{
							id: 'dentalJournalScale1',
							name: 'Migration journal',
							type: 'migrationJournalPostgres',
							data: {
								...{ host: '127.0.0.1', port: 5432, database: journalDb, user: 'postgres' },
								...{ password: '', ssl: 'disable', schema: 'migration_journal' },
							},
						},
					]
				: []),
		];
		writeFileSync(join(work, 'credentials.json'), JSON.stringify(credentials));
		await run(
			runtime.node,
			[runtime.n8n, 'import:credentials', `--input=${work}/credentials.json`],
			{
				env,
			},
		);
		const workflow = loadWorkflow(join(root, 'workflows', 'dental-exec', '5-full-migration.json'));
		applySettings(workflow, {
			exportDir,
			journalDir: join(work, 'journal'),
			confirmUnattended: true,
		});
		if (onPostgres)
			workflow.nodes = workflow.nodes.map((node) =>
				node.parameters.journal === 'embedded' ? onPostgresJournal(node) : node,
			);
		withCredentialIds(workflow, credentials);
		writeFileSync(join(work, 'workflow.json'), JSON.stringify(workflow));
		await run(runtime.node, [runtime.n8n, 'import:workflow', `--input=${work}/workflow.json`], {
			env,
		});

		// n8n's baseline: the same n8n, user folder and nodes, executing a workflow that does nothing.
		const trivial = {
			id: 'scaleBaseline1',
			name: 'Baseline (Manual Trigger only)',
			active: false,
			nodes: [
				{
					id: 'baseline-trigger',
					name: 'Manual Trigger',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
			],
			connections: {},
			settings: {},
		};
		writeFileSync(join(work, 'baseline.json'), JSON.stringify(trivial));
		await run(runtime.node, [runtime.n8n, 'import:workflow', `--input=${work}/baseline.json`], {
			env,
		});
		const baseline = await executeSampled(trivial.id, 'baseline.out');
		// Judged by its output: this n8n has been seen to end a finished trivial run by a signal
		// (exit code null) after printing a successful run.
		const baselineRun = trailingJson(baseline.result.stdout, 'n8n execute (baseline)');
		if (executionError(baselineRun) || nodeItems(baselineRun, 'Manual Trigger').length !== 1)
			throw new StepFailed('n8n execute of the baseline workflow (a Manual Trigger only) failed');

		const began = performance.now();
		const { result, treeRssKb, processHwmKb } = await executeSampled(
			workflow.id as string,
			'execute.out',
		);
		const seconds = (performance.now() - began) / 1000;
		// n8n prints the run's JSON last; a process that died (out of memory, a signal) printed none.
		if (!/^[[{]/m.test(result.stdout))
			throw new StepFailed(
				`n8n execute printed no run (exit code ${result.code}); its stderr ends:\n${result.stderr.trimEnd().split('\n').slice(-12).join('\n')}`,
			);
		const runJson = trailingJson(result.stdout, 'n8n execute');
		const failure = executionError(runJson);
		if (failure || result.code !== 0)
			throw new StepFailed(
				`n8n execute failed${failure ? ` in node "${failure.node}": ${failure.message}` : ` with exit code ${result.code}`}`,
			);

		// What the export says must exist, read with csv-parse (not the reader under test).
		const rows = parse(readFileSync(join(exportDir, 'patients.csv')), {
			columns: true,
			bom: true,
		}) as Array<{ PatientID: string }>;
		const patientIds = new Set(rows.map((row) => row.PatientID));
		const snapshot = sandbox.admin.snapshot({ live: true }) as unknown as Record<string, unknown[]>;
		const held = Object.fromEntries(
			Object.entries(snapshot)
				.filter(([, list]) => Array.isArray(list))
				.map(([object, list]) => [object, list.length]),
		);
		const [audit] = nodeItems(runJson, 'Audit Log') as Array<{
			entries: number;
			actions: Record<string, number>;
		}>;
		const [reconciled] = nodeItems(runJson, 'Reconcile') as Array<{ passed: boolean }>;
		// Records the migration writes (the rest is the account's setup: pipelines, stages, types).
		const migrated = ['persons', 'organizations', 'leads', 'deals', 'activities', 'notes', 'files']
			.map((object) => held[object] ?? 0)
			.reduce((sum, n) => sum + n, 0);
		const problems = [
			...(held.persons === patientIds.size
				? []
				: [`${held.persons} persons for ${patientIds.size} patients in patients.csv`]),
			...(audit.actions.created === migrated
				? []
				: [`${audit.actions.created} created journal entries for ${migrated} sandbox records`]),
			...(reconciled.passed ? [] : ['Reconcile did not pass']),
			...(treeRssKb - baseline.treeRssKb <= maxGrowthMb * 1024
				? []
				: [
						`the migration added ${Math.round((treeRssKb - baseline.treeRssKb) / 1024)} MB to the n8n process tree's peak RSS, more than --max-growth-mb ${maxGrowthMb}`,
					]),
		];
		process.stdout.write(
			`${JSON.stringify({
				patients,
				journal: args.journal,
				heapLimitMB: heapMb ?? null,
				patientsInCsv: patientIds.size,
				wallSeconds: Math.round(seconds),
				baselineTreeRssMB: Math.round(baseline.treeRssKb / 1024),
				peakTreeRssMB: Math.round(treeRssKb / 1024),
				growthTreeRssMB: Math.round((treeRssKb - baseline.treeRssKb) / 1024),
				baselineProcessHwmMB: Math.round(baseline.processHwmKb / 1024),
				peakProcessHwmMB: Math.round(processHwmKb / 1024),
				growthProcessHwmMB: Math.round((processHwmKb - baseline.processHwmKb) / 1024),
				runDataKB: runDataSizes(runJson),
				sandbox: held,
				audit: audit.actions,
				reconcilePassed: reconciled.passed,
			})}\n`,
		);
		if (problems.length > 0) throw new StepFailed(problems.join('; '));
		succeeded = true;
	} finally {
		await sandbox.close();
		if (onPostgres)
			await localPostgres('postgres', (c) =>
				c.query(`drop database if exists ${journalDb} with (force)`),
			).catch(() => undefined);
		if (succeeded) rmSync(work, { recursive: true, force: true });
		else process.stdout.write(`work folder kept for diagnosis: ${work}\n`);
	}
}

main().catch((error: Error) => {
	process.stderr.write(
		`test:n8n:scale failed: ${error instanceof StepFailed ? error.message : String(error.stack)}\n`,
	);
	process.exitCode = 1;
});
