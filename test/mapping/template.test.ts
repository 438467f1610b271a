import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
type Node = { name: string; type: string; parameters: Record<string, unknown> };
type Workflow = { nodes: Node[]; connections: Record<string, { main: { node: string }[][] }> };
const load = (path: string) =>
	JSON.parse(readFileSync(join(root, 'workflows', path), 'utf8')) as Workflow;
const settingNames = (workflow: Workflow) =>
	(
		workflow.nodes.find((node) => node.name === 'Migration settings')?.parameters.assignments as {
			assignments: { name: string }[];
		}
	).assignments.map((a) => a.name);

describe.each(['dental-exec', 'dentadmin'])('template %s/3-propose-mapping.json', (source) => {
	const workflow = load(`${source}/3-propose-mapping.json`);
	const next = (name: string, output: number) =>
		(workflow.connections[name]?.main[output] ?? []).map((c) => c.node);

	test('has the same Migration settings as the other templates', () => {
		expect(settingNames(workflow)).toEqual(
			settingNames(load('dental-exec/1-extract-validate.json')),
		);
	});

	test('the reader report feeds Propose; confirmation is a person approving the table unless confirmUnattended', () => {
		const reader = workflow.nodes.find((node) => node.type.endsWith('Reader'))?.name as string;
		expect(next(reader, 1)).toEqual(['Propose Mapping']);
		expect(next('Propose Mapping', 0)).toEqual(['Confirm unattended?']);
		expect(next('Confirm unattended?', 0)).toEqual(['Confirm Mapping']);
		expect(next('Confirm unattended?', 1)).toEqual(['Review the proposed map']);
		expect(next('Review the proposed map', 0)).toEqual(['Approved?']);
		expect(next('Approved?', 0)).toEqual(['Confirm Mapping']);
		expect(next('Approved?', 1)).toEqual([]);
		const review = workflow.nodes.find((node) => node.name === 'Review the proposed map') as Node;
		expect([review.type, review.parameters.resume]).toEqual(['n8n-nodes-base.wait', 'form']);
		// The HTML table: n8n's form renders table markup in its description, not markdown.
		expect(review.parameters.formDescription).toContain('{{ $json.tableHtml }}');
		expect(workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote')).toHaveLength(
			2,
		);
	});
});
