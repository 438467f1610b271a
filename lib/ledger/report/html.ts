import type { DiffReport, FieldDiff } from '../../verify/verify';
import { DIFF_COLUMNS } from './diffColumns';

/**
 * The diff report as one self-contained HTML page for the practice: a summary per object and
 * field, then every mismatch and missing field. Every piece of content is escaped (patient
 * values can hold markup); the only script is the inline table sorter below.
 */
export function diffReportHtml(report: DiffReport, title = 'Migration diff report'): string {
	const problems = report.fields.filter(
		(field) =>
			field.status === 'mismatch' || field.status === 'missing' || field.status === 'unexpected',
	);
	const summaryRows = report.summary.map((row) =>
		tr([
			row.object,
			row.label,
			row.canonical,
			row.match,
			row.mismatch,
			row.missing,
			row.unexpected,
			row.notChecked,
		]),
	);
	const problemRows = problems.map((field: FieldDiff) =>
		tr(DIFF_COLUMNS.map((column) => display(column.cell(field)))),
	);
	const { readBack, totals } = report;
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2937}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #d1d5db;padding:.3rem .5rem;text-align:left;vertical-align:top;white-space:pre-wrap}
th{background:#f3f4f6;cursor:pointer}
.pass{color:#047857}.fail{color:#b91c1c}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="${totals.mismatch + totals.missing + totals.unexpected === 0 ? 'pass' : 'fail'}">Run ${escapeHtml(report.runId ?? 'all runs')}: ${totals.match} fields match, ${totals.mismatch} mismatch, ${totals.missing} missing, ${totals.unexpected} unexpected, ${totals['not-checked']} not checked. ${report.records.verified} of ${report.records.expected} records verified from the source; owners: ${report.owners.matched} providers matched, ${report.owners.fallback} to review.</p>
<p>Read back ${readBack.requests} of ${readBack.records} records for ${readBack.tokens} API tokens${readBack.budgetTokens === null ? '' : ` (budget ${readBack.budgetTokens}; ${readBack.skippedForBudget} records not read)`}.</p>
<h2>Summary per object and field</h2>
<table class="sortable">
<thead>${tr(['Object', 'Field', 'Canonical field', 'Match', 'Mismatch', 'Missing', 'Unexpected', 'Not checked'], 'th')}</thead>
<tbody>
${summaryRows.join('\n')}
</tbody>
</table>
<h2>Mismatches and missing fields (${problems.length})</h2>
<table class="sortable">
<thead>${tr(
		DIFF_COLUMNS.map((column) => column.header),
		'th',
	)}</thead>
<tbody>
${problemRows.join('\n')}
</tbody>
</table>
<script>
document.querySelectorAll('table.sortable th').forEach(function (th) {
	th.addEventListener('click', function () {
		var table = th.closest('table'), body = table.tBodies[0], index = th.cellIndex;
		var asc = th.getAttribute('data-sort') !== 'asc';
		th.setAttribute('data-sort', asc ? 'asc' : 'desc');
		var rows = Array.prototype.slice.call(body.rows);
		rows.sort(function (a, b) {
			var x = a.cells[index].textContent, y = b.cells[index].textContent;
			var nx = Number(x), ny = Number(y);
			var order = x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
			return asc ? order : -order;
		});
		rows.forEach(function (row) { body.appendChild(row); });
	});
});
</script>
</body>
</html>
`;
}

export function escapeHtml(value: unknown): string {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

function tr(cells: readonly unknown[], tag: 'td' | 'th' = 'td'): string {
	return `<tr>${cells.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join('')}</tr>`;
}

function display(value: unknown): string {
	if (value === null || value === undefined) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
