/**
 * `npm run bench:commit`: commits fixture bundles into the sandbox through the real client and
 * rate limiter, then prints requests and tokens per migrated bundle against the floor (the
 * minimal writes for those bundles at the spec's token costs) and requests per second against
 * the plan's burst ceiling. A second run of the same plans shows what an idempotent re-run costs.
 * Then, for the fixture and for each bundled sample (read, proposed spec, transformed, committed
 * into a fresh sandbox), every written record is read back (lib/ledger/readBack) and it prints
 * read-back tokens per verified record (target ≤ 0.15) and write + full verification tokens ÷
 * the write floor (target ≤ 1.05), side by side with what one GET per record would cost.
 *
 *   npm run bench:commit -- [patients=40] [plan=growth] [faults=<spec>]
 *   npm run bench:commit -- --latency 150 [patients=120]
 *
 * With `--latency MS`, the sandbox holds every answer MS ms (a real network) and, for growth
 * and premium, it prints requests/s ÷ the burst ceiling of the concurrent commit, its tokens per
 * bundle against a one-at-a-time commit of the same plans, failed operations, 429s surfaced to
 * the caller, and the rollback's wall time ÷ the migration's (each phase timed from an empty
 * burst window), its requests and tokens against the migration's, and the same ratio with each
 * side's verification (the migration's read-back of every written record, timed on its own).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { commitPlans, type CommitOptions } from '../lib/ledger/commit';
import { rollback } from '../lib/ledger/rollback';
import { readBack, readBackCost } from '../lib/ledger/readBack';
import { FileJournalStore } from '../lib/ledger/store/fileJournalStore';
import type { SourceSystem } from '../lib/model';
import { PipedriveClient } from '../lib/pipedrive/client';
import { burstLimit, BURST_WINDOW_MS, parsePlan, type PipedrivePlan } from '../lib/pipedrive/plans';
import { RateLimiter } from '../lib/pipedrive/rateLimiter';
import { writeCost } from '../lib/pipedrive/objects';
import type { Plan } from '../lib/plan/plan';
import { FetchTransport } from '../lib/transport/fetchTransport';
import { startSandbox } from '../sandbox';
import {
	FIXTURE_SPEC_HASH,
	handPlans,
	readFixtureDocument,
} from '../test/ledger/fixtures/handPlans';
import { sandboxAccount } from '../test/ledger/helpers/sandboxAccount';
import { namedWords, parseOptions } from '../cli/options';
import { samplePlans } from './samplePlans';

const args = parseOptions(
	process.argv.slice(2),
	{ latency: { type: 'string' } },
	{ positionals: true },
);
const argument = namedWords(args.positionals);

/** The bundled samples, as the golden plans read them (DentAdmin: the Dutch export). */
const SAMPLES: Array<{ source: SourceSystem; folder: string }> = [
	{ source: 'dental-exec', folder: path.join(__dirname, '..', 'samples', 'dental-exec') },
	{ source: 'dentadmin', folder: path.join(__dirname, '..', 'samples', 'dentadmin', 'nl') },
];

interface Verified {
	records: number;
	gone: number;
	requests: number;
	tokens: number;
	/** What one GET per record would have cost. */
	getEachTokens: number;
}

/** Reads back every record the journal maps, as Reconcile does at 100 %. */
async function verifyAll(
	store: FileJournalStore,
	client: PipedriveClient,
	limiter: RateLimiter,
): Promise<Verified> {
	const mapped = await store.listMapped();
	const before = limiter.stats();
	const read = await readBack(client, mapped);
	const after = limiter.stats();
	return {
		records: mapped.length,
		gone: [...read.records.values()].filter((record) => record === null).length,
		requests: after.requests - before.requests,
		tokens: after.tokensSpent - before.tokensSpent,
		getEachTokens: mapped.reduce((sum, record) => sum + readBackCost(record.object), 0),
	};
}

/** Commit tokens, then the full read-back, against the write floor. */
async function writeAndVerify(
	plans: readonly Plan[],
	options: Omit<CommitOptions, 'store' | 'client' | 'kind'> & { client: PipedriveClient },
	limiter: RateLimiter,
	say: (line: string) => void,
	label: string,
): Promise<void> {
	const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-verify-'));
	const store = FileJournalStore.open(journalDir, options.registry.company.id);
	const minimal = floor(plans);
	const before = limiter.stats();
	const result = await commitPlans(plans, { ...options, store, kind: 'full' });
	const after = limiter.stats();
	const written = after.tokensSpent - before.tokensSpent;
	const verified = await verifyAll(store, options.client, limiter);
	const bundles = plans.length;
	say(
		`${label}: ${bundles} bundles, ${result.totals.created} records created (${result.totals.failed} failed); write floor ${minimal.tokens} tokens`,
	);
	say(
		`  write: ${written} tokens = ${(written / minimal.tokens).toFixed(3)} × floor (${((written - minimal.tokens) / bundles).toFixed(2)} tokens per bundle above it: lookups and reads of the commit)`,
	);
	say(
		`  read-back of all ${verified.records} records: ${verified.requests} requests, ${verified.tokens} tokens = ${(verified.tokens / verified.records).toFixed(3)} tokens per verified record (target ≤ 0.15; one GET each: ${verified.getEachTokens} tokens = ${(verified.getEachTokens / verified.records).toFixed(3)}); ${verified.gone} not found`,
	);
	say(
		`  write + full verification: ${((written + verified.tokens) / bundles).toFixed(2)} tokens per bundle = ${((written + verified.tokens) / minimal.tokens).toFixed(3)} × write floor (target ≤ 1.05; with one GET each: ${((written + verified.getEachTokens) / minimal.tokens).toFixed(3)})`,
	);
	await store.close();
	fs.rmSync(journalDir, { recursive: true, force: true });
}

/** A fresh sandbox company provisioned with the sample's proposed schema; the sample committed and verified. */
async function benchSample(
	sample: (typeof SAMPLES)[number],
	plan: PipedrivePlan,
	say: (line: string) => void,
): Promise<void> {
	const sandbox = await startSandbox({ seed: 11, plan, seats: 3 });
	try {
		const limiter = new RateLimiter({ plan, seats: 3 });
		const client = new PipedriveClient(
			new FetchTransport({ baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken }),
			{ limiter },
		);
		const { plans, registry, confirmedSpecHash } = await samplePlans(
			sample.source,
			sample.folder,
			client,
			plan,
		);
		await writeAndVerify(
			plans,
			{ client, registry, confirmedSpecHash },
			limiter,
			say,
			`Bundled sample ${path.relative(path.join(__dirname, '..'), sample.folder)}`,
		);
	} finally {
		await sandbox.close();
	}
}

/**
 * One create per distinct record: a record planned in several bundles (the practice every
 * sample patient links to) is written once, so it counts once.
 */
function floor(plans: readonly Plan[]): { writes: number; tokens: number } {
	const distinct = new Map(
		plans.flatMap((plan) => plan.operations).map((operation) => [operation.key, operation]),
	);
	const operations = [...distinct.values()];
	return {
		writes: operations.length,
		tokens: operations.reduce((sum, operation) => sum + writeCost(operation.object, 'create'), 0),
	};
}

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/**
 * Both timed phases start from an empty burst window, as a migration and a rollback started by a
 * person do: without the wait, the rollback would begin with the migration's last 2 s of requests
 * still in the window and the migration with provisioning's, and each wall time would measure
 * what came before it.
 */
const windowDrained = (latencyMs: number) =>
	new Promise((resolve) => setTimeout(resolve, BURST_WINDOW_MS + latencyMs));

/** One fixture migration at `latencyMs`: committed (with `concurrency`), then rolled back. */
async function migrateAndRollBack(
	plan: PipedrivePlan,
	latencyMs: number,
	patients: number,
	concurrency?: number,
) {
	const account = await sandboxAccount({ plan, seats: 3, latencyMs });
	const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-latency-'));
	const store = FileJournalStore.open(journalDir, account.companyId);
	try {
		const plans = handPlans(account.registry, { patients });
		await windowDrained(latencyMs);
		const before = account.limiter.stats();
		const started = process.hrtime.bigint();
		const result = await commitPlans(plans, {
			store,
			client: account.client,
			registry: account.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			kind: 'full',
			readDocument: readFixtureDocument,
			concurrency,
		});
		const migration = seconds(started);
		const after = account.limiter.stats();
		// The migration as step 5 runs it ends by reading every written record back, as the
		// rollback ends by its own verification: timed on its own, so both ratios can be printed.
		await windowDrained(latencyMs);
		const verifyStarted = process.hrtime.bigint();
		const written = await store.listMapped();
		const verifyWidth = concurrency ?? account.client.inFlightLimit();
		const verification = await readBack(account.client, written, { width: verifyWidth });
		const migrationVerify = seconds(verifyStarted);
		await windowDrained(latencyMs);
		const beforeRollback = account.limiter.stats();
		const rollbackStarted = process.hrtime.bigint();
		const undone = await rollback({ store, client: account.client, concurrency });
		const rollbackWall = seconds(rollbackStarted);
		const afterRollback = account.limiter.stats();
		const requests = after.requests - before.requests;
		const surfaced429 = result.bundles
			.flatMap((bundle) => [...bundle.failed, ...bundle.unsettled])
			.filter((problem) => problem.errorCode.startsWith('http-429')).length;
		return {
			bundles: plans.length,
			requests,
			tokens: after.tokensSpent - before.tokensSpent,
			migration,
			rollbackWall,
			migrationVerify,
			verifyRequests: verification.requests,
			rollbackRequests: afterRollback.requests - beforeRollback.requests,
			rollbackTokens: afterRollback.tokensSpent - beforeRollback.tokensSpent,
			failed: result.totals.failed + result.totals.skipped + result.totals.pending,
			surfaced429,
			seen429: after.rateLimited - before.rateLimited,
			rollbackFailed: undone.failed.length,
			rolledBack: undone.deleted,
			verified: undone.verification.passed,
		};
	} finally {
		await store.close();
		await account.close();
		fs.rmSync(journalDir, { recursive: true, force: true });
	}
}

/** `--latency MS`: the concurrent commit against the plan's burst ceiling at a real network's latency. */
async function latencyBench(latencyMs: number): Promise<void> {
	const patients = Number(argument('patients', '120'));
	const lines = [
		`Latency benchmark: ${patients} fixture patients, every answer held ${latencyMs} ms`,
	];
	for (const plan of ['growth', 'premium'] as const) {
		const ceiling = burstLimit(plan, 'apiToken') / (BURST_WINDOW_MS / 1000);
		const concurrent = await migrateAndRollBack(plan, latencyMs, patients);
		const sequential = await migrateAndRollBack(plan, latencyMs, patients, 1);
		const rate = concurrent.requests / concurrent.migration;
		const perBundle = (run: typeof concurrent) => run.tokens / run.bundles;
		lines.push(
			`${plan}: ${concurrent.requests} requests in ${concurrent.migration.toFixed(1)} s = ${rate.toFixed(1)} requests/s ÷ burst ceiling ${ceiling.toFixed(0)}/s = ${(rate / ceiling).toFixed(2)} (target ≥ 0.8); one at a time: ${(sequential.requests / sequential.migration).toFixed(1)} requests/s = ${(sequential.requests / sequential.migration / ceiling).toFixed(2)}`,
			`  tokens per bundle: ${perBundle(concurrent).toFixed(2)} concurrent vs ${perBundle(sequential).toFixed(2)} one at a time (${((perBundle(concurrent) / perBundle(sequential) - 1) * 100).toFixed(2)} %, target within 1 %)`,
			`  failed/held/pending ${concurrent.failed}; 429 surfaced ${concurrent.surfaced429} (429 answers seen and waited out by the limiter: ${concurrent.seen429})`,
			`  rollback: ${concurrent.rolledBack} deleted in ${concurrent.rollbackWall.toFixed(1)} s, ${concurrent.rollbackFailed} failed, verified ${concurrent.verified}; rollback wall ÷ migration wall = ${(concurrent.rollbackWall / concurrent.migration).toFixed(2)} (target ≤ 1; one at a time ${(sequential.rollbackWall / sequential.migration).toFixed(2)})`,
			`  rollback requests ${concurrent.rollbackRequests} (${concurrent.rolledBack} deletes + ${concurrent.rollbackRequests - concurrent.rolledBack} reads: the practice-work check and the verification), ${concurrent.rollbackTokens} tokens; migration ${concurrent.requests} requests: rollback ÷ migration requests = ${(concurrent.rollbackRequests / concurrent.requests).toFixed(3)}`,
			`  with each side's verification (the migration's read-back of every written record: ${concurrent.verifyRequests} requests in ${concurrent.migrationVerify.toFixed(1)} s): rollback wall ÷ (migration + its verification) wall = ${(concurrent.rollbackWall / (concurrent.migration + concurrent.migrationVerify)).toFixed(2)}`,
		);
	}
	process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
	const latency = args.values.latency;
	if (latency !== undefined) return latencyBench(Number(latency));
	const patients = Number(argument('patients', '40'));
	const plan = parsePlan(argument('plan', 'growth'));
	const faults = argument('faults', '');
	const account = await sandboxAccount({ plan, seats: 3, ...(faults ? { faults } : {}) });
	const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-commit-'));
	const store = FileJournalStore.open(journalDir, account.companyId);
	const plans = handPlans(account.registry, { patients });
	const bundles = plans.length;
	const minimal = floor(plans);
	const ceiling = burstLimit(plan, 'apiToken') / (BURST_WINDOW_MS / 1000);
	const lines: string[] = [];
	const say = (line: string) => lines.push(line);

	say(
		`Commit benchmark: ${patients} fixture patients + 1 practice = ${bundles} bundles, ${minimal.writes} records, plan ${plan}${faults ? `, faults ${faults}` : ''}`,
	);
	say(
		`Floor (one create per record at spec token costs): ${(minimal.writes / bundles).toFixed(2)} requests and ${(minimal.tokens / bundles).toFixed(2)} tokens per bundle`,
	);
	for (const label of ['first run (creates)', 'second run (idempotent re-run)']) {
		const before = account.limiter.stats();
		const started = process.hrtime.bigint();
		const result = await commitPlans(plans, {
			store,
			client: account.client,
			registry: account.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			kind: 'full',
			readDocument: readFixtureDocument,
		});
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const after = account.limiter.stats();
		const requests = after.requests - before.requests;
		const tokens = after.tokensSpent - before.tokensSpent;
		say(
			`${label}: ${result.status}, created ${result.totals.created}, unchanged ${result.totals.unchanged}, failed ${result.totals.failed}`,
		);
		say(`  ${requests} requests, ${tokens} tokens in ${seconds.toFixed(1)} s`);
		say(
			`  per bundle: ${(requests / bundles).toFixed(2)} requests (floor ${(minimal.writes / bundles).toFixed(2)}), ${(tokens / bundles).toFixed(2)} tokens (floor ${(minimal.tokens / bundles).toFixed(2)})`,
		);
		say(
			`  rate: ${(requests / seconds).toFixed(1)} requests/s against a burst ceiling of ${ceiling.toFixed(1)} requests/s (${burstLimit(plan, 'apiToken')} per ${BURST_WINDOW_MS / 1000} s); 429s ${after.rateLimited - before.rateLimited}, waits ${after.waits - before.waits}`,
		);
	}
	await store.close();
	await account.close();
	fs.rmSync(journalDir, { recursive: true, force: true });

	// Full verification, measured in the same run: the fixture in a fresh company, then each sample.
	const fresh = await sandboxAccount({ plan, seats: 3 });
	await writeAndVerify(
		handPlans(fresh.registry, { patients }),
		{
			client: fresh.client,
			registry: fresh.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			readDocument: readFixtureDocument,
		},
		fresh.limiter,
		say,
		`Fixture (${patients} patients)`,
	);
	await fresh.close();
	for (const sample of SAMPLES) await benchSample(sample, plan, say);
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
