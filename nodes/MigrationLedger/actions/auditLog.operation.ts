import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { auditLog, auditLogCsvChunks } from '../../../lib/ledger/auditLog';
import { jsonArrayChunks } from '../../../lib/ledger/report/jsonArray';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { reportFile } from '../../shared/reportFile';
import { withLedger } from './ledgerContext';
import { executeOnce } from '../../shared/pipedriveContext';
import { runIdList } from './parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Run IDs',
		name: 'runIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. run-a, run-b',
		description:
			'Comma-separated runs to include; empty = the whole journal of this Pipedrive account',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['auditLog'] } }, properties);

/** One item with the counts per action and the audit log as CSV and JSON files (no patient values). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Audit log', async () =>
		withLedger(this, async ({ store }) => {
			const rows = await auditLog(store, runIdList(this, 'runIds'));
			const actions: Record<string, number> = {};
			for (const row of rows) actions[row.action] = (actions[row.action] ?? 0) + 1;
			return [
				{
					json: { entries: rows.length, actions },
					binary: {
						auditCsv: await reportFile(this, auditLogCsvChunks(rows), 'audit-log.csv', 'text/csv'),
						auditJson: await reportFile(
							this,
							jsonArrayChunks(rows),
							'audit-log.json',
							'application/json',
						),
					},
				},
			];
		}),
	);
}
