import type { FileReport, ReportIssue, ValidationReport } from '../../model';

export type Severity = ReportIssue['severity'];

/** Counters and findings of one file while it is read. */
export class FileTally {
	rowsRead = 0;
	rowsAccepted = 0;
	rowsQuarantined = 0;
	missingColumns: string[] = [];
	extraColumns: string[] = [];
	encoding = 'unknown';
	delimiter = 'unknown';
	dateFormat = 'none';

	constructor(readonly file: string) {}

	toReport(): FileReport {
		const {
			file,
			rowsRead,
			rowsAccepted,
			rowsQuarantined,
			missingColumns,
			extraColumns,
			encoding,
			delimiter,
			dateFormat,
		} = this;
		return {
			file,
			rowsRead,
			rowsAccepted,
			rowsQuarantined,
			missingColumns,
			extraColumns,
			encoding,
			delimiter,
			dateFormat,
		};
	}
}

/**
 * Builds the ValidationReport. Issue messages are written by the caller and must never contain a
 * cell value: they name the problem and the fix; file, line and column say where.
 */
export class ReportBuilder {
	private readonly tallies: FileTally[] = [];
	private readonly issues: ReportIssue[] = [];
	private readonly duplicates: ValidationReport['possibleDuplicates'] = [];
	private patients = 0;

	constructor(
		private readonly source: string,
		private readonly exportPath: string,
	) {}

	file(name: string): FileTally {
		const tally = new FileTally(name);
		this.tallies.push(tally);
		return tally;
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

	setPatients(count: number): void {
		this.patients = count;
	}

	build(): ValidationReport {
		const files = this.tallies.map((tally) => tally.toReport());
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
		};
	}
}
