import type { OperationsIndex } from '../../shared/operations';
import * as advanceWatermark from './advanceWatermark.operation';
import * as auditLog from './auditLog.operation';
import * as commit from './commit.operation';
import * as diffReport from './diffReport.operation';
import * as getWatermark from './getWatermark.operation';
import type { LedgerOperation } from './node.type';
import * as reconcile from './reconcile.operation';
import * as rollback from './rollback.operation';
import * as status from './status.operation';

/**
 * The Migration Ledger's operations index (its resources are in node.type.ts): node class,
 * router and error text read it. The order is the order of the parameters in the node.
 */
export const OPERATIONS: OperationsIndex<LedgerOperation> = {
	commit: {
		name: 'Commit',
		description: 'Write plans into Pipedrive, journaled and resumable',
		action: 'Commit plans',
		module: commit,
	},
	diffReport: {
		name: 'Diff Report',
		description: 'Compare every mapped field of a run with what Pipedrive stores',
		action: 'Build a diff report',
		module: diffReport,
	},
	reconcile: {
		name: 'Reconcile',
		description: 'Count per object against the export and verify a share by reading back',
		action: 'Reconcile the migration',
		module: reconcile,
	},
	rollback: {
		name: 'Rollback',
		description: 'Delete what the migration created and restore what it updated',
		action: 'Roll back the migration',
		module: rollback,
	},
	getWatermark: {
		name: 'Get Watermark',
		description: 'Read the delta watermark of a source entity',
		action: 'Get a watermark',
		module: getWatermark,
	},
	advanceWatermark: {
		name: 'Advance Watermark',
		description: 'Move a delta watermark after a successful commit',
		action: 'Advance a watermark',
		module: advanceWatermark,
	},
	auditLog: {
		name: 'Audit Log',
		description: 'Every insert, update and skip as CSV and JSON',
		action: 'Export the audit log',
		module: auditLog,
	},
	status: {
		name: 'Status',
		description:
			'Where the migration stands: done and left per object, runs, tokens per day, finishing day, failures',
		action: 'Report the migration status',
		module: status,
	},
};
