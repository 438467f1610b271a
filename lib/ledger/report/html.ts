import {
	escapeHtml,
	htmlPage,
	legend,
	SORT_SCRIPT,
	stackedBar,
	table,
	td,
	tiles,
	tr,
} from '../../report/html';
import type { DiffReport, DiffSummaryRow, FieldDiff } from '../../verify/verify';
import { DIFF_COLUMNS } from './diffColumns';

const BAR_KINDS = ['match', 'mismatch', 'missing', 'unexpected', 'not-checked'] as const;

/**
 * The diff report as one self-contained HTML page for the practice: first, per object, one bar
 * per field (match / mismatch / missing / unexpected / not checked) to take in at a glance, then
 * every mismatch and missing field with the export cell it came from. Every piece of content is
 * escaped (patient values can hold markup); the only script is the table sorter.
 */
export function diffReportHtml(report: DiffReport, title = 'Migration diff report'): string {
	const problems = report.fields.filter(
		(field) =>
			field.status === 'mismatch' || field.status === 'missing' || field.status === 'unexpected',
	);
	const problemRows = problems.map((field: FieldDiff) =>
		tr(DIFF_COLUMNS.map((column) => column.cell(field))),
	);
	const { readBack, totals } = report;
	const failing = totals.mismatch + totals.missing + totals.unexpected;
	const body = `<p class="${failing === 0 ? 'pass' : 'fail'}">Run ${escapeHtml(report.runId ?? 'all runs')}: ${totals.match} fields match, ${totals.mismatch} mismatch, ${totals.missing} missing, ${totals.unexpected} unexpected, ${totals['not-checked']} not checked. ${report.records.verified} of ${report.records.expected} records verified from the source${report.records.deletedInPipedrive ? ` (${report.records.deletedInPipedrive} of the missing ones deleted in Pipedrive by the practice after the migration wrote them)` : ''}; owners: ${report.owners.matched} providers matched, ${report.owners.fallback} to review.</p>
${report.owners.warning ? `<p class="fail">${escapeHtml(report.owners.warning)}.</p>\n` : ''}${tiles(
		[
			{ label: 'fields match', value: totals.match },
			{ label: 'mismatch', value: totals.mismatch },
			{ label: 'missing', value: totals.missing },
			{
				label: 'records verified',
				value: `${report.records.verified} / ${report.records.expected}`,
			},
		],
	)}
<p>Read back ${readBack.requests} of ${readBack.records} records for ${readBack.tokens} API tokens${readBack.budgetTokens === null ? '' : ` (budget ${readBack.budgetTokens}; ${readBack.skippedForBudget} records not read)`}.</p>
<h2>Summary per object and field</h2>
${legend(BAR_KINDS)}
${objectsOf(report.summary)
	.map((object) => objectSummary(object, report.summary))
	.join('\n')}
<h2>Mismatches and missing fields (${problems.length})</h2>
${table(
	DIFF_COLUMNS.map((column) => column.header),
	problemRows,
)}`;
	return htmlPage(title, body, SORT_SCRIPT);
}

function objectsOf(summary: readonly DiffSummaryRow[]): string[] {
	return [...new Set(summary.map((row) => row.object))];
}

/** One object's fields, each with its bar and counts. */
function objectSummary(object: string, summary: readonly DiffSummaryRow[]): string {
	const rows = summary
		.filter((row) => row.object === object)
		.map((row) => {
			const counts = [row.match, row.mismatch, row.missing, row.unexpected, row.notChecked];
			const bar = stackedBar(BAR_KINDS.map((kind, index) => ({ kind, count: counts[index] })));
			const cells = [row.canonical, ...counts].map((cell) => td(cell)).join('');
			return `<tr data-field="${escapeHtml(row.canonical)}">${td(row.label)}<td>${bar}</td>${cells}</tr>`;
		});
	return `<h3>${escapeHtml(object)}</h3>
${table(['Field', 'Match share', 'Canonical field', 'Match', 'Mismatch', 'Missing', 'Unexpected', 'Not checked'], rows, 'summary')}`;
}
