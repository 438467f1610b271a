import { hash, IdIndex } from '../../../lib/sources/common/idIndex';
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

	it('tells apart keys in one home slot that differ in their last character only, through growth', () => {
		// FNV-1a ends with (h ^ lastChar) × an odd number, so last characters equal in their low 12
		// bits give the same home slot in any table of up to 4096 slots: 'a' + k × 0x1000.
		const lastChars = Array.from({ length: 16 }, (_, k) => String.fromCharCode(0x61 + k * 0x1000));
		const prefixes = Array.from({ length: 100 }, (_, n) => `ID-${n}-`);
		for (const prefix of prefixes) {
			const homes = new Set(lastChars.map((last) => hash(prefix + last) & 4095));
			expect(homes.size).toBe(1);
		}
		// 100 × 15 keys from 16 slots up: the index grows 16 → 4096 slots, re-placing every chain.
		const index = new IdIndex(16);
		prefixes.forEach((prefix, n) =>
			lastChars.slice(0, 15).forEach((last, k) => index.set(prefix + last, n * 100 + k)),
		);
		expect(index.size).toBe(1500);
		prefixes.forEach((prefix, n) => {
			expect(lastChars.slice(0, 15).map((last) => index.get(prefix + last))).toEqual(
				Array.from({ length: 15 }, (_, k) => n * 100 + k),
			);
			// The sixteenth key shares the home slot and all but its last character: never set.
			expect(index.has(prefix + lastChars[15])).toBe(false);
		});
		index.set(`ID-7-${lastChars[3]}`, -5);
		expect([index.get(`ID-7-${lastChars[2]}`), index.get(`ID-7-${lastChars[3]}`)]).toEqual([
			702, -5,
		]);
		expect(index.size).toBe(1500);
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
