import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { advanceWatermark } from '../../../lib/ledger/watermarks';
import { executeItems } from '../../shared/executeItems';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce } from '../../shared/pipedriveContext';
import { withLedger } from './ledgerContext';
import { runIdProperty } from './parameters';
import { watermarkNameProperty } from './watermark.properties';

const properties: INodeProperties[] = [
	watermarkNameProperty,
	{
		displayName: 'New Value',
		name: 'watermarkValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $("Read Export").all(1)[0].json.newestChange }}',
		description:
			"How far the delta run's export reaches (RFC 3339), normally the reader's validation report newestChange; not the run's start, or edits made after the export was taken are missed",
	},
	{
		...runIdProperty,
		description:
			'The delta commit run; the watermark moves only if that run completed without failures',
	},
	{
		displayName: 'Force',
		name: 'force',
		type: 'boolean',
		default: false,
		description: 'Whether to advance even though the run has failures or the value moves backwards',
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['advanceWatermark'] } },
	properties,
);

/** Per input item: moves the watermark and outputs `{ name, previous, value }`. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// The journal is opened once for all items: an error opening it is a node error too.
	return executeOnce(this, 'Advance watermark', () =>
		withLedger(this, async ({ store }) =>
			executeItems(this, async (itemIndex) => {
				const runId = (this.getNodeParameter('runId', itemIndex, '') as string).trim();
				const moved = await advanceWatermark(store, {
					name: (this.getNodeParameter('watermarkName', itemIndex) as string).trim(),
					value: (this.getNodeParameter('watermarkValue', itemIndex) as string).trim(),
					...(runId ? { runId } : {}),
					force: this.getNodeParameter('force', itemIndex, false) as boolean,
				});
				return { json: moved };
			}),
		),
	);
}
