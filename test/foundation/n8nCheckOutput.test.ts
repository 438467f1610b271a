import { trailingJson } from '../../scripts/n8n-check/processes';

describe('reading the JSON that n8n prints among its log lines', () => {
	it('finds a pretty-printed document with log lines before and after it', () => {
		const output = [
			'Registered runner "JS Task Runner"',
			'{ not json, a log line }',
			'{',
			'  "data": {',
			'    "list": [',
			'      1',
			'    ]',
			'  }',
			'}',
			'Execution finished',
		].join('\n');

		expect(trailingJson(output)).toEqual({ data: { list: [1] } });
	});

	it('reads a one-line document', () => {
		expect(trailingJson('npm notice\n[{"filename":"pkg-0.1.0.tgz"}]\n')).toEqual([
			{ filename: 'pkg-0.1.0.tgz' },
		]);
	});

	it('says what had no JSON without repeating the output', () => {
		expect(() => trailingJson('secret-ish output', 'n8n execute wf.json')).toThrow(
			'No JSON document in n8n execute wf.json (17 characters)',
		);
	});
});
