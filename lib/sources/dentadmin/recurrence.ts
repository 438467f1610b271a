import { DateTime } from 'luxon';

/**
 * DentAdmin recurrence column (`Herhaling` / `Repetition`): a frequency word in Dutch or French
 * and a count, e.g. `wekelijks;4`, `mensuel;6`.
 */
export type RecurrenceFrequency = 'daily' | 'weekly' | 'monthly' | 'yearly';

export type RecurrenceParse =
	| { ok: true; frequency: RecurrenceFrequency; count: number }
	| { ok: false; problem: 'unknown-frequency' | 'missing-count' | 'bad-count' };

const FREQUENCY_WORDS: Record<string, RecurrenceFrequency> = {
	dagelijks: 'daily',
	quotidien: 'daily',
	quotidienne: 'daily',
	journalier: 'daily',
	wekelijks: 'weekly',
	hebdomadaire: 'weekly',
	maandelijks: 'monthly',
	mensuel: 'monthly',
	mensuelle: 'monthly',
	jaarlijks: 'yearly',
	annuel: 'yearly',
	annuelle: 'yearly',
};

/** Upper bound so a typo (`wekelijks;400`) cannot explode one row into hundreds of activities. */
export const MAX_OCCURRENCES = 104;

export function parseRecurrence(text: string): RecurrenceParse {
	const [word, count, ...rest] = text.split(/[;,]/).map((part) => part.trim());
	const frequency = FREQUENCY_WORDS[word.toLowerCase()];
	if (!frequency) return { ok: false, problem: 'unknown-frequency' };
	if (count === undefined || count === '') return { ok: false, problem: 'missing-count' };
	const n = Number(count);
	if (rest.length > 0 || !/^\d+$/.test(count) || n < 1 || n > MAX_OCCURRENCES) {
		return { ok: false, problem: 'bad-count' };
	}
	return { ok: true, frequency, count: n };
}

const STEP: Record<RecurrenceFrequency, 'days' | 'weeks' | 'months' | 'years'> = {
	daily: 'days',
	weekly: 'weeks',
	monthly: 'months',
	yearly: 'years',
};

/**
 * The start of every occurrence, as UTC instants. Steps are taken in the practice's local time,
 * so a 09:00 appointment stays at 09:00 Brussels time across a daylight-saving change (its UTC
 * time moves by an hour). A month step from the 31st lands on the month's last day.
 */
export function expandOccurrences(
	firstStart: DateTime,
	frequency: RecurrenceFrequency,
	count: number,
	zone: string,
): DateTime[] {
	const local = firstStart.setZone(zone);
	return Array.from({ length: count }, (_, index) =>
		local.plus({ [STEP[frequency]]: index }).toUTC(),
	);
}
