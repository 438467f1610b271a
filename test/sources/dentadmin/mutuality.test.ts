import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	bundledMutualityUnions,
	normaliseInsurerName,
	unionOfMutuality,
} from '../../../lib/sources/dentadmin/mutuality';

describe('mutualities', () => {
	it('bundles an exact copy of the shared union table', () => {
		const bundled = readFileSync(
			join(__dirname, '../../../lib/sources/dentadmin/data/mutuality-unions.csv'),
			'utf8',
		);
		const shared = readFileSync(
			join(__dirname, '../../../../shared/data/belgium/be_mutuality_unions.csv'),
			'utf8',
		);
		expect(bundled).toBe(shared);
		expect(bundledMutualityUnions().map((union) => union.code)).toEqual([
			'100',
			'200',
			'300',
			'306',
			'400',
			'500',
			'600',
			'900',
		]);
	});

	it('derives the national union from the first digit', () => {
		expect(unionOfMutuality('134')?.nameNl).toBe('Landsbond der Christelijke Mutualiteiten');
		expect(unionOfMutuality('306')?.code).toBe('300');
		expect(unionOfMutuality('509')?.nameFr).toBe('Union nationale des mutualités libres');
		expect(unionOfMutuality('901')?.code).toBe('900');
		expect(unionOfMutuality('700')).toBeUndefined();
		expect(unionOfMutuality('12')).toBeUndefined();
		expect(unionOfMutuality('1234')).toBeUndefined();
	});

	it('normalises names so accents, case and spacing do not make a second insurer', () => {
		expect(normaliseInsurerName('  Mutualité   Chrétienne ')).toBe('mutualite chretienne');
		expect(normaliseInsurerName('MUTUALITE CHRETIENNE')).toBe('mutualite chretienne');
		expect(normaliseInsurerName('Vlaams & Neutraal Ziekenfonds')).toBe(
			'vlaams neutraal ziekenfonds',
		);
	});
});
