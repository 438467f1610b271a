import { statusHtml } from '../../lib/ledger/report/statusHtml';
import { migrationStatus } from '../../lib/ledger/status';
import type { JournalEntry, MappedRecord, RunRecord } from '../../lib/ledger/store/journalStore';

const run: RunRecord = {
	id: 'run-<1>',
	companyId: 1,
	kind: 'full',
	specHash: 'h',
	startedAt: '2026-11-20T08:00:00.000Z',
	endedAt: '2026-11-21T09:00:00.000Z',
	status: 'interrupted',
	stopReason: 'budget-exhausted',
	counts: { created: 3, updated: 0, unchanged: 0, skipped: 0, failed: 1, deleted: 0, restored: 0 },
};
const entry = (
	seq: number,
	at: string,
	object: JournalEntry['object'],
	action: JournalEntry['action'],
	sourceKey: string,
): JournalEntry => ({
	runId: run.id,
	seq,
	sourceKey,
	bundleKey: sourceKey,
	object,
	pipedriveId: action === 'failed' ? null : String(seq),
	action,
	payloadHash: 'x',
	beforeImage: null,
	errorCode: action === 'failed' ? 'http-400' : null,
	fieldPrints: null,
	conflicts: null,
	at,
});
const entries = [
	entry(1, '2026-11-20T08:01:00.000Z', 'person', 'created', 'p:1'),
	entry(2, '2026-11-20T08:02:00.000Z', 'note', 'created', 'n:1'),
	entry(3, '2026-11-21T08:01:00.000Z', 'person', 'failed', 'p:2'),
	entry(4, '2026-11-21T08:02:00.000Z', 'person', 'failed', 'p:<3>'),
	entry(5, '2026-11-21T08:03:00.000Z', 'person', 'created', 'p:2'),
];
const mapped: MappedRecord[] = [
	{
		sourceKey: 'p:1',
		bundleKey: 'p:1',
		object: 'person',
		pipedriveId: '1',
		payloadHash: 'x',
		createdByRun: run.id,
		fieldPrints: null,
	},
	{
		sourceKey: 'n:1',
		bundleKey: 'n:1',
		object: 'note',
		pipedriveId: '2',
		payloadHash: 'x',
		createdByRun: run.id,
		fieldPrints: null,
	},
	{
		sourceKey: 'p:2',
		bundleKey: 'p:2',
		object: 'person',
		pipedriveId: '5',
		payloadHash: 'x',
		createdByRun: run.id,
		fieldPrints: null,
	},
];

describe('migration status', () => {
	const status = migrationStatus({
		runs: [run],
		entries,
		mapped,
		preflight: { writes: { person: 10, note: 2 }, days: 2 },
		budget: { dailyBudget: 180_000, tokensLeftToday: 179_000, resetAt: '2026-11-22T00:00:00.000Z' },
		now: new Date('2026-11-21T12:00:00.000Z'),
	});

	it('counts done and left per object against the preflight, and the records whose last attempt failed', () => {
		expect(status.objects.filter((row) => row.planned! > 0)).toEqual([
			{ object: 'person', done: 2, planned: 10, left: 8, failed: 1 },
			{ object: 'note', done: 1, planned: 2, left: 1, failed: 0 },
		]);
		expect(status.totals).toEqual({ done: 3, planned: 12, left: 9, failed: 1 });
		expect(status.failures).toEqual([
			{
				sourceKey: 'p:<3>',
				object: 'person',
				errorCode: 'http-400',
				runId: 'run-<1>',
				at: '2026-11-21T08:02:00.000Z',
			},
		]);
	});

	it("counts a run's unfinished records by each record's latest entry, not every attempt", () => {
		// p:2 failed, then was created in the same run: finished. p:<3> failed last: unfinished.
		expect(
			status.runs.map(({ id, failed, skipped, unfinished }) => ({
				id,
				failed,
				skipped,
				unfinished,
			})),
		).toEqual([{ id: 'run-<1>', failed: 1, skipped: 0, unfinished: 1 }]);
		const heldBack = migrationStatus({
			runs: [run],
			entries: [...entries, entry(6, '2026-11-21T08:04:00.000Z', 'note', 'skipped', 'n:2')],
			mapped,
			now: new Date('2026-11-21T12:00:00.000Z'),
		});
		expect(heldBack.runs[0].unfinished).toBe(2);
	});

	it('prices the writes per day by the token-cost table and finishes at the pace so far', () => {
		// POST /api/v2/persons costs 5, POST /api/v1/notes 10 (tokenCosts.json from the OpenAPI files).
		expect(status.days).toEqual([
			{ day: '2026-11-20', records: 2, tokens: 15 },
			{ day: '2026-11-21', records: 1, tokens: 5 },
		]);
		expect(status.budget).toEqual({
			dailyBudget: 180_000,
			tokensLeftToday: 179_000,
			tokensUsedToday: 1_000,
			resetAt: '2026-11-22T00:00:00.000Z',
		});
		// 3 created over 2 days with writes: 2 a day (rounded); 9 left → 5 days from today on.
		expect(status.pace).toEqual({
			recordsPerDay: 2,
			daysLeft: 5,
			finishDay: '2026-11-25',
			preflightDays: 2,
		});
	});

	it('renders the page escaped, with a progress bar per object', () => {
		const html = statusHtml(status);
		expect(html).toContain('<td>p:&lt;3&gt;</td>');
		expect(html).not.toContain('p:<3>');
		expect(html).toContain(
			'<div class="tile"><b>2025-11-25 (5 days)</b>finishes at this pace</div>'.replace(
				'2025',
				'2026',
			),
		);
		expect(html).toContain('title="2 done, 1 failed, 7 left"');
	});
});
