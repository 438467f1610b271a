import type { DiffReport } from '../diff';
import { toCsv } from './csv';

/** Every compared field as one CSV row (holds patient values: for the practice only). */
export function diffReportCsv(report: DiffReport): string {
	return toCsv(
		[
			'status',
			'object',
			'source_key',
			'pipedrive_id',
			'field',
			'canonical',
			'path',
			'field_type',
			'expected',
			'stored',
		],
		report.fields.map((field) => [
			field.status,
			field.object,
			field.sourceKey,
			field.pipedriveId,
			field.label,
			field.canonical,
			field.path,
			field.fieldType,
			field.expected,
			field.stored,
		]),
	);
}
