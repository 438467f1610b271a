import {
	emptyCounts,
	JOURNAL_BATCH,
	type EntryAction,
	type JournalStore,
	type MappedRecord,
} from '../../lib/ledger/store/journalStore';

/** How a store implementation is opened and crashed for the shared contract suite. */
export interface StoreHarness {
	open(companyId: number): Promise<JournalStore>;
	/** Makes every open handle die without recording outcomes, as a killed process would. */
	crashAll(): Promise<void>;
}

const COMPANY = 4101;
const OTHER_COMPANY = 4102;

/** The behaviour every JournalStore must show; run once per implementation. */
export function describeJournalStoreContract(name: string, harness: () => StoreHarness): void {
	describe(`${name} journal store contract`, () => {
		let h: StoreHarness;
		const opened: JournalStore[] = [];
		const open = async (companyId = COMPANY) => {
			const store = await h.open(companyId);
			opened.push(store);
			return store;
		};

		beforeEach(() => {
			h = harness();
		});
		afterEach(async () => {
			for (const store of opened.splice(0)) await store.close().catch(() => undefined);
		});

		it('starts, ends and lists runs with their counts', async () => {
			const store = await open();
			const sample = await store.startRun({
				kind: 'sample',
				specHash: 'spec-a',
				id: 'run-sample',
			});
			expect(sample).toMatchObject({
				id: 'run-sample',
				companyId: COMPANY,
				kind: 'sample',
				specHash: 'spec-a',
				status: 'running',
				endedAt: null,
				stopReason: null,
				counts: {
					created: 0,
					updated: 0,
					unchanged: 0,
					skipped: 0,
					failed: 0,
					deleted: 0,
					restored: 0,
				},
			});
			const ended = await store.endRun('run-sample', {
				status: 'interrupted',
				stopReason: 'budget-exhausted',
			});
			expect(ended.status).toBe('interrupted');
			expect(ended.stopReason).toBe('budget-exhausted');
			expect(ended.endedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
			expect((await store.resumeRun('run-sample')).status).toBe('running');
			await store.startRun({
				kind: 'full',
				specHash: 'spec-a',
				id: 'run-full',
			});
			expect((await store.listRuns()).map((run) => run.id)).toEqual(['run-sample', 'run-full']);
			await expect(store.startRun({ kind: 'full', specHash: 'x', id: 'run-full' })).rejects.toThrow(
				'Run run-full already exists in the journal',
			);
			await expect(store.endRun('nope', { status: 'completed' })).rejects.toThrow(
				'Run nope is not in this company',
			);
		});

		it('applies every action to the source-key map and counts it on its run', async () => {
			const store = await open();
			await store.startRun({ kind: 'full', specHash: 's', id: 'r1' });
			const base = {
				runId: 'r1',
				bundleKey: 'b:1',
				object: 'person' as const,
				beforeImage: null,
				errorCode: null,
			};
			const created = await store.record({
				...base,
				sourceKey: 'p:1',
				pipedriveId: '11',
				action: 'created',
				payloadHash: 'h1',
			});
			await store.record({
				...base,
				sourceKey: 'p:2',
				pipedriveId: '12',
				action: 'created',
				payloadHash: 'h2',
			});
			await store.record({
				...base,
				sourceKey: 'p:3',
				pipedriveId: null,
				action: 'failed',
				payloadHash: 'h3',
				errorCode: 'http-400',
			});
			await store.startRun({ kind: 'full', specHash: 's', id: 'r2' });
			const r2 = { ...base, runId: 'r2' };
			await store.record({
				...r2,
				sourceKey: 'p:1',
				pipedriveId: '11',
				action: 'updated',
				payloadHash: 'h1b',
				beforeImage: { name: 'old' },
				errorCode: 'conflict-kept-pipedrive',
				fieldPrints: { name: 'text:00000000000000b1', phones: 'list:00000000000000a1' },
				conflicts: ['phones'],
			});
			await store.record({
				...r2,
				sourceKey: 'p:2',
				pipedriveId: '12',
				action: 'unchanged',
				payloadHash: 'h2',
			});
			await store.record({
				...r2,
				sourceKey: 'p:4',
				pipedriveId: null,
				action: 'skipped',
				payloadHash: 'h4',
				errorCode: 'parent-failed',
			});
			await store.startRun({ kind: 'rollback', specHash: 's', id: 'r3' });
			const r3 = { ...base, runId: 'r3' };
			await store.record({
				...r3,
				sourceKey: 'p:2',
				pipedriveId: '12',
				action: 'deleted',
				payloadHash: null,
			});
			await store.record({
				...r3,
				sourceKey: 'p:1',
				pipedriveId: '11',
				action: 'restored',
				payloadHash: 'h1',
				fieldPrints: { name: 'text:00000000000000a1' },
			});

			const mapped = await store.lookup(['p:1', 'p:2', 'p:3', 'p:4']);
			expect([...mapped.keys()]).toEqual(['p:1']);
			expect(mapped.get('p:1')).toEqual({
				sourceKey: 'p:1',
				bundleKey: 'b:1',
				object: 'person',
				pipedriveId: '11',
				payloadHash: 'h1',
				createdByRun: 'r1',
				fieldPrints: { name: 'text:00000000000000a1' },
			});
			expect((await store.getRun('r1'))?.counts).toEqual({
				created: 2,
				updated: 0,
				unchanged: 0,
				skipped: 0,
				failed: 1,
				deleted: 0,
				restored: 0,
			});
			expect((await store.getRun('r2'))?.counts).toEqual({
				created: 0,
				updated: 1,
				unchanged: 1,
				skipped: 1,
				failed: 0,
				deleted: 0,
				restored: 0,
			});
			expect((await store.getRun('r3'))?.counts).toEqual({
				created: 0,
				updated: 0,
				unchanged: 0,
				skipped: 0,
				failed: 0,
				deleted: 1,
				restored: 1,
			});

			const entries = await store.listEntries();
			expect(entries.map((entry) => `${entry.runId}:${entry.sourceKey}:${entry.action}`)).toEqual([
				'r1:p:1:created',
				'r1:p:2:created',
				'r1:p:3:failed',
				'r2:p:1:updated',
				'r2:p:2:unchanged',
				'r2:p:4:skipped',
				'r3:p:2:deleted',
				'r3:p:1:restored',
			]);
			// Field prints and conflicts travel with the entry; entries without them hold null.
			expect(entries[3]).toMatchObject({
				fieldPrints: { name: 'text:00000000000000b1', phones: 'list:00000000000000a1' },
				conflicts: ['phones'],
			});
			expect(entries[0]).toMatchObject({ fieldPrints: null, conflicts: null });
			const seqs = entries.map((entry) => entry.seq);
			expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
			expect(new Set(seqs).size).toBe(8);
			expect(created.seq).toBe(seqs[0]);
			expect(entries[3].beforeImage).toEqual({ name: 'old' });
			expect(entries[2].errorCode).toBe('http-400');
			expect((await store.listEntries({ runIds: ['r2'] })).map((entry) => entry.sourceKey)).toEqual(
				['p:1', 'p:2', 'p:4'],
			);
			await expect(
				store.record({
					...base,
					runId: 'r9',
					sourceKey: 'p:9',
					pipedriveId: '1',
					action: 'created',
					payloadHash: 'h',
				}),
			).rejects.toThrow('Run r9 is not in this company');
		});

		it('keeps everything scoped to the target company', async () => {
			const store = await open(COMPANY);
			await store.startRun({ kind: 'sample', specHash: 's', id: 'shared-id' });
			await store.record({
				runId: 'shared-id',
				sourceKey: 'p:1',
				bundleKey: 'b:1',
				object: 'person',
				pipedriveId: '7',
				action: 'created',
				payloadHash: 'h',
				beforeImage: null,
				errorCode: null,
			});
			await store.setWatermark('dental-exec:patient', '2026-01-01T00:00:00Z');
			await store.claimIntent({
				runId: 'shared-id',
				sourceKey: 'p:2',
				bundleKey: 'b:1',
				object: 'person',
				kind: 'create',
				payloadHash: 'h',
				beforeImage: null,
			});

			const other = await open(OTHER_COMPANY);
			expect(await other.listRuns()).toEqual([]);
			expect(await other.getRun('shared-id')).toBeNull();
			expect((await other.lookup(['p:1'])).size).toBe(0);
			expect(await other.listMapped()).toEqual([]);
			expect(await other.listEntries()).toEqual([]);
			expect(await other.openIntents()).toEqual([]);
			expect(await other.getWatermark('dental-exec:patient')).toBeNull();
			// The same run id may exist in another company.
			await other.startRun({ kind: 'full', specHash: 's', id: 'shared-id' });
			expect((await store.getRun('shared-id'))?.kind).toBe('sample');
		});

		it('claims intents atomically and hands over only the intents of dead writers', async () => {
			const first = await open();
			await first.startRun({ kind: 'full', specHash: 's', id: 'r1' });
			const intent = {
				runId: 'r1',
				sourceKey: 'p:1',
				bundleKey: 'b:1',
				object: 'person' as const,
				kind: 'create' as const,
				payloadHash: 'h',
				beforeImage: null,
			};
			expect(await first.claimIntent(intent)).toEqual({ status: 'claimed' });
			expect(await first.openIntents()).toEqual([{ ...intent, at: expect.stringMatching(/Z$/) }]);

			const second = await open();
			expect(await second.claimIntent({ ...intent, runId: 'r1' })).toEqual({
				status: 'busy',
			});

			await h.crashAll();
			const resumed = await open();
			const claim = await resumed.claimIntent({
				...intent,
				kind: 'update',
				payloadHash: 'h2',
				beforeImage: { name: 'before' },
			});
			expect(claim).toEqual({
				status: 'stale',
				previous: { ...intent, at: expect.stringMatching(/Z$/) },
			});
			expect(
				(await resumed.openIntents()).map((open) => [open.sourceKey, open.kind, open.payloadHash]),
			).toEqual([['p:1', 'update', 'h2']]);
			await resumed.record({
				...intent,
				pipedriveId: '5',
				action: 'created',
				beforeImage: null,
				errorCode: null,
			});
			expect(await resumed.openIntents()).toEqual([]);
			expect((await resumed.lookup(['p:1'])).get('p:1')?.pipedriveId).toBe('5');
		});

		it("keeps the prints of what an intent's writer sent for the writer that takes it over", async () => {
			const first = await open();
			await first.startRun({ kind: 'delta', specHash: 's', id: 'r1' });
			const intent = {
				runId: 'r1',
				sourceKey: 'a:1',
				bundleKey: 'b:1',
				object: 'activity' as const,
				kind: 'create' as const,
				payloadHash: 'h',
				beforeImage: null,
				sent: [{ subject: 'text:1', due_date: 'date:2' }],
			};
			expect(await first.claimIntent(intent)).toEqual({ status: 'claimed' });
			await h.crashAll();
			const resumed = await open();
			expect(await resumed.claimIntent({ ...intent, payloadHash: 'h2', sent: [] })).toEqual({
				status: 'stale',
				previous: { ...intent, at: expect.stringMatching(/Z$/) },
			});
		});

		it('settles its own open intent as not sent: no entry, no map change, kept across reopen', async () => {
			const writer = await open();
			await writer.startRun({ kind: 'full', specHash: 's', id: 'r1' });
			const intent = {
				runId: 'r1',
				bundleKey: 'b:1',
				object: 'person' as const,
				kind: 'create' as const,
				payloadHash: 'h',
				beforeImage: null,
			};
			await writer.claimIntent({ ...intent, sourceKey: 'p:1' });
			await writer.claimIntent({ ...intent, sourceKey: 'p:2' });
			// Another live handle cannot settle it, nor can the wrong run or a key without an intent.
			const other = await open();
			expect(await other.settleUnsent({ runId: 'r1', sourceKey: 'p:1' })).toBe(false);
			expect(await writer.settleUnsent({ runId: 'r2', sourceKey: 'p:1' })).toBe(false);
			expect(await writer.settleUnsent({ runId: 'r1', sourceKey: 'p:3' })).toBe(false);

			expect(await writer.settleUnsent({ runId: 'r1', sourceKey: 'p:1' })).toBe(true);
			expect(await writer.settleUnsent({ runId: 'r1', sourceKey: 'p:1' })).toBe(false);
			expect((await writer.openIntents()).map((open) => open.sourceKey)).toEqual(['p:2']);
			expect(await writer.listEntries()).toEqual([]);
			expect((await writer.lookup(['p:1'])).size).toBe(0);
			expect((await writer.getRun('r1'))?.counts).toEqual(emptyCounts());
			// Claimed again, it is a fresh claim (nothing to look up), not a stale one.
			expect(await other.claimIntent({ ...intent, sourceKey: 'p:1' })).toEqual({
				status: 'claimed',
			});

			await h.crashAll();
			const reopened = await open();
			expect((await reopened.openIntents()).map((open) => open.sourceKey).sort()).toEqual([
				'p:1',
				'p:2',
			]);
			const again = await reopened.claimIntent({ ...intent, sourceKey: 'p:1' });
			expect(again.status).toBe('stale');
			expect(await reopened.settleUnsent({ runId: 'r1', sourceKey: 'p:1' })).toBe(true);
			await h.crashAll();
			const third = await open();
			expect((await third.openIntents()).map((open) => open.sourceKey)).toEqual(['p:2']);
		});

		it('reads and advances named watermarks', async () => {
			const store = await open();
			expect(await store.getWatermark('dentadmin:patient')).toBeNull();
			await store.setWatermark('dentadmin:patient', '2026-03-01T10:00:00Z');
			await store.setWatermark('dentadmin:patient', '2026-03-02T10:00:00Z');
			await store.setWatermark('dentadmin:appointment', '2026-02-01T00:00:00Z');
			expect(await store.getWatermark('dentadmin:patient')).toBe('2026-03-02T10:00:00Z');
			expect(await store.getWatermark('dentadmin:appointment')).toBe('2026-02-01T00:00:00Z');
		});

		it('keeps everything across close and reopen', async () => {
			const store = await open();
			await store.startRun({ kind: 'delta', specHash: 's', id: 'r1' });
			await store.record({
				runId: 'r1',
				sourceKey: 'n:1',
				bundleKey: 'b:1',
				object: 'note',
				pipedriveId: '99',
				action: 'created',
				payloadHash: 'h',
				beforeImage: null,
				errorCode: null,
			});
			await store.endRun('r1', { status: 'completed' });
			await store.setWatermark('w', 'v');
			const before = {
				runs: await store.listRuns(),
				entries: await store.listEntries(),
				mapped: await store.listMapped(),
			};
			await store.close();
			opened.splice(opened.indexOf(store), 1);
			const again = await open();
			expect(await again.listRuns()).toEqual(before.runs);
			expect(await again.listEntries()).toEqual(before.entries);
			expect(await again.listMapped()).toEqual(before.mapped);
			expect(await again.getWatermark('w')).toBe('v');
			expect(before.runs[0].counts.created).toBe(1);
		});

		it('hands every entry and mapped record over in batches of at most JOURNAL_BATCH', async () => {
			const store = await open();
			await store.startRun({ kind: 'full', specHash: 's', id: 'rA' });
			const created = [];
			for (let i = 0; i < JOURNAL_BATCH + 5; i++)
				created.push(
					await store.record({
						...{ runId: 'rA', sourceKey: `p:${i}`, bundleKey: `b:${i}`, object: 'person' },
						...{ pipedriveId: String(1000 + i), action: 'created', payloadHash: `h${i}` },
						...{ beforeImage: null, errorCode: null, fieldPrints: { name: `print${i}` } },
					}),
				);
			await store.startRun({ kind: 'delta', specHash: 's', id: 'rB' });
			const updated = await store.record({
				...{ runId: 'rB', sourceKey: 'p:3', bundleKey: 'b:3', object: 'person' },
				...{ pipedriveId: '1003', action: 'updated', payloadHash: 'h3b', errorCode: null },
				...{ beforeImage: { name: 'before' }, fieldPrints: { name: 'print3b' } },
			});
			const sizes = async <T>(batches: AsyncIterable<T[]>) => {
				const seen: number[] = [];
				const items: T[] = [];
				for await (const batch of batches) {
					seen.push(batch.length);
					items.push(...batch);
				}
				return { seen, items };
			};

			const all = await sizes(store.entryBatches());
			expect(all.seen).toEqual([JOURNAL_BATCH, 6]);
			expect(all.items).toEqual([...created, updated]);
			const ofRunA = await sizes(store.entryBatches({ runIds: ['rA'] }));
			expect(ofRunA.seen).toEqual([JOURNAL_BATCH, 5]);
			expect(ofRunA.items).toEqual(created);
			expect((await sizes(store.entryBatches({ runIds: ['rB'] }))).items).toEqual([updated]);
			expect((await sizes(store.entryBatches({ runIds: ['none'] }))).seen).toEqual([]);

			const mapped = await sizes(store.mappedBatches());
			expect(mapped.seen).toEqual([JOURNAL_BATCH, 5]);
			const byKey = new Map(mapped.items.map((record) => [record.sourceKey, record]));
			expect(byKey.size).toBe(JOURNAL_BATCH + 5);
			expect(byKey.get('p:3')).toEqual({
				...{ sourceKey: 'p:3', bundleKey: 'b:3', object: 'person', pipedriveId: '1003' },
				...{ payloadHash: 'h3b', createdByRun: 'rA', fieldPrints: { name: 'print3b' } },
			});
			expect(byKey.get(`p:${JOURNAL_BATCH + 4}`)).toEqual({
				...{ sourceKey: `p:${JOURNAL_BATCH + 4}`, bundleKey: `b:${JOURNAL_BATCH + 4}` },
				...{ object: 'person', pipedriveId: String(1000 + JOURNAL_BATCH + 4) },
				...{ payloadHash: `h${JOURNAL_BATCH + 4}`, createdByRun: 'rA' },
				fieldPrints: { name: `print${JOURNAL_BATCH + 4}` },
			});
		}, 60_000);

		it('lists mapped records in the order of the entries that last set them, reopened too', async () => {
			const store = await open();
			await store.startRun({ kind: 'full', specHash: 's', id: 'r1' });
			const write = (sourceKey: string, action: EntryAction, pipedriveId: string | null) =>
				store.record({
					...{ runId: 'r1', sourceKey, bundleKey: 'b', object: 'person', pipedriveId, action },
					...{ payloadHash: `${sourceKey}-${action}`, beforeImage: null, errorCode: null },
				});
			await write('p:a', 'created', '1');
			await write('p:b', 'created', '2');
			await write('p:c', 'created', '3');
			await write('p:d', 'created', '4');
			// An update or a restore moves its record last; an outcome that leaves the map alone
			// (unchanged, failed) keeps its place; a deleted record leaves, and a record created
			// again comes back last.
			await write('p:a', 'updated', '1');
			await write('p:b', 'unchanged', '2');
			await write('p:c', 'failed', null);
			await write('p:b', 'restored', '2');
			await write('p:d', 'deleted', '4');
			await write('p:c', 'unchanged', '3');
			await write('p:d', 'created', '5');
			const order = (records: MappedRecord[]) =>
				records.map((record) => `${record.sourceKey}=${record.pipedriveId}`);
			const expected = ['p:c=3', 'p:a=1', 'p:b=2', 'p:d=5'];
			expect(order(await store.listMapped())).toEqual(expected);
			const batched: MappedRecord[] = [];
			for await (const batch of store.mappedBatches()) batched.push(...batch);
			expect(order(batched)).toEqual(expected);
			await store.close();
			opened.splice(opened.indexOf(store), 1);
			expect(order(await (await open()).listMapped())).toEqual(expected);
		});
	});
}
