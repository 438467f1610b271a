import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
	makeNationalNumber,
	validateNationalNumber,
} from '../../../lib/sources/dentadmin/nationalNumber';

/** The shared test vectors live beside the project; BELGIUM_DATA_DIR points elsewhere if needed. */
const vectorsDir =
	process.env.BELGIUM_DATA_DIR ?? join(__dirname, '../../../../shared/data/belgium');
const vectorsFile = join(vectorsDir, 'be_national_number_test_vectors.csv');

describe('national register number', () => {
	if (existsSync(vectorsFile)) {
		const vectors = parse(readFileSync(vectorsFile, 'utf8'), { columns: true }) as {
			number: string;
			formatted: string;
			checksum_result: string;
		}[];

		it('has vectors to check', () => {
			expect(vectors.length).toBe(7);
		});

		it.each(vectors)(
			'validates $formatted as $checksum_result (digits and printed form)',
			(vector) => {
				for (const input of [vector.number, vector.formatted]) {
					const result = validateNationalNumber(input);
					if (vector.checksum_result === 'INVALID') {
						expect(result).toEqual({ valid: false, reason: 'checksum' });
					} else {
						expect(result).toMatchObject({
							valid: true,
							digits: vector.number,
							century: vector.checksum_result === '19xx' ? 1900 : 2000,
						});
					}
				}
			},
		);
	} else {
		it('says the shared vectors were not checked (and fails under CI)', () => {
			expect(process.env.CI).not.toBe('true');
			process.stdout.write(`national number vectors NOT checked: ${vectorsFile} is missing\n`);
		});
	}

	it('recognises BIS numbers by their month (+20 sex known, +40 sex unknown)', () => {
		expect(validateNationalNumber('98472899765')).toMatchObject({ valid: true, kind: 'bis' });
		expect(validateNationalNumber('85271200260')).toMatchObject({ valid: true, kind: 'bis' });
		expect(validateNationalNumber('93051822361')).toMatchObject({ valid: true, kind: 'national' });
	});

	it('accepts month and day 00 (birth date not fully known)', () => {
		const digits = makeNationalNumber('1970-00-00', 17);
		expect(digits).toBe('70000001795');
		expect(validateNationalNumber(digits)).toMatchObject({
			valid: true,
			kind: 'national',
			century: 1900,
		});
	});

	it('rejects a wrong length, an impossible month or day, and a bad checksum', () => {
		expect(validateNationalNumber('9305182236')).toEqual({ valid: false, reason: 'format' });
		expect(validateNationalNumber('93.05.18-223.6A')).toEqual({ valid: false, reason: 'format' });
		expect(validateNationalNumber(makeNationalNumber('1993-13-01', 1))).toEqual({
			valid: false,
			reason: 'month',
		});
		expect(validateNationalNumber(makeNationalNumber('1993-33-01', 1))).toEqual({
			valid: false,
			reason: 'month',
		});
		expect(validateNationalNumber(makeNationalNumber('1993-53-01', 1))).toEqual({
			valid: false,
			reason: 'month',
		});
		expect(validateNationalNumber(makeNationalNumber('1993-05-32', 1))).toEqual({
			valid: false,
			reason: 'day',
		});
		expect(validateNationalNumber('93051822362')).toEqual({ valid: false, reason: 'checksum' });
	});

	it('generates numbers that the 19xx and 20xx rules accept, and only that rule', () => {
		expect(makeNationalNumber('1993-05-18', 223)).toBe('93051822361');
		expect(makeNationalNumber('2001-02-03', 1)).toBe('01020300170');
		expect(validateNationalNumber(makeNationalNumber('2001-02-03', 1))).toMatchObject({
			century: 2000,
		});
	});
});
