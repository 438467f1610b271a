import { profileColumn } from './sniff';
import type { ValueKind } from './sniff';

/**
 * What a column's values look like, without any of them: the only description of a column that
 * may leave the practice (to a language model). Every part is a fixed word or a count; no cell,
 * no option of a pick-list, no prefix or suffix of a value.
 */
export interface ColumnShape {
	kind: ValueKind;
	/** Share (0..1) of the non-empty sampled cells of that kind. */
	share: number;
	sampled: number;
	nonEmpty: number;
	distinct: number;
	minLength: number;
	maxLength: number;
	/** Date order and separator, e.g. `d/m/y`, `m/d/y`, `y-m-d`, `d/m/y or m/d/y`. */
	dateFormat?: string;
	/** Digit counts when every non-empty cell is digits only: `10` or `6-10`. */
	digits?: string;
	characters:
		| 'none'
		| 'digits'
		| 'letters'
		| 'letters and spaces'
		| 'digits and separators'
		| 'mixed';
}

const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})/;

function dateFormatOf(cells: readonly string[]): string | undefined {
	const separators = new Set<string>();
	let dayFirst = false;
	let monthFirst = false;
	let iso = 0;
	let numeric = 0;
	for (const cell of cells) {
		if (/^\d{4}-\d{2}-\d{2}/.test(cell)) {
			iso += 1;
			continue;
		}
		const parts = NUMERIC_DATE.exec(cell);
		if (!parts) continue;
		numeric += 1;
		separators.add(parts[2]);
		if (Number(parts[1]) > 12) dayFirst = true;
		if (Number(parts[3]) > 12) monthFirst = true;
	}
	if (iso === 0 && numeric === 0) return undefined;
	if (iso >= numeric) return 'y-m-d';
	const s = separators.size === 1 ? [...separators][0] : '/';
	if (dayFirst && !monthFirst) return `d${s}m${s}y`;
	if (monthFirst && !dayFirst) return `m${s}d${s}y`;
	return `d${s}m${s}y or m${s}d${s}y`;
}

function charactersOf(cells: readonly string[]): ColumnShape['characters'] {
	if (cells.length === 0) return 'none';
	if (cells.every((cell) => /^\d+$/.test(cell))) return 'digits';
	if (cells.every((cell) => /^\p{L}+$/u.test(cell))) return 'letters';
	if (cells.every((cell) => /^[\p{L}' -]+$/u.test(cell))) return 'letters and spaces';
	if (cells.every((cell) => /^[\d\s()./+-]+$/.test(cell))) return 'digits and separators';
	return 'mixed';
}

export function columnShape(cells: readonly string[]): ColumnShape {
	const profile = profileColumn(cells);
	const values = cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
	const lengths = values.map((value) => value.length);
	const characters = charactersOf(values);
	const digitCounts = [...new Set(lengths)].sort((a, b) => a - b);
	return {
		kind: profile.kind,
		share: Math.round(profile.share * 100) / 100,
		sampled: cells.length,
		nonEmpty: profile.nonEmpty,
		distinct: profile.distinct,
		minLength: lengths.length ? Math.min(...lengths) : 0,
		maxLength: lengths.length ? Math.max(...lengths) : 0,
		...(profile.kind === 'date' || profile.kind === 'dateTime'
			? { dateFormat: dateFormatOf(values) }
			: {}),
		...(characters === 'digits'
			? {
					digits:
						digitCounts.length === 1
							? `${digitCounts[0]}`
							: `${digitCounts[0]}-${digitCounts[digitCounts.length - 1]}`,
				}
			: {}),
		characters,
	};
}

const KIND_WORDS: Record<ValueKind, string> = {
	empty: 'empty',
	email: 'email-like',
	phone: 'phone-number-like',
	date: 'date',
	dateTime: 'date and time',
	money: 'money amount',
	percentage: 'percentage',
	integer: 'whole number',
	decimal: 'decimal number',
	code: 'procedure-code-like',
	flag: 'yes/no flag',
	pickList: 'pick-list',
	text: 'free text',
};

/** The kind in words: `date m/d/y`, `email-like`, `pick-list`. */
export function shapeKind(shape: ColumnShape): string {
	return shape.kind === 'date' || shape.kind === 'dateTime'
		? `${KIND_WORDS[shape.kind]}${shape.dateFormat ? ` ${shape.dateFormat}` : ''}`
		: KIND_WORDS[shape.kind];
}

/** One line, e.g. `date m/d/y in 100% of 30 non-empty of 30 sampled; 30 distinct; length 10`. */
export function describeShape(shape: ColumnShape): string {
	if (shape.kind === 'empty') return `empty in all ${shape.sampled} sampled rows`;
	const kind = shapeKind(shape);
	const length =
		shape.minLength === shape.maxLength
			? `length ${shape.minLength}`
			: `length ${shape.minLength}-${shape.maxLength}`;
	return [
		`${kind} in ${Math.round(shape.share * 100)}% of ${shape.nonEmpty} non-empty of ${shape.sampled} sampled`,
		`${shape.distinct} distinct`,
		length,
		shape.digits ? `${shape.digits} digits` : `characters: ${shape.characters}`,
	].join('; ');
}
