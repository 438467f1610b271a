import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateOrderDetector } from '../../../lib/sources/common/dates';
import { surveyBytes, type DateSurvey } from '../../../lib/sources/common/dateSurvey';
import { EncodingDetector } from '../../../lib/sources/common/encoding';
import type { ExportSource } from '../../../lib/sources/common/exportSource';
import { ProfileFileReader } from '../../../lib/sources/common/fileReader';

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
	for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const bySize = (bytes: Buffer, size: number) =>
	surveyBytes(chunks(bytes, size), new EncodingDetector());

/** The text survey (the reference): it only reads the file, so the rest of the reader is not needed. */
function textSurvey(bytes: Buffer, size: number): Promise<DateSurvey> {
	const source = { open: () => chunks(bytes, size) } as unknown as ExportSource;
	const reader = new ProfileFileReader(source, 'file.csv', never(), never(), never(), never());
	return reader.textSurvey();
}
const never = () => undefined as never;

/** A column's evidence as the reader uses it; a column without any is left out. */
function evidence(survey: DateSurvey): Record<number, unknown> {
	const empty = JSON.stringify(new DateOrderDetector());
	const out: Record<number, unknown> = {};
	survey.dates.forEach((detector, index) => {
		if (detector && JSON.stringify(detector) !== empty)
			out[index] = [detector.result('MDY'), detector.result('DMY'), JSON.stringify(detector)];
	});
	return out;
}

describe('surveyBytes', () => {
	it('counts each order by column with the lines of the rows, quoted line breaks included', async () => {
		const file = Buffer.from(
			'Name,Born,Seen\r\n"Ann\r\nLee",13/01/2024,x\r\n\r\nBob,"02/14/2024",2024-03-01\r\nCy,01/02/2024,12/25/2024 10:00 AM\r\n',
		);
		const survey = await bySize(file, 7);
		expect(survey?.sniff).toEqual({ kind: 'found', delimiter: ',' });
		expect(survey?.empty).toBe(false);
		// Born: 13/01 only DMY (line 2), 02/14 only MDY (line 5), 01/02 either: a tie, the default wins.
		expect(survey?.dates[1]?.result('MDY')).toEqual({
			order: 'MDY',
			label: 'MM/DD/YYYY',
			assumed: false,
			disagreeingLines: [2],
		});
		expect(survey?.dates[1]?.result('DMY').disagreeingLines).toEqual([5]);
		// Seen: an ISO date and 12/25 (MDY, line 6).
		expect(survey?.dates[2]?.result('DMY')).toEqual({
			order: 'MDY',
			label: 'MM/DD/YYYY and YYYY-MM-DD',
			assumed: false,
			disagreeingLines: [],
		});
		expect(survey?.dates[0]?.result('MDY').label ?? 'none').toBe('none');
	});

	it('drops a UTF-8 byte-order mark and reads a semicolon file', async () => {
		const file = Buffer.concat([
			Buffer.from([0xef, 0xbb, 0xbf]),
			Buffer.from('A;B\n1;31.12.2023\n'),
		]);
		const survey = await bySize(file, 1024);
		expect(survey?.sniff).toEqual({ kind: 'found', delimiter: ';' });
		expect(survey?.dates[1]?.result('MDY').label).toBe('DD.MM.YYYY');
	});

	it.each([
		['a second kind of line break', 'A,B\n1,13/01/2024\r\n2,x\n'],
		['text after a closing quote', 'A,B\n"1"x,13/01/2024\n'],
		['a quote never closed', 'A,B\n"1,13/01/2024\n'],
		['a lone CR at the end', 'A,B\n1,13/01/2024\r'],
		['a first chunk shorter than a byte-order mark', 'A'],
	])('leaves %s to the text survey', async (_name, text) => {
		expect(await bySize(Buffer.from(text), 1024)).toBeNull();
	});

	it('leaves a UTF-16 file to the text survey', async () => {
		const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('A,B\n1,2\n', 'utf16le')]);
		expect(await bySize(file, 1024)).toBeNull();
	});

	it('finds what the text survey finds in every bundled sample file', async () => {
		const folders = ['samples/dental-exec', 'samples/dentadmin/fr', 'samples/dentadmin/nl'];
		let compared = 0;
		for (const folder of folders) {
			for (const name of readdirSync(folder).filter((file) => file.endsWith('.csv'))) {
				const bytes = readFileSync(join(folder, name));
				const survey = await bySize(bytes, 64 * 1024);
				expect(survey).not.toBeNull();
				const reference = await textSurvey(bytes, 64 * 1024);
				expect([name, survey?.sniff, survey?.empty, evidence(survey as DateSurvey)]).toEqual([
					name,
					reference.sniff,
					reference.empty,
					evidence(reference),
				]);
				compared += 1;
			}
		}
		expect(compared).toBeGreaterThan(15);
	});

	it('finds what the text survey finds in generated CSV, whatever the chunks', async () => {
		const cell = fc.oneof(
			fc.constantFrom('13/01/2024', '01/13/2024', '05/06/2024 10:00', '12/25/2024 11:30 PM'),
			fc.constantFrom(
				'31.12.2023',
				'2024-02-03',
				'2024-02-03 10:00:00',
				' 13/01/2024',
				'1/13/2024',
			),
			fc.constantFrom('"13/01/2024"', '"a,b"', '"x\r\ny"', '"q ""13/01/2024"""', 'é13/01/2024'),
			fc.constantFrom('\u00a013/01/2024', '\u00a01/13/2024', '25:00 13/01', '13/01/2024 25:00', ''),
			// The shapes the scanner reads from bytes, at their edges: clocks that are no clocks,
			// another separator or marker, a trailing space, one digit too few.
			fc.constantFrom(
				'13/01/2024 24:00',
				'13/01/2024 23:60',
				'01/13/2024 00:30 AM',
				'01/13/2024 13:30 PM',
				'01/13/2024 12:30 pm',
				'01/13/2024 12:30 XM',
				'01/13/2024 12:30 P',
				'13-01-2024',
				'13.01.2024 09:00',
				'13/01-2024',
				'13/01/2024 9:00',
				'13/01/2024T09:00',
				'12/25/2024 11:30 PM ',
				'2024-02-03T10:00:00',
				'2024-02-03 24:00:00',
				'2024-02-03 10:00:60',
				'2024-02-03 10:00',
				'2024-13-45',
				'2024/02/03',
			),
			fc.stringMatching(/^[a-z0-9/ -]{0,12}$/),
		);
		const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
		const breakKind = fc.constantFrom('\n', '\r\n', '\r');
		await fc.assert(
			fc.asyncProperty(
				fc.array(row, { minLength: 1, maxLength: 8 }),
				breakKind,
				fc.integer({ min: 3, max: 40 }),
				fc.boolean(),
				async (rows, lineBreak, size, emptyLine) => {
					const text = ['H1,H2,H3,H4', ...rows, ...(emptyLine ? [''] : [])].join(lineBreak);
					const bytes = Buffer.from(text + lineBreak);
					const survey = await bySize(bytes, size);
					if (survey === null) return;
					const reference = await textSurvey(bytes, size);
					expect([survey.sniff, survey.empty, evidence(survey)]).toEqual([
						reference.sniff,
						reference.empty,
						evidence(reference),
					]);
				},
			),
			{ numRuns: 400 },
		);
	});
});
