import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { AuthType } from '../../lib/pipedrive/plans';

/** The credential type the Authentication choice selects. */
export function credentialTypeOf(auth: AuthType): string {
	return auth === 'oauth2' ? 'pipedriveMigrationOAuth2Api' : 'pipedriveMigrationApi';
}

/** The Pipedrive credentials of every Pipedrive-facing node, shown by the Authentication choice. */
export const pipedriveCredentials: INodeCredentialDescription[] = (
	['apiToken', 'oauth2'] as const
).map((auth) => ({
	name: credentialTypeOf(auth),
	required: true,
	displayOptions: { show: { authentication: [auth] } },
}));

/** The Authentication parameter, as n8n's Pipedrive node has it. */
export const pipedriveAuthentication: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'API Token', value: 'apiToken' },
		{ name: 'OAuth2', value: 'oauth2' },
	],
	default: 'apiToken',
};
