import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { requireValidSpec } from '../../../lib/mapping/confirm';
import { matchProvidersToUsers, providersFromReaderItems } from '../../../lib/pipedrive/users';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce, pipedriveContext } from '../../shared/pipedriveContext';
import { jsonParameter, readerItemsProperty, readReaderItems } from './readerInput';

const properties: INodeProperties[] = [
	readerItemsProperty,
	{
		displayName: 'Fallback Owner From',
		name: 'fallbackOwnerSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Parameter',
				value: 'parameter',
				description: 'Fallback Owner below (before a spec is confirmed, e.g. step 2)',
			},
			{
				name: 'Mapping Spec',
				value: 'spec',
				description:
					"The spec's rules.fallbackOwnerEmail: the rule Verify and Preflight read (empty: the connected user)",
			},
		],
		default: 'parameter',
	},
	{
		displayName: 'Mapping Spec',
		name: 'spec',
		type: 'json',
		default: '',
		required: true,
		description:
			'The confirmed mapping spec (JSON), as the templates set it: the spec of Spec to migrate',
		displayOptions: { show: { fallbackOwnerSource: ['spec'] } },
	},
	{
		displayName: 'Fallback Owner Name or ID',
		name: 'fallbackOwnerEmail',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getActiveUsers' },
		default: '',
		description:
			'Owner of the records of providers without an active Pipedrive user (listed for review); empty means the connected user. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { fallbackOwnerSource: ['parameter'] } },
	},
];

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['matchUsers'] } },
	properties,
);

/** Providers to Pipedrive users by email: the owner map, plus everyone who needs a person's review. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return executeOnce(this, 'Match users', async () => {
		const providers = providersFromReaderItems(
			readReaderItems(this.getNode(), this.getNodeParameter('readerItems', 0)),
		);
		const fallbackOwnerEmail = readFallbackOwnerEmail(this);
		const { client } = await pipedriveContext(this);
		const result = await matchProvidersToUsers(client, providers, { fallbackOwnerEmail });
		return { ...result, providers: providers.length } as unknown as JsonObject;
	});
}

/** From the spec, the owner is the one the migration's other steps expect; the parameter serves step 2. */
function readFallbackOwnerEmail(context: IExecuteFunctions): string {
	if (context.getNodeParameter('fallbackOwnerSource', 0, 'parameter') === 'spec') {
		const spec = jsonParameter(
			context.getNode(),
			context.getNodeParameter('spec', 0),
			'Mapping Spec',
		);
		return requireValidSpec(spec).rules.fallbackOwnerEmail;
	}
	return String(context.getNodeParameter('fallbackOwnerEmail', 0, '') ?? '');
}
