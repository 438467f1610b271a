import type { CellValue } from './cells';
import type { SourceRow } from './profile';
import type { Severity } from './report';

export interface RowIssue {
	severity: Severity;
	column: string | undefined;
	code: string;
	message: string;
}

/** One data row after cell parsing, with the issues found so far (an error quarantines it). */
export class ParsedRow implements SourceRow {
	readonly issues: RowIssue[] = [];
	readonly extra: Record<string, string> = {};
	/** Trimmed non-empty cell text by column position, whatever the column's type. */
	readonly raw: (string | undefined)[] = [];
	/** Parsed values by column position. */
	readonly values: (CellValue | undefined)[] = [];

	/**
	 * `positions`: each field's column position, one map per file (arrays by position and a shared
	 * map are far cheaper than two maps per row).
	 */
	constructor(
		readonly file: string,
		readonly line: number,
		private readonly positions: ReadonlyMap<string, number>,
	) {}

	private value(field: string): CellValue | undefined {
		const position = this.positions.get(field);
		return position === undefined ? undefined : this.values[position];
	}

	get quarantined(): boolean {
		return this.issues.some((issue) => issue.severity === 'error');
	}

	addIssue(severity: Severity, column: string | undefined, code: string, message: string): void {
		this.issues.push({ severity, column, code, message });
	}

	text(field: string): string | undefined {
		const position = this.positions.get(field);
		return position === undefined ? undefined : this.raw[position];
	}

	date(field: string): string | undefined {
		return this.value(field) as string | undefined;
	}

	dateTime(field: string): string | undefined {
		return this.value(field) as string | undefined;
	}

	amount(field: string): string | undefined {
		return this.value(field) as string | undefined;
	}

	integer(field: string): number | undefined {
		return this.value(field) as number | undefined;
	}

	decimal(field: string): number | undefined {
		return this.value(field) as number | undefined;
	}

	boolean(field: string): boolean | undefined {
		return this.value(field) as boolean | undefined;
	}

	choice(field: string): string | undefined {
		return this.value(field) as string | undefined;
	}

	list(field: string): string[] {
		return (this.value(field) as string[] | undefined) ?? [];
	}
}
