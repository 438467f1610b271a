import type { IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { TransportError } from '../../lib/transport/transport';

/**
 * What a node does with one input item: the output items it produces for it. `pairedItem` is
 * added by `executeItems`; set it only when an output belongs to several inputs.
 */
export type ItemHandler = (
	itemIndex: number,
	item: INodeExecutionData,
) => Promise<INodeExecutionData | INodeExecutionData[]>;

/**
 * Turns anything a node or the engine throws into the error n8n expects, tied to the item:
 * n8n errors keep their message and gain the item index; a TransportError (no HTTP response
 * arrived) becomes a NodeApiError worded by n8n for its network code; any other error a NodeOperationError.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof TransportError) {
		// n8n words the known network codes itself ("The service refused the connection…").
		return new NodeApiError(node, { message: error.message, code: error.code } as JsonObject, {
			itemIndex,
			description: 'Check the Base URL of the credential and that the server is reachable',
		});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * THE loop every node of this package runs over its input items: one try per item, so one bad
 * item never stops the good ones when "Continue On Fail" is set; `pairedItem` on every output
 * item, so n8n can trace each result to its input; errors converted by `toNodeError`.
 */
export async function executeItems(
	context: IExecuteFunctions,
	handler: ItemHandler,
): Promise<INodeExecutionData[]> {
	const input = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < input.length; itemIndex++) {
		try {
			const produced = await handler(itemIndex, input[itemIndex]);
			for (const item of Array.isArray(produced) ? produced : [produced]) {
				output.push({ ...item, pairedItem: item.pairedItem ?? { item: itemIndex } });
			}
		} catch (error) {
			const nodeError = toNodeError(context.getNode(), error, itemIndex);
			if (!context.continueOnFail()) throw nodeError;
			output.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}

/**
 * The same contract for operations that act on all input items at once (one schema, one
 * commit, one report): what they produce is paired with every input item unless an item says
 * otherwise, and under "Continue On Fail" an error becomes one error item. `toError` lets a node
 * word its own errors (budget spent, plan cap); by default `toNodeError`.
 */
export async function executeForAllItems(
	context: IExecuteFunctions,
	run: () => Promise<INodeExecutionData[] | JsonObject>,
	toError: (error: unknown, itemIndex: number) => NodeApiError | NodeOperationError = (
		error,
		itemIndex,
	) => toNodeError(context.getNode(), error, itemIndex),
): Promise<INodeExecutionData[]> {
	const inputCount = Math.max(context.getInputData().length, 1);
	const pairedItem = Array.from({ length: inputCount }, (_, item) => ({ item }));
	try {
		const result = await run();
		const items = Array.isArray(result) ? result : [{ json: result }];
		return items.map((item) => ({ ...item, pairedItem: item.pairedItem ?? pairedItem }));
	} catch (error) {
		const nodeError = toError(error, 0);
		if (!context.continueOnFail()) throw nodeError;
		return [{ json: { error: nodeError.message }, pairedItem }];
	}
}
