import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { commitPlans } from '../../lib/ledger/commit';
import { rollback } from '../../lib/ledger/rollback';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import type { DrillChildConfig } from './support/drillChild';
import { dentalExecExport, DRILL_SEED } from './support/exports';
import { drillAccount, type DrillAccount } from './support/fullMigration';
import {
	bundleChild,
	killPoints,
	runAndKill,
	seededRandom,
	type ChildOutput,
} from './support/kill';
import { landedAgainstExport } from './support/landed';
import {
	findLeaks,
	journalFiles,
	notOwnerOnly,
	patientSecrets,
	tokenSecret,
} from './support/leaks';
import { accountRecords, practiceOwnRecords } from './support/snapshots';

/**
 * kill -9 drills on the full migration of an export (issue 18 item 3): the commit, in its own
 * process, is SIGKILLed at 20 seeded random points and resumed each time; then the rollback is
 * killed at 3 points and resumed. Landed records are checked against the export, the account
 * after the rollback against its state before the migration.
 */
jest.setTimeout(180_000);

const COMMIT_KILLS = 20;
const ROLLBACK_KILLS = 3;

let account: DrillAccount;
let exportDir: string;
let work: string;
let before: ReturnType<typeof accountRecords>;
let plansFile: string;
let bundle: string;
const outputs: ChildOutput[] = [];
const random = seededRandom(DRILL_SEED);

beforeAll(async () => {
	exportDir = dentalExecExport();
	account = await drillAccount('dental-exec', exportDir);
	await practiceOwnRecords(account.client);
	before = accountRecords(account.sandbox);
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-crash-'));
	plansFile = path.join(work, 'plans.json');
	bundle = bundleChild(work);
	const { plans, registry, specHash } = account.migration;
	fs.writeFileSync(plansFile, JSON.stringify({ plans, registry, specHash }), { mode: 0o600 });
});
afterAll(async () => {
	await account.close();
	fs.rmSync(work, { recursive: true, force: true });
	fs.rmSync(exportDir, { recursive: true, force: true });
});

const journalDir = () => path.join(work, 'journal');
const child = (mode: DrillChildConfig['mode'], runId: string, pause: DrillChildConfig['pause']) =>
	({
		mode,
		baseUrl: account.sandbox.baseUrl,
		apiToken: account.sandbox.apiToken,
		companyId: account.sandbox.companyId,
		journalDir: journalDir(),
		runId,
		plansFile,
		pause,
	}) satisfies DrillChildConfig;

describe('the full migration, killed with kill -9', () => {
	it(`resumes after ${COMMIT_KILLS} kills at seeded random points: 0 duplicates, 0 lost against the export`, async () => {
		const { migration } = account;
		const check = () =>
			landedAgainstExport(
				account.sandbox.admin.snapshot({ live: true }),
				migration.read,
				migration.plans,
				migration.registry,
			);
		// The records one uninterrupted commit writes (shared organizations once).
		const writes = new Set(
			migration.plans.flatMap((plan) => plan.operations.map((op) => `${op.object}:${op.key}`)),
		).size;
		const points = killPoints(random, COMMIT_KILLS, writes);
		for (const [index, pause] of points.entries())
			outputs.push(
				await runAndKill(
					bundle,
					child('commit', 'full-drill', pause),
					path.join(work, `commit-${index}.json`),
				),
			);
		expect(outputs).toHaveLength(COMMIT_KILLS);

		const store = FileJournalStore.open(journalDir(), account.sandbox.companyId);
		try {
			const killed = await store.getRun('full-drill');
			expect(killed?.status).toBe('running');
			expect(killed?.counts.created).toBeGreaterThan(0);
			expect(killed?.counts.created).toBeLessThan(writes);
			// Killed mid-run, the sandbox holds part of the export and never a record twice.
			const partial = check();
			expect(partial.duplicates).toEqual([]);
			expect(partial.unexpected).toEqual([]);

			const result = await commitPlans(migration.plans, {
				store,
				client: account.client,
				registry: migration.registry,
				confirmedSpecHash: migration.specHash,
				kind: 'full',
				runId: 'full-drill',
			});
			expect(result.status).toBe('completed');
			expect(result.totals).toMatchObject({ failed: 0, skipped: 0, pending: 0 });
			expect(await store.openIntents()).toEqual([]);
			expect(await store.listMapped()).toHaveLength(writes);
		} finally {
			await store.close();
		}
		const landed = check();
		expect({
			duplicates: landed.duplicates,
			lost: landed.lost,
			unexpected: landed.unexpected,
		}).toEqual({ duplicates: [], lost: [], unexpected: [] });
		expect(landed.records).toBe(writes);
	});

	it(`a rollback killed ${ROLLBACK_KILLS} times and resumed leaves the account as it was before the migration`, async () => {
		const deletes = new Set(
			account.migration.plans.flatMap((plan) =>
				plan.operations.map((op) => `${op.object}:${op.key}`),
			),
		).size;
		for (const [index, pause] of killPoints(random, ROLLBACK_KILLS, deletes).entries())
			outputs.push(
				await runAndKill(
					bundle,
					child('rollback', 'rollback-drill', pause),
					path.join(work, `rollback-${index}.json`),
				),
			);
		// Part of the migration is gone, part is still there.
		expect(accountRecords(account.sandbox)).not.toEqual(before);

		const store = FileJournalStore.open(journalDir(), account.sandbox.companyId);
		try {
			const result = await rollback({ store, client: account.client, runId: 'rollback-drill' });
			expect(result.status).toBe('completed');
			expect(result.failed).toEqual([]);
			expect(result.verification.passed).toBe(true);
			expect(result.deleted + result.alreadyDone).toBeGreaterThan(0);
			expect(await store.openIntents()).toEqual([]);
		} finally {
			await store.close();
		}
		expect(accountRecords(account.sandbox)).toEqual(before);
	});

	it('the journal the kills left behind is owner-only and holds no patient value or token outside before-images', () => {
		const secrets = [
			...patientSecrets('dental-exec', exportDir),
			tokenSecret(account.sandbox.apiToken),
		];
		expect(notOwnerOnly(journalDir())).toEqual([]);
		const files = journalFiles(journalDir()).filter((entry) => !entry.directory);
		expect(files.length).toBeGreaterThan(0);
		expect(
			files.flatMap((entry) =>
				findLeaks(`journal ${path.basename(entry.file)}`, entry.text, secrets),
			),
		).toEqual([]);
	});

	it('the killed processes printed no patient value and no token', () => {
		const secrets = [
			...patientSecrets('dental-exec', exportDir),
			tokenSecret(account.sandbox.apiToken),
		];
		expect(outputs).toHaveLength(COMMIT_KILLS + ROLLBACK_KILLS);
		expect(
			outputs.flatMap((output, index) =>
				findLeaks(`child ${index} output`, output.stdout + output.stderr, secrets),
			),
		).toEqual([]);
	});
});
