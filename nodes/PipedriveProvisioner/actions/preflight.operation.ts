import type { IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';

import { ValidationReport } from '../../../lib/model/validationReport';
import { readAccountSchema } from '../../../lib/pipedrive/fieldRegistry';
import { countEntities, estimatePreflight } from '../../../lib/pipedrive/preflight';
import { planProvisioning } from '../../../lib/pipedrive/provision';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce, pipedriveContext } from './pipedriveContext';
import { readSchema, schemaSourceProperties } from './schemaInput';

const properties: INodeProperties[] = [
	...schemaSourceProperties,
	{
		displayName: 'Reader Items',
		name: 'readerItems',
		type: 'json',
		default: '={{ $input.all().map(item => item.json) }}',
		description: "The reader's output items (an expression that returns them); their records are counted",
	},
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
		const items = jsonParameter(this.getNodeParameter('readerItems', 0), 'Reader Items');
		if (!Array.isArray(items)) {
			throw new Error("Reader Items must be a list of the reader's output items: check the parameter's expression");
		}
		const report = ValidationReport.safeParse(jsonParameter(this.getNodeParameter('validationReport', 0), 'Validation Report'));
		if (!report.success) {
			throw new Error(
				"Validation Report is not the reader's validation report: point it at the reader's second output (e.g. {{ $('Dental-Exec Reader').all(1)[0].json }})",
			);
		}
		const { client, plan, seats, auth } = await pipedriveContext(this);
		const account = await readAccountSchema(client, requirements.pipeline.name);
		const estimate = estimatePreflight({
			totals: report.data.totals,
			entities: countEntities(items as Array<Record<string, unknown>>),
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

function jsonParameter(value: unknown, name: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		throw new Error(`${name} is not valid JSON: fix the parameter and run again`);
	}
}
