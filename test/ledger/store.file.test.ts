import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { FileJournalStore, JOURNAL_FILE_NAME } from '../../lib/ledger/store/fileJournalStore';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { describeJournalStoreContract } from './store.contract';

function tempDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
}

describeJournalStoreContract('embedded file', () => {
	const dir = path.join(tempDir(), 'journal');
	const handles: JournalStore[] = [];
	return {
		open: async (companyId) => {
			const store = FileJournalStore.open(dir, companyId);
			handles.push(store);
			return store;
		},
		// Closing every handle without outcomes leaves the file exactly as a killed process would.
		crashAll: async () => {
			for (const store of handles.splice(0)) await store.close();
		},
	};
});

/** A journal holding one run with one created person. */
async function journalWithOneEntry(dir: string): Promise<void> {
	const store = FileJournalStore.open(dir, 1);
	await store.startRun({ kind: 'full', specHash: 's', id: 'r1' });
	await store.record({
		runId: 'r1',
		sourceKey: 'p:1',
		bundleKey: 'b:1',
		object: 'person',
		pipedriveId: '3',
		action: 'created',
		payloadHash: 'h',
		beforeImage: null,
		errorCode: null,
	});
	await store.close();
}

describe('embedded file journal', () => {
	it('creates the folder 0700 and the file 0600', async () => {
		const dir = path.join(tempDir(), 'nested', 'journal');
		const store = FileJournalStore.open(dir, 1);
		await store.startRun({ kind: 'sample', specHash: 's' });
		await store.close();
		expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
		expect(fs.statSync(path.join(dir, JOURNAL_FILE_NAME)).mode & 0o777).toBe(0o600);
	});

	it('moves a torn last line aside, reports it and keeps every complete record', async () => {
		const dir = tempDir();
		await journalWithOneEntry(dir);
		const file = path.join(dir, JOURNAL_FILE_NAME);
		const complete = fs.readFileSync(file, 'utf8');
		fs.appendFileSync(file, '{"t":"entry","c":1,"entry":{"runId":"r1","seq":2,"sou');

		const reopened = FileJournalStore.open(dir, 1);
		expect(reopened.recovery).toEqual({
			tornBytes: 53,
			tornFile: `${file}.torn-${complete.length}`,
		});
		expect(fs.readFileSync(`${file}.torn-${complete.length}`, 'utf8')).toBe(
			'{"t":"entry","c":1,"entry":{"runId":"r1","seq":2,"sou',
		);
		expect(fs.readFileSync(file, 'utf8')).toBe(complete);
		expect((await reopened.lookup(['p:1'])).get('p:1')?.pipedriveId).toBe('3');
		await reopened.setWatermark('w', 'v');
		await reopened.close();
		const third = FileJournalStore.open(dir, 1);
		expect(third.recovery).toEqual({ tornBytes: 0, tornFile: null });
		expect(await third.getWatermark('w')).toBe('v');
		await third.close();
	});

	it('refuses a journal damaged before its last line, naming the file and line', async () => {
		const dir = tempDir();
		const store = FileJournalStore.open(dir, 1);
		await store.setWatermark('a', '1');
		await store.setWatermark('b', '2');
		await store.close();
		const file = path.join(dir, JOURNAL_FILE_NAME);
		const lines = fs.readFileSync(file, 'utf8').split('\n');
		lines[0] = 'garbage';
		fs.writeFileSync(file, lines.join('\n'));
		expect(() => FileJournalStore.open(dir, 1)).toThrow(
			`The migration journal ${file} is damaged at line 1: it is not valid JSON.`,
		);
	});

	describe('kept in memory between handles (a Commit page opens the journal once per page)', () => {
		it('parses the file once: a reopen of an unchanged file parses no line', async () => {
			const dir = tempDir();
			await journalWithOneEntry(dir);
			const first = FileJournalStore.open(dir, 1);
			const second = FileJournalStore.open(dir, 1);
			// Both lines were written by this process: nothing to parse, and none while open.
			expect(first.replay).toEqual({ from: 'memory', linesParsed: 0 });
			expect(second.replay).toEqual({ from: 'memory', linesParsed: 0 });
			await first.close();
			await second.close();
			const third = FileJournalStore.open(dir, 1);
			expect(third.replay).toEqual({ from: 'memory', linesParsed: 0 });
			expect((await third.lookup(['p:1'])).get('p:1')?.pipedriveId).toBe('3');
			expect((await third.listEntries()).map((entry) => entry.seq)).toEqual([1]);
			await third.close();
		});

		it('replays only the lines another process appended', async () => {
			const dir = tempDir();
			await journalWithOneEntry(dir);
			const file = path.join(dir, JOURNAL_FILE_NAME);
			const sizeBefore = fs.statSync(file).size;
			// Another process's writer: the lines it would append, then its lock released.
			fs.appendFileSync(
				file,
				'{"t":"watermark","c":1,"name":"w","value":"v"}\n{"t":"watermark","c":2,"name":"w","value":"other company"}\n',
			);
			const reopened = FileJournalStore.open(dir, 1);
			expect(reopened.replay).toEqual({ from: 'tail', linesParsed: 2 });
			expect(await reopened.getWatermark('w')).toBe('v');
			expect((await reopened.lookup(['p:1'])).get('p:1')?.pipedriveId).toBe('3');
			expect(fs.statSync(file).size).toBeGreaterThan(sizeBefore);
			await reopened.close();
		});

		it('replays the whole file when it was replaced, shortened or rewritten in place', async () => {
			const dir = tempDir();
			await journalWithOneEntry(dir);
			const file = path.join(dir, JOURNAL_FILE_NAME);
			const original = fs.readFileSync(file, 'utf8');

			// Replaced (a new inode) with a journal of one watermark only.
			fs.renameSync(file, `${file}.moved`);
			fs.writeFileSync(file, '{"t":"watermark","c":1,"name":"w","value":"new file"}\n');
			const replaced = FileJournalStore.open(dir, 1);
			expect(replaced.replay).toEqual({ from: 'disk', linesParsed: 1 });
			expect(await replaced.getWatermark('w')).toBe('new file');
			expect(await replaced.lookup(['p:1'])).toEqual(new Map());
			await replaced.close();

			// Shortened: the original's first line only (the run, without its entry).
			fs.writeFileSync(file, original.split('\n')[0] + '\n');
			const shortened = FileJournalStore.open(dir, 1);
			expect(shortened.replay).toEqual({ from: 'disk', linesParsed: 1 });
			expect(await shortened.getWatermark('w')).toBeNull();
			expect((await shortened.listRuns()).map((run) => run.id)).toEqual(['r1']);
			expect(await shortened.listEntries()).toEqual([]);
			await shortened.close();

			// Rewritten in place to the same size (only the closing bytes differ).
			const sameSize = original.split('\n')[0].replace('"kind":"full"', '"kind":"rlbk"');
			fs.writeFileSync(file, sameSize + '\n');
			const rewritten = FileJournalStore.open(dir, 1);
			expect(rewritten.replay).toEqual({ from: 'disk', linesParsed: 1 });
			expect((await rewritten.listRuns()).map((run) => run.kind)).toEqual(['rlbk']);
			await rewritten.close();
		});
	});

	describe('entries kept as their place in the file, read back when asked for', () => {
		/** Two runs; entries with multi-byte text, so a character offset would read the wrong bytes. */
		async function journalWithTwoRuns(dir: string) {
			const store = FileJournalStore.open(dir, 1);
			await store.startRun({ kind: 'full', specHash: 's', id: 'r1' });
			const recorded = [
				await store.record({
					...{ runId: 'r1', sourceKey: 'p:1', bundleKey: 'b:1', object: 'person' },
					...{ pipedriveId: '3', action: 'created', payloadHash: 'h1', errorCode: null },
					beforeImage: null,
					fieldPrints: { name: 'print-ë1', 'custom_fields.ab': 'print-€2' },
				}),
				await store.record({
					...{ runId: 'r1', sourceKey: 'p:2', bundleKey: 'b:2', object: 'person' },
					...{ pipedriveId: null, action: 'failed', payloadHash: 'h2' },
					...{ errorCode: 'validation', beforeImage: null },
				}),
			];
			await store.startRun({ kind: 'delta', specHash: 's', id: 'r2' });
			recorded.push(
				await store.record({
					...{ runId: 'r2', sourceKey: 'p:1', bundleKey: 'b:1', object: 'person' },
					...{ pipedriveId: '3', action: 'updated', payloadHash: 'h3', errorCode: null },
					beforeImage: { name: 'Zoë Müller–Ødegård 😀' },
					fieldPrints: { name: 'print-ø3' },
					conflicts: ['phones'],
				}),
			);
			await store.close();
			return recorded;
		}

		it('lists and looks up exactly what was recorded, from memory and from a replay of the file', async () => {
			const dir = tempDir();
			const recorded = await journalWithTwoRuns(dir);
			const expectedMapped = {
				...{ sourceKey: 'p:1', bundleKey: 'b:1', object: 'person', pipedriveId: '3' },
				...{ payloadHash: 'h3', createdByRun: 'r1', fieldPrints: { name: 'print-ø3' } },
			};
			// A copy in another folder is a file this process never opened: replayed from disk.
			const copy = tempDir();
			fs.copyFileSync(path.join(dir, JOURNAL_FILE_NAME), path.join(copy, JOURNAL_FILE_NAME));
			for (const [folder, from] of [
				[dir, 'memory'],
				[copy, 'disk'],
			] as const) {
				const store = FileJournalStore.open(folder, 1);
				expect(store.replay.from).toBe(from);
				expect(await store.listEntries()).toEqual(recorded);
				expect(await store.listEntries({ runIds: ['r2'] })).toEqual([recorded[2]]);
				expect(await store.listEntries({ runIds: ['r1'] })).toEqual(recorded.slice(0, 2));
				expect(await store.lookup(['p:1', 'p:2'])).toEqual(new Map([['p:1', expectedMapped]]));
				expect(await store.listMapped()).toEqual([expectedMapped]);
				await store.close();
			}
		});

		it('reads the right lines after another process appended and after a torn line was moved aside', async () => {
			const dir = tempDir();
			const recorded = await journalWithTwoRuns(dir);
			const file = path.join(dir, JOURNAL_FILE_NAME);
			fs.appendFileSync(
				file,
				'{"t":"watermark","c":1,"name":"w","value":"é"}\n{"t":"entry","c":1,"ent',
			);
			const reopened = FileJournalStore.open(dir, 1);
			expect(reopened.replay).toEqual({ from: 'tail', linesParsed: 1 });
			expect(reopened.recovery.tornBytes).toBe(23);
			const deleted = await reopened.record({
				...{ runId: 'r2', sourceKey: 'p:1', bundleKey: 'b:1', object: 'person' },
				...{ pipedriveId: '3', action: 'deleted', payloadHash: null, errorCode: null },
				beforeImage: null,
			});
			expect(await reopened.listEntries()).toEqual([...recorded, deleted]);
			expect(await reopened.listMapped()).toEqual([]);
			await reopened.close();
		});
	});
});
