import { z } from 'zod';

/**
 * The reader's validation report. Other tools read it: keep these names.
 * Messages name the problem and the fix and never contain patient values.
 */
export const ReportIssue = z.object({
	severity: z.enum(['error', 'warning', 'info']),
	file: z.string(),
	/** 1-based physical line in the file (0 when the issue is about the whole file). */
	line: z.number().int().nonnegative(),
	column: z.string().optional(),
	code: z.string(),
	message: z.string(),
});
export type ReportIssue = z.infer<typeof ReportIssue>;

export const FileReport = z.object({
	file: z.string(),
	rowsRead: z.number().int(),
	rowsAccepted: z.number().int(),
	rowsQuarantined: z.number().int(),
	missingColumns: z.array(z.string()),
	extraColumns: z.array(z.string()),
	encoding: z.string(),
	delimiter: z.string(),
	dateFormat: z.string(),
});
export type FileReport = z.infer<typeof FileReport>;

export const ValidationReport = z.object({
	source: z.string(),
	exportPath: z.string(),
	totals: z.object({
		files: z.number().int(),
		rowsRead: z.number().int(),
		rowsAccepted: z.number().int(),
		rowsQuarantined: z.number().int(),
		patients: z.number().int(),
		possibleDuplicates: z.number().int(),
	}),
	files: z.array(FileReport),
	issues: z.array(ReportIssue),
	possibleDuplicates: z.array(z.object({ sourceKeys: z.array(z.string()), reason: z.string() })),
	/**
	 * The newest modified (else created) time of any accepted patient or patient record in the
	 * whole export (RFC 3339): how far the export reaches, so where a delta's watermark may move.
	 * Not the run's start: an edit made after the export was taken but before the run is in the
	 * next export with a time before the run, and must still be picked up.
	 */
	newestChange: z.string().optional(),
});
export type ValidationReport = z.infer<typeof ValidationReport>;
