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
});
