import { isEmailAddress, isPhoneNumber } from './contacts';
import { parseDateCell, parseDateTimeCell, type DateOrder } from './dates';
import { normalizeHeader } from './headers';
import { parseAmount, type MoneyStyle } from './money';
import type { ColumnSpec } from './profile';

/** Settings that are the same for every cell of a file. */
export interface CellSettings {
	dateOrder: DateOrder;
	dateLabel: string;
	moneyStyle: MoneyStyle;
	timeZone: string;
}

export type CellValue = string | number | boolean | string[];

/**
 * A parsed cell: its value, nothing (empty or placeholder), or why it could not be read. An
 * invalid cell may still give a value for its part that is valid (`accepted`, with its text), and
 * may keep the text it refused (`kept`) as an extra column of the row so nothing is lost.
 */
export type CellResult =
	| { kind: 'value'; value: CellValue }
	| { kind: 'empty'; placeholderDate?: boolean }
	| {
			kind: 'invalid';
			code: string;
			message: string;
			accepted?: { value: CellValue; text: string };
			kept?: string;
	  };

/**
 * A column's one `value` result, refilled for each of its cells: a parser's value result holds
 * only until the parser's next call (parseRecord takes the value at once), so a cell allocates no
 * result object. The results cached per label (perLabel) are their own objects.
 */
function valueSlot(): (value: CellValue) => CellResult {
	const result: { kind: 'value'; value: CellValue } = { kind: 'value', value: '' };
	return (value) => {
		result.value = value;
		return result;
	};
}

/** Shared, never changed: an empty cell allocates nothing. */
const EMPTY: CellResult = { kind: 'empty' };
const PLACEHOLDER_DATE: CellResult = { kind: 'empty', placeholderDate: true };

/**
 * A word column holds a handful of distinct labels: each is normalised and looked up once per
 * file, not once per cell. Bounded, so a column of free text cannot grow it without limit.
 */
function perLabel(parse: (label: string) => CellResult): (label: string) => CellResult {
	const known = new Map<string, CellResult>();
	return (label) => {
		let result = known.get(label);
		if (result === undefined) {
			result = parse(label);
			if (known.size < 1000) known.set(label, result);
		}
		return result;
	};
}

const TRUE_WORDS = ['y', 'yes', 'true', '1', 'j', 'ja', 'o', 'oui', 'x'];
const FALSE_WORDS = ['n', 'no', 'false', '0', 'nee', 'non'];

function booleanWords(column: ColumnSpec): Map<string, boolean> {
	const words = new Map<string, boolean>();
	if (column.values) {
		for (const [word, value] of Object.entries(column.values))
			words.set(normalizeHeader(word), value === 'true');
		// JSON's own spelling, which an API record's booleans arrive as (lib/sources/dentadmin/api.ts).
		if (!words.has('true')) words.set('true', true);
		if (!words.has('false')) words.set('false', false);
		return words;
	}
	for (const word of TRUE_WORDS) words.set(word, true);
	for (const word of FALSE_WORDS) words.set(word, false);
	return words;
}

/**
 * Prepares a column's parser once per file (value maps normalised once, not per row). Messages
 * describe the expected form and never repeat the cell's value.
 */
export function cellParser(
	column: ColumnSpec,
	settings: CellSettings,
): (raw: string) => CellResult {
	const slot = valueSlot();
	switch (column.type) {
		case 'text':
			return (raw) => {
				const value = raw.trim();
				return value === '' ? EMPTY : slot(value);
			};
		case 'date':
		case 'dateTime':
			return (raw) => {
				// A date-time goes straight to its UTC text, without a date cell in between.
				const cell =
					column.type === 'date'
						? parseDateCell(raw, settings.dateOrder)
						: parseDateTimeCell(raw, settings.dateOrder, settings.timeZone);
				if (typeof cell === 'string') return slot(cell);
				if (cell.kind === 'empty') return EMPTY;
				if (cell.kind === 'placeholder') return PLACEHOLDER_DATE;
				if (cell.kind === 'invalid') {
					return cell.contradictsOrder
						? {
								kind: 'invalid',
								code: 'date-order-mismatch',
								message: `The date is written in the other day/month order than the rest of this file (${settings.dateLabel}); export the file with one date order.`,
							}
						: {
								kind: 'invalid',
								code: 'invalid-date',
								message: `The date is not a real calendar date in ${settings.dateLabel} (or YYYY-MM-DD); correct it in the source system or leave it empty.`,
							};
				}
				return slot(cell.date);
			};
		case 'money':
		case 'decimal': {
			const example =
				settings.moneyStyle === 'dot' ? '1234.56 or $1,234.56' : '1234,56 or 1.234,56';
			return (raw) => {
				if (raw.trim() === '') return EMPTY;
				const amount = parseAmount(raw, settings.moneyStyle);
				if (amount === null) {
					return {
						kind: 'invalid',
						code: 'invalid-money',
						message: `The amount is not a number like ${example}; correct it or leave it empty.`,
					};
				}
				if (column.negativeMayBe !== undefined && amount.startsWith('-')) {
					return {
						kind: 'invalid',
						code: 'negative-amount',
						message: `The amount is negative, which may be ${column.negativeMayBe}; it was kept as written. Correct it in the source system if it is not.`,
						accepted: { value: column.type === 'money' ? amount : Number(amount), text: raw },
					};
				}
				return slot(column.type === 'money' ? amount : Number(amount));
			};
		}
		case 'integer':
			return (raw) => {
				const value = raw.trim();
				if (value === '') return EMPTY;
				if (!/^-?\d+$/.test(value)) {
					return {
						kind: 'invalid',
						code: 'invalid-number',
						message: 'The value is not a whole number; correct it or leave it empty.',
					};
				}
				return slot(Number(value));
			};
		case 'boolean': {
			const words = booleanWords(column);
			const accepted = [...words.keys()].join('/');
			const flag = perLabel((label): CellResult => {
				const value = words.get(normalizeHeader(label));
				if (value === undefined) {
					return {
						kind: 'invalid',
						code: 'invalid-flag',
						message: `The flag is not one of ${accepted}; correct it or leave it empty.`,
					};
				}
				return { kind: 'value', value };
			});
			return (raw) => {
				const label = raw.trim();
				return label === '' ? EMPTY : flag(label);
			};
		}
		case 'choice': {
			const values = new Map(
				Object.entries(column.values ?? {}).map(([word, value]) => [normalizeHeader(word), value]),
			);
			const known = Object.keys(column.values ?? {}).join(', ');
			const choice = perLabel((label): CellResult => {
				const value = values.get(normalizeHeader(label));
				if (value !== undefined) return { kind: 'value', value };
				if (column.openValues) return EMPTY;
				return {
					kind: 'invalid',
					code: 'unknown-value',
					message: `The value is not one of ${known}; map it with a column-map override or correct it in the source system.`,
				};
			});
			return (raw) => {
				const label = raw.trim();
				return label === '' ? EMPTY : choice(label);
			};
		}
		case 'list': {
			const separator = column.separator ?? ';';
			return (raw) => {
				const items = raw
					.split(separator)
					.map((item) => item.trim())
					.filter((item) => item !== '');
				return items.length === 0 ? EMPTY : slot(items);
			};
		}
		case 'email':
			return emailParser(column.separator);
		case 'phone':
			return (raw) => {
				const value = raw.trim();
				if (value === '') return EMPTY;
				if (isPhoneNumber(value)) return slot(value);
				return {
					kind: 'invalid',
					code: 'invalid-phone',
					message: `The value is not a phone number (digits, spaces and + ( ) . - /, 6 to 15 digits); it was not migrated as a phone but kept as an extra column of the same name for the mapping step. Put notes about calling in a note field of the source system and correct the phone.`,
					kept: value,
				};
			};
	}
}

/**
 * One address per cell, or a list with a separator. An address that is not one (`x@`,
 * `jan.peeters`) is not migrated as an e-mail; it is kept as an extra column of the same name, and
 * the valid addresses of the cell still are e-mails.
 */
function emailParser(separator: string | undefined): (raw: string) => CellResult {
	const slot = valueSlot();
	// Made once per column, not per cell (tsx names a closure made in a call on every call).
	const toValue = (list: string[]) => (separator === undefined ? list[0] : list);
	return (raw) => {
		const items = (separator === undefined ? [raw] : raw.split(separator))
			.map((item) => item.trim())
			.filter((item) => item !== '');
		if (items.length === 0) return EMPTY;
		const valid = items.filter(isEmailAddress);
		if (valid.length === items.length) return slot(toValue(valid));
		const refused = items.filter((item) => !isEmailAddress(item));
		return {
			kind: 'invalid',
			code: 'invalid-email',
			message: `${refused.length === items.length ? 'The value is' : `${refused.length} of the ${items.length} values ${refused.length === 1 ? 'is' : 'are'}`} not an e-mail address (name@domain.tld); ${refused.length === 1 ? 'it was' : 'they were'} not migrated as e-mail but kept as an extra column of the same name for the mapping step. Correct the address in the source system.`,
			accepted:
				valid.length === 0
					? undefined
					: { value: toValue(valid), text: valid.join(`${separator ?? ''} `) },
			kept: refused.join(`${separator ?? ''} `),
		};
	};
}
