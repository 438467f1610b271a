import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { auditLogBatches, auditLogCsvStream, type AuditRow } from '../../../lib/ledger/auditLog';
import { jsonArrayStream } from '../../../lib/ledger/report/jsonArray';
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
			// Read from the journal a batch at a time, once per file: a whole migration's audit log is
			// never held in memory. The CSV's pass counts the actions.
			const runIds = runIdList(this, 'runIds');
			let entries = 0;
			const actions: Record<string, number> = {};
			async function* counted(): AsyncGenerator<AuditRow[]> {
				for await (const rows of auditLogBatches(store, runIds)) {
					entries += rows.length;
					for (const row of rows) actions[row.action] = (actions[row.action] ?? 0) + 1;
					yield rows;
				}
			}
			const auditCsv = await reportFile(
				this,
				auditLogCsvStream(counted()),
				'audit-log.csv',
				'text/csv',
			);
			const auditJson = await reportFile(
				this,
				jsonArrayStream(auditLogBatches(store, runIds)),
				'audit-log.json',
				'application/json',
			);
			return [
				{
					json: { entries, actions },
					binary: { auditCsv, auditJson },
				},
			];
		}),
	);
}
