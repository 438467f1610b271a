import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { rollback } from '../../../lib/ledger/rollback';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { withLedger } from './ledgerContext';
import { executeOnce } from '../../shared/pipedriveContext';
import { runIdProperty } from './parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'rollbackScope',
		type: 'options',
		options: [
			{
				name: 'Whole Migration',
				value: 'migration',
				description: 'Every sample, full and delta run journaled for this Pipedrive account',
			},
			{ name: 'One Run', value: 'run', description: 'Only the records one run created or updated' },
		],
		default: 'migration',
	},
	{
		...runIdProperty,
		displayName: 'Run ID to Roll Back',
		required: true,
		displayOptions: { show: { rollbackScope: ['run'] } },
		description: 'The runId of the Commit summary to take back',
	},
	{
		displayName: 'Rollback Run ID',
		name: 'rollbackRunId',
		type: 'string',
		default: '',
		description: 'To resume an interrupted rollback, its run ID; empty starts a new rollback run',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['rollback'] } }, properties);

/** Deletes what the scope created, restores what it updated, then verifies; one result item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Rollback', async () => {
		const scope = this.getNodeParameter('rollbackScope', 0) as 'migration' | 'run';
		const scopeRunId =
			scope === 'run' ? (this.getNodeParameter('runId', 0) as string).trim() : undefined;
		const runId = (this.getNodeParameter('rollbackRunId', 0, '') as string).trim() || undefined;
		return withLedger(this, async ({ client, store }) => {
			const result = await rollback({ store, client, scopeRunId, runId });
			return [{ json: result as unknown as JsonObject }];
		});
	});
}
