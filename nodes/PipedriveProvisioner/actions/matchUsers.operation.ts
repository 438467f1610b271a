import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { matchProvidersToUsers, providersFromReaderItems } from '../../../lib/pipedrive/users';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { executeOnce, pipedriveContext } from '../../shared/pipedriveContext';
import { readerItemsProperty, readReaderItems } from './readerInput';

const properties: INodeProperties[] = [
	readerItemsProperty,
	{
		displayName: 'Fallback Owner Name or ID',
		name: 'fallbackOwnerEmail',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getActiveUsers' },
		default: '',
		description:
			'Owner of the records of providers without an active Pipedrive user (listed for review); empty means the connected user. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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
		const fallbackOwnerEmail = String(this.getNodeParameter('fallbackOwnerEmail', 0, '') ?? '');
		const { client } = await pipedriveContext(this);
		const result = await matchProvidersToUsers(client, providers, { fallbackOwnerEmail });
		return { ...result, providers: providers.length } as unknown as JsonObject;
	});
}
