import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { ValidationReport } from '../../../lib/model/validationReport';
import { readAccountSchema } from '../../../lib/pipedrive/fieldRegistry';
import { countEntities, estimatePreflight } from '../../../lib/pipedrive/preflight';
import { planProvisioning } from '../../../lib/pipedrive/provision';
import { requireReaderRecords } from '../../../lib/pipedrive/readerRecords';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce, pipedriveContext } from '../../shared/pipedriveContext';
import { jsonParameter, readerItemsProperty, readReaderItems } from './readerInput';
import { readSchema, schemaSourceProperties } from './schemaInput';

const properties: INodeProperties[] = [
	...schemaSourceProperties,
	readerItemsProperty,
	{
		displayName: 'Validation Report',
		name: 'validationReport',
		type: 'json',
		default: '',
		description: "The reader's validation report item (its second output), for the totals",
	},
	{
		displayName: 'Leads',
		name: 'leads',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Patients that will also get a lead, when known (the Mapper counts them)',
	},
];

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['preflight'] } },
	properties,
);

/** Writes, tokens, daily budget and days the migration needs, and custom fields against the cap. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Preflight', async () => {
		const requirements = readSchema(this);
		const node = this.getNode();
		const items = readReaderItems(node, this.getNodeParameter('readerItems', 0));
		requireReaderRecords(items, 'Preflight');
		const report = ValidationReport.safeParse(
			jsonParameter(node, this.getNodeParameter('validationReport', 0), 'Validation Report'),
		);
		if (!report.success) {
			throw new NodeOperationError(
				node,
				"Validation Report is not the reader's validation report: point it at the reader's second output (e.g. {{ $('Dental-Exec Reader').all(1)[0].json }})",
			);
		}
		const { client, plan, seats, auth } = await pipedriveContext(this);
		const account = await readAccountSchema(client, requirements.pipeline.name);
		const estimate = estimatePreflight({
			totals: report.data.totals,
			entities: countEntities(items),
			requirements,
			plan,
			seats,
			auth,
			leads: Number(this.getNodeParameter('leads', 0, 0)),
			provisionPlan: planProvisioning(account, requirements),
		});
		return { plan, seats, ...estimate } as unknown as JsonObject;
	});
}
