import { stringify } from 'csv-stringify/sync';

import { toCsv, toCsvChunks } from '../../lib/ledger/report/csv';
import { jsonArrayChunks } from '../../lib/ledger/report/jsonArray';

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

	it('JSON: equal to JSON.stringify(items, null, 2), also for no items and one', () => {
		const items = rows.map(([key, text, n]) => ({ key, text, n, nested: { list: [n, null] } }));
		expect([...jsonArrayChunks(items)].join('')).toBe(JSON.stringify(items, null, 2));
		expect([...jsonArrayChunks([])].join('')).toBe(JSON.stringify([], null, 2));
		expect([...jsonArrayChunks([items[0]])].join('')).toBe(JSON.stringify([items[0]], null, 2));
	});
});
