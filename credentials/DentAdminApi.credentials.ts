import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** API key for a DentAdmin practice server, read by the DentAdmin Reader node. */
export class DentAdminApi implements ICredentialType {
	name = 'dentAdminApi';

	displayName = 'DentAdmin API';

	icon: Icon = {
		light: 'file:../icons/pipedrive-migration.svg',
		dark: 'file:../icons/pipedrive-migration.dark.svg',
	};

	documentationUrl = 'https://github.com/dental-pipedrive/n8n-nodes-dental-pipedrive#dentadmin-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://practice.example.be/api/v1',
			description: 'Address of the DentAdmin API, up to and without the /patients path',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-Api-Key',
			description: 'HTTP header DentAdmin expects the API key in',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'={{$credentials.headerName}}': '={{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			// A trailing slash in the Base URL is fine: axios joins baseURL and url with one slash.
			baseURL: '={{$credentials.baseUrl}}',
			url: '/patients',
			qs: { pageSize: 1 },
		},
	};
}
