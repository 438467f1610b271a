import type { FileReport, ReportIssue, ValidationReport } from '../../model';

export type Severity = ReportIssue['severity'];

/**
 * Builds the ValidationReport. Issue messages are written by the caller and must never contain a
 * cell value: they name the problem and the fix; file, line and column say where.
 */
export class ReportBuilder {
	private readonly files: FileReport[] = [];
	private readonly issues: ReportIssue[] = [];
	private readonly duplicates: ValidationReport['possibleDuplicates'] = [];
	private patients = 0;
	private newestChange: number | undefined;

	constructor(
		private readonly source: string,
		private readonly exportPath: string,
	) {}

	/** The entry of one file, filled in by its reader while it reads (counters, columns, formats). */
	file(name: string): FileReport {
		const entry: FileReport = {
			file: name,
			rowsRead: 0,
			rowsAccepted: 0,
			rowsQuarantined: 0,
			missingColumns: [],
			extraColumns: [],
			encoding: 'unknown',
			delimiter: 'unknown',
			dateFormat: 'none',
		};
		this.files.push(entry);
		return entry;
	}

	issue(
		severity: Severity,
		file: string,
		line: number,
		column: string | undefined,
		code: string,
		message: string,
	): void {
		const issue: ReportIssue = { severity, file, line, code, message };
		if (column !== undefined) issue.column = column;
		this.issues.push(issue);
	}

	possibleDuplicate(sourceKeys: string[], reason: string): void {
		this.duplicates.push({ sourceKeys, reason });
	}

	/** Notes an accepted record's modified (else created) time; the newest goes into the report. */
	noteChange(stamp: string | undefined): void {
		// As written, a repeated-hour stamp at its first occurrence, never later than the real
		// edit: the watermark moves to this, and one past an edit could skip later ones (dates.ts,
		// latestInstant).
		// An unreadable stamp parses to NaN, and NaN > x is false: it is left out.
		const time = stamp === undefined ? NaN : Date.parse(stamp);
		if (time > (this.newestChange ?? -Infinity)) this.newestChange = time;
	}

	setPatients(count: number): void {
		this.patients = count;
	}

	build(): ValidationReport {
		const files = this.files.map((entry) => ({ ...entry }));
		const sum = (pick: (file: FileReport) => number) =>
			files.reduce((total, file) => total + pick(file), 0);
		return {
			source: this.source,
			exportPath: this.exportPath,
			totals: {
				files: files.length,
				rowsRead: sum((file) => file.rowsRead),
				rowsAccepted: sum((file) => file.rowsAccepted),
				rowsQuarantined: sum((file) => file.rowsQuarantined),
				patients: this.patients,
				possibleDuplicates: this.duplicates.length,
			},
			files,
			issues: this.issues,
			possibleDuplicates: this.duplicates,
			...(this.newestChange === undefined
				? {}
				: { newestChange: new Date(this.newestChange).toISOString() }),
		};
	}
}
