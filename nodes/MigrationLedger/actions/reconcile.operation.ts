import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { DEFAULT_VERIFY_SHARE, reconcile } from '../../../lib/ledger/reconcile';
import type { PipedriveObject } from '../../../lib/plan/plan';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { withLedger } from './ledgerContext';
import { executeOnce } from '../../shared/pipedriveContext';
import { jsonParameter, plansParameter, plansProperty, runIdList } from './parameters';

const properties: INodeProperties[] = [
	{
		displayName: 'Run IDs',
		name: 'runIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. run-a, run-b',
		description:
			'Comma-separated runs to reconcile; empty = every sample, full and delta run of this account',
	},
	{
		displayName: 'Verify Share',
		name: 'verifyShare',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: DEFAULT_VERIFY_SHARE,
		description:
			'Share of the migrated records read back from Pipedrive to prove they are there (0–1); 1 = every record, read in bulk for about 0.1 API token each',
	},
	{
		displayName: 'Expected Counts',
		name: 'expectedCounts',
		type: 'json',
		default: '{}',
		description:
			'Records per object the export says must exist, e.g. {"person": 1200, "activity": 5400}; objects left out are checked against what was planned',
	},
	{
		displayName: 'Compare Fields',
		name: 'compareFields',
		type: 'boolean',
		default: false,
		description:
			'Whether to compare the read-back records field by field against the plans (else presence only)',
	},
	{ ...plansProperty, displayOptions: { show: { compareFields: [true] } } },
];

export const description = updateDisplayOptions({ show: { operation: ['reconcile'] } }, properties);

/** One item: counts per object against the export, the read-back check, and pass / fail with findings. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Reconcile', async () => {
		const expected = jsonParameter<Partial<Record<PipedriveObject, number>>>(
			this,
			'expectedCounts',
			'Expected Counts',
		);
		return withLedger(this, async ({ client, store }) => {
			const report = await reconcile({
				store,
				client,
				runIds: runIdList(this, 'runIds'),
				expected,
				verifyShare: this.getNodeParameter('verifyShare', 0, DEFAULT_VERIFY_SHARE) as number,
				...(this.getNodeParameter('compareFields', 0, false)
					? { plans: plansParameter(this) }
					: {}),
			});
			return [{ json: report as unknown as JsonObject }];
		});
	});
}
