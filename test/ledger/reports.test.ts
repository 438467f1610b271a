import { auditLogCsv, toAuditRow } from '../../lib/ledger/auditLog';
import type { DiffReport } from '../../lib/verify/verify';
import { normalise } from '../../lib/ledger/normalise';
import { neutralise, toCsv } from '../../lib/ledger/report/csv';
import { diffReportCsv } from '../../lib/ledger/report/diffCsv';
import { diffReportHtml } from '../../lib/ledger/report/html';

const hostile: DiffReport = {
	runId: 'run-<1>',
	fields: [
		{
			bundleKey: 'b:1',
			sourceKey: 'p:1',
			object: 'person',
			pipedriveId: '4',
			canonical: 'patient.name',
			label: 'Name <b>',
			path: 'name',
			fieldType: 'text',
			rule: 'equal',
			source: [{ file: 'patients.csv', line: 7, column: 'LastName', raw: '<i>Doe' }],
			origin: { file: 'patients.csv', line: 7 },
			expected: '<script>alert(1)</script>',
			stored: '=HYPERLINK("http://x")',
			status: 'mismatch',
		},
		{
			bundleKey: 'b:1',
			sourceKey: 'p:1',
			object: 'person',
			pipedriveId: '4',
			canonical: 'patient.email',
			label: 'Email',
			path: 'emails',
			fieldType: 'list',
			rule: 'equal',
			source: [],
			origin: null,
			expected: [{ value: 'a@b.test' }],
			stored: null,
			status: 'missing',
		},
	],
	summary: [
		{
			object: 'person',
			label: 'Name <b>',
			canonical: 'patient.name',
			match: 0,
			mismatch: 1,
			missing: 0,
			unexpected: 0,
			notChecked: 0,
		},
		{
			object: 'person',
			label: 'Email',
			canonical: 'patient.email',
			match: 0,
			mismatch: 0,
			missing: 1,
			unexpected: 0,
			notChecked: 0,
		},
	],
	totals: { match: 0, mismatch: 1, missing: 1, unexpected: 0, 'not-checked': 0 },
	records: { expected: 1, verified: 1, missing: 0, unexpected: 0, deletedInPipedrive: 0 },
	owners: { matched: 2, fallback: 1, toReview: ['dental-exec:provider:10'] },
	readBack: { records: 1, requests: 1, tokens: 1, budgetTokens: null, skippedForBudget: 0 },
};

describe('diff report HTML', () => {
	const html = diffReportHtml(hostile);

	it('escapes every piece of content; the only script is the table sorter', () => {
		expect(html).not.toContain('<script>alert');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('<td>Name &lt;b&gt;</td>');
		expect(html).toContain('<td>&lt;i&gt;Doe</td>');
		expect(html).toContain(
			'Run run-&lt;1&gt;: 0 fields match, 1 mismatch, 1 missing, 0 unexpected, 0 not checked. 1 of 1 records verified from the source; owners: 2 providers matched, 1 to review.',
		);
		expect(html.match(/<script>/g)).toHaveLength(1);
		expect(html).toContain("content=\"default-src 'none';");
		expect(html).toContain('Read back 1 of 1 records for 1 API tokens.');
	});

	it('leads with one bar per field of each object: match, mismatch, missing in the counts', () => {
		expect(html.indexOf('<h2>Summary per object and field</h2>')).toBeLessThan(
			html.indexOf('<h2>Mismatches and missing fields'),
		);
		expect(html).toContain('<h3>person</h3>');
		expect(html).toContain(
			'<tr data-field="patient.name"><td>Name &lt;b&gt;</td><td><div class="bar" role="img" title="0 match, 1 mismatch, 0 missing, 0 unexpected, 0 not-checked" aria-label="0 match, 1 mismatch, 0 missing, 0 unexpected, 0 not-checked"><span class="seg-mismatch" style="width:100.00%"></span></div></td><td>patient.name</td><td class="num">0</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">0</td></tr>',
		);
	});

	it('lists the summary rows and then only the mismatches and missing fields', () => {
		expect(html).toContain('<h2>Mismatches and missing fields (2)</h2>');
		expect(html).toContain(
			'<tr><td>missing</td><td>person</td><td>p:1</td><td>4</td><td>Email</td><td>patient.email</td><td></td><td></td><td></td><td></td><td>list</td><td>[{&quot;value&quot;:&quot;a@b.test&quot;}]</td><td></td></tr>',
		);
	});
});

describe('CSV reports', () => {
	it('neutralises formula cells hidden behind leading spaces, tabs or line breaks', () => {
		expect(
			[' =1+1', '\t=cmd|x', '  @SUM(A1)', '\r-2', '\tplain', ' plain'].map(neutralise),
		).toEqual(["' =1+1", "'\t=cmd|x", "'  @SUM(A1)", "'\r-2", "'\tplain", ' plain']);
	});

	it('neutralises cells that a spreadsheet would run as a formula', () => {
		expect(
			[
				'=1+1',
				'+32 470',
				'-5',
				'@SUM(A1)',
				' =1+1',
				'\t@SUM(A1)',
				' \r\n-2',
				'plain',
				' a=1',
				'',
			].map(neutralise),
		).toEqual([
			"'=1+1",
			"'+32 470",
			"'-5",
			"'@SUM(A1)",
			"' =1+1",
			"'\t@SUM(A1)",
			"' \r\n-2",
			'plain',
			' a=1',
			'',
		]);
		expect(toCsv(['a', 'b'], [['=x', { y: 1 }]])).toBe('a,b\n\'=x,"{""y"":1}"\n');
	});

	it('writes every compared field of the diff report, with the source cell it came from', () => {
		const [header, first] = diffReportCsv(hostile).split('\n');
		expect(header).toBe(
			'status,object,source_key,pipedrive_id,field,canonical,source_file,source_line,source_column,source_raw,rule,expected,stored',
		);
		expect(first).toBe(
			'mismatch,person,p:1,4,Name <b>,patient.name,patients.csv,7,LastName,<i>Doe,text,<script>alert(1)</script>,"\'=HYPERLINK(""http://x"")"',
		);
	});

	it('writes the audit log from journal entries: identifiers and codes only', () => {
		const row = toAuditRow({
			runId: 'r1',
			seq: 3,
			sourceKey: 'dental-exec:patient:7',
			bundleKey: 'dental-exec:patient:7',
			object: 'person',
			pipedriveId: '12',
			action: 'updated',
			payloadHash: 'abc',
			beforeImage: { name: 'Old Name' },
			errorCode: 'conflict-kept-pipedrive',
			fieldPrints: { name: 'text:0123456789abcdef' },
			conflicts: ['phones', 'custom_fields.abc'],
			at: '2026-11-21T10:00:00.000Z',
		});
		expect(auditLogCsv([row])).toBe(
			'run,time,source_key,bundle_key,object,pipedrive_id,action,error_code,conflicts\n' +
				'r1,2026-11-21T10:00:00.000Z,dental-exec:patient:7,dental-exec:patient:7,person,12,updated,conflict-kept-pipedrive,phones;custom_fields.abc\n',
		);
	});
});

describe('normalised comparison', () => {
	it.each([
		[
			[{ value: 'A@B.test', label: 'work', primary: true }],
			[{ value: 'a@b.test' }],
			'list',
			'emails',
		],
		[[{ value: '+32 470 11 22' }], [{ value: '+3247011 22', label: 'mobile' }], 'list', 'phones'],
		['<p>Floss &amp; rinse</p>', 'Floss & rinse', 'html', 'content'],
		['2025-05-02 10:00:00', '2025-05-02T10:00:00Z', 'datetime', 'add_time'],
		['09:30', '09:30:00', 'time', 'due_time'],
		[7, { id: 7, label: 'Website' }, 'enum', 'custom_fields.x'],
		[[3, 1], '1,3', 'set', 'custom_fields.x'],
		[
			{ value: 100, currency: 'EUR' },
			{ value: '100.00', currency: 'EUR' },
			'monetary',
			'custom_fields.x',
		],
		[true, 1, 'boolean', 'done'],
		['', null, 'text', 'name'],
	])('treats %j and %j as equal (%s)', (planned, stored, fieldType, path) => {
		expect(normalise(planned, fieldType, path)).toBe(normalise(stored, fieldType, path));
	});

	it('keeps real differences apart', () => {
		expect(normalise('2025-05-02', 'date', 'x')).not.toBe(normalise('2025-05-03', 'date', 'x'));
		expect(normalise(7, 'enum', 'x')).not.toBe(normalise(8, 'enum', 'x'));
		expect(normalise('Ann', 'text', 'name')).not.toBe(normalise('Anne', 'text', 'name'));
	});
});
