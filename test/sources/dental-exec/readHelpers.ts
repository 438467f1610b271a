import { Readable } from 'node:stream';
import type { ReportIssue, ValidationReport } from '../../../lib/model';
import { dentalExecProfile } from '../../../lib/sources/dental-exec';
import {
	memorySource,
	readExport,
	type MemoryFile,
	type ReadOptions,
	type ReadResult,
} from '../../../lib/sources/common';

/** A small valid patients.csv most bad-input tests start from. */
export const PATIENTS =
	[
		'PatientID,LastName,FirstName,DOB,Email',
		'1001,Rivera,Ana,03/25/1980,ana@example.test',
		'1002,Chen,Wei,11/02/1975,',
		'1003,Okafor,Ngozi,,ngozi@example.test',
	].join('\n') + '\n';

/** Every cell value of PATIENTS: none may ever appear in a report message. */
export const PATIENT_VALUES = [
	'Rivera',
	'Ana',
	'Chen',
	'Wei',
	'Okafor',
	'Ngozi',
	'03/25/1980',
	'11/02/1975',
	'ana@example.test',
	'ngozi@example.test',
];

export async function readFiles(
	files: Record<string, string | Buffer>,
	options: ReadOptions = {},
): Promise<ReadResult> {
	const memoryFiles: MemoryFile[] = Object.entries(files).map(([name, content]) => ({
		name,
		content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
	}));
	return await readExport(dentalExecProfile, memorySource('test export', memoryFiles), options);
}

/** A file whose stream fails like a disk read error. */
export function failingFile(name: string): MemoryFile {
	return {
		name,
		content: () =>
			new Readable({
				read() {
					this.destroy(Object.assign(new Error('simulated'), { code: 'EIO' }));
				},
			}),
	};
}

export function issuesOf(report: ValidationReport, file: string): Omit<ReportIssue, 'message'>[] {
	return report.issues
		.filter((issue) => issue.file === file && issue.code !== 'missing-optional-column')
		.map(({ message: _message, ...rest }) => rest);
}

export function fileReport(report: ValidationReport, file: string) {
	const found = report.files.find((entry) => entry.file === file);
	if (!found) throw new Error(`no report for ${file}`);
	return found;
}

/** The privacy rule: no value from the export may appear in any message. */
export function expectNoValuesInMessages(
	report: ValidationReport,
	values: readonly string[],
): void {
	const leaked = report.issues.filter((issue) =>
		values.some((value) => issue.message.includes(value)),
	);
	expect(leaked).toEqual([]);
}
