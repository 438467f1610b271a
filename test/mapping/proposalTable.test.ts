import { proposalTableHtml } from '../../lib/mapping/propose/table';

describe('the proposal as an HTML table (the approval form)', () => {
	it('lists every column with target, confidence and reason, every cell escaped', () => {
		const html = proposalTableHtml(
			[
				{
					file: 'patients.csv',
					column: '<img src=x onerror=alert(1)>',
					field: 'firstName',
					target: 'Person · first name',
					confidence: 0.856,
					reason: 'header "Voornaam" & sampled names',
					needsReview: false,
				},
			],
			[
				{
					file: 'patients.csv',
					field: 'dob',
					required: true,
					confidence: 0.4,
					reason: 'no column looks like a date of birth',
					needsReview: true,
				},
			],
		);
		expect(html).toBe(
			'<table><thead><tr><th>File</th><th>Column</th><th>Proposed target</th><th>Confidence</th><th>Review</th><th>Reason</th></tr></thead>' +
				'<tbody><tr><td>patients.csv</td><td>&lt;img src=x onerror=alert(1)&gt;</td><td>firstName: Person · first name</td><td>86%</td><td></td><td>header &quot;Voornaam&quot; &amp; sampled names</td></tr></tbody></table>' +
				'<table><thead><tr><th>File</th><th>Reader field</th><th>Required</th><th>Filled by column</th><th>Confidence</th><th>Review</th><th>Reason</th></tr></thead>' +
				'<tbody><tr><td>patients.csv</td><td>dob</td><td>yes</td><td>(none)</td><td>40%</td><td>review</td><td>no column looks like a date of birth</td></tr></tbody></table>',
		);
	});
});
