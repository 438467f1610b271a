import { DateTime, Settings } from 'luxon';
import {
	DateOrderDetector,
	latestInstant,
	parseDateCell,
	toUtcDateTime,
	zoneDateOf,
	type DateCell,
} from '../../../lib/sources/common/dates';

function utc(raw: string, zone: string, order: 'MDY' | 'DMY' = 'MDY'): string {
	const cell = parseDateCell(raw, order);
	if (cell.kind !== 'date') throw new Error(`expected a date, got ${cell.kind}`);
	return toUtcDateTime(cell, zone);
}

describe('parseDateCell', () => {
	it.each<[string, 'MDY' | 'DMY', DateCell]>([
		['03/04/2024', 'MDY', { kind: 'date', date: '2024-03-04', time: undefined, offset: undefined }],
		['03/04/2024', 'DMY', { kind: 'date', date: '2024-04-03', time: undefined, offset: undefined }],
		['3/4/2024', 'MDY', { kind: 'date', date: '2024-03-04', time: undefined, offset: undefined }],
		['2024-03-04', 'DMY', { kind: 'date', date: '2024-03-04', time: undefined, offset: undefined }],
		['04-03-2024', 'DMY', { kind: 'date', date: '2024-03-04', time: undefined, offset: undefined }],
		['04.03.2024', 'DMY', { kind: 'date', date: '2024-03-04', time: undefined, offset: undefined }],
		[
			'03/04/2024 14:30',
			'MDY',
			{
				kind: 'date',
				date: '2024-03-04',
				time: { hour: 14, minute: 30, second: 0 },
				offset: undefined,
			},
		],
		[
			'03/04/2024 02:30 PM',
			'MDY',
			{
				kind: 'date',
				date: '2024-03-04',
				time: { hour: 14, minute: 30, second: 0 },
				offset: undefined,
			},
		],
		[
			'03/04/2024 12:05 AM',
			'MDY',
			{
				kind: 'date',
				date: '2024-03-04',
				time: { hour: 0, minute: 5, second: 0 },
				offset: undefined,
			},
		],
		[
			'2024-03-04T09:15:00Z',
			'MDY',
			{ kind: 'date', date: '2024-03-04', time: { hour: 9, minute: 15, second: 0 }, offset: 'Z' },
		],
		['', 'MDY', { kind: 'empty' }],
		['   ', 'MDY', { kind: 'empty' }],
		['00/00/0000', 'MDY', { kind: 'placeholder' }],
		['01/01/1900', 'DMY', { kind: 'placeholder' }],
		['1900-01-01', 'MDY', { kind: 'placeholder' }],
		['0000-00-00', 'MDY', { kind: 'placeholder' }],
		['02/31/2024', 'MDY', { kind: 'invalid', contradictsOrder: false }],
		['31/02/2024', 'DMY', { kind: 'invalid', contradictsOrder: false }],
		['02/29/2023', 'MDY', { kind: 'invalid', contradictsOrder: false }],
		['25/12/2024', 'MDY', { kind: 'invalid', contradictsOrder: true }],
		['03/04/2024 25:00', 'MDY', { kind: 'invalid' }],
		['03/04/2024 13:00 PM', 'MDY', { kind: 'invalid' }],
		['yesterday', 'MDY', { kind: 'invalid' }],
	])('%s read as %s', (raw, order, expected) => {
		expect(parseDateCell(raw, order)).toEqual(expected);
	});

	it('accepts 29 February in a leap year', () => {
		expect(parseDateCell('02/29/2024', 'MDY')).toEqual({
			kind: 'date',
			date: '2024-02-29',
			time: undefined,
			offset: undefined,
		});
	});
});

describe('toUtcDateTime', () => {
	it('converts New York wall-clock times on both sides of the March DST change', () => {
		expect(utc('03/07/2026 10:00', 'America/New_York')).toBe('2026-03-07T15:00:00Z');
		expect(utc('03/09/2026 10:00', 'America/New_York')).toBe('2026-03-09T14:00:00Z');
	});

	it('converts Brussels times across the October change back to winter time', () => {
		expect(utc('24/10/2026 09:30', 'Europe/Brussels', 'DMY')).toBe('2026-10-24T07:30:00Z');
		expect(utc('26/10/2026 09:30', 'Europe/Brussels', 'DMY')).toBe('2026-10-26T08:30:00Z');
	});

	it('keeps an explicit offset instead of the practice zone', () => {
		expect(utc('2026-06-01T10:00:00+02:00', 'America/New_York')).toBe('2026-06-01T08:00:00Z');
		expect(utc('2026-06-01T10:00:00Z', 'Europe/Brussels')).toBe('2026-06-01T10:00:00Z');
	});

	it('reads a date without time as local midnight', () => {
		expect(utc('06/01/2026', 'America/New_York')).toBe('2026-06-01T04:00:00Z');
	});
});

describe('DateOrderDetector', () => {
	it('settles MM/DD from a row whose second part is over 12', () => {
		const detector = new DateOrderDetector();
		detector.add('03/04/2024', 2);
		detector.add('03/25/2024', 3);
		expect(detector.result('DMY')).toEqual({
			order: 'MDY',
			label: 'MM/DD/YYYY',
			assumed: false,
			disagreeingLines: [],
		});
	});

	it('follows the default order when every date is ambiguous', () => {
		const detector = new DateOrderDetector();
		detector.add('03.04.2024', 2);
		expect(detector.result('DMY')).toEqual({
			order: 'DMY',
			label: 'DD.MM.YYYY',
			assumed: true,
			disagreeingLines: [],
		});
	});

	it('names the lines of the minority order when rows disagree', () => {
		const detector = new DateOrderDetector();
		detector.add('03/25/2024', 2);
		detector.add('04/26/2024', 3);
		detector.add('25/03/2024', 4);
		expect(detector.result('MDY')).toEqual({
			order: 'MDY',
			label: 'MM/DD/YYYY',
			assumed: false,
			disagreeingLines: [4],
		});
	});

	it('reports ISO-only files as YYYY-MM-DD', () => {
		const detector = new DateOrderDetector();
		detector.add('2024-03-25', 2);
		detector.add('2024-03-25 10:00', 3);
		expect(detector.result('MDY')).toEqual({
			order: 'MDY',
			label: 'YYYY-MM-DD',
			assumed: false,
			disagreeingLines: [],
		});
	});

	it('combines the evidence of several columns', () => {
		const dob = new DateOrderDetector();
		dob.add('13/01/2000', 2);
		const visit = new DateOrderDetector();
		visit.add('2024-01-01', 2);
		dob.absorb(visit);
		expect(dob.result('MDY')).toEqual({
			order: 'DMY',
			label: 'DD/MM/YYYY and YYYY-MM-DD',
			assumed: false,
			disagreeingLines: [],
		});
	});
});

describe('toUtcDateTime on the days the clocks change', () => {
	it('New York spring forward: 01:30 is EST, 03:30 is EDT, the skipped 02:30 moves forward', () => {
		expect(utc('03/08/2026 01:30', 'America/New_York')).toBe('2026-03-08T06:30:00Z');
		expect(utc('03/08/2026 03:30', 'America/New_York')).toBe('2026-03-08T07:30:00Z');
		expect(utc('03/08/2026 02:30', 'America/New_York')).toBe('2026-03-08T07:30:00Z');
	});

	it('Brussels fall back: 01:30 is CEST, 04:00 is CET', () => {
		expect(utc('25/10/2026 01:30', 'Europe/Brussels', 'DMY')).toBe('2026-10-24T23:30:00Z');
		expect(utc('25/10/2026 04:00', 'Europe/Brussels', 'DMY')).toBe('2026-10-25T03:00:00Z');
	});

	it('reads an offset written without a colon', () => {
		expect(utc('2026-06-01T10:00:00-0530', 'Europe/Brussels')).toBe('2026-06-01T15:30:00Z');
	});
});

describe('toUtcDateTime to the second around the Brussels changes of 2026', () => {
	// The changes are at 01:00 UTC: 29 March 02:00 CET → 03:00 CEST, 25 October 03:00 CEST → 02:00 CET.
	const realNow = Settings.now;
	afterEach(() => (Settings.now = realNow));
	const at = (iso: string) => (Settings.now = () => Date.parse(iso));

	it('spring forward: the last second of winter time, the first of summer time, the skipped hour moves forward', () => {
		for (const now of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z']) {
			at(now);
			expect(utc('2026-03-29 01:59:59', 'Europe/Brussels')).toBe('2026-03-29T00:59:59Z');
			expect(utc('2026-03-29 03:00:00', 'Europe/Brussels')).toBe('2026-03-29T01:00:00Z');
			expect(utc('2026-03-29 02:30:00', 'Europe/Brussels')).toBe('2026-03-29T01:30:00Z');
			expect(utc('2026-03-29 23:59:00', 'Europe/Brussels')).toBe('2026-03-29T21:59:00Z');
		}
	});

	it('fall back: a repeated time is its first occurrence (summer time), whatever the season of the read', () => {
		for (const now of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z']) {
			at(now);
			expect(utc('2026-10-25 02:00:00', 'Europe/Brussels')).toBe('2026-10-25T00:00:00Z');
			expect(utc('2026-10-25 02:30:00', 'Europe/Brussels')).toBe('2026-10-25T00:30:00Z');
			expect(utc('2026-10-25 02:59:59', 'Europe/Brussels')).toBe('2026-10-25T00:59:59Z');
			expect(utc('2026-10-25 01:59:59', 'Europe/Brussels')).toBe('2026-10-24T23:59:59Z');
			expect(utc('2026-10-25 03:00:00', 'Europe/Brussels')).toBe('2026-10-25T02:00:00Z');
		}
	});

	it("agrees with luxon every ten minutes of each change day, in winter and in summer; a repeated time is the earlier of luxon's two answers", () => {
		const zones = ['Europe/Brussels', 'America/New_York', 'Australia/Lord_Howe'];
		const seasons = ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'];
		let compared = 0;
		let repeated = 0;
		const disagreeing: string[] = [];
		for (const zone of zones) {
			for (
				let day = DateTime.fromISO('2024-01-01', { zone });
				day.year < 2027;
				day = day.plus({ days: 1 })
			) {
				if (day.startOf('day').offset === day.set({ hour: 23, minute: 59 }).offset) continue;
				for (let minute = 0; minute < 1440; minute += 10) {
					const local = {
						year: day.year,
						month: day.month,
						day: day.day,
						hour: Math.floor(minute / 60),
						minute: minute % 60,
					};
					const raw = `${day.toISODate()} ${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}:00`;
					// Luxon's answer depends on the season it runs in only for a repeated time, where its
					// two answers are the two occurrences.
					const answers = seasons.map((now) => {
						at(now);
						return DateTime.fromObject(local, { zone }).toUTC().toMillis();
					});
					if (answers[0] !== answers[1]) repeated += 1;
					const expected = new Date(Math.min(...answers)).toISOString().replace('.000Z', 'Z');
					for (const now of seasons) {
						at(now);
						if (utc(raw, zone) !== expected) disagreeing.push(`${zone} ${raw} read ${now}`);
						compared += 1;
					}
				}
			}
		}
		expect(disagreeing).toEqual([]);
		// Two changes a year for three years, three zones, two seasons, 144 times a day.
		expect(compared).toBe(2 * 3 * 3 * 2 * 144);
		// The repeated hour (Lord Howe: half hour) of each fall-back day, every ten minutes: 6 a day
		// for Brussels and New York, 3 for Lord Howe, three years.
		expect(repeated).toBe(3 * (6 + 6 + 3));
	});
});

describe('latestInstant: the second occurrence of a repeated wall-clock time, for the delta filter', () => {
	// Brussels falls back at 2026-10-25T01:00Z (03:00 CEST, UTC+2, → 02:00 CET, UTC+1); New York at
	// 2026-11-01T06:00Z (02:00 EDT, UTC−4, → 01:00 EST, UTC−5); Lord Howe at 2026-04-04T15:00Z
	// (02:00 UTC+11 → 01:30 UTC+10:30). Worked out by hand from those offsets.
	it.each([
		[
			'Brussels 02:10 read as CEST is 02:10 CET',
			'2026-10-25T00:10:00Z',
			'Europe/Brussels',
			'2026-10-25T01:10:00Z',
		],
		[
			'Brussels 02:00:00, first second of the repeated hour',
			'2026-10-25T00:00:00Z',
			'Europe/Brussels',
			'2026-10-25T01:00:00Z',
		],
		[
			'Brussels 02:59:59, its last second',
			'2026-10-25T00:59:59Z',
			'Europe/Brussels',
			'2026-10-25T01:59:59Z',
		],
		[
			'New York 01:10 read as EDT is 01:10 EST',
			'2026-11-01T05:10:00Z',
			'America/New_York',
			'2026-11-01T06:10:00Z',
		],
		[
			'Lord Howe 01:40, a half-hour change',
			'2026-04-04T14:40:00Z',
			'Australia/Lord_Howe',
			'2026-04-04T15:10:00Z',
		],
	])('%s', (_, iso, zone, latest) => {
		expect(latestInstant(iso, zone)).toBe(Date.parse(latest));
	});

	it.each([
		[
			'Brussels 01:10 CEST, an hour before the repeated hour',
			'2026-10-24T23:10:00Z',
			'Europe/Brussels',
		],
		[
			'Brussels 02:10 CET, already the second occurrence',
			'2026-10-25T01:10:00Z',
			'Europe/Brussels',
		],
		['Brussels 03:00 CET, after the repeated hour', '2026-10-25T02:00:00Z', 'Europe/Brussels'],
		['New York 03:30 EDT on the spring-forward day', '2026-03-08T07:30:00Z', 'America/New_York'],
		['New York on an ordinary day', '2026-07-15T14:00:00Z', 'America/New_York'],
	])('%s is its own latest instant', (_, iso, zone) => {
		expect(latestInstant(iso, zone)).toBe(Date.parse(iso));
	});

	it('an unreadable stamp is NaN, never kept by a >= comparison', () => {
		expect(latestInstant('not a time', 'Europe/Brussels')).toBeNaN();
	});
});

describe('toUtcDateTime in a month with two clock changes', () => {
	it('follows Casablanca into and out of the Ramadan suspension of 2026', () => {
		// Morocco sets clocks back to UTC+0 for Ramadan (from 15 Feb 2026) and forward again on 22 Mar.
		expect(utc('2026-02-10 12:00', 'Africa/Casablanca')).toBe('2026-02-10T11:00:00Z');
		expect(utc('2026-03-01 12:00', 'Africa/Casablanca')).toBe('2026-03-01T12:00:00Z');
		expect(utc('2026-03-25 12:00', 'Africa/Casablanca')).toBe('2026-03-25T11:00:00Z');
	});
});

describe('zoneDateOf', () => {
	// The oracle is luxon itself, the conversion the reader used before: every 7 minutes across
	// days with a clock change, a half-hour zone, a date-line jump and a month with two changes.
	it.each([
		['Europe/Brussels', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z'],
		['Europe/Brussels', '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z'],
		['America/New_York', '2026-11-01T00:00:00Z', '2026-11-02T12:00:00Z'],
		['Australia/Lord_Howe', '2026-04-04T00:00:00Z', '2026-04-06T00:00:00Z'],
		['Pacific/Apia', '2011-12-28T00:00:00Z', '2012-01-01T00:00:00Z'],
		['Africa/Casablanca', '2026-02-14T00:00:00Z', '2026-02-16T00:00:00Z'],
		['Asia/Kolkata', '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z'],
		// Newfoundland changed at 00:01 local until 2011: mid-hour in UTC and across midnight.
		['America/St_Johns', '2010-11-06T00:00:00Z', '2010-11-08T00:00:00Z'],
		['America/St_Johns', '2010-03-13T00:00:00Z', '2010-03-15T00:00:00Z'],
	])('%s from %s to %s agrees with luxon', (zone, from, to) => {
		const differing: string[] = [];
		for (let at = Date.parse(from); at <= Date.parse(to); at += 7 * 60_000) {
			const iso = new Date(at).toISOString().replace('.000Z', 'Z');
			const expected = DateTime.fromISO(iso).setZone(zone).toISODate();
			if (zoneDateOf(iso, zone) !== expected) differing.push(iso);
		}
		expect(differing).toEqual([]);
	});

	// Months without a change take one offset for the whole UTC month (monthOffset): a year every
	// 97 minutes, so every month and both sides of every change are seen, including Morocco's two
	// changes around Ramadan and Lord Howe's half-hour ones.
	it.each(['Europe/Brussels', 'America/New_York', 'Africa/Casablanca', 'Australia/Lord_Howe'])(
		'%s through 2025 and 2026 agrees with luxon',
		(zone) => {
			const differing: string[] = [];
			const to = Date.parse('2027-01-01T00:00:00Z');
			for (let at = Date.parse('2025-01-01T00:00:00Z'); at < to; at += 97 * 60_000) {
				const iso = new Date(at).toISOString().replace('.000Z', 'Z');
				const expected = DateTime.fromISO(iso).setZone(zone).toISODate();
				if (zoneDateOf(iso, zone) !== expected) differing.push(iso);
			}
			expect(differing).toEqual([]);
		},
	);
});
