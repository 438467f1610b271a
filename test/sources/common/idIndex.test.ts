import { IdIndex } from '../../../lib/sources/common/idIndex';
import { PatientIndex } from '../../../lib/sources/common/patientIndex';

describe('IdIndex: an exact string index in flat arrays', () => {
	it('keeps every key apart, through growth, with its value and its key back', () => {
		const index = new IdIndex(16);
		const handles: number[] = [];
		// Zero-padded IDs differ from their unpadded twins ("0007" is not "7"), as export IDs do.
		for (let n = 0; n < 5000; n += 1) handles.push(index.set(String(n).padStart(7, '0'), n - 2500));
		for (let n = 0; n < 5000; n += 1) index.set(String(n), 7);
		expect(index.size).toBe(10000);
		// Every key, so that keys one character apart in one probe chain are told apart too.
		for (let n = 0; n < 5000; n += 1) {
			expect(index.get(String(n).padStart(7, '0'))).toBe(n - 2500);
			expect(index.get(String(n))).toBe(7);
		}
		expect(index.get('0000000')).toBe(-2500);
		expect(index.get('0004999')).toBe(2499);
		expect(index.get('4999')).toBe(7);
		expect(index.get('00004999')).toBeUndefined();
		expect(index.has('5000')).toBe(false);
		expect(index.keyOf(handles[1234])).toBe('0001234');
		index.set('0001234', 2 ** 31 - 1);
		expect(index.get('0001234')).toBe(2 ** 31 - 1);
		expect(index.size).toBe(10000);
	});

	it('tells apart keys that share a probe chain and differ in their last character only', () => {
		const index = new IdIndex(16);
		const letters = [...'abcdefghijklmnopqrstuvwxyz'];
		letters.forEach((letter, n) => index.set(`ID-${letter}`, n));
		expect(index.size).toBe(26);
		expect(letters.map((letter) => index.get(`ID-${letter}`))).toEqual(letters.map((_, n) => n));
	});

	it('handles the empty key, non-Latin keys and long keys', () => {
		const index = new IdIndex();
		const long = 'x'.repeat(70000);
		index.set('', 1);
		index.set('Zoë|Ó’Brien|😀', 2);
		const handle = index.set(long, 3);
		expect([index.get(''), index.get('Zoë|Ó’Brien|😀'), index.get(long)]).toEqual([1, 2, 3]);
		expect(index.get(`${long}y`)).toBeUndefined();
		expect(index.keyOf(handle)).toBe(long);
	});
});

describe('PatientIndex', () => {
	it('gives accepted indexes in order, -1 for quarantined rows, and the dates of birth back', () => {
		const patients = new PatientIndex();
		expect(patients.accept('1001', '1980-03-25')).toBe(0);
		patients.quarantine('1002');
		expect(patients.accept('1003', undefined)).toBe(1);
		patients.quarantine('1001');
		expect(patients.accept('1004', '0009-01-02')).toBe(2);
		expect([patients.indexOf('1001'), patients.indexOf('1002'), patients.indexOf('1005')]).toEqual([
			0,
			-1,
			undefined,
		]);
		expect(patients.acceptedCount).toBe(3);
		expect(patients.birthDateOf('1001')).toBe('1980-03-25');
		expect(patients.birthDateOf('1003')).toBeUndefined();
		expect(patients.birthDateOf('1004')).toBe('0009-01-02');
		expect(patients.birthDateOf('1002')).toBeUndefined();
	});
});
