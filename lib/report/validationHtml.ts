import type { ReportIssue, ValidationReport } from '../model';
import { escapeHtml, htmlPage, SORT_SCRIPT, table, tiles, tr } from './html';

const SEVERITIES: ReadonlyArray<ReportIssue['severity']> = ['error', 'warning', 'info'];

/**
 * Step 1's validation report as one self-contained page for the practice manager: the totals,
 * one row per file, the issues grouped by problem (severity and code, with how many and in which
 * files), then every issue with its file, line, column and the message that says the fix,
 * filterable by severity, file, problem and free text. Messages never hold patient values; all
 * text is escaped anyway (file names come from the export folder).
 */
export function validationReportHtml(
	report: ValidationReport,
	title = 'Export validation report',
): string {
	const { totals } = report;
	const bySeverity = (severity: ReportIssue['severity']) =>
		report.issues.filter((issue) => issue.severity === severity).length;
	const verdict =
		bySeverity('error') === 0
			? `<p class="pass">No errors: the export can be migrated.</p>`
			: `<p class="fail">${bySeverity('error')} errors: the rows they name are quarantined; fix them in the export and read it again, or migrate without them.</p>`;
	const fileRows = report.files.map((file) => [
		file.file,
		file.rowsRead,
		file.rowsAccepted,
		file.rowsQuarantined,
		file.missingColumns.join(', '),
		file.extraColumns.join(', '),
		file.encoding,
		file.delimiter,
		file.dateFormat,
	]);
	const body = `<p>${escapeHtml(report.source)} export <code>${escapeHtml(report.exportPath)}</code></p>
${verdict}
${tiles([
	{ label: 'files', value: totals.files },
	{ label: 'rows read', value: totals.rowsRead },
	{ label: 'rows accepted', value: totals.rowsAccepted },
	{ label: 'rows quarantined', value: totals.rowsQuarantined },
	{ label: 'patients', value: totals.patients },
	{ label: 'possible duplicates', value: totals.possibleDuplicates },
	...SEVERITIES.map((severity) => ({ label: `${severity}s`, value: bySeverity(severity) })),
])}
<h2>Files (${report.files.length})</h2>
${table(
	[
		'File',
		'Rows read',
		'Accepted',
		'Quarantined',
		'Missing columns',
		'Extra columns',
		'Encoding',
		'Delimiter',
		'Date format',
	],
	fileRows,
)}
<h2>Problems (${groupsOf(report.issues).length})</h2>
<p>Each kind of problem once, with how often it occurs; click one to list only its issues.</p>
${table(
	['Severity', 'Code', 'Issues', 'Files', 'Problem and fix (first occurrence)'],
	groupsOf(report.issues).map((group) =>
		tr(
			[group.severity, group.code, group.count, group.files.join(', '), group.message],
			'td',
			` data-code="${escapeHtml(group.code)}"`,
		),
	),
	'sortable groups',
)}
<h2>Issues (${report.issues.length})</h2>
<div class="filters">
<label>Severity <select id="filter-severity"><option value="">all</option>${SEVERITIES.map((s) => `<option>${s}</option>`).join('')}</select></label>
<label>File <select id="filter-file"><option value="">all</option>${[
		...new Set(report.issues.map((issue) => issue.file)),
	]
		.map((file) => `<option>${escapeHtml(file)}</option>`)
		.join('')}</select></label>
<label>Problem <select id="filter-code"><option value="">all</option>${groupsOf(report.issues)
		.map((group) => `<option>${escapeHtml(group.code)}</option>`)
		.join('')}</select></label>
<label>Text <input id="filter-text" type="search" placeholder="line, column, words"></label>
<span id="filter-count">${report.issues.length} of ${report.issues.length} issues shown</span>
</div>
${table(
	['Severity', 'File', 'Line', 'Column', 'Code', 'Problem and fix'],
	report.issues.map((issue) =>
		tr(
			[
				issue.severity,
				issue.file,
				issue.line === 0 ? 'whole file' : issue.line,
				issue.column ?? '',
				issue.code,
				issue.message,
			],
			'td',
			` data-severity="${issue.severity}" data-file="${escapeHtml(issue.file)}" data-code="${escapeHtml(issue.code)}"`,
		),
	),
	'sortable',
	'issues',
)}
<h2>Possible duplicate patients (${report.possibleDuplicates.length})</h2>
${table(
	['Records', 'Why'],
	report.possibleDuplicates.map((duplicate) => [duplicate.sourceKeys.join(', '), duplicate.reason]),
)}`;
	return htmlPage(title, body, `${SORT_SCRIPT}\n${FILTER_SCRIPT}`);
}

interface IssueGroup {
	severity: ReportIssue['severity'];
	code: string;
	count: number;
	files: string[];
	message: string;
}

/** Issues by severity and code, errors first, then the most frequent. */
function groupsOf(issues: readonly ReportIssue[]): IssueGroup[] {
	const groups = new Map<string, IssueGroup>();
	for (const issue of issues) {
		const key = `${issue.severity}\u0000${issue.code}`;
		const group = groups.get(key) ?? {
			severity: issue.severity,
			code: issue.code,
			count: 0,
			files: [],
			message: issue.message,
		};
		group.count += 1;
		if (!group.files.includes(issue.file)) group.files.push(issue.file);
		groups.set(key, group);
	}
	return [...groups.values()].sort(
		(a, b) =>
			SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
			b.count - a.count ||
			a.code.localeCompare(b.code),
	);
}

/** Shows only the issues that match every filter; a click on a problem row filters by its code. */
const FILTER_SCRIPT = `(function () {
	var severity = document.getElementById('filter-severity'), file = document.getElementById('filter-file');
	var code = document.getElementById('filter-code'), text = document.getElementById('filter-text');
	var count = document.getElementById('filter-count');
	var rows = Array.prototype.slice.call(document.querySelectorAll('#issues tbody tr'));
	function apply() {
		var words = text.value.toLowerCase(), shown = 0;
		rows.forEach(function (row) {
			var visible = (!severity.value || row.dataset.severity === severity.value) &&
				(!file.value || row.dataset.file === file.value) &&
				(!code.value || row.dataset.code === code.value) &&
				(!words || row.textContent.toLowerCase().indexOf(words) >= 0);
			row.classList.toggle('hidden', !visible);
			if (visible) shown += 1;
		});
		count.textContent = shown + ' of ' + rows.length + ' issues shown';
	}
	[severity, file, code].forEach(function (select) { select.addEventListener('change', apply); });
	text.addEventListener('input', apply);
	document.querySelectorAll('table.groups tbody tr').forEach(function (row) {
		row.addEventListener('click', function () { code.value = row.dataset.code; apply(); });
	});
})();`;
