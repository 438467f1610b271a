import type { DiffReport } from '../../verify/verify';
import { toCsv } from './csv';
import { DIFF_COLUMNS } from './diffColumns';

/** Every compared field as one CSV row (holds patient values: for the practice only). */
export function diffReportCsv(report: DiffReport): string {
	return toCsv(
		DIFF_COLUMNS.map((column) => column.header),
		report.fields.map((field) => DIFF_COLUMNS.map((column) => column.cell(field))),
	);
}
