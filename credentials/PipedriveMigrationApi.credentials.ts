import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { pipedriveAccountProperties } from './pipedriveAccountProperties';

/** Pipedrive API token for the migration nodes; the base URL lets a sandbox stand in for Pipedrive. */
export class PipedriveMigrationApi implements ICredentialType {
	name = 'pipedriveMigrationApi';

	displayName = 'Pipedrive Migration API';

	icon: Icon = {
		light: 'file:../icons/pipedrive-migration.svg',
		dark: 'file:../icons/pipedrive-migration.dark.svg',
	};

	documentationUrl =
		'https://github.com/dental-pipedrive/n8n-nodes-dental-pipedrive#pipedrive-migration-api';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Personal API token of a Pipedrive admin user (Settings → Personal preferences → API)',
		},
		...pipedriveAccountProperties,
	];

	// Pipedrive's api_key security scheme: the token travels in the x-api-token header only.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-token': '={{$credentials.apiToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			// A trailing slash in the Base URL is fine: axios joins baseURL and url with one slash.
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v1/users/me',
		},
	};
}
