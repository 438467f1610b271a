import { commitPlans } from '../../lib/ledger/commit';
import { BudgetExhaustedError } from '../../lib/pipedrive/errors';
import { diffReport } from '../../lib/ledger/diff';
import { rollback } from '../../lib/ledger/rollback';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { FIXTURE_SPEC_HASH, handPlans, readFixtureDocument } from './fixtures/handPlans';
import { journalKinds } from './helpers/journals';
import { readsSince, sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

const journals = journalKinds();
beforeAll(() => journals.setUp());
afterAll(() => journals.tearDown());

const PATIENTS = 12;
/** Per 12 patients: 1 organization, 12 persons, 12 deals, 12 activities, 12 notes, 4 leads, 4 files. */
const CREATED_PER_RUN = 1 + 12 * 4 + 4 * 2;

describe.each(journals.kinds)('commit with the $name journal', (kind) => {
	let account: SandboxAccount;
	let store: JournalStore;

	beforeEach(async () => {
		account = await sandboxAccount();
		const open = await kind.fresh();
		store = await open(account.companyId);
	});
	afterEach(async () => {
		await store.close();
		await account.close();
	});

	const commit = (
		plans: ReturnType<typeof handPlans>,
		extra: { kind?: 'sample' | 'full' | 'delta'; runId?: string } = {},
	) =>
		commitPlans(plans, {
			store,
			client: account.client,
			registry: account.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			kind: extra.kind ?? 'full',
			runId: extra.runId,
			readDocument: readFixtureDocument,
		});

	it('writes a sample whose diff report matches on every mapped field', async () => {
		const plans = handPlans(account.registry, { patients: 6 });
		const result = await commit(plans, { kind: 'sample' });
		expect(result.status).toBe('completed');
		expect(result.totals).toEqual({
			created: 1 + 6 * 4 + 2 * 2,
			updated: 0,
			unchanged: 0,
			skipped: 0,
			failed: 0,
			deleted: 0,
			restored: 0,
			pending: 0,
		});
		expect(result.run.kind).toBe('sample');

		const report = await diffReport(plans, { store, client: account.client, runId: result.run.id });
		const fieldCount = plans
			.flatMap((plan) => plan.operations)
			.reduce((sum, op) => sum + op.fields.length, 0);
		expect(report.fields.filter((f) => f.status !== 'match')).toEqual([]);
		expect(report.totals).toEqual({ match: fieldCount, mismatch: 0, missing: 0, 'not-checked': 0 });
		expect(report.readBack.records).toBe(29);
	});

	it('creates nothing new on a second full run and updates exactly the edited records on a delta', async () => {
		const first = await commit(handPlans(account.registry, { patients: PATIENTS }));
		expect(first.totals.created).toBe(CREATED_PER_RUN);
		const afterFirst = account.sandbox.admin.snapshot({ live: true });

		const second = await commit(handPlans(account.registry, { patients: PATIENTS }));
		expect(second.totals).toMatchObject({
			created: 0,
			updated: 0,
			unchanged: CREATED_PER_RUN,
			failed: 0,
			skipped: 0,
		});
		expect(account.sandbox.admin.snapshot({ live: true })).toEqual(afterFirst);

		const edited = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		const delta = await commit(handPlans(account.registry, { patients: PATIENTS, edited }), {
			kind: 'delta',
		});
		expect(delta.totals).toMatchObject({
			created: 0,
			updated: 10,
			unchanged: CREATED_PER_RUN - 10,
			failed: 0,
			skipped: 0,
		});
		const updatedKeys = (await store.listEntries({ runIds: [delta.run.id] }))
			.filter((entry) => entry.action === 'updated')
			.map((entry) => entry.sourceKey);
		// Several writes are in flight at once: the journal holds them in the order they finished.
		expect(updatedKeys.sort()).toEqual([...edited].map((i) => `dental-exec:patient:${i}`).sort());
		const persons = account.sandbox.admin.snapshot({ live: true }).persons;
		expect(persons.filter((p) => String(p.name).endsWith('(edited)'))).toHaveLength(10);
		expect(persons).toHaveLength(PATIENTS);
	});

	it('rolls the whole migration back to the exact pre-migration snapshot', async () => {
		const before = account.sandbox.admin.snapshot({ live: true });
		await commit(handPlans(account.registry, { patients: 6 }), { kind: 'sample' });
		await commit(handPlans(account.registry, { patients: PATIENTS }));
		await commit(handPlans(account.registry, { patients: PATIENTS, edited: new Set([2, 4]) }), {
			kind: 'delta',
		});

		const result = await rollback({ store, client: account.client });
		expect(result.status).toBe('completed');
		expect(result.deleted).toBe(CREATED_PER_RUN);
		expect(result.restored).toBe(0);
		expect(result.verification).toEqual({
			checked: CREATED_PER_RUN,
			passed: true,
			problems: [],
			differences: [],
		});
		expect(account.sandbox.admin.snapshot({ live: true })).toEqual(before);
		expect(await store.listMapped()).toEqual([]);

		const again = await rollback({ store, client: account.client });
		expect({ deleted: again.deleted, alreadyDone: again.alreadyDone }).toEqual({
			deleted: 0,
			alreadyDone: CREATED_PER_RUN,
		});
	});

	it('restores updated records from their before-images when one delta run is rolled back', async () => {
		await commit(handPlans(account.registry, { patients: 4 }));
		const beforeDelta = account.sandbox.admin.snapshot({ live: true, omitUpdateTimes: true });
		const delta = await commit(
			handPlans(account.registry, { patients: 4, edited: new Set([1, 3]) }),
			{ kind: 'delta' },
		);
		expect(delta.totals.updated).toBe(2);

		const result = await rollback({ store, client: account.client, scopeRunId: delta.run.id });
		expect({
			deleted: result.deleted,
			restored: result.restored,
			passed: result.verification.passed,
		}).toEqual({
			deleted: 0,
			restored: 2,
			passed: true,
		});
		expect(account.sandbox.admin.snapshot({ live: true, omitUpdateTimes: true })).toEqual(
			beforeDelta,
		);
		// The map is back to the pre-delta payloads: the original plans are unchanged again.
		const rerun = await commit(handPlans(account.registry, { patients: 4 }));
		expect(rerun.totals).toMatchObject({ created: 0, updated: 0 });
	});

	it('settles a write the budget refused before sending as not sent; a write that went out keeps its intent', async () => {
		const plans = handPlans(account.registry, { patients: 2 });
		const real = account.client;
		const client = Object.create(real) as typeof real;
		let calls = 0;
		let bothIn: () => void = () => undefined;
		const barrier = new Promise<void>((resolve) => (bothIn = resolve));
		client.create = async (object, body, file) => {
			if (object !== 'person') return real.create(object, body, file);
			const call = ++calls;
			if (call === 2) bothIn();
			await barrier;
			// Patient 1's POST went out as the budget ran out (it may have landed); patient 2's was
			// refused by the limiter before it left. Told apart by the body, not by which of the two
			// writes in flight reached the client first (that order is the journal's, not the plan's).
			throw new BudgetExhaustedError(
				'2030-01-01T00:00:00.000Z',
				undefined,
				'the daily API token budget is spent',
				body.name === 'Fixture Patient 1',
			);
		};
		const stopped = await commitPlans(plans, {
			store,
			client,
			registry: account.registry,
			confirmedSpecHash: FIXTURE_SPEC_HASH,
			kind: 'full',
			readDocument: readFixtureDocument,
			concurrency: 2,
		});
		expect(stopped.status).toBe('interrupted');
		expect(stopped.totals).toMatchObject({ created: 1, failed: 0 });
		expect((await store.openIntents()).map((intent) => intent.sourceKey)).toEqual([
			'dental-exec:patient:1',
		]);

		// The resume looks up patient 1 only (one search, no hit), then writes everything.
		const before = account.sandbox.admin.counters();
		const resumed = await commit(plans, { runId: stopped.run.id });
		expect(resumed.status).toBe('completed');
		expect(readsSince(account, before).requests).toBe(1);
		expect(
			account.sandbox.admin.counters().requests['GET /api/v2/persons/search'] -
				(before.requests['GET /api/v2/persons/search'] ?? 0),
		).toBe(1);
		// 2 patients: a person, deal, activity and note each (the organization landed before the stop).
		expect(resumed.totals).toMatchObject({ created: 2 * 4, failed: 0, pending: 0 });
		expect(await store.openIntents()).toEqual([]);
	});

	it('refuses plans made with a spec other than the confirmed one, before writing anything', async () => {
		const plans = handPlans(account.registry, { patients: 1, specHash: 'b'.repeat(64) });
		await expect(commit(plans)).rejects.toThrow(
			`The plan for bundle dental-exec:practice:1 was made with mapping spec bbbbbbbbbbbb…, but the confirmed spec is ${FIXTURE_SPEC_HASH.slice(0, 12)}….`,
		);
		expect(account.sandbox.admin.snapshot({ live: true }).organizations).toEqual([]);
		expect(await store.listRuns()).toEqual([]);
	});

	it('holds back a record planned for another patient in a full run; a delta moves it', async () => {
		await commit(handPlans(account.registry, { patients: 3 }));
		const dealOf = (title: string) =>
			account.sandbox.admin.snapshot({ live: true }).deals.find((deal) => deal.title === title);
		const personOf = (name: string) =>
			account.sandbox.admin.snapshot({ live: true }).persons.find((person) => person.name === name);
		const plan1 = dealOf('Treatment plan 1');
		expect(plan1).toMatchObject({ value: 101, person_id: personOf('Fixture Patient 1')?.id });

		// A later page in which patient 2's plan carries plan 1's number (two patients sharing one
		// plan number across pages): its deal would take over patient 1's.
		const page = handPlans(account.registry, { patients: 3 }).filter(
			(plan) => plan.bundleKey === 'dental-exec:patient:2',
		);
		const deal = page[0].operations.find((operation) => operation.object === 'deal');
		if (!deal) throw new Error('the hand plan of patient 2 has no deal');
		deal.key = 'dental-exec:treatmentPlan:1';
		const sourceKeyField = Object.keys(deal.body.custom_fields as object).find(
			(field) =>
				(deal.body.custom_fields as Record<string, unknown>)[field] ===
				'dental-exec:treatmentPlan:2',
		);
		(deal.body.custom_fields as Record<string, unknown>)[String(sourceKeyField)] = deal.key;

		const full = await commit(page);
		expect(full.bundles[0].heldBack.map((problem) => [problem.key, problem.errorCode])).toEqual([
			['dental-exec:treatmentPlan:1', 'planned-for-another-patient'],
		]);
		expect(full.totals).toMatchObject({ updated: 0, skipped: 1 });
		expect(dealOf('Treatment plan 1')).toEqual(plan1);
		expect(dealOf('Treatment plan 2')).toBeDefined();

		// In a delta the practice moved the plan to patient 2: it moves.
		const delta = await commit(page, { kind: 'delta' });
		expect(delta.totals).toMatchObject({ updated: 1, skipped: 0 });
		expect(dealOf('Treatment plan 1')).toBeUndefined();
		const moved = account.sandbox.admin
			.snapshot({ live: true })
			.deals.filter((candidate) => candidate.id === plan1?.id);
		expect(moved).toMatchObject([
			{ title: 'Treatment plan 2', value: 102, person_id: personOf('Fixture Patient 2')?.id },
		]);
	});

	it('journals a refused record as failed and holds back its children, the others go on', async () => {
		const plans = handPlans(account.registry, { patients: 3 });
		const person2 = plans[2].operations[0];
		person2.body.visible_to = 'everyone';
		const result = await commit(plans);
		const bundle2 = result.bundles.find((bundle) => bundle.bundleKey === 'dental-exec:patient:2');
		expect(bundle2?.failed).toEqual([
			{
				key: 'dental-exec:patient:2',
				object: 'person',
				errorCode: expect.stringMatching(/^http-400/),
				reason: expect.stringContaining('Pipedrive answered 400'),
			},
		]);
		expect(bundle2?.heldBack.map((problem) => [problem.key, problem.errorCode])).toEqual([
			['dental-exec:treatmentPlan:2', 'parent-failed'],
			['dental-exec:appointment:2', 'parent-failed'],
			['dental-exec:note:2', 'parent-failed'],
		]);
		expect(result.totals).toMatchObject({ created: 1 + 2 * 4 + 2, failed: 1, skipped: 3 });
	});
});
