import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { pipedriveAccountProperties } from './pipedriveAccountProperties';

/** Pipedrive OAuth2 (authorization code) for the migration nodes, for Marketplace-style installs. */
export class PipedriveMigrationOAuth2Api implements ICredentialType {
	name = 'pipedriveMigrationOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Pipedrive Migration OAuth2 API';

	icon: Icon = {
		light: 'file:../icons/pipedrive-migration.svg',
		dark: 'file:../icons/pipedrive-migration.dark.svg',
	};

	documentationUrl =
		'https://github.com/dental-pipedrive/n8n-nodes-dental-pipedrive#pipedrive-migration-oauth2-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://oauth.pipedrive.com/oauth/authorize',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://oauth.pipedrive.com/oauth/token',
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
		...pipedriveAccountProperties,
	];
}
