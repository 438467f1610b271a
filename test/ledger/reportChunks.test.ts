import { stringify } from 'csv-stringify/sync';

import { auditLogCsv, auditLogCsvStream, type AuditRow } from '../../lib/ledger/auditLog';
import { toCsv, toCsvChunks } from '../../lib/ledger/report/csv';
import { jsonArrayStream } from '../../lib/ledger/report/jsonArray';

/** `items` in batches of `size`, as the journal hands them over. */
async function* inBatches<T>(items: readonly T[], size: number): AsyncGenerator<T[]> {
	for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

async function joined(chunks: AsyncIterable<string>): Promise<string> {
	let text = '';
	for await (const chunk of chunks) text += chunk;
	return text;
}

/**
 * Reports of a whole migration are written in chunks; the files must be byte for byte what one
 * call of csv-stringify and of JSON.stringify give for the same rows.
 */
describe('report files in chunks', () => {
	const rows = Array.from({ length: 2501 }, (_, i) => [
		`dental-exec:patient:${i}`,
		i % 7 === 0 ? '=cmd' : `line one\nline "two" ${i}`,
		i,
	]);

	it('CSV: 2,501 rows in 4 chunks after the header, equal to one csv-stringify call', () => {
		const chunks = [...toCsvChunks(['key', 'text', 'n'], rows)];
		expect(chunks).toHaveLength(1 + 3);
		const whole = stringify([
			['key', 'text', 'n'],
			...rows.map(([key, text, n]) => [key, text === '=cmd' ? "'=cmd" : text, String(n)]),
		]);
		expect(chunks.join('')).toBe(whole);
		expect(toCsv(['key', 'text', 'n'], rows)).toBe(whole);
	});

	it('JSON from batches: equal to JSON.stringify(items, null, 2), also for no items and one', async () => {
		const items = rows.map(([key, text, n]) => ({ key, text, n, nested: { list: [n, null] } }));
		expect(await joined(jsonArrayStream(inBatches(items, 2000)))).toBe(
			JSON.stringify(items, null, 2),
		);
		expect(await joined(jsonArrayStream(inBatches([], 2000)))).toBe(JSON.stringify([], null, 2));
		expect(await joined(jsonArrayStream(inBatches([items[0]], 2000)))).toBe(
			JSON.stringify([items[0]], null, 2),
		);
	});

	it('audit CSV from batches of 2,000 rows: equal to one csv-stringify call, also for none', async () => {
		const audit: AuditRow[] = rows.map(([key, text, n]) => ({
			...{ run: 'r1', time: '2026-12-04T02:00:00.000Z', sourceKey: String(key) },
			...{ bundleKey: `b:${n}`, object: 'person', pipedriveId: String(n), action: 'created' },
			...{ errorCode: n === 3 ? '-1' : '', conflicts: String(text) },
		}));
		const header = 'run,time,source_key,bundle_key,object,pipedrive_id,action,error_code,conflicts';
		const whole = stringify([
			header.split(','),
			...audit.map((row) => [
				...[row.run, row.time, row.sourceKey, row.bundleKey, row.object, row.pipedriveId],
				...[row.action, row.errorCode === '-1' ? "'-1" : '', row.conflicts.replace(/^=/, "'=")],
			]),
		]);
		expect(await joined(auditLogCsvStream(inBatches(audit, 2000)))).toBe(whole);
		expect(auditLogCsv(audit)).toBe(whole);
		expect(await joined(auditLogCsvStream(inBatches([], 2000)))).toBe(`${header}\n`);
	});
});
