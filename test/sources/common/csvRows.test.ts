import fc from 'fast-check';
import {
	csvParseRecords,
	readCsvRecords,
	type CsvEnd,
	type CsvRecord,
} from '../../../lib/sources/common/csvRows';

async function* text(value: string, size = 5): AsyncGenerator<string> {
	for (let i = 0; i < value.length; i += size) yield value.slice(i, i + size);
}

async function parse(
	value: string,
	delimiter = ',',
): Promise<{ records: CsvRecord[]; end: CsvEnd | undefined }> {
	const records: CsvRecord[] = [];
	let end: CsvEnd | undefined;
	for await (const record of readCsvRecords(text(value), delimiter, (e) => (end = e)))
		records.push(record);
	return { records, end };
}

describe('readCsvRecords', () => {
	it('keeps quoted newlines in their field and numbers each record by its first line', async () => {
		const { records, end } = await parse('a,b\r\n1,"x\r\ny\r\nz"\r\n\r\n2,"q ""quoted"""\r\n');
		expect(records).toEqual([
			{ fields: ['a', 'b'], line: 1, lastLine: 1, unterminated: false },
			{ fields: ['1', 'x\r\ny\r\nz'], line: 2, lastLine: 4, unterminated: false },
			{ fields: ['2', 'q "quoted"'], line: 6, lastLine: 6, unterminated: false },
		]);
		expect(end).toEqual({ kind: 'complete' });
	});

	it('marks a last record without a line break', async () => {
		const { records } = await parse('a;b;c\n1;2;3\n4;5', ';');
		expect(records.at(-1)).toEqual({
			fields: ['4', '5'],
			line: 3,
			lastLine: 3,
			unterminated: true,
		});
	});

	it('numbers the last record by its own line when the file was cut between its CR and LF', async () => {
		for (const size of [1, 4, 100]) {
			const records: CsvRecord[] = [];
			for await (const record of readCsvRecords(
				text('a,b\r\n1,2\r\n3,4\r', size),
				',',
				() => undefined,
			))
				records.push(record);
			expect(records.at(-1)).toEqual({
				fields: ['3', '4'],
				line: 3,
				lastLine: 3,
				unterminated: true,
			});
		}
	});

	it('keeps the records before an unterminated quote and names the line it starts on', async () => {
		const { records, end } = await parse('a,b\n1,ok\n2,"never closed\n3,lost\n');
		expect(records.map((record) => record.fields)).toEqual([
			['a', 'b'],
			['1', 'ok'],
		]);
		expect(end).toEqual({ kind: 'unterminated-quote', line: 3 });
	});
});

describe('readCsvRecords against csv-parse', () => {
	/** Text made of the characters CSV parsing turns on, cut into chunks of random sizes. */
	const csvText = fc.array(fc.constantFrom('a', 'b', ',', ';', '"', '\r', '\n', '\r\n', ' ', 'é'), {
		maxLength: 60,
	});

	async function collect(
		read: typeof readCsvRecords,
		value: string,
		delimiter: string,
		size: number,
	): Promise<{ records: CsvRecord[]; end: CsvEnd | undefined }> {
		const records: CsvRecord[] = [];
		let end: CsvEnd | undefined;
		for await (const record of read(text(value, size), delimiter, (e) => (end = e)))
			records.push(record);
		return { records, end };
	}

	it('yields the same records, lines and end as csv-parse for any text and chunking', async () => {
		await fc.assert(
			fc.asyncProperty(
				csvText,
				fc.constantFrom(',', ';'),
				fc.integer({ min: 1, max: 12 }),
				async (parts, delimiter, size) => {
					const value = parts.join('');
					const expected = await collect(csvParseRecords, value, delimiter, size);
					const actual = await collect(readCsvRecords, value, delimiter, size);
					expect(actual).toEqual(expected);
				},
			),
			{ numRuns: 3000, seed: 13 },
		);
	});

	it('yields the same as csv-parse for well-formed files, which it parses by hand', async () => {
		const cell = fc.oneof(
			fc.stringMatching(/^[a-z0-9 /:.-]{0,8}$/),
			fc.stringMatching(/^[a-z\r\n",;]{0,8}$/).map((inner) => `"${inner.replace(/"/g, '""')}"`),
		);
		const row = fc.array(cell, { minLength: 1, maxLength: 5 }).map((cells) => cells.join(','));
		await fc.assert(
			fc.asyncProperty(
				fc.array(row, { maxLength: 8 }),
				fc.constantFrom('\n', '\r\n', '\r'),
				fc.constantFrom('', '\n', '\r\n', '\r', '\n\n'),
				fc.integer({ min: 1, max: 20 }),
				async (rows, lineEnd, tail, size) => {
					const value = rows.join(lineEnd) + tail;
					const expected = await collect(csvParseRecords, value, ',', size);
					const actual = await collect(readCsvRecords, value, ',', size);
					expect(actual).toEqual(expected);
				},
			),
			{ numRuns: 2000, seed: 13 },
		);
	});
});
