import { runWorkflow } from '../../runner/engine';
import { FIXTURE_PACKAGE, probeWorkflow } from './fixtureNodes';

/**
 * The n8n built-in nodes the templates wire around this package's nodes, run by the in-process
 * engine: Loop Over Items driving an Execute Workflow that calls a sub-workflow by id (found
 * under test/fixtures), an If, a Schedule Trigger as the start of an unattended template, and binary data.
 */

const node = (name: string, type: string, parameters: object, typeVersion = 1) => ({
	id: name,
	name,
	type,
	typeVersion,
	position: [0, 0],
	parameters,
});
const to = (target: string, index = 0) => ({ node: target, type: 'main', index });

describe('built-in nodes in the in-process engine', () => {
	it('loops over items in batches through a sub-workflow found by id, then branches with If', async () => {
		const workflow = {
			nodes: [
				node('Start', 'n8n-nodes-base.manualTrigger', {}),
				node('Seed', `${FIXTURE_PACKAGE}.seedItems`, {
					items: JSON.stringify([{ id: 1 }, { id: 2 }, { id: 3 }]),
				}),
				node('Loop', 'n8n-nodes-base.splitInBatches', { batchSize: 2, options: {} }, 3),
				node(
					'Label in sub-workflow',
					'n8n-nodes-base.executeWorkflow',
					{
						source: 'database',
						workflowId: { __rl: true, value: 'foundationSubWorkflow1', mode: 'id' },
						mode: 'once',
						options: { waitForSubWorkflow: true },
					},
					1.2,
				),
				node(
					'Odd id?',
					'n8n-nodes-base.if',
					{
						conditions: {
							options: { caseSensitive: true, typeValidation: 'strict', version: 2 },
							conditions: [
								{
									id: 'c1',
									leftValue: '={{ $json.id % 2 }}',
									rightValue: 1,
									operator: { type: 'number', operation: 'equals' },
								},
							],
							combinator: 'and',
						},
						options: {},
					},
					2.2,
				),
				node('Odd', 'n8n-nodes-base.noOp', {}),
				node('Even', 'n8n-nodes-base.noOp', {}),
			],
			connections: {
				Start: { main: [[to('Seed')]] },
				Seed: { main: [[to('Loop')]] },
				Loop: { main: [[to('Odd id?')], [to('Label in sub-workflow')]] },
				'Label in sub-workflow': { main: [[to('Loop')]] },
				'Odd id?': { main: [[to('Odd')], [to('Even')]] },
			},
		};

		const result = await runWorkflow(workflow);

		expect(result.status).toBe('success');
		expect(result.output('Label in sub-workflow')).toEqual([
			{ id: 1, label: 'batch item 1' },
			{ id: 2, label: 'batch item 2' },
			{ id: 3, label: 'batch item 3' },
		]);
		expect(result.output('Odd')).toEqual([
			{ id: 1, label: 'batch item 1' },
			{ id: 3, label: 'batch item 3' },
		]);
		expect(result.output('Even')).toEqual([{ id: 2, label: 'batch item 2' }]);
	});

	it('starts an unattended template from its Schedule Trigger', async () => {
		const result = await runWorkflow({
			nodes: [
				node(
					'Every night',
					'n8n-nodes-base.scheduleTrigger',
					{ rule: { interval: [{ field: 'days', triggerAtHour: 2 }] } },
					1.2,
				),
				node('Next', 'n8n-nodes-base.noOp', {}),
			],
			connections: { 'Every night': { main: [[to('Next')]] } },
		});

		expect(result.status).toBe('success');
		expect(result.lastNodeExecuted).toBe('Next');
		// The values are the time of the run; the fields are what templates read.
		expect(result.output('Next').map((item) => Object.keys(item))).toEqual([
			[
				'timestamp',
				'Readable date',
				'Readable time',
				'Day of week',
				'Year',
				'Month',
				'Day of month',
				'Hour',
				'Minute',
				'Second',
				'Timezone',
			],
		]);
	});

	it('keeps binary data in memory, readable by the next node', async () => {
		const result = await runWorkflow(
			probeWorkflow(`${FIXTURE_PACKAGE}.binaryProbe`, [{ text: 'a;b\n1;2\n' }]),
		);

		expect(result.status).toBe('success');
		const [item] = result.items('Probe');
		expect(item.json).toEqual({ fileName: 'item-0.csv', mimeType: 'text/csv' });
		expect(Buffer.from(item.binary?.data.data ?? '', 'base64').toString('utf8')).toBe('a;b\n1;2\n');
		expect(item.binary?.data.id).toBeUndefined(); // in memory: no storage id, no file
	});

	it('says plainly that the Code node needs the real app', async () => {
		const result = await runWorkflow({
			nodes: [
				node('Start', 'n8n-nodes-base.manualTrigger', {}),
				node('Code', 'n8n-nodes-base.code', { jsCode: 'return [{ json: { a: 1 } }];' }, 2),
			],
			connections: { Start: { main: [[to('Code')]] } },
		});

		expect(result.error).toEqual({
			node: 'Code',
			message:
				'The Code node needs n8n’s task runner, which the in-process engine does not have: use this ' +
				'package’s nodes or built-in nodes instead, or run the workflow in n8n (npm run test:n8n)',
		});
	});

	it('names a sub-workflow id it cannot find', async () => {
		const result = await runWorkflow({
			nodes: [
				node('Start', 'n8n-nodes-base.manualTrigger', {}),
				node(
					'Call',
					'n8n-nodes-base.executeWorkflow',
					{
						source: 'database',
						workflowId: { __rl: true, value: 'noSuchWorkflow', mode: 'id' },
						options: {},
					},
					1.2,
				),
			],
			connections: { Start: { main: [[to('Call')]] } },
		});

		expect(result.status).toBe('error');
		expect(result.error?.node).toBe('Call');
		expect(result.error?.message).toContain(
			'Sub-workflow "noSuchWorkflow" was not found: the engine looks for a workflow JSON with that "id" under',
		);
	});
});
