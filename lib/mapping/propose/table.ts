import type { ColumnProposal, FieldProposal } from './index';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;

/** The proposal as markdown: every column, then the reader fields the export names differently. */
export function proposalTable(
	columns: readonly ColumnProposal[],
	fields: readonly FieldProposal[],
): string {
	const lines = [
		'| File | Column | Proposed target | Confidence | Review | Reason |',
		'|---|---|---|---|---|---|',
		...columns.map(
			(c) =>
				`| ${cell(c.file)} | ${cell(c.column)} | ${cell(c.field ? `${c.field}: ${c.target}` : c.target)} | ${percent(c.confidence)} | ${c.needsReview ? 'review' : ''} | ${cell(c.reason)} |`,
		),
	];
	if (fields.length > 0)
		lines.push(
			'',
			'| File | Reader field | Required | Filled by column | Confidence | Review | Reason |',
			'|---|---|---|---|---|---|---|',
			...fields.map(
				(f) =>
					`| ${cell(f.file)} | ${cell(f.field)} | ${f.required ? 'yes' : 'no'} | ${cell(f.column ?? '(none)')} | ${percent(f.confidence)} | ${f.needsReview ? 'review' : ''} | ${cell(f.reason)} |`,
			),
		);
	return `${lines.join('\n')}\n`;
}
