import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readWatermark } from '../../../lib/ledger/watermarks';
import { executeItems } from '../../shared/executeItems';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce } from '../../shared/pipedriveContext';
import { withLedger } from './ledgerContext';
import { watermarkNameProperty } from './watermark.properties';

const properties: INodeProperties[] = [
	watermarkNameProperty,
	{
		displayName: 'Start From',
		name: 'initialWatermark',
		type: 'string',
		default: '1970-01-01T00:00:00Z',
		description:
			'The value to use before the first delta run has advanced the watermark (RFC 3339)',
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['getWatermark'] } },
	properties,
);

/**
 * Per input item: `{ name, value, stored }` and `checkedAt`, the time of this check (the delta
 * templates name their journal run by it). The watermark advances to the export's newest change,
 * not to `checkedAt`: the export may have been taken well before this run.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// The journal is opened once for all items: an error opening it is a node error too.
	return executeOnce(this, 'Get watermark', () =>
		withLedger(this, async ({ store }) =>
			executeItems(this, async (itemIndex) => {
				const name = (this.getNodeParameter('watermarkName', itemIndex) as string).trim();
				const stored = await readWatermark(store, name);
				const value = stored ?? (this.getNodeParameter('initialWatermark', itemIndex) as string);
				return {
					json: { name, value, stored: stored !== null, checkedAt: new Date().toISOString() },
				};
			}),
		),
	);
}
