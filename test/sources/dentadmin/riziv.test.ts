import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	bundledRizivNomenclature,
	checkRizivCode,
	parseRizivNomenclature,
} from '../../../lib/sources/dentadmin/riziv';

describe('RIZIV/INAMI codes', () => {
	it('bundles the shared example codes with their hospitalised pair', () => {
		const table = bundledRizivNomenclature();
		expect(table.size).toBe(16);
		expect(table.get('371593')).toEqual({
			code: '371593',
			pairCode: '371604',
			descriptionNl: 'Jaarlijks mondonderzoek 18-19 jaar',
			descriptionFr: 'Examen buccal annuel 18-19 ans',
			validFrom: '2023-09-01',
			validTo: undefined,
		});
		const shared = readFileSync(
			join(__dirname, '../../../../shared/data/belgium/be_riziv_dental_code_examples.csv'),
			'utf8',
		);
		for (const code of shared.match(/^\d{6}/gm) ?? []) expect(table.has(code)).toBe(true);
	});

	it('checks a code as of the treatment date', () => {
		expect(checkRizivCode('301011', '2024-03-05')).toBe('ok');
		expect(checkRizivCode('371593', '2023-08-31')).toBe('out-of-period');
		expect(checkRizivCode('371593', '2023-09-01')).toBe('ok');
		expect(checkRizivCode('302794', '2024-06-30')).toBe('out-of-period');
		expect(checkRizivCode('999999', '2024-03-05')).toBe('unknown');
		expect(checkRizivCode('30101', '2024-03-05')).toBe('invalid-format');
		expect(checkRizivCode('30101A', '2024-03-05')).toBe('invalid-format');
		expect(checkRizivCode('371593', undefined)).toBe('ok');
	});

	it('reads a replacement list in the same format, including end dates', () => {
		const table = parseRizivNomenclature(
			'code,pair_code,description_nl,description_fr,valid_from,valid_to,source\n' +
				'123456,,Oud,Ancien,2001-01-01,2010-12-31,test\n',
		);
		expect(checkRizivCode('123456', '2010-12-31', table)).toBe('ok');
		expect(checkRizivCode('123456', '2011-01-01', table)).toBe('out-of-period');
		expect(checkRizivCode('301011', '2011-01-01', table)).toBe('unknown');
	});

	it('refuses a replacement list with a bad code or date, naming the line', () => {
		const header = 'code,pair_code,description_nl,description_fr,valid_from,valid_to,source\n';
		expect(() => parseRizivNomenclature(header + '12345,,a,b,,,s\n')).toThrow(
			'Reference table riziv-nomenclature.csv line 2: column code must be 6 digits.',
		);
		expect(() => parseRizivNomenclature(header + '123456,,a,b,01/01/2020,,s\n')).toThrow(
			'Reference table riziv-nomenclature.csv line 2: column valid_from must be YYYY-MM-DD or empty.',
		);
		expect(() => parseRizivNomenclature('code,description\n123456,x\n')).toThrow(
			'Reference table riziv-nomenclature.csv lacks the column(s) pair_code, description_nl, description_fr, valid_from, valid_to, source',
		);
	});
});
