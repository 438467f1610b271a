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
import { readSchema, readSpec, schemaSourceProperties } from './schemaInput';
import { requireValidSpec } from '../../../lib/mapping/confirm';
import type { FieldRegistry, OwnerMap } from '../../../lib/pipedrive/schemaRequirements';
import { planBill, type BillInput } from '../../../lib/preflight/bill';
import { withReferralSources } from '../../../lib/mapping/propose';
import type { MappingSpec } from '../../../lib/mapping/spec';
import type { ReferenceEntity } from '../../../lib/model';

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
		description:
			'Patients that will also get a lead, when known; ignored when the plans are priced (Field Registry and Owner Map given)',
	},
	{
		displayName: 'Field Registry',
		name: 'registry',
		type: 'json',
		default: '',
		description:
			'The field registry from Provision Schema. With it and the Owner Map, Preflight transforms every bundle locally and prices the plans themselves, with verification and setup reads.',
	},
	{
		displayName: 'Owner Map',
		name: 'owners',
		type: 'json',
		default: '',
		description: 'The owner map from Match Users, for pricing the plans',
	},
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description:
			'Items per page of the full migration (its Page of bundles node): Commit runs and reads its company once per page',
	},
	{
		displayName: 'Expected Retry Share',
		name: 'retryShare',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 3 },
		default: 0,
		description:
			'Share of requests expected to be sent again after server errors (0.01 = 1 %). Pipedrive does not charge a 429.',
	},
];

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['preflight'] } },
	properties,
);

/**
 * Writes, tokens, daily budget and days the migration needs, and custom fields against the cap.
 * Given the field registry and owner map, the bill comes from the plans themselves (every bundle
 * transformed locally), with setup and verification reads, per object and per day.
 */
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
		const registryParameter = this.getNodeParameter('registry', 0, '');
		const ownersParameter = this.getNodeParameter('owners', 0, '');
		const spec = readSpec(this);
		const pricing = registryParameter !== '' && ownersParameter !== '' && spec !== undefined;
		// The default spec leaves the referral options to the export, as Propose does; the fields
		// waiting for them are created when the migration's own Provision Schema runs.
		const pricedSpec = pricing
			? requireValidSpec(
					withReferralSources(
						spec as MappingSpec,
						items.filter((item) => item.kind !== 'patientBundle') as unknown as ReferenceEntity[],
					),
				)
			: undefined;
		const planned = pricedSpec
			? planBill({
					items: items as unknown as BillInput['items'],
					transform: {
						spec: pricedSpec,
						registry: jsonParameter(node, registryParameter, 'Field Registry') as FieldRegistry,
						owners: jsonParameter(node, ownersParameter, 'Owner Map') as OwnerMap,
					},
					pageSize: Number(this.getNodeParameter('pageSize', 0, 50)),
				})
			: undefined;
		const schema = pricedSpec?.schema ?? requirements;
		const account = await readAccountSchema(client, schema.pipeline.name);
		const estimate = estimatePreflight({
			totals: report.data.totals,
			entities: countEntities(items),
			requirements: schema,
			plan,
			seats,
			auth,
			leads: Number(this.getNodeParameter('leads', 0, 0)),
			provisionPlan: planProvisioning(account, schema),
			planned,
			retryShare: Number(this.getNodeParameter('retryShare', 0, 0)),
		});
		return { plan, seats, ...estimate } as unknown as JsonObject;
	});
}
