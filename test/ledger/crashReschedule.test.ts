import type { JournalStore } from '../../lib/ledger/store/journalStore';
import type { Plan, PlanOperation } from '../../lib/plan/plan';
import { handPlans } from './fixtures/handPlans';
import { commitFixture } from './helpers/fixtureCommit';
import { journalKinds } from './helpers/journals';
import { sandboxAccount, type SandboxAccount } from './helpers/sandboxAccount';

/**
 * A delta dies after Pipedrive created a new appointment's activity but before the journal
 * recorded it; before the next run the practice reschedules that appointment in the export. The
 * next run must find the activity by what the dead run sent and move it, not create a second one.
 */
const journals = journalKinds();
beforeAll(() => journals.setUp());
afterAll(() => journals.tearDown());

const NEW_APPOINTMENT = 'dental-exec:appointment:1-recall';

describe.each(journals.kinds)('a crash, then a reschedule, with the $name journal', (kind) => {
	let account: SandboxAccount;
	beforeEach(async () => {
		account = await sandboxAccount();
	});
	afterEach(() => account.close());

	/** The fixture plans, with a new recall appointment for patient 1 on `day` at `time`. */
	function withRecall(day: string, time: string): Plan[] {
		return handPlans(account.registry, { patients: 2 }).map((plan) => {
			if (plan.bundleKey !== 'dental-exec:patient:1') return plan;
			const visit = plan.operations.find((operation) => operation.object === 'activity');
			if (!visit) throw new Error('the fixture patient has no activity');
			const recall: PlanOperation = {
				...visit,
				key: NEW_APPOINTMENT,
				body: { ...visit.body, subject: 'Recall', due_date: day, due_time: time, done: false },
			};
			return { ...plan, operations: [...plan.operations, recall] };
		});
	}
	const commit = (store: JournalStore, plans: Plan[], kind: 'full' | 'delta') =>
		commitFixture(account, store, plans, kind);
	const recalls = () =>
		account.sandbox.admin
			.snapshot({ live: true })
			.activities.filter((activity) => activity.subject === 'Recall')
			.map((activity) => `${activity.due_date} ${String(activity.due_time).slice(0, 5)}`);

	it('moves the activity the dead run created instead of creating a second one', async () => {
		const open = await kind.fresh();
		const dying = await open(account.companyId);
		expect((await commit(dying, handPlans(account.registry, { patients: 2 }), 'full')).status).toBe(
			'completed',
		);
		// The delta that dies: the recall's outcome never reaches the journal.
		const record = dying.record.bind(dying);
		dying.record = (entry) =>
			entry.sourceKey === NEW_APPOINTMENT ? new Promise(() => undefined) : record(entry);
		void commit(dying, withRecall('2026-12-10', '09:00'), 'delta');
		for (let wait = 0; recalls().length === 0 && wait < 500; wait++)
			await new Promise((resolve) => setTimeout(resolve, 10));
		expect(recalls()).toEqual(['2026-12-10 09:00']);
		await dying.close();

		const next = await open(account.companyId);
		try {
			const delta = await commit(next, withRecall('2026-12-17', '14:30'), 'delta');
			expect(delta.status).toBe('completed');
			expect(delta.totals).toMatchObject({ failed: 0, skipped: 0 });
			expect(recalls()).toEqual(['2026-12-17 14:30']);
			// And it stays one activity: a re-run finds it mapped and leaves it as it is.
			const again = await commit(next, withRecall('2026-12-17', '14:30'), 'delta');
			expect(again.totals.created).toBe(0);
			expect(recalls()).toEqual(['2026-12-17 14:30']);
		} finally {
			await next.close();
		}
	});

	it('an update the dead run landed is its own write, not a conflict: the next change arrives, the before-image is the original', async () => {
		const open = await kind.fresh();
		const dying = await open(account.companyId);
		await commit(dying, handPlans(account.registry, { patients: 2 }), 'full');
		const key = 'dental-exec:patient:2';
		const id = Number((await dying.lookup([key])).get(key)?.pipedriveId);
		const record = dying.record.bind(dying);
		dying.record = (entry) =>
			entry.sourceKey === key ? new Promise(() => undefined) : record(entry);
		void commit(dying, handPlans(account.registry, { patients: 2, edited: new Set([2]) }), 'delta');
		const name = async () => ((await account.client.get('person', id)) as { name: string }).name;
		for (let wait = 0; (await name()) !== 'Fixture Patient 2 (edited)' && wait < 500; wait++)
			await new Promise((resolve) => setTimeout(resolve, 10));
		await dying.close();

		// The export changes the name once more before the next run.
		const again = handPlans(account.registry, { patients: 2, edited: new Set([2]) }).map(
			(plan) => ({
				...plan,
				operations: plan.operations.map((operation) =>
					operation.key === key
						? { ...operation, body: { ...operation.body, name: 'Fixture Patient 2 (again)' } }
						: operation,
				),
			}),
		);
		const next = await open(account.companyId);
		try {
			const delta = await commit(next, again, 'delta');
			expect(delta.conflicts.fields).toBe(0);
			expect(await name()).toBe('Fixture Patient 2 (again)');
			const entry = (await next.listEntries({ runIds: [delta.run.id] })).find(
				(candidate) => candidate.sourceKey === key,
			);
			expect(entry).toMatchObject({
				action: 'updated',
				beforeImage: { name: 'Fixture Patient 2' },
			});
		} finally {
			await next.close();
		}
	});
});
