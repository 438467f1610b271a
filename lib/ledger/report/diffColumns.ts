import type { FieldDiff } from '../../verify/verify';

/**
 * The diff report's columns, once for the CSV and the HTML page: the source cell as the export
 * holds it, what the spec's rule makes of it, what Pipedrive holds, and the verdict.
 */
export const DIFF_COLUMNS: ReadonlyArray<{ header: string; cell: (field: FieldDiff) => unknown }> =
	[
		{ header: 'status', cell: (f) => f.status },
		{ header: 'object', cell: (f) => f.object },
		{ header: 'source_key', cell: (f) => f.sourceKey },
		{ header: 'pipedrive_id', cell: (f) => f.pipedriveId },
		{ header: 'field', cell: (f) => f.label },
		{ header: 'canonical', cell: (f) => f.canonical },
		{ header: 'source_file', cell: (f) => f.source[0]?.file ?? f.origin?.file },
		{ header: 'source_line', cell: (f) => f.source[0]?.line ?? f.origin?.line },
		{ header: 'source_column', cell: (f) => f.source.map((c) => c.column).join(' + ') },
		{ header: 'source_raw', cell: (f) => f.source.map((c) => c.raw).join(' | ') },
		{ header: 'rule', cell: (f) => (f.rule === 'equal' ? f.fieldType : f.rule) },
		{ header: 'expected', cell: (f) => f.expected },
		{ header: 'stored', cell: (f) => f.stored },
	];
