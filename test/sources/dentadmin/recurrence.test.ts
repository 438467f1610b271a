import { DateTime } from 'luxon';
import { expandOccurrences, parseRecurrence } from '../../../lib/sources/dentadmin/recurrence';

describe('recurring appointments', () => {
	it('reads the frequency word in Dutch or French and the count', () => {
		expect(parseRecurrence('wekelijks;4')).toEqual({ ok: true, frequency: 'weekly', count: 4 });
		expect(parseRecurrence('Hebdomadaire;4')).toEqual({ ok: true, frequency: 'weekly', count: 4 });
		expect(parseRecurrence('maandelijks;6')).toEqual({ ok: true, frequency: 'monthly', count: 6 });
		expect(parseRecurrence('mensuel; 6')).toEqual({ ok: true, frequency: 'monthly', count: 6 });
		expect(parseRecurrence('dagelijks;3')).toEqual({ ok: true, frequency: 'daily', count: 3 });
		expect(parseRecurrence('quotidien;3')).toEqual({ ok: true, frequency: 'daily', count: 3 });
		expect(parseRecurrence('jaarlijks;2')).toEqual({ ok: true, frequency: 'yearly', count: 2 });
		expect(parseRecurrence('annuel;2')).toEqual({ ok: true, frequency: 'yearly', count: 2 });
	});

	it('names what is wrong with a recurrence it cannot expand', () => {
		expect(parseRecurrence('wekelijks')).toEqual({ ok: false, problem: 'missing-count' });
		expect(parseRecurrence('wekelijks;')).toEqual({ ok: false, problem: 'missing-count' });
		expect(parseRecurrence('wekelijks;0')).toEqual({ ok: false, problem: 'bad-count' });
		expect(parseRecurrence('wekelijks;vier')).toEqual({ ok: false, problem: 'bad-count' });
		expect(parseRecurrence('wekelijks;500')).toEqual({ ok: false, problem: 'bad-count' });
		expect(parseRecurrence('tweewekelijks;4')).toEqual({ ok: false, problem: 'unknown-frequency' });
	});

	it('keeps the Brussels wall-clock time across the spring daylight-saving change', () => {
		const first = DateTime.fromISO('2024-03-24T09:00', { zone: 'Europe/Brussels' });
		expect(expandOccurrences(first, 'weekly', 3, 'Europe/Brussels').map((d) => d.toISO())).toEqual([
			'2024-03-24T08:00:00.000Z',
			'2024-03-31T07:00:00.000Z',
			'2024-04-07T07:00:00.000Z',
		]);
	});

	it('keeps the wall-clock time across the autumn change and clamps month ends', () => {
		const first = DateTime.fromISO('2024-08-31T14:30', { zone: 'Europe/Brussels' });
		expect(expandOccurrences(first, 'monthly', 4, 'Europe/Brussels').map((d) => d.toISO())).toEqual(
			[
				'2024-08-31T12:30:00.000Z',
				'2024-09-30T12:30:00.000Z',
				'2024-10-31T13:30:00.000Z',
				'2024-11-30T13:30:00.000Z',
			],
		);
	});
});
