import type { ValidationReport } from '../../lib/model';
import { escapeHtml } from '../../lib/report/html';
import { validationReportHtml } from '../../lib/report/validationHtml';

const report: ValidationReport = {
	source: 'dental-exec',
	exportPath: '/exports/<practice>',
	totals: {
		files: 2,
		rowsRead: 12,
		rowsAccepted: 10,
		rowsQuarantined: 2,
		patients: 7,
		possibleDuplicates: 1,
	},
	files: [
		{
			file: 'patients.csv',
			rowsRead: 8,
			rowsAccepted: 7,
			rowsQuarantined: 1,
			missingColumns: [],
			extraColumns: ['Nickname'],
			encoding: 'utf-8',
			delimiter: ',',
			dateFormat: 'MM/DD/YYYY',
		},
		{
			file: 'a"<b>.csv',
			rowsRead: 4,
			rowsAccepted: 3,
			rowsQuarantined: 1,
			missingColumns: ['ApptDate'],
			extraColumns: [],
			encoding: 'windows-1252',
			delimiter: ';',
			dateFormat: 'none',
		},
	],
	issues: [
		{
			severity: 'error',
			file: 'patients.csv',
			line: 5,
			column: 'DOB',
			code: 'invalid-date',
			message: 'DOB is not a date in MM/DD/YYYY: fix the cell and read again.',
		},
		{
			severity: 'warning',
			file: 'a"<b>.csv',
			line: 0,
			code: 'missing-column',
			message: 'Column ApptDate is missing: add it or map it.',
		},
		{
			severity: 'error',
			file: 'a"<b>.csv',
			line: 3,
			column: 'PatID',
			code: 'invalid-date',
			message: 'second',
		},
	],
	possibleDuplicates: [
		{
			sourceKeys: ['dental-exec:patient:1', 'dental-exec:patient:2'],
			reason: 'same name and birth date',
		},
	],
};

describe('validation report page', () => {
	const html = validationReportHtml(report);

	it('has one escaper: every special character as an entity', () => {
		expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
			'&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
		);
	});

	it('shows the totals, each file and the verdict', () => {
		expect(html).toContain('<div class="tile"><b>12</b>rows read</div>');
		expect(html).toContain('<div class="tile"><b>2</b>errors</div>');
		expect(html).toContain(
			'<tr><td>patients.csv</td><td class="num">8</td><td class="num">7</td><td class="num">1</td><td></td><td>Nickname</td><td>utf-8</td><td>,</td><td>MM/DD/YYYY</td></tr>',
		);
		expect(html).toContain('<p class="fail">2 errors:');
	});

	it('groups the issues by problem, errors first, with their count and files', () => {
		expect(html).toContain(
			'<tr data-code="invalid-date"><td>error</td><td>invalid-date</td><td class="num">2</td><td>patients.csv, a&quot;&lt;b&gt;.csv</td><td>DOB is not a date in MM/DD/YYYY: fix the cell and read again.</td></tr>',
		);
		expect(html.indexOf('<tr data-code="invalid-date">')).toBeLessThan(
			html.indexOf('<tr data-code="missing-column">'),
		);
	});

	it('lists every issue with file, line, column and fix, ready for the filters', () => {
		expect(html).toContain(
			'<tr data-severity="error" data-file="patients.csv" data-code="invalid-date"><td>error</td><td>patients.csv</td><td class="num">5</td><td>DOB</td><td>invalid-date</td><td>DOB is not a date in MM/DD/YYYY: fix the cell and read again.</td></tr>',
		);
		expect(html).toContain(
			'<tr data-severity="warning" data-file="a&quot;&lt;b&gt;.csv" data-code="missing-column"><td>warning</td><td>a&quot;&lt;b&gt;.csv</td><td>whole file</td><td></td>',
		);
		expect(html).toContain('<span id="filter-count">3 of 3 issues shown</span>');
		expect(html).not.toContain('<b>.csv');
		expect(html).toContain('<code>/exports/&lt;practice&gt;</code>');
	});
});
