import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { statusHtml } from '../../../lib/ledger/report/statusHtml';
import { migrationStatus, type StatusInput } from '../../../lib/ledger/status';
import { executeOnce } from '../../shared/pipedriveContext';
import { reportFile } from '../../shared/reportFile';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { withLedger } from './ledgerContext';
import { jsonParameter } from './parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Preflight',
		name: 'preflight',
		type: 'json',
		default: '{}',
		description:
			"The Pipedrive Provisioner's Preflight output (map it with an expression): its planned writes per object give the records left and the finishing day. Empty: only what is done.",
	},
];

export const description = updateDisplayOptions({ show: { operation: ['status'] } }, properties);

/**
 * One item: where the migration stands (per object, runs, tokens per day, pace, failures) from
 * the journal and today's budget, with the same as a page (binary `html`). Costs one request
 * (`/users/me`, which also brings Pipedrive's daily budget headers).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Migration status', async () =>
		withLedger(this, async ({ client, store }) => {
			const preflight = jsonParameter<StatusInput['preflight']>(this, 'preflight', 'Preflight');
			const status = migrationStatus({
				runs: await store.listRuns(),
				entries: await store.listEntries(),
				mapped: await store.listMapped(),
				preflight: preflight && Object.keys(preflight).length > 0 ? preflight : null,
				budget: client.budget() ?? null,
				now: new Date(),
			});
			return [
				{
					json: status as unknown as IDataObject,
					binary: {
						html: await reportFile(this, statusHtml(status), 'migration-status.html', 'text/html'),
					},
				},
			];
		}),
	);
}
