import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

import { commitPlans } from '../../lib/ledger/commit';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import {
	PostgresJournalStore,
	type PostgresJournalConfig,
} from '../../lib/ledger/store/postgresJournalStore';
import { seededRandom } from '../../sandbox/random';
import type { ChildConfig, PausePoint } from './helpers/commitChild';
import { FIXTURE_SPEC_HASH, handPlans, readFixtureDocument } from './fixtures/handPlans';
import { postgresServer } from './helpers/journals';
import { duplicates, landedCounts } from './helpers/landed';
import { sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

const PATIENTS = 30;
/** 1 organization + 30 × (person, deal, activity, note) + 10 × (lead, file). */
const RECORDS = 1 + PATIENTS * 4 + 10 * 2;
const CHILD = path.join(__dirname, 'helpers', 'commitChild.ts');
/** Writes each child keeps in flight: the kill lands while several are between intent and outcome. */
const CONCURRENCY = 8;
// 20 child processes per journal, each loading tsx: a few seconds each on a shared machine.
/**
 * Each child resumes the same run and dies at its point, counted from its own start: 20 points
 * drawn from a seeded generator (replayable), at an intent, a write or a journaled outcome.
 * The other writes in flight go on until the SIGKILL lands, so each kill hits a random moment.
 */
const KILL_POINTS: Array<{ at: PausePoint; n: number }> = (() => {
	const random = seededRandom(14);
	const points: PausePoint[] = ['intent', 'write', 'record'];
	return Array.from({ length: 20 }, () => ({
		at: points[Math.floor(random.next() * points.length)],
		n: 1 + Math.floor(random.next() * 6),
	}));
})();

const database = `ledger_crash_${randomBytes(6).toString('hex')}`;
async function admin<T>(db: string, work: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ ...postgresServer, database: db });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}
beforeAll(() => admin('postgres', (c) => c.query(`create database ${database}`)));
afterAll(() =>
	admin('postgres', (c) => c.query(`drop database if exists ${database} with (force)`)),
);

/** Runs the child until it reports PAUSED, then SIGKILLs it and waits for the exit. */
function commitAndKill(configFile: string): Promise<void> {
	return new Promise((resolve, reject) => {
		// tsx as a loader in this very process (not the tsx CLI, which forks): the kill hits the commit.
		const child = spawn(process.execPath, ['--import', 'tsx', CHILD, configFile], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		let errors = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('PAUSED')) child.kill('SIGKILL');
		});
		child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
		child.on('exit', (code, signal) => {
			if (signal === 'SIGKILL') resolve();
			else
				reject(
					new Error(
						`The commit child ended with ${code} before its kill point: ${output}${errors}`,
					),
				);
		});
	});
}

/** A killed worker's PostgreSQL backend leaves asynchronously; resume only once it is gone. */
async function untilBackendsGone(): Promise<void> {
	await admin(database, async (client) => {
		for (let i = 0; i < 500; i++) {
			const { rows } = await client.query(
				'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
				[database],
			);
			if (rows[0].n === 0) return;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		throw new Error('The killed commit child still holds a PostgreSQL connection');
	});
}

describe.each(['embedded', 'postgres'] as const)(
	'a commit SIGKILLed mid-run with the %s journal',
	(kind) => {
		let account: SandboxAccount;
		let workDir: string;

		beforeEach(async () => {
			// A little latency, so writes really overlap in flight when the kill lands.
			account = await sandboxAccount({ latencyMs: 15, jitterMs: 30 });
			workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-crash-'));
		});
		afterEach(() => account.close());

		it('resumes after 20 kills of the concurrent commit with zero duplicates and zero lost records', async () => {
			const pgConfig: PostgresJournalConfig = {
				...postgresServer,
				database,
				schema: `c_${randomBytes(4).toString('hex')}`,
			};
			const journal: ChildConfig['journal'] =
				kind === 'embedded'
					? { kind, dir: path.join(workDir, 'journal') }
					: { kind, config: pgConfig };
			const runId = 'crash-run';
			for (const [index, pause] of KILL_POINTS.entries()) {
				const config: ChildConfig = {
					baseUrl: account.sandbox.baseUrl,
					apiToken: account.sandbox.apiToken,
					companyId: account.companyId,
					registry: account.registry,
					patients: PATIENTS,
					runId,
					journal,
					pause,
					concurrency: CONCURRENCY,
				};
				const configFile = path.join(workDir, `child-${index}.json`);
				fs.writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
				await commitAndKill(configFile);
				if (kind === 'postgres') await untilBackendsGone();
			}

			const store: JournalStore =
				kind === 'embedded'
					? FileJournalStore.open(path.join(workDir, 'journal'), account.companyId)
					: await PostgresJournalStore.open(pgConfig, account.companyId);
			try {
				const killedRun = await store.getRun(runId);
				expect(killedRun?.status).toBe('running');
				expect(killedRun?.counts.created).toBeLessThan(RECORDS);

				const result = await commitPlans(handPlans(account.registry, { patients: PATIENTS }), {
					store,
					client: account.client,
					registry: account.registry,
					confirmedSpecHash: FIXTURE_SPEC_HASH,
					kind: 'full',
					runId,
					readDocument: readFixtureDocument,
					concurrency: CONCURRENCY,
				});
				expect(result.status).toBe('completed');
				expect(result.run.counts).toMatchObject({ created: RECORDS, failed: 0, skipped: 0 });
				expect(await store.openIntents()).toEqual([]);

				const landed = landedCounts(
					account.sandbox.admin.snapshot({ live: true }),
					account.registry,
				);
				expect(duplicates(landed)).toEqual([]);
				expect(landed.size).toBe(RECORDS);
				expect(await store.listMapped()).toHaveLength(RECORDS);
			} finally {
				await store.close();
			}
		}, 600_000);
	},
);
