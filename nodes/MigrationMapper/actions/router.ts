import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as confirmMapping from './confirmMapping.operation';
import type { MapperOperation } from './node.type';
import * as proposeMapping from './proposeMapping.operation';
import * as selectSample from './selectSample.operation';
import * as transform from './transform.operation';
import * as validateSpec from './validateSpec.operation';

const operations: Record<
	MapperOperation,
	{ execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]> }
> = {
	proposeMapping,
	confirmMapping,
	validateSpec,
	transform,
	selectSample,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as MapperOperation;
	const handler = operations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, {
			description:
				'Choose one of Propose Mapping, Confirm Mapping, Validate Spec, Transform or Select Sample',
		});
	}
	return [await handler.execute.call(this)];
}
