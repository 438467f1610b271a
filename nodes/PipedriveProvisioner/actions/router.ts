import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as getFieldRegistry from './getFieldRegistry.operation';
import * as matchUsers from './matchUsers.operation';
import type { ProvisionerOperation } from './node.type';
import * as preflight from './preflight.operation';
import * as provisionSchema from './provisionSchema.operation';

const operations: Record<
	ProvisionerOperation,
	{ execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]> }
> = {
	provisionSchema,
	matchUsers,
	preflight,
	getFieldRegistry,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as ProvisionerOperation;
	const handler = operations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, {
			description: 'Choose one of Provision Schema, Match Users, Preflight or Get Field Registry',
		});
	}
	return [await handler.execute.call(this)];
}
