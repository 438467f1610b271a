import { compareText } from '../order';

/**
 * Value sniffing for Propose: what kind of value a column holds, judged from sample cells.
 * Only the verdict leaves this module, never the cells (they are patient data).
 */
export type ValueKind =
	| 'empty'
	| 'email'
	| 'phone'
	| 'date'
	| 'dateTime'
	| 'money'
	| 'percentage'
	| 'integer'
	| 'decimal'
	| 'code'
	| 'flag'
	| 'pickList'
	| 'text';

export interface ColumnProfile {
	kind: ValueKind;
	/** Share of non-empty cells of that kind. */
	share: number;
	nonEmpty: number;
	distinct: number;
	/** For `code`: which code system (CDT `D1234`, RIZIV 6 digits). */
	codeSystem?: 'CDT' | 'RIZIV';
}

const DATE = /^(\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})$/;
const DATE_TIME =
	/^(\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})[T ]\d{1,2}:\d{2}(:\d{2})?(\s?[AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?$/;
const CDT = /^D\d{4}([;, ]+D\d{4})*$/i;
const RIZIV = /^\d{6}([;, ]+\d{6})*$/;
const FLAG = /^(y|n|yes|no|j|ja|nee|o|oui|non|true|false)$/i;

function classify(cell: string): ValueKind | 'cdt' | 'riziv' {
	const value = cell.trim();
	if (value === '') return 'empty';
	if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return 'email';
	if (CDT.test(value)) return 'cdt';
	if (DATE_TIME.test(value)) return 'dateTime';
	if (DATE.test(value)) return 'date';
	if (/^-?\d+([.,]\d+)?\s?%$/.test(value)) return 'percentage';
	if (/^-?[$€£]\s?-?[\d.,]+$/.test(value) || /^-?[\d.,]+\s?(€|EUR|USD)$/.test(value))
		return 'money';
	if (FLAG.test(value)) return 'flag';
	if (RIZIV.test(value)) return 'riziv';
	if (/^-?\d+$/.test(value))
		return value.replace(/\D/g, '').length >= 9 && /^[+0]/.test(value) ? 'phone' : 'integer';
	if (/^-?\d{1,3}([.,]\d{3})*[.,]\d{2}$/.test(value)) return 'money';
	if (/^-?\d+[.,]\d+$/.test(value)) return 'decimal';
	if (/^\+?[\d\s()./-]+$/.test(value) && value.replace(/\D/g, '').length >= 7) return 'phone';
	return 'text';
}

/** The kind most non-empty cells share; a few distinct words repeated make a pick-list. */
export function profileColumn(cells: readonly string[]): ColumnProfile {
	const counts = new Map<string, number>();
	const distinct = new Set<string>();
	let nonEmpty = 0;
	for (const cell of cells) {
		const kind = classify(cell);
		if (kind === 'empty') continue;
		nonEmpty += 1;
		distinct.add(cell.trim().toLowerCase());
		counts.set(kind, (counts.get(kind) ?? 0) + 1);
	}
	if (nonEmpty === 0) return { kind: 'empty', share: 0, nonEmpty, distinct: 0 };
	const [top, count] = [...counts.entries()].sort(
		(a, b) => b[1] - a[1] || compareText(a[0], b[0]),
	)[0];
	const share = count / nonEmpty;
	if (top === 'cdt' || top === 'riziv')
		return {
			kind: 'code',
			share,
			nonEmpty,
			distinct: distinct.size,
			codeSystem: top === 'cdt' ? 'CDT' : 'RIZIV',
		};
	// A handful of words repeated across rows is a pick-list (status, type, gender), not free text.
	if (
		(top === 'text' || top === 'integer') &&
		distinct.size <= 6 &&
		nonEmpty >= 4 &&
		distinct.size * 2 <= nonEmpty
	)
		return { kind: 'pickList', share, nonEmpty, distinct: distinct.size };
	return { kind: top as ValueKind, share, nonEmpty, distinct: distinct.size };
}

export function describeProfile(profile: ColumnProfile): string {
	if (profile.kind === 'empty') return 'no values in the sample';
	const percent = Math.round(profile.share * 100);
	const what =
		profile.kind === 'code'
			? `${profile.codeSystem} codes`
			: profile.kind === 'pickList'
				? `a pick-list of ${profile.distinct} values`
				: `${profile.kind} values`;
	return `${percent}% of ${profile.nonEmpty} sampled values are ${what}`;
}
