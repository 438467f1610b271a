import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { TransportError } from '../../lib/transport/transport';
import { toNodeError } from '../../nodes/shared/executeItems';
import { runWorkflow } from '../../runner/engine';
import { FIXTURE_PACKAGE, probeWorkflow } from './fixtureNodes';

const probe = `${FIXTURE_PACKAGE}.itemProbe`;

const node: INode = {
	id: 'n1',
	name: 'Probe',
	type: probe,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('executeItems', () => {
	it('pairs every output item with the input item it came from', async () => {
		const result = await runWorkflow(probeWorkflow(probe, [{ id: 'a', split: 2 }, { id: 'b' }]));

		expect(result.status).toBe('success');
		expect(result.items('Probe')).toEqual([
			{ json: { id: 'a', split: 2, part: 0 }, pairedItem: { item: 0 } },
			{ json: { id: 'a', split: 2, part: 1 }, pairedItem: { item: 0 } },
			{ json: { id: 'b', part: 0 }, pairedItem: { item: 1 } },
		]);
	});

	it('with Continue On Fail, turns each failing item into an error item and keeps the good ones', async () => {
		const result = await runWorkflow(
			probeWorkflow(probe, [{ id: 'a' }, { refuse: true }, { crash: true }, { id: 'd' }], {
				continueOnFail: true,
			}),
		);

		expect(result.status).toBe('success');
		expect(result.items('Probe')).toEqual([
			{ json: { id: 'a', part: 0 }, pairedItem: { item: 0 } },
			{ json: { error: 'Item refused by the probe' }, pairedItem: { item: 1 } },
			{ json: { error: 'Probe crashed on item 2' }, pairedItem: { item: 2 } },
			{ json: { id: 'd', part: 0 }, pairedItem: { item: 3 } },
		]);
	});

	it('without Continue On Fail, stops the workflow at the failing node with its message', async () => {
		const result = await runWorkflow(probeWorkflow(probe, [{ id: 'a' }, { crash: true }]));

		expect(result.status).toBe('error');
		expect(result.error).toEqual({ node: 'Probe', message: 'Probe crashed on item 1' });
	});
});

describe('toNodeError', () => {
	it('wraps a plain error in a NodeOperationError tied to the item', () => {
		const error = toNodeError(node, new Error('Column "x" is missing'), 3);

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Column "x" is missing');
		expect(error.context.itemIndex).toBe(3);
	});

	it('keeps an n8n error and adds the item index only when it has none', () => {
		const own = new NodeOperationError(node, 'Own message', { itemIndex: 1 });
		const bare = new NodeOperationError(node, 'Bare message');

		expect(toNodeError(node, own, 5)).toBe(own);
		expect(own.context.itemIndex).toBe(1);
		expect(toNodeError(node, bare, 5).context.itemIndex).toBe(5);
	});

	it('turns a TransportError into a NodeApiError with n8n’s text for the network code', () => {
		const error = toNodeError(
			node,
			new TransportError('GET /x got no response', 'ECONNREFUSED'),
			2,
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The service refused the connection - perhaps it is offline');
		expect(error.description).toBe(
			'Check the Base URL of the credential and that the server is reachable',
		);
		expect(error.context.itemIndex).toBe(2);
	});
});
