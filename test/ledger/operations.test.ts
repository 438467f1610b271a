import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { commitPlans } from '../../lib/ledger/commit';
import { diffReport } from '../../lib/ledger/diff';
import { reconcile } from '../../lib/ledger/reconcile';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import { advanceWatermark, readWatermark } from '../../lib/ledger/watermarks';
import { PipedriveClient } from '../../lib/pipedrive/client';
import { RateLimiter } from '../../lib/pipedrive/rateLimiter';
import { FetchTransport } from '../../lib/transport/fetchTransport';
import { FIXTURE_SPEC_HASH, handPlans, readFixtureDocument } from './fixtures/handPlans';
import { duplicates, landedCounts } from './helpers/landed';
import { sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

describe('diff report, reconcile and watermarks on the sandbox', () => {
	let account: SandboxAccount;
	let store: FileJournalStore;

	beforeEach(async () => {
		account = await sandboxAccount();
		store = FileJournalStore.open(
			fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-ops-')),
			account.companyId,
		);
	});
	afterEach(async () => {
		await store.close();
		await account.close();
	});

	const commit = (patients: number, client = account.client) =>
		commitPlans(handPlans(account.registry, { patients }), {
			store,
			client,
			registry: account.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			kind: 'full',
			readDocument: readFixtureDocument,
		});

	it('reports a field changed in Pipedrive as a mismatch and a cleared one as missing, within a read-back budget', async () => {
		const plans = handPlans(account.registry, { patients: 2 });
		const run = await commit(2);
		const person1 = (await store.lookup(['dental-exec:patient:1'])).get('dental-exec:patient:1');
		const birth = account.registry.fields.person['Date of birth'].key;
		await account.client.update('person', Number(person1?.pipedriveId), {
			name: 'Changed in Pipedrive',
			custom_fields: { [birth]: null },
		});

		const report = await diffReport(plans, { store, client: account.client, runId: run.run.id });
		expect(
			report.fields
				.filter((field) => field.status !== 'match')
				.map((f) => [f.sourceKey, f.canonical, f.status, f.expected, f.stored]),
		).toEqual([
			[
				'dental-exec:patient:1',
				'patient.name',
				'mismatch',
				'Fixture Patient 1',
				'Changed in Pipedrive',
			],
			['dental-exec:patient:1', 'patient.birthDate', 'missing', '1980-01-02', null],
		]);
		expect(report.summary.find((row) => row.canonical === 'patient.name')).toMatchObject({
			match: 1,
			mismatch: 1,
			missing: 0,
		});

		// Reading back costs 1 token per v2 record and 2 per v1 record (lead, note, file).
		const budgeted = await diffReport(plans, {
			store,
			client: account.client,
			runId: run.run.id,
			maxReadBackTokens: 3,
		});
		expect(budgeted.readBack).toEqual({
			records: 9,
			requests: 3,
			tokens: 3,
			budgetTokens: 3,
			skippedForBudget: 6,
		});
		expect(budgeted.totals['not-checked']).toBeGreaterThan(0);
	});

	it('reconciles counts against the export totals and verifies a share by reading back', async () => {
		await commit(6);
		const passing = await reconcile({
			store,
			client: account.client,
			verifyShare: 1,
			plans: handPlans(account.registry, { patients: 6 }),
		});
		expect(passing.passed).toBe(true);
		expect(passing.findings).toEqual([]);
		expect(passing.objects.find((row) => row.object === 'person')).toEqual({
			object: 'person',
			expected: 6,
			planned: 6,
			created: 6,
			updated: 0,
			unchanged: 0,
			skipped: 0,
			failed: 0,
			inPipedrive: 6,
			passed: true,
		});
		expect(passing.verification).toMatchObject({
			share: 1,
			checked: 1 + 6 * 4 + 2 * 2,
			missing: 0,
			passed: true,
		});

		const person = (await store.lookup(['dental-exec:patient:2'])).get('dental-exec:patient:2');
		await account.client.delete('person', Number(person?.pipedriveId));
		// No share given: every record is checked (the default is 100 %).
		const failing = await reconcile({ store, client: account.client, expected: { person: 7 } });
		expect(failing.passed).toBe(false);
		expect(failing.verification.share).toBe(1);
		// 29 records: 1 organization and 6 each of persons, deals, activities are fewer than a
		// 10-token ids call is worth (19 GETs × 1); 6 notes, 2 leads, 2 files also by GET (2 each),
		// as a 20-token v1 page costs more: 29 requests, 19 + 20 tokens.
		expect(failing.verification.readBack).toEqual({ requests: 29, tokens: 39 });
		expect(failing.findings).toEqual([
			'person: 6 in Pipedrive, 7 expected, 0 failed, 0 held back',
			'read-back: 1 of 29 checked records missing',
		]);
		await expect(reconcile({ store, client: account.client, verifyShare: 2 })).rejects.toThrow(
			'The verification share must be between 0 and 1',
		);
	});

	it('advances a watermark only after a run without failures, and never backwards unless forced', async () => {
		expect(await readWatermark(store, 'dental-exec:patient')).toBeNull();
		const good = await commit(1);
		await expect(
			advanceWatermark(store, {
				name: 'dental-exec:patient',
				value: '2026-11-20T08:00:00Z',
				runId: good.run.id,
			}),
		).resolves.toEqual({
			name: 'dental-exec:patient',
			previous: null,
			value: '2026-11-20T08:00:00Z',
		});

		const plans = handPlans(account.registry, { patients: 2 });
		plans[2].operations[0].body.visible_to = 'everyone';
		const bad = await commitPlans(plans, {
			store,
			client: account.client,
			registry: account.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			kind: 'delta',
			readDocument: readFixtureDocument,
		});
		await expect(
			advanceWatermark(store, {
				name: 'dental-exec:patient',
				value: '2026-11-21T08:00:00Z',
				runId: bad.run.id,
			}),
		).rejects.toThrow(
			`Run ${bad.run.id} has 4 failed or held-back records, so watermark dental-exec:patient stays at 2026-11-20T08:00:00Z`,
		);
		await expect(
			advanceWatermark(store, { name: 'dental-exec:patient', value: '2026-11-19T08:00:00Z' }),
		).rejects.toThrow(
			'Watermark dental-exec:patient is at 2026-11-20T08:00:00Z; moving it back to 2026-11-19T08:00:00Z would re-read records.',
		);
		await advanceWatermark(store, {
			name: 'dental-exec:patient',
			value: '2026-11-21T08:00:00Z',
			runId: bad.run.id,
			force: true,
		});
		expect(await readWatermark(store, 'dental-exec:patient')).toBe('2026-11-21T08:00:00Z');
		await expect(
			advanceWatermark(store, { name: 'patients', value: '2026-11-21T08:00:00Z' }),
		).rejects.toThrow("The watermark name 'patients' is not valid: use <source>:<entity>");
	});

	it('stops cleanly when the daily budget is spent and resumes the same run after the reset', async () => {
		// Provisioning the fixture schema costs 127 tokens; the commit of 6 patients needs about 200.
		const poor = await sandboxAccount({ dailyBudget: 127 + 120 });
		const journal = FileJournalStore.open(
			fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-budget-')),
			poor.companyId,
		);
		const options = (client: PipedriveClient, runId?: string) => ({
			store: journal,
			client,
			registry: poor.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			kind: 'full' as const,
			runId,
			readDocument: readFixtureDocument,
		});
		try {
			const stopped = await commitPlans(
				handPlans(poor.registry, { patients: 6 }),
				options(poor.client),
			);
			expect(stopped.status).toBe('interrupted');
			expect(stopped.resetAt).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/);
			expect(stopped.message).toBe(
				`The daily Pipedrive API budget is spent: ${stopped.totals.pending} operations were not sent. Run the commit again with run id ${stopped.run.id} after ${stopped.resetAt} to resume; nothing is written twice.`,
			);
			expect(stopped.run).toMatchObject({ status: 'interrupted', stopReason: 'budget-exhausted' });
			expect(stopped.totals.pending).toBeGreaterThan(0);

			// The next day: the server's budget is back, and so is a fresh limiter's.
			poor.sandbox.admin.advanceClock(24 * 60 * 60 * 1000);
			const nextDay = new PipedriveClient(
				new FetchTransport({ baseUrl: poor.sandbox.baseUrl, apiToken: poor.sandbox.apiToken }),
				{ limiter: new RateLimiter({ plan: 'growth', seats: 3 }) },
			);
			const resumed = await commitPlans(
				handPlans(poor.registry, { patients: 6 }),
				options(nextDay, stopped.run.id),
			);
			expect(resumed.status).toBe('completed');
			expect(resumed.run.counts).toMatchObject({
				created: 1 + 6 * 4 + 2 * 2,
				failed: 0,
				skipped: 0,
			});
			const landed = landedCounts(poor.sandbox.admin.snapshot({ live: true }), poor.registry);
			expect(duplicates(landed)).toEqual([]);
			expect(landed.size).toBe(1 + 6 * 4 + 2 * 2);
		} finally {
			await journal.close();
			await poor.close();
		}
	});

	it('keeps a write with no reliable answer open, holds its children, and settles it on the next run', async () => {
		// Every request is applied and then its connection dropped: no answer ever arrives.
		account.sandbox.admin.setFaults('seed=1,rate=1,kinds=drop-after');
		const first = await commit(1);
		account.sandbox.admin.setFaults(null);
		expect(first.status).toBe('interrupted');
		expect(first.run.stopReason).toBe('unsettled-writes');
		expect(first.message).toBe(
			`1 writes got no reliable answer from Pipedrive. Run the commit again with run id ${first.run.id}: it looks them up before writing, so nothing is written twice.`,
		);
		const practice = first.bundles.find((bundle) => bundle.bundleKey === 'dental-exec:practice:1');
		expect(practice?.unsettled.map((problem) => [problem.key, problem.errorCode])).toEqual([
			['dental-exec:practice:1', expect.stringMatching(/^connection-/)],
		]);
		expect((await store.openIntents()).map((intent) => intent.sourceKey)).toEqual([
			'dental-exec:practice:1',
		]);
		expect(first.totals).toMatchObject({ created: 0, failed: 0, skipped: 4, pending: 1 });

		const second = await commit(1);
		expect(second.status).toBe('completed');
		expect(second.totals).toMatchObject({ created: 5, failed: 0, skipped: 0, pending: 0 });
		const landed = landedCounts(account.sandbox.admin.snapshot({ live: true }), account.registry);
		expect(duplicates(landed)).toEqual([]);
		expect(landed.size).toBe(5);
	});
});
