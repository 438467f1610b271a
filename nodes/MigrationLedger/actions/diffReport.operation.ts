import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { diffReport } from '../../../lib/ledger/diff';
import { diffReportCsv } from '../../../lib/ledger/report/diffCsv';
import { diffReportHtml } from '../../../lib/ledger/report/html';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { binary, withLedger } from './ledgerContext';
import { executeOnce } from '../../shared/pipedriveContext';
import { plansParameter, plansProperty, runIdProperty } from './parameters';

const properties: INodeProperties[] = [
	plansProperty,
	{
		...runIdProperty,
		required: true,
		description: 'The run to compare, typically the sample run (the runId of the Commit summary)',
	},
	{
		displayName: 'Read-Back Token Budget',
		name: 'maxReadBackTokens',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Stop reading records back after this many API tokens (0 = no limit); the rest is reported as not checked',
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['diffReport'] } },
	properties,
);

/**
 * One item per mapped field of every record the run wrote (expected, stored, match / mismatch /
 * missing), then a summary item with the HTML page and the CSV. These hold patient values: they
 * are the practice's review of the sample.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Diff report', async () => {
		const plans = plansParameter(this);
		const runId = (this.getNodeParameter('runId', 0) as string).trim();
		const budget = this.getNodeParameter('maxReadBackTokens', 0, 0) as number;
		return withLedger(this, async ({ client, store }) => {
			const report = await diffReport(plans, {
				store,
				client,
				runId,
				...(budget > 0 ? { maxReadBackTokens: budget } : {}),
			});
			const items: INodeExecutionData[] = report.fields.map((field) => ({
				json: field as unknown as JsonObject,
			}));
			items.push({
				json: {
					runId,
					totals: report.totals,
					readBack: report.readBack,
					summary: report.summary,
				} as unknown as JsonObject,
				binary: {
					html: await binary(this, diffReportHtml(report), `diff-${runId}.html`, 'text/html'),
					csv: await binary(this, diffReportCsv(report), `diff-${runId}.csv`, 'text/csv'),
				},
			});
			return items;
		});
	});
}
