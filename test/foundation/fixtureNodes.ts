import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { HttpRequest } from '../../lib/transport/transport';
import { TransportError } from '../../lib/transport/transport';
import { executeItems } from '../../nodes/shared/executeItems';
import { n8nTransport } from '../../nodes/shared/n8nTransport';
import { typeRegistry } from '../../runner/typeRegistry';

/**
 * Small nodes that exist only for the foundation tests: they drive the shared node machinery
 * (executeItems, n8nTransport) through the real engine the way the package's nodes will.
 */

function description(name: string, credentials: boolean): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: 'Test fixture',
		defaults: { name },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentials ? [{ name: 'pipedriveMigrationApi', required: true }] : [],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '' },
		],
	};
}

/** Emits the items of its `items` parameter (a JSON array of objects), one n8n item each. */
class SeedItems implements INodeType {
	description = description('seedItems', false);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as object[];
		return [
			items.map((json) => ({ json: json as INodeExecutionData['json'], pairedItem: { item: 0 } })),
		];
	}
}

/**
 * Per item: `{ split: n }` gives n output items, `{ refuse: true }` throws a NodeOperationError,
 * `{ crash: true }` throws a plain Error; anything else is echoed.
 */
class ItemProbe implements INodeType {
	description = description('itemProbe', false);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			await executeItems(this, async (itemIndex, item) => {
				if (item.json.refuse) {
					throw new NodeOperationError(this.getNode(), 'Item refused by the probe', {
						description: 'Remove "refuse" from the item',
					});
				}
				if (item.json.crash) throw new Error(`Probe crashed on item ${itemIndex}`);
				const split = Number(item.json.split ?? 1);
				return Array.from({ length: split }, (_, part) => ({ json: { ...item.json, part } }));
			}),
		];
	}
}

/**
 * Sends each item's `request` (an HttpRequest, file data as base64) through n8nTransport; with
 * `reportTransportError`, a TransportError is returned as an item instead of thrown.
 */
class TransportProbe implements INodeType {
	description = description('transportProbe', true);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const transport = await n8nTransport(this, 'pipedriveMigrationApi');
		return [
			await executeItems(this, async (_itemIndex, item) => {
				const request = structuredClone(item.json.request) as unknown as HttpRequest & {
					multipart?: { file: { data: unknown } };
				};
				if (request.multipart) {
					request.multipart.file.data = Buffer.from(String(request.multipart.file.data), 'base64');
				}
				if (item.json.reportTransportError) {
					// Shows what n8nTransport rejected with, before executeItems converts it.
					try {
						await transport.request(request);
					} catch (error) {
						if (!(error instanceof TransportError)) throw error;
						return { json: { transportError: { code: error.code, message: error.message } } };
					}
				}
				const response = await transport.request(request);
				const body = (
					Buffer.isBuffer(response.body)
						? { base64: response.body.toString('base64') }
						: response.body
				) as IDataObject;
				return {
					json: { status: response.status, contentType: response.headers['content-type'], body },
				};
			}),
		];
	}
}

/** Attaches each item's `text` as a binary file `data`, then reads it back through n8n. */
class BinaryProbe implements INodeType {
	description = description('binaryProbe', false);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			await executeItems(this, async (itemIndex, item) => {
				const file = await this.helpers.prepareBinaryData(
					Buffer.from(String(item.json.text), 'utf8'),
					`item-${itemIndex}.csv`,
					'text/csv',
				);
				return {
					json: { fileName: file.fileName, mimeType: file.mimeType },
					binary: { data: file },
				};
			}),
		];
	}
}

export const FIXTURE_PACKAGE = 'test-fixtures';

typeRegistry().register(`${FIXTURE_PACKAGE}.seedItems`, new SeedItems());
typeRegistry().register(`${FIXTURE_PACKAGE}.itemProbe`, new ItemProbe());
typeRegistry().register(`${FIXTURE_PACKAGE}.transportProbe`, new TransportProbe());
typeRegistry().register(`${FIXTURE_PACKAGE}.binaryProbe`, new BinaryProbe());

/** Manual Trigger → Seed items → one node of `type`, as a workflow object. */
export function probeWorkflow(
	type: string,
	items: object[],
	options: { continueOnFail?: boolean } = {},
): object {
	return {
		nodes: [
			{
				id: '1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '2',
				name: 'Seed',
				type: `${FIXTURE_PACKAGE}.seedItems`,
				typeVersion: 1,
				position: [200, 0],
				parameters: { items: JSON.stringify(items) },
			},
			{
				id: '3',
				name: 'Probe',
				type,
				typeVersion: 1,
				position: [400, 0],
				parameters: {},
				credentials: { pipedriveMigrationApi: { id: 'c1', name: 'Pipedrive' } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Seed', type: 'main', index: 0 }]] },
			Seed: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] },
		},
	};
}
