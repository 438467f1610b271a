import type { ColumnProposal, FieldProposal } from './index';
import { escapeHtml } from '../../report/html';

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

/**
 * The same proposal as an HTML table for the approval form (n8n's form shows table markup in
 * its description, not markdown): every column with its proposed target, confidence and reason.
 * Every cell is escaped: headers and sampled values come from the export.
 */
export function proposalTableHtml(
	columns: readonly ColumnProposal[],
	fields: readonly FieldProposal[],
): string {
	const row = (cells: string[], tag = 'td') =>
		`<tr>${cells.map((text) => `<${tag}>${escapeHtml(text)}</${tag}>`).join('')}</tr>`;
	const table = (head: string[], rows: string[][]) =>
		`<table><thead>${row(head, 'th')}</thead><tbody>${rows.map((cells) => row(cells)).join('')}</tbody></table>`;
	const review = (needsReview: boolean) => (needsReview ? 'review' : '');
	const parts = [
		table(
			['File', 'Column', 'Proposed target', 'Confidence', 'Review', 'Reason'],
			columns.map((c) => [
				c.file,
				c.column,
				c.field ? `${c.field}: ${c.target}` : c.target,
				percent(c.confidence),
				review(c.needsReview),
				c.reason,
			]),
		),
	];
	if (fields.length > 0)
		parts.push(
			table(
				['File', 'Reader field', 'Required', 'Filled by column', 'Confidence', 'Review', 'Reason'],
				fields.map((f) => [
					f.file,
					f.field,
					f.required ? 'yes' : 'no',
					f.column ?? '(none)',
					percent(f.confidence),
					review(f.needsReview),
					f.reason,
				]),
			),
		);
	return parts.join('');
}
