import { DateTime, IANAZone } from 'luxon';

/** Order of day and month in slashed dates: `03/04/2024` is 4 March (MDY) or 3 April (DMY). */
export type DateOrder = 'MDY' | 'DMY';

interface Clock {
	hour: number;
	minute: number;
	second: number;
}

/** A cell split into its parts before the file's date order is applied. */
type DateToken =
	| { kind: 'iso'; year: number; month: number; day: number; time?: Clock; offset?: string }
	| {
			kind: 'slashed';
			first: number;
			second: number;
			year: number;
			separator: string;
			time?: Clock;
	  };

const ISO =
	/^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;
const SLASHED =
	/^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?$/;

/**
 * Export tools write 0000-00-00 and 1900-01-01 for "no date"; they are missing values, not 1900
 * birthdays. Compared by number (the parts a token can hold pad to exactly those texts), not by
 * building the date's text and looking it up.
 */
function isPlaceholder(year: number, month: number, day: number): boolean {
	return (year === 0 && month === 0 && day === 0) || (year === 1900 && month === 1 && day === 1);
}

function clock(
	hour: string | undefined,
	minute: string | undefined,
	second: string | undefined,
	meridiem?: string,
): Clock | null | undefined {
	if (hour === undefined || minute === undefined) return undefined;
	return clockOf(Number(hour), Number(minute), second === undefined ? 0 : Number(second), meridiem);
}

function clockOf(h: number, m: number, s: number, meridiem?: string): Clock | null {
	if (meridiem !== undefined) {
		if (h < 1 || h > 12) return null;
		const pm = meridiem.toLowerCase() === 'p';
		h = (h % 12) + (pm ? 12 : 0);
	}
	if (h > 23 || m > 59 || s > 59) return null;
	return { hour: h, minute: m, second: s };
}

const digit = (raw: string, at: number) => raw.charCodeAt(at) - 48;
const isDigit = (raw: string, at: number) => {
	const code = raw.charCodeAt(at);
	return code >= 48 && code <= 57;
};
const digits = (raw: string, from: number, to: number) => {
	let value = 0;
	for (let at = from; at < to; at += 1) {
		if (!isDigit(raw, at)) return -1;
		value = value * 10 + digit(raw, at);
	}
	return value;
};

/**
 * The shapes exports write almost every cell in — `MM/DD/YYYY`, `DD/MM/YYYY` or `DD.MM.YYYY` with
 * an optional `HH:MM` (and ` AM`/` PM`), and `YYYY-MM-DD` with an optional ` HH:MM:SS` — read by
 * character code: the regular expressions below give the same tokens, an order of magnitude slower.
 * Anything else (one-digit parts, offsets, fractions, spaces) is left to them.
 */
function tokenizeCommon(raw: string): DateToken | null | undefined {
	const length = raw.length;
	if (length < 10) return undefined;
	const third = raw.charCodeAt(2);
	if ((third === 47 || third === 46 || third === 45) && raw.charCodeAt(5) === third) {
		const first = digits(raw, 0, 2);
		const second = digits(raw, 3, 5);
		const year = digits(raw, 6, 10);
		if (first < 0 || second < 0 || year < 0) return undefined;
		const separator = raw[2];
		if (length === 10) return { kind: 'slashed', first, second, year, separator, time: undefined };
		if (raw.charCodeAt(10) !== 32 || raw.charCodeAt(13) !== 58) return undefined;
		const hour = digits(raw, 11, 13);
		const minute = digits(raw, 14, 16);
		if (hour < 0 || minute < 0) return undefined;
		let meridiem: string | undefined;
		if (length === 19 && raw.charCodeAt(16) === 32 && (raw[18] === 'M' || raw[18] === 'm')) {
			meridiem = raw[17];
			if (!'AaPp'.includes(meridiem)) return undefined;
		} else if (length !== 16) return undefined;
		const time = clockOf(hour, minute, 0, meridiem);
		if (time === null) return null;
		return { kind: 'slashed', first, second, year, separator, time };
	}
	if (raw.charCodeAt(4) === 45 && raw.charCodeAt(7) === 45) {
		const year = digits(raw, 0, 4);
		const month = digits(raw, 5, 7);
		const day = digits(raw, 8, 10);
		if (year < 0 || month < 0 || day < 0) return undefined;
		if (length === 10) return { kind: 'iso', year, month, day, time: undefined, offset: undefined };
		if (length !== 19 || raw.charCodeAt(13) !== 58 || raw.charCodeAt(16) !== 58) return undefined;
		const at = raw.charCodeAt(10);
		if (at !== 32 && at !== 84) return undefined;
		const hour = digits(raw, 11, 13);
		const minute = digits(raw, 14, 16);
		const second = digits(raw, 17, 19);
		if (hour < 0 || minute < 0 || second < 0) return undefined;
		const time = clockOf(hour, minute, second);
		if (time === null) return null;
		return { kind: 'iso', year, month, day, time, offset: undefined };
	}
	return undefined;
}

function tokenize(raw: string): DateToken | null {
	const common = tokenizeCommon(raw);
	if (common !== undefined) return common;
	const iso = ISO.exec(raw);
	if (iso) {
		const time = clock(iso[4], iso[5], iso[6]);
		if (time === null) return null;
		return { kind: 'iso', year: +iso[1], month: +iso[2], day: +iso[3], time, offset: iso[7] };
	}
	const slashed = SLASHED.exec(raw);
	if (slashed) {
		const time = clock(slashed[5], slashed[6], slashed[7], slashed[8]);
		if (time === null) return null;
		return {
			kind: 'slashed',
			first: +slashed[1],
			second: +slashed[3],
			year: +slashed[4],
			separator: slashed[2],
			time,
		};
	}
	return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
	if (month !== 2) return DAYS_IN_MONTH[month - 1] ?? 0;
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

function isRealDate(year: number, month: number, day: number): boolean {
	return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** `00`…`99`: a date's month and day from a table instead of a padded string per cell. */
const PADDED = Array.from({ length: 100 }, (_, n) => pad(n));

/** `YYYY-MM-DD` of a token's parts (months and days have at most two digits, years four). */
function isoDate(year: number, month: number, day: number): string {
	const yyyy = year >= 1000 ? String(year) : pad(year, 4);
	return `${yyyy}-${PADDED[month] ?? pad(month)}-${PADDED[day] ?? pad(day)}`;
}

export type DateCell =
	| { kind: 'empty' }
	| { kind: 'placeholder' }
	| { kind: 'invalid'; contradictsOrder?: boolean }
	| { kind: 'date'; date: string; time?: Clock; offset?: string };

/** Parses one cell with the file's order. Impossible dates (31/02) are `invalid`, never rolled over. */
export function parseDateCell(raw: string, order: DateOrder): DateCell {
	const kind = readDate(raw, order);
	if (kind !== 'date') return notADate(kind);
	const { year, month, day, time, offset } = parts;
	return { kind: 'date', date: isoDate(year, month, day), time, offset };
}

/**
 * A date-time cell as toUtcDateTime(parseDateCell(raw, order), timeZone) gives it, or what else
 * parseDateCell says the cell is: the same answers without building the date's text and the cell
 * in between (this runs for every date-time cell of a file).
 */
export function parseDateTimeCell(
	raw: string,
	order: DateOrder,
	timeZone: string,
): string | Exclude<DateCell, { kind: 'date' }> {
	const kind = readDate(raw, order);
	if (kind !== 'date') return notADate(kind);
	const { year, month, day, time, offset } = parts;
	return utcDateTime(year, month, day, time, offset, timeZone);
}

/** The parts of the date readDate last read; one shared object, read right after the call. */
const parts = {
	year: 0,
	month: 0,
	day: 0,
	time: undefined as Clock | undefined,
	offset: undefined as string | undefined,
	/** For an unreal date: whether it is real in the other day/month order (undefined: no date at all). */
	contradictsOrder: undefined as boolean | undefined,
};

function notADate(kind: 'empty' | 'placeholder' | 'invalid'): Exclude<DateCell, { kind: 'date' }> {
	if (kind === 'empty') return { kind: 'empty' };
	if (kind === 'placeholder') return { kind: 'placeholder' };
	const contradictsOrder = parts.contradictsOrder;
	return contradictsOrder === undefined
		? { kind: 'invalid' }
		: { kind: 'invalid', contradictsOrder };
}

/** Reads a cell with the file's order into `parts`; impossible dates (31/02) are `invalid`, never rolled over. */
function readDate(raw: string, order: DateOrder): DateCell['kind'] {
	const value = raw.trim();
	if (value === '') return 'empty';
	const token = tokenize(value);
	parts.contradictsOrder = undefined;
	if (!token) return 'invalid';
	let year: number;
	let month: number;
	let day: number;
	// Plain assignments, not a destructured pair: this runs for every date cell of a file.
	if (token.kind === 'iso') {
		year = token.year;
		month = token.month;
		day = token.day;
	} else {
		year = token.year;
		month = order === 'MDY' ? token.first : token.second;
		day = order === 'MDY' ? token.second : token.first;
	}
	if (isPlaceholder(year, month, day)) return 'placeholder';
	if (!isRealDate(year, month, day)) {
		// `25/12/2024` in an MM/DD file is a real date written in the other order.
		parts.contradictsOrder = token.kind === 'slashed' && isRealDate(year, day, month);
		return 'invalid';
	}
	parts.year = year;
	parts.month = month;
	parts.day = day;
	parts.time = token.time;
	parts.offset = token.kind === 'iso' ? token.offset : undefined;
	return 'date';
}

/**
 * A zone's UTC offset (minutes) at the start and end of a local month or day, by zone and a number
 * for the period (no string keys: this runs for every date-time cell). A month whose offsets agree
 * has no clock change, so one lookup serves all its days; only the few months with a change are
 * looked up day by day. Luxon's lookups are slow (Intl), this keeps them rare.
 */
interface PeriodOffsets {
	start: number;
	end: number;
}
const zoneOffsets = new Map<string, Map<number, PeriodOffsets>>();
const OFFSET_CACHE_LIMIT = 100_000;

function localOffset(
	timeZone: string,
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
): number {
	const local = DateTime.fromObject({ year, month, day, hour, minute }, { zone: timeZone });
	if (!local.isValid) throw new Error(`Unknown time zone "${timeZone}"`);
	return local.offset;
}

function cachedOffsets(
	periods: Map<number, PeriodOffsets>,
	key: number,
	compute: () => PeriodOffsets,
): PeriodOffsets {
	let offsets = periods.get(key);
	if (!offsets) {
		offsets = compute();
		if (periods.size >= OFFSET_CACHE_LIMIT) periods.clear();
		periods.set(key, offsets);
	}
	return offsets;
}

function offsetsOf(timeZone: string, year: number, month: number, day: number): PeriodOffsets {
	let periods = zoneOffsets.get(timeZone);
	if (!periods) {
		periods = new Map();
		zoneOffsets.set(timeZone, periods);
	}
	// Months are keyed year·13 + month (day 0), days year·13·32 + month·32 + day.
	const monthKey = -(year * 13 + month);
	// Sampled weekly, so a zone that changes its clocks twice in one month (Morocco around
	// Ramadan, weeks apart) is still seen as changing.
	const monthly = cachedOffsets(periods, monthKey, () => {
		const last = daysInMonth(year, month);
		const samples = [1, 8, 15, 22].map((sample) =>
			localOffset(timeZone, year, month, sample, 0, 0),
		);
		const end = localOffset(timeZone, year, month, last, 23, 59);
		return { start: samples.every((offset) => offset === end) ? end : samples[0], end };
	});
	if (monthly.start === monthly.end) return monthly;
	return cachedOffsets(periods, (year * 13 + month) * 32 + day, () => ({
		start: localOffset(timeZone, year, month, day, 0, 0),
		end: localOffset(timeZone, year, month, day, 23, 59),
	}));
}

/**
 * The day's offset when it is the same all day, else the clock change that day: the offsets before
 * and after and the instant (epoch ms) it happens. `null`: the day is irregular (more than one
 * change), and luxon resolves each time itself.
 */
interface ClockChange {
	before: number;
	after: number;
	at: number;
}
type DayOffset = number | ClockChange | null;
const zoneDays = new Map<string, Map<number, DayOffset>>();

/** The first second of the day whose offset is no longer `before`, found by bisection (a few Intl calls, once per change). */
function clockChange(
	timeZone: string,
	year: number,
	month: number,
	day: number,
	before: number,
	after: number,
): ClockChange | null {
	const zone = IANAZone.create(timeZone);
	let low = Date.UTC(year, month - 1, day) - before * 60_000;
	let high = Date.UTC(year, month - 1, day, 23, 59) - after * 60_000;
	if (zone.offset(low) !== before || zone.offset(high) !== after) return null;
	while (high - low > 1000) {
		const middle = low + Math.floor((high - low) / 2000) * 1000;
		if (zone.offset(middle) === before) low = middle;
		else high = middle;
	}
	return zone.offset(high) === after ? { before, after, at: high } : null;
}

function dayOffset(timeZone: string, year: number, month: number, day: number): DayOffset {
	let days = zoneDays.get(timeZone);
	if (!days) {
		days = new Map();
		zoneDays.set(timeZone, days);
	}
	const key = (year * 13 + month) * 32 + day;
	let found = days.get(key);
	if (found === undefined) {
		const { start, end } = offsetsOf(timeZone, year, month, day);
		found = start === end ? start : clockChange(timeZone, year, month, day, start, end);
		if (days.size >= OFFSET_CACHE_LIMIT) days.clear();
		days.set(key, found);
	}
	return found;
}

/**
 * A local time on a day with one clock change, with the zone's offset known from the change. A
 * time that exists once gets its own offset. A time the clocks skipped moves forward by the gap
 * (02:30 on a spring-forward day in Brussels is 03:30 summer time), as luxon does. A time the
 * clocks repeat is always its first occurrence, the one before the change: luxon would take the
 * occurrence its guess from today's offset lands on, so the same export read in winter and in
 * summer (a delta pickup months later) gave two different instants for one appointment.
 */
function resolveOnChangeDay(localTs: number, change: ClockChange): number {
	const before = localTs - change.before * 60_000;
	if (before < change.at) return before;
	const after = localTs - change.after * 60_000;
	if (after >= change.at) return after;
	return before;
}

/**
 * A local wall-clock time in `timeZone` as RFC 3339 UTC; an explicit offset in the cell wins.
 * Luxon knows each zone's rules; asking it once per local month (day by day only in months with a
 * clock change, and for the instant of the change) keeps large files fast, and on a change day
 * each time is resolved exactly as luxon resolves it (test/sources/common/dates.test.ts compares).
 */
export function toUtcDateTime(cell: Extract<DateCell, { kind: 'date' }>, timeZone: string): string {
	const date = cell.date;
	return utcDateTime(
		digits(date, 0, 4),
		digits(date, 5, 7),
		digits(date, 8, 10),
		cell.time,
		cell.offset,
		timeZone,
	);
}

function utcDateTime(
	year: number,
	month: number,
	day: number,
	time: Clock | undefined,
	cellOffset: string | undefined,
	timeZone: string,
): string {
	const wallClock =
		time === undefined
			? wallClockDay(year, month, day)
			: wallClockDay(year, month, day) +
				time.hour * HOUR_MS +
				time.minute * 60_000 +
				time.second * 1000;
	let utc: number;
	if (cellOffset !== undefined) {
		utc = wallClock - (cellOffset === 'Z' ? 0 : offsetMinutes(cellOffset)) * 60_000;
	} else {
		const offset = dayOffset(timeZone, year, month, day);
		if (offset === null) {
			const local = DateTime.fromObject(
				{ year, month, day, ...(time ?? { hour: 0, minute: 0, second: 0 }) },
				{ zone: timeZone },
			);
			return local.toUTC().toISO({ suppressMilliseconds: true }) as string;
		}
		utc =
			typeof offset === 'number'
				? wallClock - offset * 60_000
				: resolveOnChangeDay(wallClock, offset);
	}
	return isoSeconds(utc);
}

/**
 * The latest instant (epoch ms) whose wall-clock time in `timeZone` is that of `iso`. A time in the
 * repeated hour of a fall-back is read as its first occurrence (resolveOnChangeDay); this is its
 * second one. Every other instant is itself (NaN for an unreadable one). Only the delta filter
 * asks: an edit stamped in the repeated hour may have been made in either occurrence, and taking
 * the later one never skips it, while re-reading an unchanged record costs nothing. Records keep
 * the first occurrence, and so does the report's newest change (a watermark moved to the later one
 * could pass edits made between the two occurrences). A cell's explicit offset is not known here,
 * so such a stamp in the repeated hour is widened too: the same harmless re-read.
 */
export function latestInstant(iso: string, timeZone: string): number {
	const utc = utcSecondsOf(iso) ?? Date.parse(iso);
	if (Number.isNaN(utc)) return utc;
	// The local day and its change from zoneDateOf's and dayOffset's caches: this runs for
	// every record of a delta read.
	const local = zoneDateOf(iso, timeZone);
	const change = dayOffset(
		timeZone,
		digits(local, 0, 4),
		digits(local, 5, 7),
		digits(local, 8, 10),
	);
	// A day without a change, a spring-forward, or a time after the change has one occurrence.
	// An irregular day (null) was resolved by luxon itself and is left as it is.
	if (change === null || typeof change === 'number') return utc;
	if (change.after >= change.before || utc >= change.at) return utc;
	const second = utc + (change.before - change.after) * 60_000;
	return second >= change.at ? second : utc;
}

/**
 * `Date.UTC(year, month - 1, day)` by arithmetic for a real date from year 100 on (Date.UTC reads
 * years 0–99 as 1900–1999, so those, and anything unusual, still go through it).
 */
function wallClockDay(year: number, month: number, day: number): number {
	return year >= 100 && isRealDate(year, month, day)
		? daysFromCivil(year, month, day) * DAY_MS
		: Date.UTC(year, month - 1, day);
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const DAY_MS = 86_400_000;
/** `YYYY-MM-DDT` of recent UTC days: the date part is the same for most cells of a day. */
const dayPrefixes = new Map<number, string>();

/**
 * `new Date(utc).toISOString()` without its `.000` (times here are whole seconds), by parts: the
 * day's prefix once per day, the clock from a table. Years outside 0000–9999 go the long way.
 */
function isoSeconds(utc: number): string {
	const dayNumber = Math.floor(utc / DAY_MS);
	let prefix = dayPrefixes.get(dayNumber);
	if (prefix === undefined) {
		const iso = new Date(dayNumber * DAY_MS).toISOString();
		if (iso.length !== 24 || utc % 1000 !== 0)
			return new Date(utc).toISOString().replace('.000Z', 'Z');
		prefix = iso.slice(0, 11);
		if (dayPrefixes.size >= OFFSET_CACHE_LIMIT) dayPrefixes.clear();
		dayPrefixes.set(dayNumber, prefix);
	}
	const seconds = (utc - dayNumber * DAY_MS) / 1000;
	if (seconds % 1 !== 0) return new Date(utc).toISOString().replace('.000Z', 'Z');
	const minuteOfDay = Math.floor(seconds / 60);
	const second = seconds % 60;
	// Most times are on the minute: the clock's whole text from a table, one join per cell.
	if (second === 0) return prefix + ON_THE_MINUTE[minuteOfDay];
	return `${prefix}${CLOCKS[minuteOfDay]}:${TWO_DIGITS[second]}Z`;
}

/** `HH:MM` by minute of the day, and `HH:MM:00Z`. */
const CLOCKS = Array.from(
	{ length: 1440 },
	(_, minute) => `${TWO_DIGITS[Math.floor(minute / 60)]}:${TWO_DIGITS[minute % 60]}`,
);
const ON_THE_MINUTE = CLOCKS.map((clock) => `${clock}:00Z`);

const HOUR_MS = 3_600_000;
/**
 * Per zone, per UTC day (key `-1 - day`) and per UTC hour of a day with a change (key `hour`):
 * the zone's offset when it is the same at both ends of that span, else null.
 */
const zoneSpans = new Map<string, Map<number, number | null>>();

function spanOffset(
	spans: Map<number, number | null>,
	key: number,
	from: number,
	to: number,
	timeZone: string,
): number | null {
	let offset = spans.get(key);
	if (offset === undefined) {
		const zone = IANAZone.create(timeZone);
		const start = zone.offset(from);
		offset = start === zone.offset(to - 1) ? start : null;
		if (spans.size >= OFFSET_CACHE_LIMIT) spans.clear();
		spans.set(key, offset);
	}
	return offset;
}

/** Per zone, per UTC month (year·12 + month index): its one offset, or null when it changes. */
const zoneMonths = new Map<string, Map<number, number | null>>();

/**
 * The zone's offset through the instant's whole UTC month when it has one, else null. Sampled
 * weekly and at the month's last second, as offsetsOf samples local months (a zone that changes
 * its clocks and back within one week would be missed by both): a few Intl lookups a month
 * instead of two for every UTC day a date-time falls on.
 */
function monthOffset(timeZone: string, utc: number): number | null {
	let months = zoneMonths.get(timeZone);
	if (!months) {
		months = new Map();
		zoneMonths.set(timeZone, months);
	}
	const date = new Date(utc);
	const year = date.getUTCFullYear();
	const month = date.getUTCMonth();
	const key = year * 12 + month;
	let offset = months.get(key);
	if (offset === undefined) {
		const zone = IANAZone.create(timeZone);
		const end = Date.UTC(year, month + 1, 1) - 1000;
		const samples = [1, 8, 15, 22].map((day) => zone.offset(Date.UTC(year, month, day)));
		offset = samples.every((sample) => sample === zone.offset(end)) ? samples[0] : null;
		if (months.size >= OFFSET_CACHE_LIMIT) months.clear();
		months.set(key, offset);
	}
	return offset;
}

/**
 * The calendar day (`YYYY-MM-DD`) an RFC 3339 instant falls on in `timeZone`, as luxon's
 * `DateTime.fromISO(iso).setZone(timeZone).toISODate()` says. Date-order checks ask it for every
 * date-time compared with a date; luxon's Intl lookup per cell was most of their cost, so the
 * offset is looked up once per UTC day, by the hour on a day whose ends differ (clocks change at
 * most once in an hour, and never twice back to the same offset within a day), and only an hour
 * holding the change asks the zone for the instant itself.
 */
export function zoneDateOf(iso: string, timeZone: string): string {
	const utc = utcSecondsOf(iso) ?? Date.parse(iso);
	let spans = zoneSpans.get(timeZone);
	if (!spans) {
		spans = new Map();
		zoneSpans.set(timeZone, spans);
	}
	const day = Math.floor(utc / DAY_MS);
	let offset = spans.get(-1 - day);
	if (offset === undefined) {
		// A new UTC day: its month's one offset when it has one, else the day's ends.
		const monthly = monthOffset(timeZone, utc);
		if (monthly === null)
			offset = spanOffset(spans, -1 - day, day * DAY_MS, (day + 1) * DAY_MS, timeZone);
		else {
			offset = monthly;
			if (spans.size >= OFFSET_CACHE_LIMIT) spans.clear();
			spans.set(-1 - day, offset);
		}
	}
	if (offset === null) {
		const hour = Math.floor(utc / HOUR_MS);
		offset = spanOffset(spans, hour, hour * HOUR_MS, (hour + 1) * HOUR_MS, timeZone);
	}
	const minutes = offset ?? IANAZone.create(timeZone).offset(utc);
	const localDay = Math.floor((utc + minutes * 60_000) / DAY_MS);
	// The day's text from a table: building a Date and its ISO text per cell was most of the cost.
	const text = dayTexts.get(localDay);
	if (text !== undefined) return text;
	const local = new Date(utc + minutes * 60_000).toISOString();
	// Years outside 0000–9999 (`+010000-…`) are rare enough to go through luxon itself.
	if (local.length !== 24) return DateTime.fromISO(iso).setZone(timeZone).toISODate() as string;
	if (dayTexts.size >= OFFSET_CACHE_LIMIT) dayTexts.clear();
	dayTexts.set(localDay, local.slice(0, 10));
	return local.slice(0, 10);
}

/** Days from 1970-01-01 to a proleptic Gregorian date, as Date counts them (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	const dayOfEra =
		yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The instant of `YYYY-MM-DDTHH:MM:SSZ` with real parts (the form toUtcDateTime writes), read by
 * character code: what Date.parse gives for it, at a fraction of the cost. Anything else is
 * undefined and left to Date.parse.
 */
function utcSecondsOf(iso: string): number | undefined {
	if (
		iso.length !== 20 ||
		iso.charCodeAt(19) !== 90 ||
		iso.charCodeAt(10) !== 84 ||
		iso.charCodeAt(4) !== 45 ||
		iso.charCodeAt(7) !== 45 ||
		iso.charCodeAt(13) !== 58 ||
		iso.charCodeAt(16) !== 58
	)
		return undefined;
	const year = digits(iso, 0, 4);
	const month = digits(iso, 5, 7);
	const day = digits(iso, 8, 10);
	const hour = digits(iso, 11, 13);
	const minute = digits(iso, 14, 16);
	const second = digits(iso, 17, 19);
	if (year < 0 || !isRealDate(year, month, day) || hour < 0 || hour > 23) return undefined;
	if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
	return (
		daysFromCivil(year, month, day) * DAY_MS + hour * HOUR_MS + minute * 60_000 + second * 1000
	);
}

/** `YYYY-MM-DD` by day number (days since 1970-01-01) for zoneDateOf; years 0000–9999 only. */
const dayTexts = new Map<number, string>();

/** `+02:00`, `-0530` → minutes east of UTC. */
function offsetMinutes(offset: string): number {
	const digits = offset.replace(':', '');
	const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
	return digits.startsWith('-') ? -minutes : minutes;
}

/** Whether luxon knows the zone; checked once per read so a typo is a clear error, not shifted times. */
export function isKnownTimeZone(timeZone: string): boolean {
	return DateTime.local().setZone(timeZone).isValid;
}

export interface DateOrderFinding {
	order: DateOrder;
	/** For the report's `dateFormat`: `MM/DD/YYYY`, `DD.MM.YYYY`, `YYYY-MM-DD`, or `none`. */
	label: string;
	/** No row settled the order; the profile's default was used. */
	assumed: boolean;
	/** Lines (up to a few) of rows whose unambiguous dates contradict the chosen order. */
	disagreeingLines: number[];
}

/**
 * Collects evidence for one file's date order. A slashed date with a first part over 12 can only be
 * DMY, one with a second part over 12 only MDY; the majority decides and the minority is a finding.
 */
export class DateOrderDetector {
	private mdy: number[] = [];
	private dmy: number[] = [];
	private mdyCount = 0;
	private dmyCount = 0;
	private separator: string | undefined;
	private sawIso = false;

	add(raw: string, line: number): void {
		// Cheap shape test first: this runs on every cell of a file before its header is known.
		if (raw.length < 8 || raw.length > 30) return;
		const separatorAt = raw.charCodeAt(1) < 48 || raw.charCodeAt(2) < 48 || raw.charCodeAt(4) < 48;
		if (!separatorAt) return;
		const token = tokenize(raw.trim());
		if (!token) return;
		if (token.kind === 'iso') this.addIso();
		else this.addSlashed(token.first, token.second, token.separator, line);
	}

	/** A `YYYY-MM-DD` cell: evidence of the ISO form, none of the day/month order. */
	addIso(): void {
		this.sawIso = true;
	}

	/** A slashed cell's first two numbers: the one above 12 is the day. */
	addSlashed(first: number, second: number, separator: string, line: number): void {
		this.separator ??= separator;
		if (first > 12 && second <= 12) {
			this.dmyCount += 1;
			if (this.dmy.length < 5) this.dmy.push(line);
		} else if (second > 12 && first <= 12) {
			this.mdyCount += 1;
			if (this.mdy.length < 5) this.mdy.push(line);
		}
	}

	/** Adds another column's evidence, so one order is decided for the whole file. */
	absorb(other: DateOrderDetector): void {
		this.mdyCount += other.mdyCount;
		this.dmyCount += other.dmyCount;
		this.mdy = [...this.mdy, ...other.mdy].sort((a, b) => a - b).slice(0, 5);
		this.dmy = [...this.dmy, ...other.dmy].sort((a, b) => a - b).slice(0, 5);
		this.separator ??= other.separator;
		this.sawIso ||= other.sawIso;
	}

	result(defaultOrder: DateOrder): DateOrderFinding {
		const assumed = this.mdyCount === 0 && this.dmyCount === 0;
		let order: DateOrder = defaultOrder;
		if (!assumed && this.mdyCount !== this.dmyCount)
			order = this.mdyCount > this.dmyCount ? 'MDY' : 'DMY';
		const disagreeingLines = order === 'MDY' ? this.dmy : this.mdy;
		let label = 'none';
		if (this.separator !== undefined) {
			const s = this.separator;
			label = order === 'MDY' ? `MM${s}DD${s}YYYY` : `DD${s}MM${s}YYYY`;
			if (this.sawIso) label += ' and YYYY-MM-DD';
		} else if (this.sawIso) {
			label = 'YYYY-MM-DD';
		}
		return { order, label, assumed: assumed && this.separator !== undefined, disagreeingLines };
	}
}
