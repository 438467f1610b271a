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
	/** Trimmed non-empty cell text by field, whatever the column's type. */
	readonly raw = new Map<string, string>();
	readonly values = new Map<string, CellValue>();

	constructor(
		readonly file: string,
		readonly line: number,
	) {}

	get quarantined(): boolean {
		return this.issues.some((issue) => issue.severity === 'error');
	}

	addIssue(severity: Severity, column: string | undefined, code: string, message: string): void {
		this.issues.push({ severity, column, code, message });
	}

	text(field: string): string | undefined {
		return this.raw.get(field);
	}

	date(field: string): string | undefined {
		return this.values.get(field) as string | undefined;
	}

	dateTime(field: string): string | undefined {
		return this.values.get(field) as string | undefined;
	}

	amount(field: string): string | undefined {
		return this.values.get(field) as string | undefined;
	}

	integer(field: string): number | undefined {
		return this.values.get(field) as number | undefined;
	}

	decimal(field: string): number | undefined {
		return this.values.get(field) as number | undefined;
	}

	boolean(field: string): boolean | undefined {
		return this.values.get(field) as boolean | undefined;
	}

	choice(field: string): string | undefined {
		return this.values.get(field) as string | undefined;
	}

	list(field: string): string[] {
		return (this.values.get(field) as string[] | undefined) ?? [];
	}
}
