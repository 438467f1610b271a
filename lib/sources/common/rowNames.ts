/**
 * How a finding that lists several rows names them: `lines 2, 3 and 5` for an export's files; the
 * DentAdmin API reader names its record numbers instead, as it does for every finding's line.
 */
export type RowNames = (lines: readonly number[], file: string) => string;

/** At most this many rows are listed one by one in a message; the rest are counted. */
const LISTED_ROWS = 10;

/** `lines 2, 3 and 5`; past LISTED_ROWS, `lines 2, 3, …, 11 and 4 more`. */
export function listRows(noun: { one: string; many: string }, numbers: readonly number[]): string {
	if (numbers.length === 1) return `${noun.one} ${numbers[0]}`;
	const listed = numbers.slice(0, LISTED_ROWS);
	const rest = numbers.length - listed.length;
	const last = rest > 0 ? `${rest} more` : String(listed.pop());
	return `${noun.many} ${listed.join(', ')} and ${last}`;
}

/** The default RowNames: the files' own line numbers. */
export const linesNamed = (lines: readonly number[]): string =>
	listRows({ one: 'line', many: 'lines' }, lines);
