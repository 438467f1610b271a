import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as advanceWatermark from './advanceWatermark.operation';
import * as auditLog from './auditLog.operation';
import * as commit from './commit.operation';
import * as diffReport from './diffReport.operation';
import * as getWatermark from './getWatermark.operation';
import type { LedgerOperation } from './node.type';
import * as reconcile from './reconcile.operation';
import * as rollback from './rollback.operation';
import * as status from './status.operation';

const operations: Record<
	LedgerOperation,
	{ execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]> }
> = { commit, diffReport, reconcile, rollback, getWatermark, advanceWatermark, auditLog, status };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as LedgerOperation;
	const handler = operations[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, {
			description:
				'Choose one of Commit, Rollback, Diff Report, Reconcile, Audit Log, Status, Get Watermark or Advance Watermark',
		});
	}
	return [await handler.execute.call(this)];
}
